"""Queries on activity entries (ORM for one row, set-based SQL for many)."""

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, Numeric, Select, String, bindparam, func, insert, true
from sqlalchemy import select as core_select
from sqlmodel import col, select, tuple_
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.pagination import CursorKey
from app.models.entry import ActivityEntry
from app.models.factor import EmissionFactor, FactorCategory
from app.repositories import factor as factor_repository
from app.repositories._driver import Reader, compile_once, fetch_after

EntryRow = tuple[ActivityEntry, EmissionFactor]


async def get_with_factor(
    session: AsyncSession, entry_id: UUID, *, for_update: bool = False
) -> EntryRow | None:
    query = (
        select(ActivityEntry, EmissionFactor)
        .join(EmissionFactor, col(EmissionFactor.id) == col(ActivityEntry.factor_id))
        .where(ActivityEntry.id == entry_id)
    )
    if for_update:
        query = query.with_for_update(of=ActivityEntry)
    row = (await session.exec(query)).first()
    return (row[0], row[1]) if row is not None else None


async def list_page(
    session: AsyncSession,
    *,
    lab_id: UUID,
    limit: int,
    after: CursorKey | None,
    descending: bool,
    date_from: date | None = None,
    date_to: date | None = None,
    category: FactorCategory | None = None,
    factor_key: str | None = None,
) -> list[EntryRow]:
    """A lab's entries ordered by (date, id), newest first when `descending`."""
    query = (
        select(ActivityEntry, EmissionFactor)
        .join(EmissionFactor, col(EmissionFactor.id) == col(ActivityEntry.factor_id))
        .where(ActivityEntry.lab_id == lab_id)
    )
    key = tuple_(ActivityEntry.date, ActivityEntry.id)
    if after is not None:
        query = query.where(key < tuple_(*after) if descending else key > tuple_(*after))
    if date_from is not None:
        query = query.where(col(ActivityEntry.date) >= date_from)
    if date_to is not None:
        query = query.where(col(ActivityEntry.date) <= date_to)
    if category is not None:
        query = query.where(col(EmissionFactor.category) == category)
    if factor_key is not None:
        query = query.where(EmissionFactor.key == factor_key)
    order = (col(ActivityEntry.date), col(ActivityEntry.id))
    query = query.order_by(*(column.desc() for column in order) if descending else order)
    rows = (await session.exec(query.limit(limit + 1))).all()
    return [(row[0], row[1]) for row in rows]


async def add(session: AsyncSession, *, entry: ActivityEntry) -> ActivityEntry:
    session.add(entry)
    await session.flush()
    return entry


async def delete(session: AsyncSession, *, entry: ActivityEntry) -> None:
    await session.delete(entry)
    await session.flush()


_ENTRIES = Reader(ActivityEntry)
_FACTORS = factor_repository.FACTORS


def _add_computed_statement() -> Select[Any]:
    """INSERT an entry with the applicable factor's id and kg CO2e computed from its value (PG's
    round() is half away from zero, like the service's ROUND_HALF_UP), only when the factor has
    the expected unit (NULL: any) and the kg CO2e is below the limit; return the factor with
    the inserted row, or with NULLs when nothing was inserted."""
    factor = factor_repository.applicable_factor().cte("factor")
    quantity = bindparam("quantity", type_=_ENTRIES.column("quantity").type)
    kg_type = _ENTRIES.column("kg_co2e").type
    assert isinstance(kg_type, Numeric)
    kg = func.round(quantity * factor.c.kg_co2e_per_unit, kg_type.scale)
    computed: dict[str, ColumnElement[Any]] = {
        "factor_id": factor.c.id,
        "kg_co2e": kg,
        "quantity": quantity,
    }
    unit = bindparam("unit", type_=String)
    source = core_select(
        *(
            computed.get(column.key, bindparam(column.key, type_=column.type))
            for column in _ENTRIES.columns
        )
    ).where(
        unit.is_(None) | (factor.c.unit == unit),
        kg < bindparam("kg_limit", type_=kg_type),
    )
    inserted = (
        insert(ActivityEntry)
        .from_select([column.key for column in _ENTRIES.columns], source)
        .returning(*_ENTRIES.columns)
        .cte("inserted")
    )
    return core_select(*factor.c, *inserted.c).select_from(factor.outerjoin(inserted, true()))


_ADD_COMPUTED_VALUES = frozenset(
    {column.key for column in _ENTRIES.columns} - {"factor_id", "kg_co2e"}
    | {"key", "year", "region", "unit", "kg_limit"}
)
_ADD_COMPUTED = compile_once(_add_computed_statement(), values=_ADD_COMPUTED_VALUES)


async def add_computed(
    session: AsyncSession,
    *,
    entry: dict[str, Any],
    key: str,
    year: int,
    region: str | None,
    unit: str | None,
    kg_limit: Decimal,
) -> tuple[EmissionFactor, ActivityEntry | None] | None:
    """Add an entry (`entry`: its columns but `factor_id` and `kg_co2e`; the model's defaults
    fill the rest) whose factor is the one applicable to `key`, `year` and `region`
    (`factor.find_applicable`), and whose kg CO2e is computed from that factor's value, under
    the factor-values lock held shared until commit (`factor.lock_values_shared`); all in one
    round trip. Nothing is inserted when the factor is not in `unit` (None: any) or the kg CO2e
    would not be below `kg_limit`.

    Returns None when there is no such factor, else the factor and the new entry (None when
    nothing was inserted). Both are read-only: not attached to the session."""
    values = _ENTRIES.defaults() | entry
    values |= {"key": key, "year": year, "region": region, "unit": unit, "kg_limit": kg_limit}
    rows = await fetch_after(
        session, factor_repository.LOCK_VALUES_SHARED, {}, _ADD_COMPUTED, values
    )
    if not rows:
        return None
    row = rows[0]
    factor = _FACTORS(row)
    if row[_FACTORS.width + _ENTRIES.primary_key_index] is None:
        return factor, None
    return factor, _ENTRIES(row, _FACTORS.width)
