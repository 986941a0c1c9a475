"""Recalculation, the `recalculate` job's work: the stored kg CO2e of every entry using the job's
factors is recomputed from their current values, in batches, in one transaction (all or nothing).
First, the entries resting on an earlier year's factor (year rollover) that the job's new factors
(`arrived_factor_ids`) now give a later year's factor move to it, with their kg CO2e.

Reads never wait for it: reports and entries compute kg CO2e from the current factor value (see
app/repositories/report.py), so this job only brings the stored column back in line. A value with
which an entry would weigh too much to store is refused where it is changed; should one be stored
anyway (data from before that rule), the job fails at once, naming the factors, and is not retried.
"""

from uuid import UUID

from sqlmodel.ext.asyncio.session import AsyncSession

from app.models.job import DataIngestionJob, JobState
from app.models.kg import KG_CO2E_LIMIT
from app.repositories import recalculation as recalculation_repository
from app.repositories import rollup as rollup_repository
from app.services import audit as audit_service
from app.services import job_lifecycle
from app.services.job_lifecycle import JobHandle

BATCH_ROWS = 50_000


def _moved(repointed: recalculation_repository.Repointed) -> str:
    """What the job says of the entries it moved to a later year's factor."""
    if not (repointed.moved or repointed.stayed):
        return ""
    text = f"Moved {repointed.moved} entries to a later year's factor"
    if repointed.stayed:
        text += (
            f"; {repointed.stayed} stay on an earlier year's factor, with which they weigh "
            f"less than {KG_CO2E_LIMIT} kg CO2e (the most that can be stored)"
        )
    return text + ". "


async def _recompute(
    job_handle: JobHandle, session: AsyncSession, factor_ids: list[UUID], arrived: list[UUID]
) -> DataIngestionJob:
    """Move the entries the arrived factors take, recompute every target; return the job,
    ended."""
    await recalculation_repository.lock(session)
    repointed = await recalculation_repository.repoint(session, factor_ids=arrived)
    total = await recalculation_repository.collect_targets(session, factor_ids=factor_ids)
    await job_handle.report_progress(rows_total=total)
    changed = 0
    for first in range(1, total + 1, BATCH_ROWS):
        last = min(first + BATCH_ROWS - 1, total)
        changed += await recalculation_repository.recompute_batch(session, first=first, last=last)
        await job_handle.report_progress(rows_processed=last)
    # The reports may read these factors' stored values again (app/models/rollup.py).
    await rollup_repository.clear_stale(session, factor_ids=factor_ids)
    job = await job_handle.held_job(session)
    job_lifecycle.finish(
        job,
        JobState.SUCCEEDED,
        message=_moved(repointed) + f"Recomputed the {total} entries of {len(factor_ids)} "
        f"factor(s); {changed} stored values changed.",
        rows_total=total,
        rows_processed=total,
        rows_ok=total,
    )
    return job


async def _too_heavy(
    job_handle: JobHandle, session: AsyncSession, factor_ids: list[UUID]
) -> DataIngestionJob:
    """Fail the job (its work was rolled back), naming the factors whose entries overflow."""
    heavy = await recalculation_repository.find_too_heavy(session, factor_ids=factor_ids)
    named = "; ".join(
        f"{factor.key} {factor.year}{f' {factor.region}' if factor.region else ''}: "
        f"{factor.heavy} entr{'y' if factor.heavy == 1 else 'ies'}"
        for factor in heavy
    )
    job = await job_handle.held_job(session)
    job_lifecycle.finish(
        job,
        JobState.FAILED,
        message=f"With their factor's current value, some entries would weigh {KG_CO2E_LIMIT} "
        f"kg CO2e or more, more than can be stored ({named or 'none left now'}); nothing was "
        "recomputed. Lower those values or quantities, then change the value again.",
    )
    return job


async def recalculate(job_handle: JobHandle, session: AsyncSession) -> None:
    """Recompute the stored kg CO2e of the held job's factors, or fail it naming the entries
    that would overflow; the job's end and its event commit with the work."""
    job = await job_handle.held_job(session)
    factor_ids = [UUID(str(value)) for value in job.params.get("factor_ids", [])]
    arrived = [UUID(str(value)) for value in job.params.get("arrived_factor_ids", [])]
    await session.commit()  # release the row lock: progress updates need it
    try:
        job = await _recompute(job_handle, session, factor_ids, arrived)
    except recalculation_repository.TooHeavy:
        await session.rollback()
        job = await _too_heavy(job_handle, session, factor_ids)
    await audit_service.record_recalculation_end(session, job)
    await job_lifecycle.publish(session, job)
    await session.commit()
