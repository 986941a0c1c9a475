"""The `activities` job: staged rows of a lab's CSV become entries, all or nothing.

One transaction validates every row in SQL, inserts the valid ones in batches (progress is
published between batches in side transactions), and records the job's end; a crash, a lost lease
or a cancellation rolls all of it back.
"""

from uuid import UUID

from app.jobs.context import JobContext
from app.models.job import MAX_ROW_ERRORS, ErrorPolicy, JobKind, JobState
from app.repositories import activity_import as activity_import_repository
from app.repositories import bulk_load as bulk_load_repository
from app.repositories import factor as factor_repository
from app.repositories import staging as staging_repository
from app.services import job_lifecycle

BATCH_ROWS = 100_000  # progress (a side transaction) is published after each
# Insert without a foreign-key trigger call per row where the role may (see bulk_load); the
# job locks the referenced rows itself. Off only in tests of the slower path.
SKIP_TRIGGERS = True


def _batches(bounds: tuple[int, int] | None) -> list[tuple[int, int]]:
    """Inclusive seq ranges of at most BATCH_ROWS rows covering `bounds`."""
    if bounds is None:
        return []
    first, last = bounds
    return [(low, min(low + BATCH_ROWS - 1, last)) for low in range(first, last + 1, BATCH_ROWS)]


async def run_activities(context: JobContext) -> None:
    async with context.sessions() as session:
        job = await context.held_job(session)
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
        region = parents.lab.region
        processed = inserted = 0
        factor_ids: set[UUID] = set()
        id_prefix = activity_import_repository.entry_id_prefix()
        bounds = await activity_import_repository.seq_range(session, job_id=job_id)
        connection = await session.connection()
        await bulk_load_repository.plan_for_bulk(connection)
        async with bulk_load_repository.triggers_skipped(connection, wanted=SKIP_TRIGGERS):
            for seqs in _batches(bounds):
                batch = await activity_import_repository.insert_batch(
                    session,
                    job_id=job_id,
                    lab_id=lab_id,
                    region=region,
                    created_by=parents.created_by,
                    id_prefix=id_prefix,
                    seqs=seqs,
                )
                processed += batch.rows
                inserted += batch.inserted
                factor_ids |= batch.factor_ids
                if batch.rejected and fail_on_error:
                    break  # the report below checks every row
                await context.report_progress(rows_processed=processed)

        rejected = processed - inserted
        invalid = bool(rejected and fail_on_error)
        failure = None
        if processed != rows_total and not invalid:
            failure = (
                f"Only {processed} of the {rows_total} uploaded rows were found "
                "(lost by the database?); nothing was imported. Upload the file again."
            )
        elif not invalid and not await activity_import_repository.lock_factors(
            session, frozenset(factor_ids)
        ):
            failure = (
                "An emission factor this import uses was deleted while it ran; nothing was "
                "imported. Upload the file again."
            )
        if failure is not None:
            await session.rollback()
            job = await context.held_job(session)
            job_lifecycle.finish(job, JobState.FAILED, message=failure)
        elif invalid:
            # Only now is every row checked, to report what is wrong (nothing is written).
            await session.rollback()  # which also ended the transaction's planner settings
            await bulk_load_repository.plan_for_bulk(await session.connection())
            problems = await activity_import_repository.find_problems(
                session, job_id=job_id, region=region, cap=MAX_ROW_ERRORS
            )
            job = await context.held_job(session)
            job_lifecycle.fail_for_invalid_rows(job, problems, rows_total=rows_total)
        else:
            problems = (
                await activity_import_repository.find_problems(
                    session, job_id=job_id, region=region, cap=MAX_ROW_ERRORS
                )
                if rejected
                else staging_repository.NO_PROBLEMS
            )
            job = await context.held_job(session)
            job_lifecycle.finish(
                job,
                JobState.SUCCEEDED,
                message=f"Imported {inserted} rows"
                + (f"; skipped {rejected} invalid rows." if rejected else "."),
                rows_processed=processed,
                rows_ok=inserted,
                rows_failed=rejected,
                row_errors=[error.model_dump() for error in problems.errors],
                row_errors_total=problems.total,
            )
        await job_lifecycle.discard_staged(session, kind=JobKind.ACTIVITIES, job_id=job_id)
        await job_lifecycle.publish(session, job)
        await session.commit()
