"""Waiting for an import job: a progress bar while it runs, then how it ended."""

import time
from uuid import UUID

from co2calculator_client import AuthenticatedClient
from co2calculator_client.api.imports import get_import, get_import_status
from co2calculator_client.models import JobKind, JobPublic, JobState, JobStatus, ProblemDetails
from co2calculator_client.types import Response
from rich.markup import escape

from co2calc.answers import parsed
from co2calc.failures import EXIT_INTERRUPTED, EXIT_JOB_FAILED, Failure
from co2calc.output import job_progress, out, row_error_table

ENDED = frozenset({JobState.SUCCEEDED, JobState.FAILED, JobState.CANCELLED})
JOB_NAMES = {
    JobKind.ACTIVITIES: "Import",
    JobKind.FACTORS: "Factor import",
    JobKind.FACTOR_SYNC: "Factor sync",
    JobKind.RECALCULATE: "Recalculation",
}


def run_job(
    client: AuthenticatedClient,
    response: Response[JobPublic | ProblemDetails],
    label: str,
    poll: float,
) -> None:
    """Wait for a job the server accepted (202), then print how it ended."""
    job = parsed(response)
    follow(client, job.id, label, poll)
    finish(client, job.id)


def follow(client: AuthenticatedClient, job_id: UUID, label: str, poll: float) -> JobStatus:
    """Poll the job's status with a progress bar (on stderr) until it ends."""
    try:
        with job_progress() as progress:
            label = escape(label)  # a file name is not rich markup
            task = progress.add_task(label, total=None)
            while True:
                status = parsed(get_import_status.sync_detailed(job_id, client=client))
                progress.update(
                    task,
                    description=f"{label}: {status.state}",
                    total=status.rows_total or None,
                    completed=status.rows_processed,
                )
                if status.state in ENDED:
                    return status
                time.sleep(poll)
    except KeyboardInterrupt:
        raise Failure(
            f"stopped waiting; import {job_id} goes on on the server "
            f"(`co2calc watch {job_id}` follows it again)",
            EXIT_INTERRUPTED,
        ) from None


def finish(client: AuthenticatedClient, job_id: UUID) -> None:
    """Print how the job ended, with its row errors; a failed job is exit status 3."""
    job = parsed(get_import.sync_detailed(job_id, client=client))
    name = JOB_NAMES.get(job.target_type, "Job")
    if job.row_errors:
        out.print(row_error_table(job))
    if job.state == JobState.SUCCEEDED:
        line = f"{name} {job.id} succeeded: {job.rows_ok} of {job.rows_total} rows imported"
        if job.rows_failed:
            line += f", {job.rows_failed} skipped"
        out.print(line, markup=False, soft_wrap=True)
        return
    if job.state == JobState.CANCELLED:
        raise Failure(
            f"{name.lower()} {job.id} was cancelled; nothing was imported", EXIT_JOB_FAILED
        )
    reason = job.message or f"{job.rows_failed} of {job.rows_total} rows are invalid"
    raise Failure(f"{name.lower()} {job.id} failed: {reason}", EXIT_JOB_FAILED)
