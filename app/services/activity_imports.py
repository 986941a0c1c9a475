"""Activity imports, the `activities` job's work: the staged rows of a lab's CSV (staged by
`imports.upload_activities`) become entries, all or nothing.

One transaction validates every row in SQL, inserts the valid ones in batches (progress is
published between batches in side transactions), and records the job's end; a crash, a lost lease
or a cancellation rolls all of it back.
"""

from dataclasses import dataclass, field
from uuid import UUID

from sqlmodel.ext.asyncio.session import AsyncSession

from app.config import settings
from app.models.job import MAX_ROW_ERRORS, DataIngestionJob, ErrorPolicy, JobKind, JobState
from app.repositories import activity_import as activity_import_repository
from app.repositories import bulk_load as bulk_load_repository
from app.repositories import factor as factor_repository
from app.repositories import staging as staging_repository
from app.services import job_lifecycle
from app.services.job_lifecycle import JobHandle

BATCH_ROWS = 100_000  # progress (a side transaction) is published after each
# Insert without a foreign-key trigger call per row where the role may (see bulk_load); the
# job locks the referenced rows itself. Off only in tests of the slower path.
SKIP_TRIGGERS = True


@dataclass(frozen=True)
class _ActivityJob:
    """The plain values the import works with (a rollback expires ORM objects)."""

    id: UUID
    lab_id: UUID
    region: str | None
    created_by: UUID | None  # None when the uploader's account is gone
    rows_total: int
    fail_on_error: bool
    window: int  # years of rollover (FACTOR_ROLLOVER_YEARS when the job started)


@dataclass
class _Counts:
    processed: int = 0
    inserted: int = 0
    factor_ids: set[UUID] = field(default_factory=set)

    @property
    def rejected(self) -> int:
        return self.processed - self.inserted


def _batches(bounds: tuple[int, int] | None) -> list[tuple[int, int]]:
    """Inclusive seq ranges of at most BATCH_ROWS rows covering `bounds`."""
    if bounds is None:
        return []
    first, last = bounds
    return [(low, min(low + BATCH_ROWS - 1, last)) for low in range(first, last + 1, BATCH_ROWS)]


async def import_activities(job_handle: JobHandle, session: AsyncSession) -> None:
    """Turn the held job's staged rows into entries; the job's end, its event and the removal of
    its staged rows commit with them."""
    job = await job_handle.held_job(session)
    # Plain values: a rollback below expires the ORM objects.
    job_id, lab_id, rows_total = job.id, job.lab_id, job.rows_total
    created_by, fail_on_error = job.created_by, job.on_error is ErrorPolicy.FAIL
    await session.commit()  # release the row lock: progress updates need it
    if lab_id is None:
        return  # the lab was deleted meanwhile; its jobs went with it
    # Until commit, factor values cannot change under the rows this job computes.
    await factor_repository.lock_values_shared(session)
    parents = await activity_import_repository.lock_parents(
        session, lab_id=lab_id, job_id=job_id, created_by=created_by
    )
    if parents.lab is None:
        return  # the lab was deleted meanwhile; its jobs went with it
    work = _ActivityJob(
        job_id,
        lab_id,
        parents.lab.region,
        parents.created_by,
        rows_total,
        fail_on_error,
        settings.FACTOR_ROLLOVER_YEARS,
    )
    counts = await _insert(job_handle, session, work)
    job = await _end(job_handle, session, work, counts)
    await job_lifecycle.discard_staged(session, kind=JobKind.ACTIVITIES, job_id=job_id)
    await job_lifecycle.publish(session, job)
    await session.commit()


async def _insert(job_handle: JobHandle, session: AsyncSession, work: _ActivityJob) -> _Counts:
    """Insert the valid staged rows in batches, publishing progress after each; stop at the
    first batch with a bad row when the policy fails the job on one."""
    counts = _Counts()
    id_prefix = activity_import_repository.entry_id_prefix()
    bounds = await activity_import_repository.seq_range(session, job_id=work.id)
    connection = await session.connection()
    await bulk_load_repository.plan_for_bulk(connection)
    async with bulk_load_repository.triggers_skipped(connection, wanted=SKIP_TRIGGERS):
        for seqs in _batches(bounds):
            batch = await activity_import_repository.insert_batch(
                session,
                job_id=work.id,
                lab_id=work.lab_id,
                region=work.region,
                window=work.window,
                created_by=work.created_by,
                id_prefix=id_prefix,
                seqs=seqs,
            )
            counts.processed += batch.rows
            counts.inserted += batch.inserted
            counts.factor_ids |= batch.factor_ids
            if batch.rejected and work.fail_on_error:
                break  # _end checks every row
            await job_handle.report_progress(rows_processed=counts.processed)
    return counts


async def _lost(session: AsyncSession, work: _ActivityJob, counts: _Counts) -> str | None:
    """Why the inserted rows cannot be kept although none was refused by the policy, if so."""
    if counts.processed != work.rows_total:
        return (
            f"Only {counts.processed} of the {work.rows_total} uploaded rows were found "
            "(lost by the database?); nothing was imported. Upload the file again."
        )
    if not await activity_import_repository.lock_factors(session, frozenset(counts.factor_ids)):
        return (
            "An emission factor this import uses was deleted while it ran; nothing was "
            "imported. Upload the file again."
        )
    return None


async def _end(
    job_handle: JobHandle, session: AsyncSession, work: _ActivityJob, counts: _Counts
) -> DataIngestionJob:
    """Record how the import ended (a failure rolls back what was inserted); return the job."""
    invalid = bool(counts.rejected and work.fail_on_error)
    failure = None if invalid else await _lost(session, work, counts)
    if failure is not None:
        await session.rollback()
        job = await job_handle.held_job(session)
        job_lifecycle.finish(job, JobState.FAILED, message=failure)
    elif invalid:
        # Only now is every row checked, to report what is wrong (nothing is written).
        await session.rollback()  # which also ended the transaction's planner settings
        await bulk_load_repository.plan_for_bulk(await session.connection())
        problems = await activity_import_repository.find_problems(
            session,
            job_id=work.id,
            region=work.region,
            window=work.window,
            cap=MAX_ROW_ERRORS,
        )
        job = await job_handle.held_job(session)
        job_lifecycle.fail_for_invalid_rows(job, problems, rows_total=work.rows_total)
    else:
        problems = (
            await activity_import_repository.find_problems(
                session,
                job_id=work.id,
                region=work.region,
                window=work.window,
                cap=MAX_ROW_ERRORS,
            )
            if counts.rejected
            else staging_repository.NO_PROBLEMS
        )
        job = await job_handle.held_job(session)
        job_lifecycle.succeed_import(
            job,
            problems,
            message=f"Imported {counts.inserted} rows"
            + (f"; skipped {counts.rejected} invalid rows." if counts.rejected else "."),
            rows_processed=counts.processed,
            rows_ok=counts.inserted,
            rows_failed=counts.rejected,
        )
    return job
