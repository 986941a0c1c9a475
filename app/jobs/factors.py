"""The `factors` job: staged rows of an emission-factor CSV are validated and written, all or
nothing. A row for an existing (key, year, region) updates that factor; when its value changed, a
`recalculate` job is queued in the same transaction (it becomes visible when this one commits).
A new value with which an entry of its factor would weigh too much to store is a bad row (column
`kg_co2e_per_unit`), found while the values lock is held, so that recalculation cannot overflow.
"""

import asyncio
from dataclasses import dataclass
from uuid import UUID

from sqlmodel.ext.asyncio.session import AsyncSession

from app.jobs.context import JobContext
from app.models.job import MAX_ROW_ERRORS, ErrorPolicy, JobState, RowError
from app.repositories import factor as factor_repository
from app.repositories import factor_import as factor_import_repository
from app.services import factors as factor_service
from app.services import job_lifecycle

VALUES_LOCK_RETRY_SECONDS = 0.2
VALUES_LOCK_TRIES_PER_CHECK = 25  # while waiting, look for a cancellation every 5 s


@dataclass(frozen=True)
class FactorJob:
    """The plain values a factor job works with (a rollback expires ORM objects)."""

    id: UUID
    rows_total: int
    fail_on_error: bool
    created_by: UUID | None


async def hold(context: JobContext, session: AsyncSession) -> FactorJob:
    """Read the job, then commit to release its row lock: progress updates need it."""
    job = await context.held_job(session)
    values = FactorJob(job.id, job.rows_total, job.on_error is ErrorPolicy.FAIL, job.created_by)
    await session.commit()
    return values


async def run_factors(context: JobContext) -> None:
    async with context.sessions() as session:
        await import_staged(context, session, await hold(context, session))


async def _lock_values(context: JobContext, session: AsyncSession) -> None:
    """The values lock, exclusively: wait (without queueing ahead of entry writers) until no
    entry write that read the old values is still running."""
    tries = 0
    while not await factor_repository.try_lock_values_exclusive(session):
        tries += 1
        if tries % VALUES_LOCK_TRIES_PER_CHECK == 0:
            await context.report_progress()  # still ours, not cancelled
        await asyncio.sleep(VALUES_LOCK_RETRY_SECONDS)


async def import_staged(context: JobContext, session: AsyncSession, job: FactorJob) -> None:
    """Validate the job's staged rows, write the good ones unless the policy fails the job,
    record its end and commit."""
    problems = await factor_import_repository.find_problems(
        session, job_id=job.id, cap=MAX_ROW_ERRORS
    )
    await context.report_progress(rows_processed=job.rows_total)  # raises if cancelled
    too_heavy: list[int] = []
    if not (problems.total and job.fail_on_error):
        await _lock_values(context, session)
        # Under the lock, no entry can be added or grow: a new value refused here is refused
        # for good, and one accepted cannot make the recalculation overflow kg_co2e.
        refused = await factor_import_repository.find_too_heavy(session, job_id=job.id)
        too_heavy = [line for line, _ in refused]
        problems = problems.plus(
            [
                RowError(
                    row=line,
                    column="kg_co2e_per_unit",
                    message=f"with this value, {factor_service.too_heavy(weight)}",
                )
                for line, weight in refused
            ],
            cap=MAX_ROW_ERRORS,
        )
    if problems.total and job.fail_on_error:
        held = await context.held_job(session)
        job_lifecycle.fail_for_invalid_rows(held, problems, rows_total=job.rows_total)
    else:
        written = await factor_import_repository.upsert_valid(
            session, job_id=job.id, skipped=too_heavy
        )
        message = (
            f"Imported {written.valid} factors: {written.inserted} new, {written.updated} "
            f"changed, {written.valid - written.inserted - written.updated} unchanged"
        )
        if problems.bad_rows:
            message += f"; skipped {problems.bad_rows} invalid rows"
        if written.value_changed:
            await factor_service.queue_recalculation(
                session, factor_ids=written.value_changed, created_by=job.created_by
            )
            message += f"; {len(written.value_changed)} new values are being recalculated"
        held = await context.held_job(session)
        job_lifecycle.finish(
            held,
            JobState.SUCCEEDED,
            message=message + ".",
            rows_processed=job.rows_total,
            rows_ok=written.valid,
            rows_failed=problems.bad_rows,
            row_errors=[error.model_dump() for error in problems.errors],
            row_errors_total=problems.total,
        )
    await job_lifecycle.discard_staged(session, kind=held.target_type, job_id=held.id)
    await job_lifecycle.publish(session, held)
    await session.commit()
