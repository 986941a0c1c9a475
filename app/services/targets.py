"""Reduction targets of a lab or of the institution, and their progress: a linear path from the
baseline year's total to the target, and the actual total of every year beside it
(docs/targets.md)."""

from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from uuid import UUID

from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.errors import NotFound
from app.models.audit import AuditAction
from app.models.target import (
    InstitutionTargetProgress,
    InstitutionTargetPublic,
    ProgressFigures,
    Target,
    TargetProgress,
    TargetPublic,
    TargetPut,
    TargetYear,
)
from app.repositories import report as report_repository
from app.repositories import target as target_repository
from app.services import audit as audit_service
from app.services.auth import Principal
from app.services.authz import Action, LabAction, authorize
from app.services.labs import hold_lab, load_lab

PATH_STEP = Decimal("0.001")  # kg CO2e: the path is given to the gram, half-even
NO_TARGET = "This lab has no reduction target."
NO_INSTITUTION_TARGET = "The institution has no reduction target."
INSTITUTION = "institution"  # the audit trail's object id of the institution's target


async def _stored(session: AsyncSession, lab_id: UUID | None) -> Target:
    target = await target_repository.get(session, lab_id=lab_id)
    if target is None:
        raise NotFound(NO_TARGET if lab_id is not None else NO_INSTITUTION_TARGET)
    return target


async def get_target(session: AsyncSession, *, principal: Principal, lab_id: UUID) -> TargetPublic:
    await load_lab(session, principal, lab_id, LabAction.VIEW)
    return TargetPublic.model_validate(await _stored(session, lab_id))


async def _writable(session: AsyncSession, principal: Principal, lab_id: UUID) -> None:
    await load_lab(session, principal, lab_id, LabAction.WRITE_TARGETS)
    await hold_lab(session, lab_id=lab_id)


async def replace_target(
    session: AsyncSession, *, principal: Principal, lab_id: UUID, data: TargetPut
) -> TargetPublic:
    """Make `data` the lab's target (creating it or replacing the one there was)."""
    await _writable(session, principal, lab_id)
    return TargetPublic.model_validate(await _replace(session, principal, lab_id, data))


async def delete_target(session: AsyncSession, *, principal: Principal, lab_id: UUID) -> None:
    """Remove the lab's target (nothing to remove is not an error)."""
    await _writable(session, principal, lab_id)
    await _delete(session, principal, lab_id)


async def _replace(
    session: AsyncSession, principal: Principal, lab_id: UUID | None, data: TargetPut
) -> Target:
    """Store `data` as the target of a lab (None: the institution's), with its audit event;
    the caller has authorized the change."""
    before = audit_service.snapshot(await target_repository.get(session, lab_id=lab_id))
    await target_repository.replace(session, lab_id=lab_id, target=data)
    stored = await _stored(session, lab_id)
    await audit_service.record(
        session,
        principal,
        AuditAction.TARGET_REPLACED,
        object_id=INSTITUTION if lab_id is None else lab_id,
        lab_id=lab_id,
        changes=audit_service.diff(before, audit_service.snapshot(stored)),
    )
    return stored


async def _delete(session: AsyncSession, principal: Principal, lab_id: UUID | None) -> None:
    """Remove the target of a lab (None: the institution's), with its audit event; the caller
    has authorized the change."""
    before = audit_service.snapshot(await target_repository.get(session, lab_id=lab_id))
    await audit_service.record(
        session,
        principal,
        AuditAction.TARGET_DELETED,
        object_id=INSTITUTION if lab_id is None else lab_id,
        lab_id=lab_id,
        changes=audit_service.diff(before, {}),
    )
    await target_repository.delete_for_lab(session, lab_id=lab_id)


def path_kg(baseline_kg: Decimal, target: TargetPut | Target, year: int) -> Decimal:
    """The linear path in `year`: baseline x (1 - reduction x (year - baseline year) /
    (target year - baseline year)), half-even to the gram."""
    span = target.target_year - target.baseline_year
    with localcontext() as context:
        context.prec = 60  # exact for every stored total and reduction before the rounding
        remaining = 100 * span - target.reduction_pct * (year - target.baseline_year)
        value = baseline_kg * remaining / (100 * span)
    return value.quantize(PATH_STEP, rounding=ROUND_HALF_EVEN)


async def target_progress(
    session: AsyncSession, *, principal: Principal, lab_id: UUID
) -> TargetProgress:
    await load_lab(session, principal, lab_id, LabAction.VIEW)
    target = await target_repository.get(session, lab_id=lab_id)
    if target is None:  # a lab without a target has no path yet: nothing to compare
        return TargetProgress(
            target=None, path="linear", baseline_kg_co2e=None, target_kg_co2e=None, years=[]
        )
    figures = await _progress(session, target)
    return TargetProgress(target=TargetPublic.model_validate(target), **dict(figures))


async def _progress(session: AsyncSession, target: Target) -> ProgressFigures:
    lab_id = target.lab_id
    first, last = target.baseline_year, target.target_year
    totals = await report_repository.totals_by_year(session, lab_id=lab_id, first=first, last=last)
    baseline = totals.get(first)
    years = []
    for year in range(first, last + 1):
        actual = totals.get(year)
        path = None if baseline is None else path_kg(baseline.kg, target, year)
        gap = None if actual is None or path is None else actual.kg - path
        years.append(
            TargetYear(
                year=year,
                path_kg_co2e=path,
                actual_kg_co2e=None if actual is None else actual.kg,
                entry_count=0 if actual is None else actual.entries,
                gap_kg_co2e=gap,
                on_track=None if gap is None else gap <= 0,
            )
        )
    return ProgressFigures(
        path="linear",
        baseline_kg_co2e=None if baseline is None else baseline.kg,
        target_kg_co2e=None if baseline is None else path_kg(baseline.kg, target, last),
        years=years,
    )


async def get_institution_target(
    session: AsyncSession, *, principal: Principal
) -> InstitutionTargetPublic:
    authorize(principal.user, Action.VIEW_INSTITUTION_REPORT)
    return InstitutionTargetPublic.model_validate(await _stored(session, None))


async def replace_institution_target(
    session: AsyncSession, *, principal: Principal, data: TargetPut
) -> InstitutionTargetPublic:
    authorize(principal.user, Action.MANAGE_INSTITUTION_TARGET)
    return InstitutionTargetPublic.model_validate(await _replace(session, principal, None, data))


async def delete_institution_target(session: AsyncSession, *, principal: Principal) -> None:
    """Remove the institution's target (nothing to remove is not an error)."""
    authorize(principal.user, Action.MANAGE_INSTITUTION_TARGET)
    await _delete(session, principal, None)


async def institution_target_progress(
    session: AsyncSession, *, principal: Principal
) -> InstitutionTargetProgress:
    """The institution's path against the sum of every lab's headline total."""
    authorize(principal.user, Action.VIEW_INSTITUTION_REPORT)
    target = await _stored(session, None)
    figures = await _progress(session, target)
    return InstitutionTargetProgress(
        target=InstitutionTargetPublic.model_validate(target), **dict(figures)
    )
