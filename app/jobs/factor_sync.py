"""The `factor_sync` job: fetch the factors CSV at `FACTOR_SYNC_URL` and import it like an
uploaded one, in the job's one transaction.

The response is streamed straight into the staging table (never held whole), with the same header
checks and size cap as an upload. `GITHUB_TOKEN`, when set, goes as a bearer token (httpx drops it
on a redirect to another host). A failed fetch — an HTTP error status, a timeout, a file too
large, not UTF-8 or not a factors CSV — fails the job with a message saying which; it is not
retried, and nothing is written. Neither the token nor the URL is logged here.
"""

import asyncio
from dataclasses import replace

import httpx
from sqlmodel.ext.asyncio.session import AsyncSession

from app.config import settings
from app.core.csv_upload import CsvUpload
from app.core.errors import InvalidInput, PayloadTooLarge
from app.jobs.context import JobContext
from app.jobs.factors import FactorJob, hold, import_staged
from app.models.job import JobState
from app.models.staging import FACTOR_COLUMNS, FACTOR_REQUIRED, factor_staging
from app.repositories import staging as staging_repository
from app.services import job_lifecycle

CHUNK_BYTES = 256 * 1024
ACCEPT = "text/csv, text/plain;q=0.9, */*;q=0.1"


class SyncFailed(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def request_headers() -> dict[str, str]:
    headers = {"Accept": ACCEPT}
    if settings.GITHUB_TOKEN is not None and settings.GITHUB_TOKEN.get_secret_value():
        headers["Authorization"] = f"Bearer {settings.GITHUB_TOKEN.get_secret_value()}"
    return headers


async def _stage(session: AsyncSession, job: FactorJob, response: httpx.Response) -> int:
    upload = CsvUpload(response.aiter_bytes(CHUNK_BYTES), max_bytes=settings.IMPORT_MAX_BYTES)
    header = await upload.read_header(known=FACTOR_COLUMNS, required=FACTOR_REQUIRED)
    return await staging_repository.copy_rows(
        session,
        job_id=job.id,
        into=staging_repository.CopyFormat(factor_staging.name, header.columns, header.delimiter),
        data=upload.rows(),
    )


async def fetch_and_stage(session: AsyncSession, job: FactorJob) -> int:
    """Stream the source into staging under the job; return the row count or raise SyncFailed."""
    url = settings.FACTOR_SYNC_URL
    if not url:
        raise SyncFailed("Factor sync is not configured (FACTOR_SYNC_URL is not set).")
    seconds = settings.FACTOR_SYNC_TIMEOUT_SECONDS
    try:
        async with (
            asyncio.timeout(seconds),
            httpx.AsyncClient(timeout=seconds, follow_redirects=True) as http,
            http.stream("GET", url, headers=request_headers()) as response,
        ):
            if response.status_code != httpx.codes.OK:
                raise SyncFailed(
                    f"The factor source answered HTTP {response.status_code} "
                    f"({response.reason_phrase or 'no reason'}); nothing was imported."
                )
            rows = await _stage(session, job, response)
    except (TimeoutError, httpx.TimeoutException) as error:
        raise SyncFailed(
            f"The factor source did not answer in full within {seconds:g} s; nothing was imported."
        ) from error
    except httpx.HTTPError as error:
        # The class only: an httpx message may quote the URL, which may hold a credential.
        raise SyncFailed(
            f"The factor source could not be fetched ({type(error).__name__}); "
            "nothing was imported."
        ) from error
    except (InvalidInput, PayloadTooLarge) as error:
        raise SyncFailed(
            f"The factor source did not serve a usable factors CSV: {error.detail}"
        ) from error
    if rows == 0:
        raise SyncFailed("The factor source served a header but no rows; nothing was imported.")
    return rows


async def _record_failure(context: JobContext, message: str) -> None:
    async with context.sessions() as session:
        job = await context.held_job(session)
        job_lifecycle.finish(job, JobState.FAILED, message=message)
        await job_lifecycle.publish(session, job)
        await session.commit()


async def run_factor_sync(context: JobContext) -> None:
    failure: str | None = None
    async with context.sessions() as session:
        job = await hold(context, session)
        try:
            rows = await fetch_and_stage(session, job)
        except SyncFailed as error:
            failure = error.message
        else:
            await context.report_progress(rows_total=rows)
            await import_staged(context, session, replace(job, rows_total=rows))
    if failure is not None:  # the session above rolled back whatever was staged
        await _record_failure(context, failure)
