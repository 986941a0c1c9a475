"""CSV imports (activities of a lab; emission factors, uploaded or synced) and their background
jobs."""

from typing import Annotated, Any
from uuid import UUID

from fastapi import Depends, Query, Request, status
from pydantic import BaseModel, Field, WithJsonSchema

from app.api.deps import CurrentPrincipal, PoolDep, RateLimiterDep, SessionDep
from app.api.router import Router
from app.core.errors import problem_responses
from app.core.multipart_stream import StreamedFile
from app.core.pagination import DEFAULT_LIMIT, CursorQuery, LimitQuery, Page
from app.models.job import DataIngestionJob, ErrorPolicy, JobPage, JobPublic, JobStatus
from app.services import factor_imports as factor_import_service
from app.services import imports as import_service

router = Router(tags=["imports"], responses=problem_responses(401, 403, 404))

ACTIVITIES_CSV = (
    "CSV, UTF-8 (BOM allowed), `,` or `;` separated, header row first: "
    "`date` (YYYY-MM-DD or YYYY-MM), `factor_key`, `quantity`, optional `unit`, `note`"
)
FACTORS_CSV = (
    "CSV, UTF-8 (BOM allowed), `,` or `;` separated, header row first: `key`, "
    "`category`, `unit`, `kg_co2e_per_unit`, `scope`, `year`, optional `region`, `source`"
)
BINARY = WithJsonSchema({"type": "string", "contentMediaType": "application/octet-stream"})


# The upload bodies are read by the services, after authorization (app/core/multipart_stream.py),
# so FastAPI does not see them as parameters; these models describe them in the spec, under the
# component names FastAPI gave them when it read the form itself.
class Body_uploadActivities(BaseModel):  # noqa: N801
    file: Annotated[bytes, BINARY, Field(title="File", description=ACTIVITIES_CSV)]


class Body_uploadFactors(BaseModel):  # noqa: N801
    file: Annotated[bytes, BINARY, Field(title="File", description=FACTORS_CSV)]


UPLOAD_MODELS: tuple[type[BaseModel], ...] = (Body_uploadActivities, Body_uploadFactors)


def form_body(model: type[BaseModel]) -> dict[str, Any]:
    schema = {"$ref": f"#/components/schemas/{model.__name__}"}
    return {
        "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": schema}}}
    }


def _streamed_file(request: Request) -> StreamedFile:
    return StreamedFile(
        request.stream(), content_type=request.headers.get("content-type"), field="file"
    )


# The upload's file field, unread: the service reads it once the caller may upload.
UploadedFile = Annotated[StreamedFile, Depends(_streamed_file)]
UPLOAD_ERRORS = problem_responses(413, 422, 429)


OnError = Annotated[
    ErrorPolicy,
    Query(description="`fail`: any bad row fails the import; `skip`: bad rows are left out"),
]


def _page(page: Page[JobStatus]) -> JobPage:
    return JobPage(items=page.items, next_cursor=page.next_cursor)


def _public(job: DataIngestionJob) -> JobPublic:
    return JobPublic.model_validate(job, from_attributes=True)


@router.post(
    "/labs/{lab_id}/imports",
    status_code=status.HTTP_202_ACCEPTED,
    responses=UPLOAD_ERRORS,
    openapi_extra=form_body(Body_uploadActivities),
)
async def upload_activities(
    lab_id: UUID,
    file: UploadedFile,
    principal: CurrentPrincipal,
    session: SessionDep,
    limiter: RateLimiterDep,
    on_error: OnError = ErrorPolicy.FAIL,
) -> JobPublic:
    """Upload a CSV of activities (contributors, managers); it is imported in the background."""
    job = await import_service.upload_activities(
        session,
        principal=principal,
        limiter=limiter,
        lab_id=lab_id,
        file=file,
        on_error=on_error,
    )
    return _public(job)


@router.post(
    "/factors/imports",
    status_code=status.HTTP_202_ACCEPTED,
    responses=UPLOAD_ERRORS,
    openapi_extra=form_body(Body_uploadFactors),
)
async def upload_factors(
    file: UploadedFile,
    principal: CurrentPrincipal,
    session: SessionDep,
    limiter: RateLimiterDep,
    on_error: OnError = ErrorPolicy.FAIL,
) -> JobPublic:
    """Upload a CSV of emission factors (admins); it is imported in the background."""
    job = await factor_import_service.upload_factors(
        session,
        principal=principal,
        limiter=limiter,
        file=file,
        on_error=on_error,
    )
    return _public(job)


@router.post(
    "/factors/sync",
    status_code=status.HTTP_202_ACCEPTED,
    responses=problem_responses(409, 429),
)
async def sync_factors(
    principal: CurrentPrincipal,
    session: SessionDep,
    limiter: RateLimiterDep,
    on_error: OnError = ErrorPolicy.FAIL,
) -> JobPublic:
    """Fetch the factors CSV at `FACTOR_SYNC_URL` and import it in the background (admins).

    409 (`not-configured`) when the server has no `FACTOR_SYNC_URL`. The fetch sends
    `GITHUB_TOKEN` as a bearer token when set; its failures (HTTP error, timeout, too large,
    not a factors CSV) fail the job.
    """
    job = await factor_import_service.sync_factors(
        session, principal=principal, limiter=limiter, on_error=on_error
    )
    return _public(job)


@router.get("/factors/imports")
async def list_factor_jobs(
    principal: CurrentPrincipal,
    pool: PoolDep,
    limit: LimitQuery = DEFAULT_LIMIT,
    cursor: CursorQuery = None,
) -> JobPage:
    """Factor imports, syncs and recalculations (admins), newest first."""
    page = await factor_import_service.list_factor_jobs(
        pool, principal=principal, limit=limit, cursor=cursor
    )
    return _page(page)


@router.get("/labs/{lab_id}/imports")
async def list_lab_imports(
    lab_id: UUID,
    principal: CurrentPrincipal,
    pool: PoolDep,
    limit: LimitQuery = DEFAULT_LIMIT,
    cursor: CursorQuery = None,
) -> JobPage:
    """A lab's imports, newest first."""
    page = await import_service.list_lab_imports(
        pool, principal=principal, lab_id=lab_id, limit=limit, cursor=cursor
    )
    return _page(page)


@router.get("/imports/{job_id}")
async def get_import(job_id: UUID, principal: CurrentPrincipal, session: SessionDep) -> JobPublic:
    """An import with its row errors."""
    return _public(await import_service.get_import(session, principal=principal, job_id=job_id))


@router.get("/imports/{job_id}/status")
async def get_import_status(
    job_id: UUID, principal: CurrentPrincipal, session: SessionDep
) -> JobStatus:
    """An import's state and row counts (cheap to poll)."""
    job = await import_service.get_import(session, principal=principal, job_id=job_id)
    return JobStatus.model_validate(job, from_attributes=True)


@router.post("/imports/{job_id}/cancel", responses=problem_responses(409))
async def cancel_import(
    job_id: UUID, principal: CurrentPrincipal, session: SessionDep
) -> JobStatus:
    """Cancel a queued or running import (contributors, managers); nothing of it is written."""
    job = await import_service.cancel_import(session, principal=principal, job_id=job_id)
    return JobStatus.model_validate(job, from_attributes=True)


@router.delete(
    "/imports/{job_id}", status_code=status.HTTP_204_NO_CONTENT, responses=problem_responses(409)
)
async def delete_import(job_id: UUID, principal: CurrentPrincipal, session: SessionDep) -> None:
    """Undo an ended import (contributors, managers): removes exactly the entries it created."""
    await import_service.delete_import(session, principal=principal, job_id=job_id)
