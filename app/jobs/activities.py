"""The `activities` job: staged rows of a lab's CSV become entries, all or nothing.

One transaction validates every row in SQL, inserts the valid ones in batches (progress is
published between batches in side transactions), and records the job's end; a crash, a lost lease
or a cancellation rolls all of it back.
"""

from app.jobs.context import JobContext
from app.models.job import MAX_ROW_ERRORS, ErrorPolicy, JobState
from app.models.staging import activity_staging
from app.repositories import activity_import as activity_import_repository
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
        problems = await activity_import_repository.find_problems(
            session, job_id=job.id, region=lab.region, cap=MAX_ROW_ERRORS
        )
        errors = [error.model_dump() for error in problems.errors]
        if problems.bad_rows and job.on_error is ErrorPolicy.FAIL:
            job = await context.held_job(session)
            job_repository.finish(
                job,
                JobState.FAILED,
                message=f"{problems.bad_rows} of {job.rows_total} rows are invalid; "
                "nothing was imported.",
                rows_processed=job.rows_total,
                rows_ok=0,
                rows_failed=problems.bad_rows,
                row_errors=errors,
                row_errors_total=problems.total,
            )
        else:
            processed = inserted = 0
            after = 0
            while True:
                batch = await activity_import_repository.insert_batch(
                    session,
                    job_id=job.id,
                    lab_id=lab.id,
                    region=lab.region,
                    created_by=job.created_by,
                    after=after,
                    size=BATCH_ROWS,
                )
                if batch.last_seq is None:
                    break
                after = batch.last_seq
                processed += batch.rows
                inserted += batch.inserted
                await context.report_progress(rows_processed=processed)
            job = await context.held_job(session)
            skipped = processed - inserted
            job_repository.finish(
                job,
                JobState.SUCCEEDED,
                message=f"Imported {inserted} rows"
                + (f"; skipped {skipped} invalid rows." if skipped else "."),
                rows_processed=processed,
                rows_ok=inserted,
                rows_failed=skipped,
                row_errors=errors,
                row_errors_total=problems.total,
            )
        await staging_repository.delete_rows(session, table=activity_staging, job_id=job.id)
        await session.flush()
        await job_repository.notify(
            session, job_repository.EVENTS_CHANNEL, job_repository.event_payload(job)
        )
        await session.commit()
