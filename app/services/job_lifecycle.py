"""A job's state machine: how a held job reports progress, ends, or goes back to the queue; the
messages its users read; the live-status event each change publishes; and the removal of its
staged rows; and the claim and lease of a job by a runner. Job handlers (app/jobs), the runner
and the import services call this; the repository only stores what is decided here."""

import logging
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime
from typing import Any, Protocol
from uuid import UUID

from sqlalchemy import Table
from sqlmodel.ext.asyncio.session import AsyncSession

from app.models.job import Claim, DataIngestionJob, JobKind, JobState, JobStatus
from app.models.staging import activity_checked, activity_computed, activity_staging, factor_staging
from app.repositories import job as job_repository
from app.repositories import staging as staging_repository
from app.repositories.staging import RowProblems

logger = logging.getLogger(__name__)

# A NOTIFY payload must stay under 8000 bytes: a job's message (up to 2000 characters, each up to
# 6 bytes once JSON-escaped) is shortened to this in events; the status endpoint has it whole.
EVENT_MESSAGE_CHARS = 1000
# Where a job's uploaded rows, and what it computed of them, wait (removed when the job ends; a
# recalculation stages nothing).
STAGING: dict[JobKind, tuple[Table, ...]] = {
    JobKind.ACTIVITIES: (activity_staging, activity_computed, activity_checked),
    JobKind.FACTORS: (factor_staging,),
    JobKind.FACTOR_SYNC: (factor_staging,),
}
CANCELLED_RUNNING = "Cancelled; nothing was written."
CANCELLED_QUEUED = "Cancelled before it started."
FAILED = "The job failed; nothing was written."


class JobHandle(Protocol):
    """What the work of a job gets from its runner (app/jobs/context.JobContext)."""

    async def report_progress(self, **counts: Any) -> None:
        """Publish counts; raise JobCancelled or LeaseLost."""

    async def held_job(self, session: AsyncSession) -> DataIngestionJob:
        """The job row, locked, in `session`'s transaction; raise LeaseLost if not ours."""

    def side_session(self) -> AbstractAsyncContextManager[AsyncSession]:
        """A session of the jobs' pool beside the job's own transaction (its commits are its
        own): for work that runs while the job's transaction does other work."""


class JobCancelled(Exception):
    """Raised inside a handler when the job's cancellation was requested."""


class LeaseLost(Exception):
    """Raised when another worker holds the job now (this one was too slow or presumed dead)."""


def no_handler(kind: JobKind) -> str:
    return f"No handler for {kind.value} jobs."


def retrying(attempt: int) -> str:
    return f"Attempt {attempt} failed; retrying."


def event_payload(job: DataIngestionJob) -> str:
    """The live-status event of a job: its `JobStatus` as JSON, message shortened."""
    status = JobStatus.model_validate(job, from_attributes=True)
    if status.message is not None and len(status.message) > EVENT_MESSAGE_CHARS:
        status.message = status.message[: EVENT_MESSAGE_CHARS - 1] + "…"
    return status.model_dump_json()


async def publish(session: AsyncSession, job: DataIngestionJob) -> None:
    """The job's live-status event, delivered when the session's transaction commits."""
    await session.flush()
    await job_repository.notify(session, job_repository.EVENTS_CHANNEL, event_payload(job))


async def publish_by_id(session: AsyncSession, job_ids: list[UUID]) -> None:
    """The events of jobs changed by set-based statements (claimed, given up)."""
    for job_id in job_ids:
        job = await job_repository.get(session, job_id)
        if job is not None:
            await publish(session, job)


def finish(
    job: DataIngestionJob, state: JobState, *, message: str | None = None, **counts: Any
) -> None:
    """Mark a job as ended (the caller's transaction commits it with the job's work).
    `locked_by` stays: operators see which worker ran it."""
    job.state = state
    job.message = message
    job.lease_expires_at = None
    job.finished_at = datetime.now(UTC)
    job.updated_at = job.finished_at
    for name, value in counts.items():
        setattr(job, name, value)


def fail_for_invalid_rows(job: DataIngestionJob, problems: RowProblems, *, rows_total: int) -> None:
    """End a held import that wrote nothing because some of its rows are invalid."""
    finish(
        job,
        JobState.FAILED,
        message=f"{problems.bad_rows} of {rows_total} rows are invalid; nothing was imported.",
        rows_processed=rows_total,
        rows_ok=0,
        rows_failed=problems.bad_rows,
        row_errors=[error.model_dump() for error in problems.errors],
        row_errors_total=problems.total,
    )


def succeed_import(
    job: DataIngestionJob,
    problems: RowProblems,
    *,
    message: str,
    rows_processed: int,
    rows_ok: int,
    rows_failed: int,
) -> None:
    """End a held import that wrote its valid rows; `problems` are the rows it skipped."""
    finish(
        job,
        JobState.SUCCEEDED,
        message=message,
        rows_processed=rows_processed,
        rows_ok=rows_ok,
        rows_failed=rows_failed,
        row_errors=[error.model_dump() for error in problems.errors],
        row_errors_total=problems.total,
    )


def release(job: DataIngestionJob, *, message: str) -> None:
    """Put a held job back in the queue (its work was rolled back) for another attempt."""
    job.state = JobState.QUEUED
    job.message = message
    job.locked_by = None
    job.lease_expires_at = None
    job.updated_at = datetime.now(UTC)


async def discard_staged(session: AsyncSession, *, kind: JobKind, job_id: UUID) -> None:
    """Remove what the job staged, in the transaction that ends it."""
    for table in STAGING.get(kind, ()):
        await staging_repository.delete_rows(session, table=table, job_id=job_id)


ENDED = frozenset({JobState.SUCCEEDED, JobState.FAILED, JobState.CANCELLED})


async def discard_staged_of_ended(session: AsyncSession, *, job_id: UUID | None = None) -> int:
    """Remove what ended jobs staged (of one job when `job_id` is given, if it has ended), each
    table in a transaction of its own; return how many rows. An import that succeeded leaves its
    staged rows to this, after its commit (a million rows took 0.7 s to delete, which its
    transaction no longer waits for); what a crash leaves goes at the runner's next start. A job
    that waits for a retry keeps them."""
    removed = 0
    for table in dict.fromkeys(table for tables in STAGING.values() for table in tables):
        removed += await staging_repository.delete_rows_of_ended_jobs(
            session, table=table, states=ENDED, job_id=job_id
        )
        await session.commit()
    return removed


async def held_job(session: AsyncSession, *, claim: Claim, worker: str) -> DataIngestionJob:
    """The job row, locked, in the caller's transaction; LeaseLost if it is not ours."""
    job = await job_repository.get_held(session, claim=claim, worker=worker)
    if job is None:
        raise LeaseLost
    return job


async def report_progress(
    session: AsyncSession, *, claim: Claim, worker: str, counts: dict[str, Any]
) -> bool:
    """Store and publish a held job's counts; True when its cancellation was requested."""
    job = await held_job(session, claim=claim, worker=worker)
    for name, value in counts.items():
        setattr(job, name, value)
    await publish(session, job)
    return job.cancel_requested


async def record_end(
    session: AsyncSession, *, claim: Claim, worker: str, state: JobState, message: str
) -> None:
    """How a held job ended (or that it waits for a retry, `state` QUEUED, its staged rows
    kept for it), recorded after its own transaction was rolled back. Nothing when another
    worker holds it now."""
    job = await job_repository.get_held(session, claim=claim, worker=worker)
    if job is None:
        return
    if state is JobState.QUEUED:
        release(job, message=message)
    else:
        finish(job, state, message=message)
        await discard_staged(session, kind=claim.kind, job_id=job.id)
    await publish(session, job)


async def fail(job_handle: JobHandle, session: AsyncSession, *, message: str) -> None:
    """End the held job as failed, in a transaction of its own (its work was rolled back), and
    commit."""
    job = await job_handle.held_job(session)
    finish(job, JobState.FAILED, message=message)
    await publish(session, job)
    await session.commit()


async def claim_next(
    session: AsyncSession, *, worker: str, lease_seconds: int, max_attempts: int
) -> Claim | None:
    """Fail the jobs whose workers kept dying, then take the next job for `worker`; both publish
    their events when the caller commits."""
    failed = await job_repository.fail_abandoned(session, max_attempts=max_attempts)
    for job_id in failed:
        logger.warning("job %s failed: its workers kept dying", job_id)
    claim = await job_repository.claim_next(session, worker=worker, lease_seconds=lease_seconds)
    await publish_by_id(session, [*failed, *([claim.job_id] if claim else [])])
    return claim


async def renew_lease(
    session: AsyncSession, *, claim: Claim, worker: str, lease_seconds: int
) -> bool:
    """Extend the held job's lease; False when `worker` no longer holds it."""
    return await job_repository.renew_lease(
        session, claim=claim, worker=worker, lease_seconds=lease_seconds
    )
