"""Emission-factor imports (admins): an uploaded CSV is staged here, in the request's transaction;
a sync is queued here, and its job stages what the source serves (`import_from_source`). Both are
then imported by the same code, the `factors` and `factor_sync` jobs' work (`import_staged`).

A staged row for an existing (key, year, region) updates that factor; when its value changed, a
`recalculate` job is queued in the same transaction (it becomes visible when this one commits).
So it is when a new factor is one that entries resting on an earlier year's factor (year
rollover) now take: that job moves them to it.
A new value with which an entry of its factor would weigh too much to store is a bad row (column
`kg_co2e_per_unit`), found while the values lock is held, so that recalculation cannot overflow.
"""

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, replace
from urllib.parse import urlsplit
from uuid import UUID

from sqlmodel.ext.asyncio.session import AsyncSession

from app.config import settings
from app.core.csv_upload import CsvUpload
from app.core.errors import InvalidInput, NotConfigured, PayloadTooLarge
from app.core.multipart_stream import StreamedFile
from app.core.pagination import Page
from app.core.rate_limit import RateLimiter
from app.db.statements import Reads
from app.models.job import (
    MAX_ROW_ERRORS,
    DataIngestionJob,
    ErrorPolicy,
    JobKind,
    JobStatus,
    RowError,
)
from app.models.staging import FACTOR_COLUMNS, FACTOR_REQUIRED, factor_staging
from app.repositories import factor as factor_repository
from app.repositories import factor_import as factor_import_repository
from app.repositories import staging as staging_repository
from app.services import audit as audit_service
from app.services import factors as factor_service
from app.services import imports as import_service
from app.services import job_lifecycle
from app.services.auth import Principal
from app.services.authz import Action, authorize
from app.services.job_lifecycle import JobHandle

VALUES_LOCK_RETRY_SECONDS = 0.2
VALUES_LOCK_TRIES_PER_CHECK = 25  # while waiting, look for a cancellation every 5 s


async def upload_factors(
    session: AsyncSession,
    *,
    principal: Principal,
    limiter: RateLimiter,
    file: StreamedFile,
    on_error: ErrorPolicy,
) -> DataIngestionJob:
    """Stage a factors CSV and queue its import; the file is read only once the caller may."""
    authorize(principal.user, Action.MANAGE_FACTORS)
    await import_service.check_limits(session, principal=principal, limiter=limiter, lab_id=None)
    job = DataIngestionJob(
        target_type=JobKind.FACTORS,
        created_by=principal.user.id,
        on_error=on_error,
    )
    return await import_service.stage_and_queue(
        session,
        job=job,
        file=file,
        table=factor_staging,
        known=FACTOR_COLUMNS,
        required=FACTOR_REQUIRED,
    )


def sync_source_name(url: str) -> str:
    """What a sync job shows as its file: the URL's last path segment (never its query, which
    may hold a credential)."""
    return urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1] or "factors.csv"


async def sync_factors(
    session: AsyncSession, *, principal: Principal, limiter: RateLimiter, on_error: ErrorPolicy
) -> DataIngestionJob:
    """Queue a fetch of `FACTOR_SYNC_URL` and the import of what it serves."""
    authorize(principal.user, Action.MANAGE_FACTORS)
    if not settings.FACTOR_SYNC_URL:
        raise NotConfigured("Factor sync is not configured on this server: set FACTOR_SYNC_URL.")
    await import_service.check_limits(session, principal=principal, limiter=limiter, lab_id=None)
    job = DataIngestionJob(
        target_type=JobKind.FACTOR_SYNC,
        created_by=principal.user.id,
        filename=import_service.clean_filename(sync_source_name(settings.FACTOR_SYNC_URL)),
        on_error=on_error,
    )
    return await import_service.queue(session, job)


async def list_factor_jobs(
    reads: Reads, *, principal: Principal, limit: int, cursor: str | None
) -> Page[JobStatus]:
    """The jobs of no lab — factor imports, syncs, recalculations — newest first."""
    authorize(principal.user, Action.MANAGE_FACTORS)
    return await import_service.page_of_jobs(reads, lab_id=None, limit=limit, cursor=cursor)


@dataclass(frozen=True)
class FactorJob:
    """The plain values a factor job works with (a rollback expires ORM objects)."""

    id: UUID
    rows_total: int
    fail_on_error: bool
    created_by: UUID | None


async def _hold(job_handle: JobHandle, session: AsyncSession) -> FactorJob:
    """Read the job, then commit to release its row lock: progress updates need it."""
    job = await job_handle.held_job(session)
    values = FactorJob(job.id, job.rows_total, job.on_error is ErrorPolicy.FAIL, job.created_by)
    await session.commit()
    return values


async def import_factors(job_handle: JobHandle, session: AsyncSession) -> None:
    """The `factors` job's work: import the held job's staged rows (see `import_staged`)."""
    await import_staged(job_handle, session, await _hold(job_handle, session))


async def _lock_values(job_handle: JobHandle, session: AsyncSession) -> None:
    """The values lock, exclusively: wait (without queueing ahead of entry writers) until no
    entry write that read the old values is still running."""
    tries = 0
    while not await factor_repository.try_lock_values_exclusive(session):
        tries += 1
        if tries % VALUES_LOCK_TRIES_PER_CHECK == 0:
            await job_handle.report_progress()  # still ours, not cancelled
        await asyncio.sleep(VALUES_LOCK_RETRY_SECONDS)


async def import_staged(job_handle: JobHandle, session: AsyncSession, job: FactorJob) -> None:
    """Validate the job's staged rows, write the good ones unless the policy fails the job,
    record its end and commit."""
    problems = await factor_import_repository.find_problems(
        session, job_id=job.id, cap=MAX_ROW_ERRORS
    )
    await job_handle.report_progress(rows_processed=job.rows_total)  # raises if cancelled
    too_heavy: list[int] = []
    if not (problems.total and job.fail_on_error):
        await _lock_values(job_handle, session)
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
        held = await job_handle.held_job(session)
        job_lifecycle.fail_for_invalid_rows(held, problems, rows_total=job.rows_total)
    else:
        held = await _write(job_handle, session, job, problems, too_heavy=too_heavy)
    await audit_service.record_import_end(session, held)
    await job_lifecycle.discard_staged(session, kind=held.target_type, job_id=held.id)
    await job_lifecycle.publish(session, held)
    await session.commit()


async def _write(
    job_handle: JobHandle,
    session: AsyncSession,
    job: FactorJob,
    problems: staging_repository.RowProblems,
    *,
    too_heavy: list[int],
) -> DataIngestionJob:
    """Write the valid rows (but those of `too_heavy` lines), queue the recalculation of the
    changed values, and end the job as succeeded; return it."""
    written = await factor_import_repository.upsert_valid(session, job_id=job.id, skipped=too_heavy)
    message = (
        f"Imported {written.valid} factors: {written.inserted} new, {written.updated} "
        f"changed, {written.valid - written.inserted - written.updated} unchanged"
    )
    if problems.bad_rows:
        message += f"; skipped {problems.bad_rows} invalid rows"
    # Under the values lock (exclusively), as every write here: see `queue_recalculation`.
    queued = await factor_service.queue_recalculation(
        session,
        factor_ids=written.value_changed,
        arrived_ids=written.added,
        created_by=job.created_by,
    )
    if written.value_changed:
        message += f"; {len(written.value_changed)} new values are being recalculated"
    if queued is not None and queued.params.get("arrived_factor_ids"):
        message += "; entries resting on an earlier year's factor are moving to the new ones"
    held = await job_handle.held_job(session)
    job_lifecycle.succeed_import(
        held,
        problems,
        message=message + ".",
        rows_processed=job.rows_total,
        rows_ok=written.valid,
        rows_failed=problems.bad_rows,
    )
    return held


class SourceFailed(Exception):
    """The factor source could not be fetched or served no usable CSV; `message` says which, for
    the job's users (never the URL or a credential)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# Opens the remote factors CSV as a stream of bytes, raising SourceFailed for a failure of the
# transport; the import runs inside it (app/jobs/factor_sync.py provides the HTTP one).
FactorSource = Callable[[], AbstractAsyncContextManager[AsyncIterator[bytes]]]


async def _stage(session: AsyncSession, *, job_id: UUID, chunks: AsyncIterator[bytes]) -> int:
    """Check the CSV's header and COPY its rows into staging under the job; the row count."""
    upload = CsvUpload(chunks, max_bytes=settings.IMPORT_MAX_BYTES)
    header = await upload.read_header(known=FACTOR_COLUMNS, required=FACTOR_REQUIRED)
    return await staging_repository.copy_rows(
        session,
        job_id=job_id,
        into=staging_repository.CopyFormat(factor_staging.name, header.columns, header.delimiter),
        data=upload.rows(),
    )


async def import_from_source(
    job_handle: JobHandle, session: AsyncSession, *, source: FactorSource
) -> None:
    """The `factor_sync` job's work: stream what `source` serves into staging under the held
    job and import it like an uploaded file, in one transaction. SourceFailed when the source
    failed: nothing is written, and the caller rolls back and records it (`job_lifecycle.fail`)."""
    job = await _hold(job_handle, session)
    try:
        async with source() as chunks:
            rows = await _stage(session, job_id=job.id, chunks=chunks)
    except (InvalidInput, PayloadTooLarge) as error:
        raise SourceFailed(
            f"The factor source did not serve a usable factors CSV: {error.detail}"
        ) from error
    if rows == 0:
        raise SourceFailed("The factor source served a header but no rows; nothing was imported.")
    await job_handle.report_progress(rows_total=rows)
    await import_staged(job_handle, session, replace(job, rows_total=rows))
