"""Year sign-off of a lab: status and transitions."""

from typing import Annotated
from uuid import UUID

from fastapi import Path

from app.api.deps import CurrentPrincipal, SessionDep
from app.api.router import Router
from app.core.errors import problem_responses
from app.models.factor import FIRST_YEAR, LAST_YEAR
from app.models.signoff import (
    YearAction,
    YearStatusPublic,
    YearTransitionRequest,
    YearTransitionWithReason,
)
from app.services import signoff as signoff_service

router = Router(tags=["sign-off"], responses=problem_responses(401, 403, 404))
TRANSITION_ERRORS = problem_responses(409)

YearPath = Annotated[int, Path(ge=FIRST_YEAR, le=LAST_YEAR)]
_YEAR = "/labs/{lab_id}/years/{year}"


@router.get(f"{_YEAR}/status")
async def get_year_status(
    lab_id: UUID, year: YearPath, principal: CurrentPrincipal, session: SessionDep
) -> YearStatusPublic:
    """A lab-year's sign-off state, its figures as signed (when validated) and its history."""
    return await signoff_service.get_year_status(
        session, principal=principal, lab_id=lab_id, year=year
    )


@router.post(f"{_YEAR}/submit", responses=TRANSITION_ERRORS)
async def submit_year(
    lab_id: UUID,
    year: YearPath,
    data: YearTransitionRequest,
    principal: CurrentPrincipal,
    session: SessionDep,
) -> YearStatusPublic:
    """Hand an open year in for validation; its figures stop changing (the lab's managers)."""
    return await signoff_service.transition_year(
        session, principal=principal, lab_id=lab_id, year=year, action=YearAction.SUBMIT, data=data
    )


@router.post(f"{_YEAR}/validate", responses=TRANSITION_ERRORS)
async def validate_year(
    lab_id: UUID,
    year: YearPath,
    data: YearTransitionRequest,
    principal: CurrentPrincipal,
    session: SessionDep,
) -> YearStatusPublic:
    """Validate a submitted year; its figures are stored as signed (admins)."""
    return await signoff_service.transition_year(
        session,
        principal=principal,
        lab_id=lab_id,
        year=year,
        action=YearAction.VALIDATE,
        data=data,
    )


@router.post(f"{_YEAR}/send-back", responses=TRANSITION_ERRORS)
async def send_back_year(
    lab_id: UUID,
    year: YearPath,
    data: YearTransitionWithReason,
    principal: CurrentPrincipal,
    session: SessionDep,
) -> YearStatusPublic:
    """Send a submitted year back to the lab, open again, with a reason (admins)."""
    return await signoff_service.transition_year(
        session,
        principal=principal,
        lab_id=lab_id,
        year=year,
        action=YearAction.SEND_BACK,
        data=data,
    )


@router.post(f"{_YEAR}/reopen", responses=TRANSITION_ERRORS)
async def reopen_year(
    lab_id: UUID,
    year: YearPath,
    data: YearTransitionWithReason,
    principal: CurrentPrincipal,
    session: SessionDep,
) -> YearStatusPublic:
    """Reopen a validated year, with a reason; its signed figures are dropped (admins)."""
    return await signoff_service.transition_year(
        session, principal=principal, lab_id=lab_id, year=year, action=YearAction.REOPEN, data=data
    )
