"""A lab's headcount: FTE per year and staff category."""

from typing import Annotated
from uuid import UUID

from fastapi import Path, Query, status
from pydantic import BaseModel, Field

from app.api.deps import CurrentPrincipal, SessionDep
from app.api.router import Router
from app.api.routes.imports import BINARY, UploadedFile, form_body
from app.core.errors import problem_responses
from app.models.factor import FIRST_YEAR, LAST_YEAR
from app.models.headcount import HeadcountReplace, HeadcountYearPublic
from app.services import headcount as headcount_service

router = Router(tags=["headcount"], responses=problem_responses(401, 403, 404))

YearPath = Annotated[int, Path(ge=FIRST_YEAR, le=LAST_YEAR)]


@router.get("/labs/{lab_id}/headcount")
async def list_headcount(
    lab_id: UUID,
    principal: CurrentPrincipal,
    session: SessionDep,
    year: Annotated[
        int | None, Query(ge=FIRST_YEAR, le=LAST_YEAR, description="Default: every year")
    ] = None,
) -> list[HeadcountYearPublic]:
    """A lab's FTE by staff category, of one year or of every year recorded."""
    return await headcount_service.list_headcount(
        session, principal=principal, lab_id=lab_id, year=year
    )


@router.get("/labs/{lab_id}/headcount/{year}")
async def get_headcount(
    lab_id: UUID, year: YearPath, principal: CurrentPrincipal, session: SessionDep
) -> HeadcountYearPublic:
    """A lab-year's FTE by staff category (404 when none is recorded)."""
    return await headcount_service.get_headcount(
        session, principal=principal, lab_id=lab_id, year=year
    )


@router.put("/labs/{lab_id}/headcount/{year}", responses=problem_responses(409))
async def replace_headcount(
    lab_id: UUID,
    year: YearPath,
    data: HeadcountReplace,
    principal: CurrentPrincipal,
    session: SessionDep,
) -> HeadcountYearPublic:
    """Replace a year's FTE by staff category, all at once (managers)."""
    return await headcount_service.replace_headcount(
        session, principal=principal, lab_id=lab_id, year=year, data=data
    )


class Body_importHeadcount(BaseModel):  # noqa: N801 - the component name FastAPI would give
    file: Annotated[
        bytes,
        BINARY,
        Field(
            title="File",
            description="CSV, UTF-8, `,` or `;` separated, header row first: `year`, "
            "`category`, `fte` (a row per staff category and year)",
        ),
    ]


@router.post(
    "/labs/{lab_id}/headcount",
    responses=problem_responses(409, 413, 422),
    openapi_extra=form_body(Body_importHeadcount),
)
async def import_headcount(
    lab_id: UUID,
    file: UploadedFile,
    principal: CurrentPrincipal,
    session: SessionDep,
) -> list[HeadcountYearPublic]:
    """Replace the years a headcount CSV names, all or none (managers)."""
    return await headcount_service.import_headcount(
        session, principal=principal, lab_id=lab_id, file=file
    )


@router.delete(
    "/labs/{lab_id}/headcount/{year}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(409),
)
async def delete_headcount(
    lab_id: UUID, year: YearPath, principal: CurrentPrincipal, session: SessionDep
) -> None:
    """Remove a year's headcount (managers)."""
    await headcount_service.delete_headcount(session, principal=principal, lab_id=lab_id, year=year)
