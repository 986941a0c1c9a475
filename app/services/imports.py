"""CSV imports: uploads are checked and staged here, in the request's transaction; a background
job validates the rows and writes them (activity_imports.py, factor_imports.py). Jobs of a lab
follow the lab's rights; jobs of no lab (factor imports, sync, recalculation) are the admins'."""

from collections.abc import Sequence
from datetime import datetime
from pathlib import PurePosixPath, PureWindowsPath
from uuid import UUID

from sqlalchemy import Table
from sqlmodel.ext.asyncio.session import AsyncSession

from app.config import settings
from app.core.csv_upload import CsvUpload, Required
from app.core.errors import Conflict, InvalidInput, NotFound, RateLimited
from app.core.multipart_stream import StreamedFile
from app.core.pagination import Page, decode_cursor, page_of
from app.core.rate_limit import RateLimiter
from app.db.statements import Reads
from app.models.audit import AuditAction
from app.models.job import (
    ACTIVE_STATES,
    FACTOR_JOB_KINDS,
    DataIngestionJob,
    ErrorPolicy,
    JobKind,
    JobState,
    JobStatus,
)
from app.models.staging import ACTIVITY_COLUMNS, activity_required, activity_staging
from app.repositories import activity_import as activity_import_repository
from app.repositories import job as job_repository
from app.repositories import lab as lab_repository
from app.repositories import staging as staging_repository
from app.services import audit as audit_service
from app.services import job_lifecycle
from app.services import signoff as signoff_service
from app.services.auth import Principal
from app.services.authz import Action, LabAction, is_allowed
from app.services.labs import load_lab, read_lab

RETRY_WHEN_BUSY_SECONDS = 30


def clean_filename(filename: str | None) -> str | None:
    """The file's own name (no client path), without NULs, at most 255 characters."""
    if not filename:
        return None
    name = PureWindowsPath(PurePosixPath(filename).name).name.replace("\x00", "")
    return name[:255] or None


async def hit_user_limit(limiter: RateLimiter, principal: Principal) -> None:
    """Count one upload, sync or recalculation against the caller's rate limit."""
    await limiter.hit(settings.IMPORT_RATE_LIMIT_PER_USER, "imports-user", str(principal.user.id))


async def check_limits(
    session: AsyncSession, *, principal: Principal, limiter: RateLimiter, lab_id: UUID | None
) -> None:
    """The per-user rate limit, then a first look at the cap on active jobs: of the lab, or
    (`lab_id` None) of factor imports and syncs together. It refuses a busy lab before the file
    is read; `queue` enforces the cap under a lock."""
    await hit_user_limit(limiter, principal)
    await _refuse_beyond(session, lab_id=lab_id, most=settings.JOB_MAX_ACTIVE_PER_LAB - 1)


async def _refuse_beyond(session: AsyncSession, *, lab_id: UUID | None, most: int) -> None:
    """RateLimited when more than `most` jobs of the lab (None: factor imports and syncs) are
    queued or running."""
    if lab_id is None:
        active = await job_repository.count_active_unassigned(session, kinds=FACTOR_JOB_KINDS)
        whose = "Factor imports and syncs"
    else:
        active = await job_repository.count_active_for_lab(session, lab_id=lab_id)
        whose = "This lab"
    if active > most:
        raise RateLimited(
            RETRY_WHEN_BUSY_SECONDS,
            f"{whose} already has {settings.JOB_MAX_ACTIVE_PER_LAB} jobs queued or running; "
            "retry when one has ended.",
        )


async def queue(session: AsyncSession, job: DataIngestionJob) -> DataIngestionJob:
    """Add the job and wake the runners once the transaction commits. A capped job (of a lab, or
    a factor import or sync) is counted under the cap's lock, held until the request commits, so
    racing requests cannot all pass the cap (recalculations are never refused)."""
    job.params = audit_service.request_params() | job.params  # for the job's audit event
    await job_repository.add(session, job=job)
    if job.lab_id is not None or job.target_type in FACTOR_JOB_KINDS:
        await job_repository.lock_active_count(session, lab_id=job.lab_id)
        # This job is flushed, so it is among those counted.
        await _refuse_beyond(session, lab_id=job.lab_id, most=settings.JOB_MAX_ACTIVE_PER_LAB)
    await job_repository.notify(session, job_repository.QUEUED_CHANNEL, str(job.id))
    await job_lifecycle.publish(session, job)
    return job


async def stage_and_queue(
    session: AsyncSession,
    *,
    job: DataIngestionJob,
    file: StreamedFile,
    table: Table,
    known: Sequence[str],
    required: Required,
) -> DataIngestionJob:
    """Read the uploaded file (the caller has authorized the upload and checked its limits):
    check the CSV's header, COPY its rows into the staging `table` under the job, and queue the
    job; a bad file raises before anything is committed."""
    job.filename = clean_filename(await file.open())
    upload = CsvUpload(file.chunks(), max_bytes=settings.IMPORT_MAX_BYTES)
    header = await upload.read_header(known=known, required=required)
    if job.lab_id is not None and not await lab_repository.hold(session, lab_id=job.lab_id):
        # Deleted since it was authorized (its job would be a foreign-key violation, a 500); a
        # delete that comes after this waits for the upload and then refuses (409).
        raise NotFound("No such lab.")
    await job_repository.add(session, job=job)
    rows = await staging_repository.copy_rows(
        session,
        job_id=job.id,
        into=staging_repository.CopyFormat(table.name, header.columns, header.delimiter),
        data=upload.rows(),
    )
    if rows == 0:
        raise InvalidInput("The file has a header but no rows.")
    job.rows_total = rows
    return await queue(session, job)


async def upload_activities(
    session: AsyncSession,
    *,
    principal: Principal,
    limiter: RateLimiter,
    lab_id: UUID,
    file: StreamedFile,
    on_error: ErrorPolicy,
) -> DataIngestionJob:
    """Stage an activities CSV of a lab and queue its import (contributors, managers); the file
    is read only once the caller may upload it."""
    lab, _ = await load_lab(session, principal, lab_id, LabAction.WRITE_ENTRIES)
    await check_limits(session, principal=principal, limiter=limiter, lab_id=lab.id)
    job = DataIngestionJob(
        target_type=JobKind.ACTIVITIES,
        lab_id=lab.id,
        created_by=principal.user.id,
        on_error=on_error,
    )
    return await stage_and_queue(
        session,
        job=job,
        file=file,
        table=activity_staging,
        known=ACTIVITY_COLUMNS,
        required=activity_required,
    )


async def _load_job(
    session: AsyncSession,
    principal: Principal,
    job_id: UUID,
    action: LabAction,
    *,
    for_update: bool = False,
) -> DataIngestionJob:
    if for_update:
        # Locks in the order a lab's delete takes them: the lab's row, then (its cascade) its
        # entries and jobs. An undo that locked its job first, then deleted the lab's entries,
        # could deadlock with it. A lab gone meanwhile took the job with it (404 below).
        lab_id = await job_repository.lab_of(session, job_id)
        if lab_id is not None:
            await lab_repository.hold(session, lab_id=lab_id)
    job = await job_repository.get(session, job_id, for_update=for_update)
    if job is None:
        raise NotFound("No such import.")
    try:
        if job.lab_id is not None:
            await load_lab(session, principal, job.lab_id, action)
        elif not is_allowed(principal.user, Action.MANAGE_FACTORS):
            # Jobs of no lab (factor imports, syncs, recalculations) are invisible to
            # non-admins, as a lab's are to non-members.
            raise NotFound("No such import.")
    except NotFound as error:
        raise NotFound("No such import.") from error
    return job


async def get_import(
    session: AsyncSession, *, principal: Principal, job_id: UUID
) -> DataIngestionJob:
    return await _load_job(session, principal, job_id, LabAction.VIEW)


async def list_lab_imports(
    reads: Reads,
    *,
    principal: Principal,
    lab_id: UUID,
    limit: int,
    cursor: str | None,
) -> Page[JobStatus]:
    await read_lab(reads, principal, lab_id, LabAction.VIEW)
    return await page_of_jobs(reads, lab_id=lab_id, limit=limit, cursor=cursor)


async def page_of_jobs(
    reads: Reads, *, lab_id: UUID | None, limit: int, cursor: str | None
) -> Page[JobStatus]:
    """A page of the jobs of `lab_id` (None: the jobs of no lab), newest first."""
    rows = await job_repository.list_page(
        reads,
        lab_id=lab_id,
        limit=limit,
        after=decode_cursor(cursor, (datetime, UUID)),
    )
    return page_of(rows, limit=limit, key_of=lambda job: (job.created_at, job.id))


async def cancel_import(
    session: AsyncSession, *, principal: Principal, job_id: UUID
) -> DataIngestionJob:
    """A queued job is cancelled at once; a running one stops at its next batch and writes
    nothing."""
    job = await _load_job(session, principal, job_id, LabAction.WRITE_ENTRIES, for_update=True)
    if job.state not in ACTIVE_STATES:
        raise Conflict(f"The import has already ended ({job.state.value}).")
    if job.target_type is JobKind.RECALCULATE:
        # Stored kg CO2e would stay stale until the next change of those factors.
        raise Conflict("A recalculation cannot be cancelled.")
    if job.state is JobState.QUEUED:
        job_lifecycle.finish(job, JobState.CANCELLED, message=job_lifecycle.CANCELLED_QUEUED)
    else:
        job.cancel_requested = True
    await audit_service.record(
        session,
        principal,
        AuditAction.IMPORT_CANCELLED,
        object_id=job.id,
        lab_id=job.lab_id,
        changes=audit_service.updated(job),
    )
    await job_lifecycle.publish(session, job)
    return job


async def delete_import(session: AsyncSession, *, principal: Principal, job_id: UUID) -> int:
    """Undo an activities import: remove exactly the entries it created, and the job. Returns
    how many entries went."""
    job = await _load_job(session, principal, job_id, LabAction.WRITE_ENTRIES, for_update=True)
    if job.target_type is not JobKind.ACTIVITIES:
        raise Conflict("Only activity imports can be undone.")
    if job.state in ACTIVE_STATES:
        raise Conflict("The import is still queued or running: cancel it first.")
    if job.lab_id is not None:
        await signoff_service.check_undo(session, lab_id=job.lab_id, job_id=job.id)
    await audit_service.record_import(session, job, AuditAction.IMPORT_UNDONE, principal=principal)
    removed = await activity_import_repository.delete_entries_of_import(session, job_id=job.id)
    await job_repository.delete(session, job=job)
    return removed
