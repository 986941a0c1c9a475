"""Emission factors: everyone reads them; admins manage them.

Changing a factor's value queues a `recalculate` job that recomputes the stored kg CO2e of every
entry using it; adding one that entries resting on an earlier year's factor (year rollover) now
take queues that job too, to move them to it. A value with which an entry would weigh too much
to store is refused, so that job cannot fail on it. Reports and entry reads compute kg CO2e from
the current value, so they agree with the factors at once, whether that job has run yet or not.
"""

import asyncio
import math
import time
from datetime import UTC, datetime
from decimal import Decimal
from uuid import UUID

from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.errors import Conflict, FieldError, InvalidInput, NotFound
from app.core.pagination import Page, decode_cursor, page_of
from app.core.rate_limit import RateLimiter
from app.db.statements import Reads
from app.models.audit import AuditAction
from app.models.factor import (
    BASIS_NEEDS_SCOPE_2,
    CabinClass,
    EmissionFactor,
    FactorCategory,
    FactorCreate,
    FactorPublic,
    FactorUpdate,
    Scope2Basis,
    flight_band_problem,
)
from app.models.job import DataIngestionJob, ErrorPolicy, JobKind
from app.models.kg import KG_CO2E_LIMIT
from app.repositories import entry as entry_repository
from app.repositories import factor as factor_repository
from app.repositories import recalculation as recalculation_repository
from app.repositories.entry import Weight
from app.services import audit as audit_service
from app.services import imports as import_service
from app.services.auth import Principal
from app.services.authz import Action, authorize

# How long a change of a value waits for running entry writes (imports) that read the old one.
VALUES_LOCK_WAIT_SECONDS = 10.0
_VALUES_LOCK_POLL_SECONDS = 0.1


async def list_factors(
    reads: Reads,
    *,
    limit: int,
    cursor: str | None,
    category: FactorCategory | None,
    year: int | None,
    region: str | None,
    search: str | None,
) -> Page[FactorPublic]:
    rows = await factor_repository.list_page(
        reads,
        limit=limit,
        after=decode_cursor(cursor, (str, int, UUID)),
        category=category,
        year=year,
        region=region,
        search=search,
    )
    return page_of(rows, limit=limit, key_of=lambda factor: (factor.key, factor.year, factor.id))


async def get_factor(session: AsyncSession, *, factor_id: UUID) -> EmissionFactor:
    factor = await factor_repository.get(session, factor_id)
    if factor is None:
        raise NotFound("No such emission factor.")
    return factor


async def create_factor(
    session: AsyncSession, *, principal: Principal, data: FactorCreate
) -> EmissionFactor:
    authorize(principal.user, Action.MANAGE_FACTORS)
    # Exclusively: every entry that chose an earlier year's factor without seeing this one has
    # committed, so `queue_rollover` finds it; every later one sees this factor.
    await _lock_values_for_change(session)
    if await factor_repository.find_exact(
        session, key=data.key, year=data.year, region=data.region
    ):
        raise Conflict("A factor with this key, year and region already exists.")
    factor = EmissionFactor.model_validate(data)
    try:
        async with session.begin_nested():
            await factor_repository.add(session, factor=factor)
    except IntegrityError as error:
        raise Conflict("A factor with this key, year and region already exists.") from error
    await audit_service.record(
        session,
        principal,
        AuditAction.FACTOR_CREATED,
        object_id=factor.id,
        lab_id=None,
        changes=audit_service.created(factor),
    )
    await queue_recalculation(
        session, factor_ids=[], arrived_ids=[factor.id], created_by=principal.user.id
    )
    return factor


async def queue_recalculation(
    session: AsyncSession,
    *,
    factor_ids: list[UUID],
    arrived_ids: list[UUID] | None = None,
    created_by: UUID | None,
) -> DataIngestionJob | None:
    """Queue the recomputation of every entry using `factor_ids` (their values changed) and the
    move of the entries resting on an earlier year's factor to those of `arrived_ids` (new
    factors) that they now take; committed with the caller. The caller holds the values lock
    exclusively, so no entry that should move is still being written. None when there is
    nothing to do."""
    arrived = await recalculation_repository.rollover_targets(session, factor_ids=arrived_ids or [])
    if not (factor_ids or arrived):
        return None
    params: dict[str, list[str]] = {"factor_ids": [str(factor_id) for factor_id in factor_ids]}
    if arrived:
        params["arrived_factor_ids"] = [str(factor_id) for factor_id in arrived]
    job = DataIngestionJob(
        target_type=JobKind.RECALCULATE,
        created_by=created_by,
        on_error=ErrorPolicy.FAIL,
        params=params,
    )
    return await import_service.queue(session, job)


async def _lock_values_for_change(session: AsyncSession) -> None:
    deadline = time.monotonic() + VALUES_LOCK_WAIT_SECONDS
    while not await factor_repository.try_lock_values_exclusive(session):
        if time.monotonic() > deadline:
            raise Conflict(
                "Imports using emission factors are running; retry when they have ended.",
                headers={"Retry-After": str(max(1, math.ceil(VALUES_LOCK_WAIT_SECONDS)))},
            )
        await asyncio.sleep(_VALUES_LOCK_POLL_SECONDS)


def too_heavy(weight: Weight) -> str:
    """Why a new value is refused: what it would make of the factor's entries (`weigh_sql`)."""
    entries = "1 entry" if weight.heavy == 1 else f"{weight.heavy} entries"
    return (
        f"{entries} using this factor would weigh {KG_CO2E_LIMIT} kg CO2e or more, more than "
        f"can be stored; the largest value they allow is {weight.largest_value}"
    )


async def _refuse_too_heavy(session: AsyncSession, *, factor_id: UUID, value: Decimal) -> None:
    """Refuse a value with which an entry of the factor would weigh too much to store (its
    recalculation would overflow the kg_co2e column). The caller holds the values lock
    exclusively, so no entry can be added or changed before this transaction commits.

    InvalidInput (422), not Conflict (409): on this route a 409 means "read it again, or wait,
    and retry", which would only fail again; this value must change, as an entry whose own kg
    CO2e is too large is refused with 422 at its quantity."""
    weight = await entry_repository.weigh_value(session, factor_id=factor_id, value=value)
    if weight.heavy:
        raise InvalidInput(
            f"With {value} kg CO2e per unit, {too_heavy(weight)}.",
            errors=[
                FieldError(
                    loc=["body", "kg_co2e_per_unit"],
                    msg=f"at most {weight.largest_value} for the entries using this factor",
                    type="too_large",
                )
            ],
        )


def _check_basis(scope: int, basis: Scope2Basis | None) -> None:
    """A basis only on a scope 2 factor (what a patch would make of the stored one)."""
    if basis is not None and scope != 2:
        raise InvalidInput(
            f"The factor would be of scope {scope} with a {basis.value}-based basis.",
            errors=[FieldError(loc=["body", "basis"], msg=BASIS_NEEDS_SCOPE_2, type="value_error")],
        )


def _check_flight_band(
    cabin_class: CabinClass | None, distance_min_km: int | None, distance_max_km: int | None
) -> None:
    """A flight band as the `flight_band` CHECK wants it (what a patch would make of it)."""
    problem = flight_band_problem(cabin_class, distance_min_km, distance_max_km)
    if problem is not None:
        raise InvalidInput(
            f"The factor's flight band would be invalid: {problem}.",
            errors=[FieldError(loc=["body", "distance_min_km"], msg=problem, type="value_error")],
        )


async def update_factor(
    session: AsyncSession,
    *,
    principal: Principal,
    limiter: RateLimiter,
    factor_id: UUID,
    changes: FactorUpdate,
) -> EmissionFactor:
    """Change a factor; a new value queues its recalculation (rate limited like imports)."""
    authorize(principal.user, Action.MANAGE_FACTORS)
    patch = changes.changes()
    new_value: Decimal | None = patch.get("kg_co2e_per_unit")
    if new_value is not None:
        # Before the row lock: entry writers hold the values lock, then lock factor rows.
        await _lock_values_for_change(session)
    factor = await factor_repository.get(session, factor_id, for_update=True)
    if factor is None:
        raise NotFound("No such emission factor.")
    if factor.version != changes.version:
        raise Conflict(
            f"The factor changed since you read it (version {changes.version}, now "
            f"{factor.version}); read it again and retry."
        )
    _check_basis(patch.get("scope", factor.scope), patch.get("basis", factor.basis))
    _check_flight_band(
        patch.get("cabin_class", factor.cabin_class),
        patch.get("distance_min_km", factor.distance_min_km),
        patch.get("distance_max_km", factor.distance_max_km),
    )
    value_changed = False
    if new_value is not None and new_value != factor.kg_co2e_per_unit:
        await _refuse_too_heavy(session, factor_id=factor.id, value=new_value)
        await import_service.hit_user_limit(limiter, principal)
        value_changed = True
    factor.sqlmodel_update(patch)
    await audit_service.record(
        session,
        principal,
        AuditAction.FACTOR_UPDATED,
        object_id=factor.id,
        lab_id=None,
        changes=audit_service.updated(factor),
    )
    factor.version += 1
    factor.updated_at = datetime.now(UTC)
    await session.flush()
    if value_changed:
        await queue_recalculation(session, factor_ids=[factor.id], created_by=principal.user.id)
    return factor


async def delete_factor(session: AsyncSession, *, principal: Principal, factor_id: UUID) -> None:
    """Delete a factor no entry uses (entries keep their factor: 409 otherwise)."""
    authorize(principal.user, Action.MANAGE_FACTORS)
    factor = await factor_repository.get(session, factor_id, for_update=True)
    if factor is None:
        raise NotFound("No such emission factor.")
    await audit_service.record(
        session,
        principal,
        AuditAction.FACTOR_DELETED,
        object_id=factor.id,
        lab_id=None,
        changes=audit_service.deleted(factor),
    )
    try:
        async with session.begin_nested():
            await factor_repository.delete(session, factor=factor)
    except IntegrityError as error:
        raise Conflict("Entries use this factor; it cannot be deleted.") from error
