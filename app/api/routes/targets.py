"""Reduction targets of a lab and of the institution, and their progress."""

from uuid import UUID

from fastapi import status

from app.api.deps import CurrentPrincipal, SessionDep
from app.api.router import Router
from app.core.errors import problem_responses
from app.models.target import (
    InstitutionTargetProgress,
    InstitutionTargetPublic,
    TargetProgress,
    TargetPublic,
    TargetPut,
)
from app.services import targets as target_service

router = Router(tags=["targets"], responses=problem_responses(401, 403, 404))


@router.get("/labs/{lab_id}/target")
async def get_target(
    lab_id: UUID, principal: CurrentPrincipal, session: SessionDep
) -> TargetPublic:
    """The lab's reduction target (404 when it has none)."""
    return await target_service.get_target(session, principal=principal, lab_id=lab_id)


@router.put("/labs/{lab_id}/target")
async def replace_target(
    lab_id: UUID, data: TargetPut, principal: CurrentPrincipal, session: SessionDep
) -> TargetPublic:
    """Set the lab's reduction target, replacing any other (managers)."""
    return await target_service.replace_target(
        session, principal=principal, lab_id=lab_id, data=data
    )


@router.delete("/labs/{lab_id}/target", status_code=status.HTTP_204_NO_CONTENT)
async def delete_target(lab_id: UUID, principal: CurrentPrincipal, session: SessionDep) -> None:
    """Remove the lab's reduction target (managers)."""
    await target_service.delete_target(session, principal=principal, lab_id=lab_id)


@router.get("/labs/{lab_id}/target/progress")
async def get_target_progress(
    lab_id: UUID, principal: CurrentPrincipal, session: SessionDep
) -> TargetProgress:
    """The target's linear path and the actual totals, every year from the baseline to the
    target year (without a target: `target` null, no years)."""
    return await target_service.target_progress(session, principal=principal, lab_id=lab_id)


@router.get("/institution/target")
async def get_institution_target(
    principal: CurrentPrincipal, session: SessionDep
) -> InstitutionTargetPublic:
    """The institution's reduction target (admins; 404 when there is none)."""
    return await target_service.get_institution_target(session, principal=principal)


@router.put("/institution/target")
async def replace_institution_target(
    data: TargetPut, principal: CurrentPrincipal, session: SessionDep
) -> InstitutionTargetPublic:
    """Set the institution's reduction target, replacing any other (admins)."""
    return await target_service.replace_institution_target(session, principal=principal, data=data)


@router.delete("/institution/target", status_code=status.HTTP_204_NO_CONTENT)
async def delete_institution_target(principal: CurrentPrincipal, session: SessionDep) -> None:
    """Remove the institution's reduction target (admins)."""
    await target_service.delete_institution_target(session, principal=principal)


@router.get("/institution/target/progress")
async def get_institution_target_progress(
    principal: CurrentPrincipal, session: SessionDep
) -> InstitutionTargetProgress:
    """The institution's linear path and the sum of every lab's total, every year from the
    baseline to the target year (admins; 404 without a target)."""
    return await target_service.institution_target_progress(session, principal=principal)
