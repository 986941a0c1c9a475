"""The `recalculate` job: the stored kg CO2e of every entry using the job's factors is recomputed
from their current values, in batches, in one transaction (all or nothing).

Reads never wait for it: reports and entries compute kg CO2e from the current factor value (see
app/repositories/report.py), so this job only brings the stored column back in line.
"""

from uuid import UUID

from app.jobs.context import JobContext
from app.models.job import JobState
from app.repositories import job as job_repository
from app.repositories import recalculation as recalculation_repository

BATCH_ROWS = 50_000


async def run_recalculate(context: JobContext) -> None:
    async with context.sessions() as session:
        job = await context.held_job(session)
        factor_ids = [UUID(str(value)) for value in job.params.get("factor_ids", [])]
        await session.commit()  # release the row lock: progress updates need it

        await recalculation_repository.lock(session)
        total = await recalculation_repository.collect_targets(session, factor_ids=factor_ids)
        await context.report_progress(rows_total=total)
        changed = 0
        for first in range(1, total + 1, BATCH_ROWS):
            last = min(first + BATCH_ROWS - 1, total)
            changed += await recalculation_repository.recompute_batch(
                session, first=first, last=last
            )
            await context.report_progress(rows_processed=last)

        job = await context.held_job(session)
        job_repository.finish(
            job,
            JobState.SUCCEEDED,
            message=f"Recomputed the {total} entries of {len(factor_ids)} factor(s); "
            f"{changed} stored values changed.",
            rows_total=total,
            rows_processed=total,
            rows_ok=total,
        )
        await session.flush()
        await job_repository.notify(
            session, job_repository.EVENTS_CHANNEL, job_repository.event_payload(job)
        )
        await session.commit()
