"""A lab's headcount: FTE per year and staff category."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path, Query, status

from app.api.deps import CurrentPrincipal, SessionDep
from app.core.errors import problem_responses
from app.models.factor import FIRST_YEAR, LAST_YEAR
from app.models.headcount import HeadcountReplace, HeadcountYearPublic
from app.services import headcount as headcount_service

router = APIRouter(tags=["headcount"], responses=problem_responses(401, 403, 404))

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
