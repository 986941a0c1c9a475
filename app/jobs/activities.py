"""The `activities` job: staged rows of a lab's CSV become entries, all or nothing.

One transaction validates every row in SQL, inserts the valid ones in batches (progress is
published between batches in side transactions), and records the job's end; a crash, a lost lease
or a cancellation rolls all of it back.
"""

from app.jobs.context import JobContext
from app.models.job import MAX_ROW_ERRORS, ErrorPolicy, JobState
from app.models.staging import activity_staging
from app.repositories import activity_import as activity_import_repository
from app.repositories import factor as factor_repository
from app.repositories import job as job_repository
from app.repositories import lab as lab_repository
from app.repositories import staging as staging_repository

BATCH_ROWS = 50_000


async def run_activities(context: JobContext) -> None:
    async with context.sessions() as session:
        job = await context.held_job(session)
        lab = await lab_repository.get(session, job.lab_id) if job.lab_id else None
        await session.commit()  # release the row lock: progress updates need it
        if lab is None:
            return  # the lab was deleted meanwhile; its jobs went with it
        # Until commit, factor values cannot change under the rows this job computes.
        await factor_repository.lock_values_shared(session)
        # Plain values: a rollback below expires the ORM objects.
        job_id, rows_total, created_by = job.id, job.rows_total, job.created_by
        lab_id, region = lab.id, lab.region
        fail_on_error = job.on_error is ErrorPolicy.FAIL
        processed = inserted = 0
        bounds = await activity_import_repository.seq_range(session, job_id=job_id)
        if bounds is not None:
            for first in range(bounds[0], bounds[1] + 1, BATCH_ROWS):
                batch = await activity_import_repository.insert_batch(
                    session,
                    job_id=job_id,
                    lab_id=lab_id,
                    region=region,
                    created_by=created_by,
                    seqs=(first, min(first + BATCH_ROWS - 1, bounds[1])),
                )
                processed += batch.rows
                inserted += batch.inserted
                if batch.rejected and fail_on_error:
                    break
                await context.report_progress(rows_processed=processed)

        rejected = processed - inserted
        if processed != rows_total and not (rejected and fail_on_error):
            await session.rollback()
            job = await context.held_job(session)
            job_repository.finish(
                job,
                JobState.FAILED,
                message=f"Only {processed} of the {rows_total} uploaded rows were found "
                "(lost by the database?); nothing was imported. Upload the file again.",
            )
        elif rejected and fail_on_error:
            # Only now is every row checked, to report what is wrong (nothing is written).
            await session.rollback()
            problems = await activity_import_repository.find_problems(
                session, job_id=job_id, region=region, cap=MAX_ROW_ERRORS
            )
            job = await context.held_job(session)
            job_repository.fail_for_invalid_rows(job, problems, rows_total=rows_total)
        else:
            problems = (
                await activity_import_repository.find_problems(
                    session, job_id=job_id, region=region, cap=MAX_ROW_ERRORS
                )
                if rejected
                else staging_repository.NO_PROBLEMS
            )
            job = await context.held_job(session)
            job_repository.finish(
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
        await staging_repository.delete_rows(session, table=activity_staging, job_id=job_id)
        await session.flush()
        await job_repository.notify(
            session, job_repository.EVENTS_CHANNEL, job_repository.event_payload(job)
        )
        await session.commit()
