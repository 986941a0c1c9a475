"""Activity entries: kg CO2e is computed here, from the factor valid for the entry's year
(the lab's regional factor when one exists), or, when that year has none of the entry's key, the
latest earlier year's within `FACTOR_ROLLOVER_YEARS` (year rollover; the entry's `factor_year`
says which year, and the recalculation job moves it when its own year's factor arrives)."""

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, Literal
from uuid import UUID, uuid4

from pydantic import TypeAdapter
from sqlmodel.ext.asyncio.session import AsyncSession

from app.config import settings
from app.core.errors import Conflict, FieldError, InvalidInput, NotFound
from app.core.pagination import Page, decode_cursor, page_of
from app.db.statements import Reads, Row
from app.db.transaction import DriverTransaction
from app.models.activity import Activity, EntryKind
from app.models.audit import AuditAction
from app.models.entry import (
    ActivityEntry,
    EntryBase,
    EntryCreate,
    EntryPublic,
    EntryUpdate,
    EquipmentEntryCreate,
    NewEntry,
    TypedEntryCreate,
)
from app.models.factor import EmissionFactor, FactorCategory
from app.models.family import trusted
from app.models.kg import KG_CO2E_LIMIT, compute_kg, fits
from app.models.lab import Lab
from app.repositories import entry as entry_repository
from app.repositories import factor as factor_repository
from app.services import activities
from app.services import audit as audit_service
from app.services import signoff as signoff_service
from app.services.activities import Resolved
from app.services.auth import Principal
from app.services.authz import LabAction
from app.services.labs import load_lab, read_lab


def kg_of(quantity: Decimal, factor: EmissionFactor | Decimal) -> Decimal:
    """kg CO2e of `quantity` of `factor` (or of a factor's value; app/models/kg.py), refused
    when too large to store."""
    value = factor if isinstance(factor, Decimal) else factor.kg_co2e_per_unit
    kg = compute_kg(quantity, value)
    if not fits(kg):
        raise InvalidInput(
            f"The entry would weigh {kg} kg CO2e; less than {KG_CO2E_LIMIT} can be stored.",
            errors=[
                FieldError(loc=["body", "quantity"], msg="kg CO2e too large", type="too_large")
            ],
        )
    return kg


def earliest_factor_year(year: int) -> int:
    """The earliest year whose factor an entry of `year` may use (year rollover)."""
    return year - settings.FACTOR_ROLLOVER_YEARS


def to_public(entry: ActivityEntry, factor: EmissionFactor) -> EntryPublic:
    """kg CO2e from the factor's current value, like reports: the stored value may wait for a
    pending recalculation. Not validated again (`trusted`): every value comes from the
    database or from the server's own computation."""
    loaded = entry.__dict__  # an attribute the ORM expired (none on a read instance) loads
    values = {
        name: loaded[name] if name in loaded else getattr(entry, name) for name in _FROM_TABLE
    }
    return _public(
        values,
        factor.kg_co2e_per_unit,
        factor.key,
        factor.category,
        factor.scope,
        factor.unit,
        factor.year,
    )


def _public_of_row(row: Row) -> EntryPublic:
    """As `to_public`, from a row of a page (entry_repository.list_page)."""
    values = dict(zip(_FROM_TABLE, row[:_PAGE_ENTRY_WIDTH], strict=True))
    values["kind"] = EntryKind(values["kind"])
    value, key, category, scope, unit, year = row[_PAGE_ENTRY_WIDTH:]
    return _public(values, value, key, FactorCategory(category), scope, unit, year)


def _public(
    values: dict[str, Any],
    value: Decimal,
    key: str,
    category: FactorCategory,
    scope: int,
    unit: str,
    year: int,
) -> EntryPublic:
    """EntryPublic of an entry's `values` (its columns that a response shows, its stored
    activity among them) and its factor's."""
    values["activity"] = _activity_of(values["kind"], values["activity"], value)
    values["kg_co2e"] = kg_of(values["quantity"], value)
    values["factor_key"] = key
    values["category"] = category
    values["scope"] = scope
    values["unit"] = unit
    values["factor_year"] = year
    return trusted(EntryPublic, values)


# What EntryPublic shows of the table, with the stored activity (read as its model): not
# created_by, and not the stored kg_co2e (recomputed).
_FROM_TABLE = entry_repository.PAGE_ENTRY_FIELDS
_PAGE_ENTRY_WIDTH = len(_FROM_TABLE)
_ACTIVITY: TypeAdapter[Activity] = TypeAdapter(Activity)


def _activity_of(kind: EntryKind, stored: dict[str, Any] | None, value: Decimal) -> Activity | None:
    """A typed entry's activity as stored; a refrigerant's GWP is its factor's current `value`."""
    if stored is None:
        return None
    if kind == EntryKind.REFRIGERANT:
        stored = stored | {"gwp": value}
    return _ACTIVITY.validate_python(stored)


async def _factor_for(
    session: AsyncSession, lab: Lab, *, key: str, on: date, unit: str | None = None
) -> EmissionFactor:
    # Held until commit: a change of the factor's value waits for this entry (see
    # app/repositories/factor.py), so its recalculation sees it.
    await factor_repository.lock_values_shared(session)
    factor = await factor_repository.find_applicable(
        session, key=key, year=on.year, earliest=earliest_factor_year(on.year), region=lab.region
    )
    return _check_factor(factor, lab, key=key, on=on, unit=unit)


def _check_factor(
    factor: EmissionFactor | None, lab: Lab, *, key: str, on: date, unit: str | None
) -> EmissionFactor:
    """The applicable factor, refused when there is none or it is not in `unit` (when given)."""
    if factor is None:
        window = settings.FACTOR_ROLLOVER_YEARS
        raise InvalidInput(
            f"There is no emission factor '{key}' for {on.year}"
            + (f" or the {window} years before" if window > 1 else "")
            + (" or the year before" if window == 1 else "")
            + (f" (region {lab.region} or none)" if lab.region else "")
            + ".",
            errors=[
                FieldError(loc=["body", "factor_key"], msg="no factor for that year", type="factor")
            ],
        )
    if unit is not None and unit != factor.unit:
        raise InvalidInput(
            f"The factor '{key}' is in {factor.unit}, not {unit}.",
            errors=[FieldError(loc=["body", "unit"], msg=f"expected {factor.unit}", type="unit")],
        )
    return factor


async def create_entry(
    transaction: DriverTransaction, *, principal: Principal, lab_id: UUID, data: NewEntry
) -> EntryPublic:
    """Past the ORM (app/db/transaction.py): the hot path of data entry."""
    lab, _ = await read_lab(transaction, principal, lab_id, LabAction.WRITE_ENTRIES)
    if isinstance(data, EntryCreate):
        public = await _create_quantity(transaction, principal=principal, lab=lab, data=data)
    else:  # an equipment's years are one purchase: one event, for its first year's entry
        public = await _create_activity(transaction, principal=principal, lab=lab, data=data)
    await audit_service.record(
        transaction,
        principal,
        AuditAction.ENTRY_CREATED,
        object_id=public.id,
        lab_id=lab.id,
        changes=audit_service.created(public),
    )
    return public


async def _create_quantity(
    transaction: DriverTransaction, *, principal: Principal, lab: Lab, data: EntryCreate
) -> EntryPublic:
    # One statement finds the factor, computes kg CO2e and inserts, under the values lock (as
    # `_factor_for`); it inserts nothing when the checks below refuse the entry.
    added = await entry_repository.add_computed(
        transaction,
        entry=data,
        lab_id=lab.id,
        created_by=principal.user.id,
        key=data.factor_key,
        year=data.date.year,
        earliest=earliest_factor_year(data.date.year),
        region=lab.region,
        unit=data.unit,
    )
    factor = _check_factor(
        None if added is None else added[0], lab, key=data.factor_key, on=data.date, unit=data.unit
    )
    kg_of(data.quantity, factor)  # refuses a kg CO2e too large to store
    entry = None if added is None else added[1]
    if entry is None:
        await signoff_service.refuse_if_locked(transaction, lab_id=lab.id, year=data.date.year)
        raise RuntimeError("the entry was refused by its INSERT but not by the checks")
    return to_public(entry, factor)


async def _create_activity(
    transaction: DriverTransaction, *, principal: Principal, lab: Lab, data: TypedEntryCreate
) -> EntryPublic:
    """A typed activity: its factor and quantity resolved first (app/services/activities.py),
    then inserted as any entry, the factor found again under the values lock in the same
    statement: its unit must not have changed meanwhile. Equipment becomes an entry per year of
    its lifetime (each with the purchase year's factor); the first year's is returned."""
    resolved = await activities.resolve(transaction, region=lab.region, data=data)
    if not isinstance(data, EquipmentEntryCreate):
        return await _add_resolved(
            transaction, principal, lab, data, resolved, resolved.quantity, data.date
        )
    first: EntryPublic | None = None
    for year in activities.lifetime(data, resolved, uuid4()):
        share = Resolved(resolved.factor, year.share, year.activity)
        added = await _add_resolved(transaction, principal, lab, data, share, year.share, year.on)
        first = first or added
    assert first is not None
    return first


async def _add_resolved(
    transaction: DriverTransaction,
    principal: Principal,
    lab: Lab,
    data: TypedEntryCreate,
    resolved: Resolved,
    quantity: Decimal,
    on: date,
) -> EntryPublic:
    """Insert one entry of a resolved activity, dated `on`, with the factor of the activity's
    own date (an equipment's later years keep the purchase year's)."""
    key, unit = resolved.factor.key, resolved.factor.unit
    added = await entry_repository.add_computed(
        transaction,
        entry=EntryBase(date=on, quantity=quantity, note=data.note),
        lab_id=lab.id,
        created_by=principal.user.id,
        key=key,
        year=data.date.year,
        earliest=earliest_factor_year(data.date.year),
        region=lab.region,
        unit=unit,
        kind=EntryKind(data.kind),
        activity=resolved.activity,
    )
    if added is None or added[1] is None:
        factor = _check_factor(
            None if added is None else added[0], lab, key=key, on=data.date, unit=unit
        )
        kg_of(quantity, factor)
        await signoff_service.refuse_if_locked(transaction, lab_id=lab.id, year=on.year)
        raise RuntimeError("the entry was refused by its INSERT but not by the checks")
    return to_public(added[1], added[0])


async def list_entries(
    reads: Reads,
    *,
    principal: Principal,
    lab_id: UUID,
    limit: int,
    cursor: str | None,
    order: Literal["asc", "desc"],
    date_from: date | None,
    date_to: date | None,
    category: FactorCategory | None,
    factor_key: str | None,
) -> Page[EntryPublic]:
    """A page of the lab's entries, past the ORM (each statement on its own, app/db/pool.py)."""
    await read_lab(reads, principal, lab_id, LabAction.VIEW)
    rows = await entry_repository.list_page(
        reads,
        lab_id=lab_id,
        limit=limit,
        after=decode_cursor(cursor, (date, UUID)),
        descending=order == "desc",
        date_from=date_from,
        date_to=date_to,
        category=category,
        factor_key=factor_key,
    )
    page = page_of(rows, limit=limit, key_of=lambda row: (row[_DATE], row[_ID]))
    return Page[EntryPublic](
        items=[_public_of_row(row) for row in page.items], next_cursor=page.next_cursor
    )


_DATE, _ID = (_FROM_TABLE.index(name) for name in ("date", "id"))


async def _load_entry(
    session: AsyncSession, principal: Principal, entry_id: UUID, action: LabAction
) -> tuple[ActivityEntry, EmissionFactor, Lab]:
    # Locks in the order a lab's delete takes them: the lab's row, then (its cascade) its
    # entries. Deleting an equipment's years after locking one of them, without the lab, could
    # deadlock with it.
    if action != LabAction.VIEW and not await entry_repository.hold_lab_of(session, entry_id):
        raise NotFound("No such entry.")
    found = await entry_repository.get_with_factor(
        session, entry_id, for_update=action != LabAction.VIEW
    )
    if found is None:
        raise NotFound("No such entry.")
    entry, factor = found
    try:
        lab, _ = await load_lab(session, principal, entry.lab_id, action)
    except NotFound as error:
        raise NotFound("No such entry.") from error
    return entry, factor, lab


async def get_entry(session: AsyncSession, *, principal: Principal, entry_id: UUID) -> EntryPublic:
    entry, factor, _ = await _load_entry(session, principal, entry_id, LabAction.VIEW)
    return to_public(entry, factor)


async def update_entry(
    session: AsyncSession, *, principal: Principal, entry_id: UUID, changes: EntryUpdate
) -> EntryPublic:
    await factor_repository.lock_values_shared(session)  # before reading the factor's value
    entry, factor, lab = await _load_entry(session, principal, entry_id, LabAction.WRITE_ENTRIES)
    if entry.version != changes.version:
        raise Conflict(
            f"The entry changed since you read it (version {changes.version}, now "
            f"{entry.version}); read it again and retry."
        )
    patch = changes.changes()
    if entry.kind != EntryKind.QUANTITY and set(patch) - {"note"}:
        raise InvalidInput(
            f"A {entry.kind.value} entry is computed from its activity: only its note changes "
            "here; to change the activity, delete the entry and add it again.",
            errors=[
                FieldError(loc=["body", name], msg="computed from the activity", type="computed")
                for name in sorted(set(patch) - {"note"})
            ],
        )
    factor_key: str | None = patch.pop("factor_key", None)
    new_date: date = patch.get("date", entry.date)
    await signoff_service.check_years_writable(
        session, lab_id=lab.id, years={entry.date.year, new_date.year}
    )
    if factor_key is not None or new_date.year != entry.date.year:
        factor = await _factor_for(session, lab, key=factor_key or factor.key, on=new_date)
    entry.sqlmodel_update(patch)
    entry.factor_id = factor.id
    entry.kg_co2e = kg_of(entry.quantity, factor)
    await audit_service.record(
        session,
        principal,
        AuditAction.ENTRY_UPDATED,
        object_id=entry.id,
        lab_id=lab.id,
        changes=audit_service.updated(entry),
    )
    entry.version += 1
    entry.updated_at = datetime.now(UTC)
    await session.flush()
    return to_public(entry, factor)


async def delete_entry(session: AsyncSession, *, principal: Principal, entry_id: UUID) -> None:
    """Delete an entry; an equipment's year goes with every other year of its lifetime (one
    purchase)."""
    entry, _, _ = await _load_entry(session, principal, entry_id, LabAction.WRITE_ENTRIES)
    await signoff_service.check_years_writable(session, lab_id=entry.lab_id, years=_years_of(entry))
    # An equipment's every year goes as one purchase: one event (its activity names the series).
    await audit_service.record(
        session,
        principal,
        AuditAction.ENTRY_DELETED,
        object_id=entry.id,
        lab_id=entry.lab_id,
        changes=audit_service.deleted(entry),
    )
    if entry.kind == EntryKind.EQUIPMENT and entry.activity is not None:
        series = UUID(str(entry.activity["series_id"]))
        await entry_repository.delete_series(session, lab_id=entry.lab_id, series_id=series)
        return
    await entry_repository.delete(session, entry=entry)


def _years_of(entry: ActivityEntry) -> set[int]:
    """The years a delete of `entry` changes: an equipment's every year of its lifetime."""
    activity = entry.activity
    if entry.kind != EntryKind.EQUIPMENT or activity is None:
        return {entry.date.year}
    first = date.fromisoformat(str(activity["purchase_date"])).year
    return set(range(first, first + int(activity["lifetime_years"])))
