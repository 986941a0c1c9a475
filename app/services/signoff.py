"""Year sign-off (SPEC §13, docs/sign-off.md): a lab-year goes `open → submitted → validated`;
the lab's managers submit, admins validate, send back (with a reason) or reopen (with a reason).
Every transition is recorded with the change, in the same transaction: in the year's history
(`lab_year_transition`, shown in its status) and as one event of the audit trail. While a year
is submitted or validated, writes that would change its figures are refused (`YearLocked`,
409)."""

from collections.abc import Collection
from datetime import UTC, datetime
from decimal import Decimal
from uuid import UUID

from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.errors import Conflict, FieldError, InvalidInput, YearLocked
from app.db.statements import Reads
from app.models.audit import AuditAction
from app.models.factor import FactorCategory
from app.models.signoff import (
    REASON_REQUIRED,
    TRANSITIONS,
    LabYear,
    LabYearTransition,
    ReportSignOff,
    SignedCategoryTotal,
    SignedFigures,
    SignedScopeTotal,
    YearAction,
    YearState,
    YearStatusPublic,
    YearTransitionPublic,
    YearTransitionRequest,
)
from app.repositories import report as report_repository
from app.repositories import signoff as signoff_repository
from app.services import audit as audit_service
from app.services.auth import Principal
from app.services.authz import Action, LabAction, authorize
from app.services.labs import hold_lab, load_lab


def _locked(lab_id: UUID, states: dict[int, YearState]) -> YearLocked:
    years = ", ".join(f"{year} is {state.value}" for year, state in sorted(states.items()))
    return YearLocked(
        f"The year's figures are signed off ({years}): an admin must send it back or reopen it "
        "before they can change."
    )


# --- The checks of every write path -------------------------------------------------------


async def check_years_writable(
    session: AsyncSession, *, lab_id: UUID, years: Collection[int]
) -> None:
    """For a write of the lab's entries (or headcount) dated in `years`: hold their year locks
    shared until commit, then refuse (YearLocked) when one of them is submitted or validated."""
    await signoff_repository.lock_years_shared(session, lab_id=lab_id, years=years)
    locked = await signoff_repository.locked_years(session, lab_id=lab_id, years=years)
    if locked:
        raise _locked(lab_id, locked)


async def refuse_if_locked(reads: Reads, *, lab_id: UUID, year: int) -> None:
    """After the hot path's INSERT added nothing (it adds nothing in a signed-off year, see
    entry.add_computed): say so when that was why."""
    state = await signoff_repository.state_of(reads, lab_id=lab_id, year=year)
    if state is not YearState.OPEN:
        raise _locked(lab_id, {year: state})


async def hold_for_import(session: AsyncSession, *, lab_id: UUID) -> frozenset[int]:
    """For an activity import: hold the lab lock shared until commit (no submission meanwhile);
    the years whose rows it must refuse."""
    await signoff_repository.hold_lab_shared(session, lab_id=lab_id)
    return frozenset(await signoff_repository.locked_years(session, lab_id=lab_id))


async def check_undo(session: AsyncSession, *, lab_id: UUID, job_id: UUID) -> None:
    """For the undo of an import: refused when it created entries in a signed-off year."""
    await signoff_repository.hold_lab_shared(session, lab_id=lab_id)
    locked = await signoff_repository.locked_years_of_import(session, lab_id=lab_id, job_id=job_id)
    if locked:
        raise _locked(lab_id, locked)


# --- Status and transitions ----------------------------------------------------------------


async def get_year_status(
    session: AsyncSession, *, principal: Principal, lab_id: UUID, year: int
) -> YearStatusPublic:
    await load_lab(session, principal, lab_id, LabAction.VIEW)
    return await _status(session, lab_id, year)


async def transition_year(
    session: AsyncSession,
    *,
    principal: Principal,
    lab_id: UUID,
    year: int,
    action: YearAction,
    data: YearTransitionRequest,
) -> YearStatusPublic:
    """Move the lab-year by `action` (TRANSITIONS), from the `version` the caller read."""
    if action is YearAction.SUBMIT:
        await load_lab(session, principal, lab_id, LabAction.SUBMIT_YEAR)
    else:
        await load_lab(session, principal, lab_id, LabAction.VIEW)
        authorize(principal.user, Action.VALIDATE_YEARS)
    reason = (data.reason or "").strip() or None
    if action in REASON_REQUIRED and reason is None:
        raise InvalidInput(
            f"Say why ({action.value.replace('_', ' ')} needs a reason).",
            errors=[FieldError(loc=["body", "reason"], msg="a reason is required", type="missing")],
        )
    await hold_lab(session, lab_id=lab_id)
    # Concurrent transitions of the year run one after the other (the second then finds the
    # state or the version changed); a submission waits for the year's writes in progress.
    await signoff_repository.lock_year(session, lab_id=lab_id, year=year)
    if action is YearAction.SUBMIT and not await signoff_repository.try_lock_lab(
        session, lab_id=lab_id
    ):
        raise Conflict(
            "An import or an undo of this lab's entries is running (or another year is being "
            "submitted); submit when it has ended."
        )
    row = await signoff_repository.get(session, lab_id=lab_id, year=year, for_update=True)
    lab_year = row or LabYear(lab_id=lab_id, year=year)
    _check(lab_year, action, data.version)
    signed = await _apply(session, lab_year, action)
    transition = LabYearTransition(
        lab_id=lab_id,
        year=year,
        action=action,
        from_state=TRANSITIONS[action][0],
        to_state=TRANSITIONS[action][1],
        reason=reason,
        actor_id=principal.user.id,
        actor_email=principal.user.email,
        signed_kg_co2e=signed,
    )
    await signoff_repository.add(session, lab_year=lab_year, transition=transition)
    await audit_service.record(
        session,
        principal,
        _AUDITED[action],
        object_id=year,
        lab_id=lab_id,
        changes=audit_service.diff(
            {"state": transition.from_state},
            {"state": transition.to_state, "reason": reason, "signed_kg_co2e": signed},
        ),
    )
    return await _status(session, lab_id, year)


def _check(lab_year: LabYear, action: YearAction, version: int) -> None:
    source, _ = TRANSITIONS[action]
    if lab_year.state is not source:
        raise Conflict(
            f"The year {lab_year.year} is {lab_year.state.value}; only a {source.value} year "
            f"can be {_DONE[action]}."
        )
    if lab_year.version != version:
        raise Conflict(
            f"The year's sign-off changed since you read it (version {version}, now "
            f"{lab_year.version}); read its status again."
        )


_AUDITED = {
    YearAction.SUBMIT: AuditAction.YEAR_SUBMITTED,
    YearAction.VALIDATE: AuditAction.YEAR_VALIDATED,
    YearAction.SEND_BACK: AuditAction.YEAR_SENT_BACK,
    YearAction.REOPEN: AuditAction.YEAR_REOPENED,
}


_DONE = {
    YearAction.SUBMIT: "submitted",
    YearAction.VALIDATE: "validated",
    YearAction.SEND_BACK: "sent back",
    YearAction.REOPEN: "reopened",
}


async def _apply(session: AsyncSession, lab_year: LabYear, action: YearAction) -> Decimal | None:
    """Set the new state; a validation stores the figures as signed (the signed total is
    returned), a reopening forgets them (its history row keeps the total)."""
    lab_year.state = TRANSITIONS[action][1]
    lab_year.version += 1
    lab_year.updated_at = datetime.now(UTC)
    if action is YearAction.VALIDATE:
        figures = await report_repository.year_aggregates(
            session, lab_id=lab_year.lab_id, year=lab_year.year
        )
        lab_year.signed_kg_co2e = figures.total_kg
        lab_year.signed_entry_count = figures.entries
        lab_year.signed_by_category = {k: str(v) for k, v in sorted(figures.by_category.items())}
        lab_year.signed_by_scope = {str(k): str(v) for k, v in sorted(figures.by_scope.items())}
        return figures.total_kg
    if action is YearAction.REOPEN:
        lab_year.signed_kg_co2e = lab_year.signed_entry_count = None
        lab_year.signed_by_category = lab_year.signed_by_scope = None
    return None


async def _status(session: AsyncSession, lab_id: UUID, year: int) -> YearStatusPublic:
    lab_year = await signoff_repository.get(session, lab_id=lab_id, year=year)
    history = await signoff_repository.history(session, lab_id=lab_id, year=year)
    return YearStatusPublic(
        lab_id=lab_id,
        year=year,
        state=YearState.OPEN if lab_year is None else lab_year.state,
        version=0 if lab_year is None else lab_year.version,
        signed=await _signed(session, lab_year, history),
        history=[YearTransitionPublic.model_validate(row) for row in history],
    )


async def _signed(
    session: AsyncSession, lab_year: LabYear | None, history: list[LabYearTransition]
) -> SignedFigures | None:
    """A validated year's figures as signed, beside the same entries with current factors."""
    if lab_year is None or lab_year.state is not YearState.VALIDATED:
        return None
    signed_total = lab_year.signed_kg_co2e or Decimal(0)
    current = await report_repository.year_total(
        session, lab_id=lab_year.lab_id, year=lab_year.year
    )
    validated_at = max(row.at for row in history if row.action is YearAction.VALIDATE)
    return SignedFigures(
        validated_at=validated_at,
        total_kg_co2e=signed_total,
        entry_count=lab_year.signed_entry_count or 0,
        by_category=[
            SignedCategoryTotal(category=FactorCategory(name), kg_co2e=Decimal(kg))
            for name, kg in (lab_year.signed_by_category or {}).items()
        ],
        by_scope=[
            SignedScopeTotal(scope=int(scope), kg_co2e=Decimal(kg))
            for scope, kg in (lab_year.signed_by_scope or {}).items()
        ],
        current_total_kg_co2e=current,
        difference_kg_co2e=current - signed_total,
    )


async def report_sign_off(
    session: AsyncSession, *, lab_id: UUID, year: int, current_total: Decimal
) -> ReportSignOff:
    """For the report of a lab-year (the caller has authorized it): its state and, while
    validated, the signed total and the difference to the report's `current_total`."""
    lab_year = await signoff_repository.get(session, lab_id=lab_id, year=year)
    if lab_year is None or lab_year.state is not YearState.VALIDATED:
        state = YearState.OPEN if lab_year is None else lab_year.state
        return ReportSignOff(state=state, signed_total_kg_co2e=None, difference_kg_co2e=None)
    signed = lab_year.signed_kg_co2e or Decimal(0)
    return ReportSignOff(
        state=lab_year.state,
        signed_total_kg_co2e=signed,
        difference_kg_co2e=current_total - signed,
    )
