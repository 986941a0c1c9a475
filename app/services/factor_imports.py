"""Emission-factor imports (admins): an uploaded CSV is staged here, in the request's transaction;
a sync is queued here and fetches its CSV in the job. Both are then imported by the same job code
(app/jobs/factors.py)."""

from urllib.parse import urlsplit

from sqlmodel.ext.asyncio.session import AsyncSession

from app.config import settings
from app.core.errors import NotConfigured
from app.core.multipart_stream import StreamedFile
from app.core.pagination import Page
from app.core.rate_limit import RateLimiter
from app.models.job import DataIngestionJob, ErrorPolicy, JobKind
from app.models.staging import FACTOR_COLUMNS, FACTOR_REQUIRED, factor_staging
from app.services import imports as import_service
from app.services.auth import Principal
from app.services.authz import Action, authorize


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
    session: AsyncSession, *, principal: Principal, limit: int, cursor: str | None
) -> Page[DataIngestionJob]:
    """The jobs of no lab — factor imports, syncs, recalculations — newest first."""
    authorize(principal.user, Action.MANAGE_FACTORS)
    return await import_service.page_of_jobs(session, lab_id=None, limit=limit, cursor=cursor)
