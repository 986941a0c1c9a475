"""The `factor_sync` job: fetch the factors CSV at `FACTOR_SYNC_URL` and import it like an
uploaded one, in the job's one transaction (`factor_imports.import_from_source` does the import).

The HTTP client stays here, in the layer of adapters to the outside world beside `app/api`:
services know no HTTP. The response is streamed straight into the staging table (never held
whole), with the same header checks and size cap as an upload. `GITHUB_TOKEN`, when set, goes as
a bearer token (httpx drops it on a redirect to another host). A failed fetch — an HTTP error
status, a timeout, a file too large, not UTF-8 or not a factors CSV — fails the job with a message
saying which; it is not retried, and nothing is written. Neither the token nor the URL is logged
here.
"""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx

from app.config import settings
from app.jobs.context import JobContext
from app.services import factor_imports as factor_import_service
from app.services import job_lifecycle
from app.services.factor_imports import SourceFailed

CHUNK_BYTES = 256 * 1024
ACCEPT = "text/csv, text/plain;q=0.9, */*;q=0.1"


def request_headers() -> dict[str, str]:
    headers = {"Accept": ACCEPT}
    if settings.GITHUB_TOKEN is not None and settings.GITHUB_TOKEN.get_secret_value():
        headers["Authorization"] = f"Bearer {settings.GITHUB_TOKEN.get_secret_value()}"
    return headers


@asynccontextmanager
async def fetch_source() -> AsyncIterator[AsyncIterator[bytes]]:
    """The body of `FACTOR_SYNC_URL`, streamed; the import runs inside, under the same timeout.
    A failure of the fetch raises SourceFailed."""
    url = settings.FACTOR_SYNC_URL
    if not url:
        raise SourceFailed("Factor sync is not configured (FACTOR_SYNC_URL is not set).")
    seconds = settings.FACTOR_SYNC_TIMEOUT_SECONDS
    try:
        async with (
            asyncio.timeout(seconds),
            httpx.AsyncClient(timeout=seconds, follow_redirects=True) as http,
            http.stream("GET", url, headers=request_headers()) as response,
        ):
            if response.status_code != httpx.codes.OK:
                raise SourceFailed(
                    f"The factor source answered HTTP {response.status_code} "
                    f"({response.reason_phrase or 'no reason'}); nothing was imported."
                )
            yield response.aiter_bytes(CHUNK_BYTES)
    except (TimeoutError, httpx.TimeoutException) as error:
        raise SourceFailed(
            f"The factor source did not answer in full within {seconds:g} s; nothing was imported."
        ) from error
    except httpx.HTTPError as error:
        # The class only: an httpx message may quote the URL, which may hold a credential.
        raise SourceFailed(
            f"The factor source could not be fetched ({type(error).__name__}); "
            "nothing was imported."
        ) from error


async def run_factor_sync(context: JobContext) -> None:
    try:
        async with context.sessions() as session:
            await factor_import_service.import_from_source(context, session, source=fetch_source)
    except SourceFailed as failure:  # leaving the session rolled back whatever was staged
        async with context.sessions() as session:
            await job_lifecycle.fail(context, session, message=failure.message)
