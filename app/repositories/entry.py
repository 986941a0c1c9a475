"""Queries on activity entries (ORM for one row, set-based SQL for many)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any
from uuid import UUID

from psycopg.types.json import Jsonb
from sqlalchemy import (
    ColumnElement,
    Date,
    Integer,
    Numeric,
    Select,
    String,
    Uuid,
    bindparam,
    insert,
    text,
    true,
)
from sqlalchemy import select as core_select
from sqlmodel import col, select, tuple_
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.pagination import CursorKey
from app.db.statements import Reader, Reads, Row, Statement, compile_once
from app.db.transaction import DriverTransaction
from app.models.activity import EntryKind
from app.models.entry import ActivityEntry, EntryBase, EntryPublic
from app.models.factor import EmissionFactor, FactorCategory
from app.models.kg import (
    KG_CO2E_LIMIT,
    KG_SCALE,
    fits_expression,
    fits_sql,
    kg_expression,
    kg_sql,
)
from app.models.lab import Lab
from app.repositories import factor as factor_repository
from app.repositories import signoff as signoff_repository

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


async def hold_lab_of(session: AsyncSession, entry_id: UUID) -> bool:
    """Lock the entry's lab's row FOR KEY SHARE (as `lab.hold` does), not the entry's; False
    when there is no such entry."""
    query = (
        select(Lab.id)
        .join(ActivityEntry, col(ActivityEntry.lab_id) == col(Lab.id))
        .where(ActivityEntry.id == entry_id)
        .with_for_update(of=Lab, key_share=True)
    )
    return (await session.exec(query)).first() is not None


@cache
def _page_statement(
    *,
    descending: bool,
    after: bool,
    date_from: bool,
    date_to: bool,
    category: bool,
    factor_key: bool,
) -> Statement:
    """One compiled statement per combination of order and filters (64 at most), on first use:
    building and compiling a select costs more CPU than running it."""
    query = (
        core_select(*_PAGE_COLUMNS)
        .select_from(ActivityEntry)
        .join(EmissionFactor, col(EmissionFactor.id) == col(ActivityEntry.factor_id))
        .where(col(ActivityEntry.lab_id) == bindparam("lab_id", type_=Uuid))
    )
    values = {"lab_id", "limit"}
    key = tuple_(col(ActivityEntry.date), col(ActivityEntry.id))
    if after:
        cursor = tuple_(bindparam("after_date", type_=Date), bindparam("after_id", type_=Uuid))
        query = query.where(key < cursor if descending else key > cursor)
        values |= {"after_date", "after_id"}
    if date_from:
        query = query.where(col(ActivityEntry.date) >= bindparam("date_from", type_=Date))
        values.add("date_from")
    if date_to:
        query = query.where(col(ActivityEntry.date) <= bindparam("date_to", type_=Date))
        values.add("date_to")
    if category:
        query = query.where(col(EmissionFactor.category) == bindparam("category"))
        values.add("category")
    if factor_key:
        query = query.where(col(EmissionFactor.key) == bindparam("factor_key", type_=String))
        values.add("factor_key")
    order = (col(ActivityEntry.date), col(ActivityEntry.id))
    query = query.order_by(*(column.desc() for column in order) if descending else order)
    query = query.limit(bindparam("limit", type_=Integer))
    return compile_once(query, values=frozenset(values))


async def list_page(
    reads: Reads,
    *,
    lab_id: UUID,
    limit: int,
    after: CursorKey | None,
    descending: bool,
    date_from: date | None = None,
    date_to: date | None = None,
    category: FactorCategory | None = None,
    factor_key: str | None = None,
) -> list[Row]:
    """A lab's entries ordered by (date, id), newest first when `descending`, as rows of
    `PAGE_ENTRY_FIELDS` then `PAGE_FACTOR_FIELDS`; `limit + 1` of them. Plain rows, not table
    instances: a page is read, shown and forgotten."""
    statement = _page_statement(
        descending=descending,
        after=after is not None,
        date_from=date_from is not None,
        date_to=date_to is not None,
        category=category is not None,
        factor_key=factor_key is not None,
    )
    values: dict[str, Any] = {"lab_id": lab_id, "limit": limit + 1}
    if after is not None:
        values["after_date"], values["after_id"] = after
    if date_from is not None:
        values["date_from"] = date_from
    if date_to is not None:
        values["date_to"] = date_to
    if category is not None:
        values["category"] = category.value
    if factor_key is not None:
        values["factor_key"] = factor_key
    return list(await reads.fetch(statement, values))


async def add(session: AsyncSession, *, entry: ActivityEntry) -> ActivityEntry:
    session.add(entry)
    await session.flush()
    return entry


async def delete(session: AsyncSession, *, entry: ActivityEntry) -> None:
    await session.delete(entry)
    await session.flush()


_DELETE_SERIES = text(
    "DELETE FROM activity_entry WHERE lab_id = :lab AND kind = :kind "
    "AND activity ->> 'series_id' = :series"
)


async def delete_series(session: AsyncSession, *, lab_id: UUID, series_id: UUID) -> int:
    """Delete every entry of one equipment purchase (its years); how many."""
    connection = await session.connection()
    result = await connection.execute(
        _DELETE_SERIES,
        {"lab": lab_id, "kind": EntryKind.EQUIPMENT.value, "series": str(series_id)},
    )
    return int(result.rowcount)


_ENTRIES = Reader(ActivityEntry)
_FACTORS = factor_repository.FACTORS
# What a page of entries reads: the entry's columns that a response shows (the stored kg CO2e
# is not: it is computed from the factor's current value), then what its factor adds.
PAGE_ENTRY_FIELDS = tuple(
    name for name in ActivityEntry.model_fields if name in EntryPublic.model_fields
    and name != "kg_co2e"
)  # fmt: skip
PAGE_FACTOR_FIELDS = ("kg_co2e_per_unit", "key", "category", "scope", "unit", "year")
_PAGE_COLUMNS = (
    *(_ENTRIES.column(name) for name in PAGE_ENTRY_FIELDS),
    *(_FACTORS.column(name) for name in PAGE_FACTOR_FIELDS),
)


def _add_computed_statement() -> Select[Any]:
    """INSERT an entry with the applicable factor's id and kg CO2e computed from its value
    (app/models/kg.py), only when the factor has the expected unit (NULL: any) and the kg CO2e
    can be stored; return the factor with the inserted row, or with NULLs when nothing was
    inserted."""
    factor = factor_repository.applicable_factor().cte("factor")
    quantity = bindparam("quantity", type_=_ENTRIES.column("quantity").type)
    kg = kg_expression(quantity, factor.c.kg_co2e_per_unit)
    computed: dict[str, ColumnElement[Any]] = {
        "factor_id": factor.c.id,
        "kg_co2e": kg,
        "quantity": quantity,
    }
    unit = bindparam("unit", type_=String)
    source = core_select(
        *(
            computed.get(column.key, bindparam(column.key, type_=column.type))
            for column in _ENTRIES.written
        )
    ).where(
        unit.is_(None) | (factor.c.unit == unit),
        fits_expression(kg),
        # Nothing in a submitted or validated year (sign-off), read under its year lock.
        signoff_repository.year_open(
            bindparam("lab_id", type_=Uuid()), bindparam("entry_year", type_=Integer())
        ),
    )
    inserted = (
        insert(ActivityEntry)
        .from_select([column.key for column in _ENTRIES.written], source)
        .returning(*_ENTRIES.columns)
        .cte("inserted")
    )
    return core_select(*factor.c, *inserted.c).select_from(factor.outerjoin(inserted, true()))


_ADD_COMPUTED_VALUES = frozenset(
    {column.key for column in _ENTRIES.written} - {"factor_id", "kg_co2e"}
    | {"key", "year", "earliest", "region", "unit", "entry_year"}
)
_FIELDS = tuple(EntryBase.model_fields)  # the entry's columns a client writes
_ADD_COMPUTED = compile_once(_add_computed_statement(), values=_ADD_COMPUTED_VALUES)


async def add_computed(
    transaction: DriverTransaction,
    *,
    entry: EntryBase,
    lab_id: UUID,
    created_by: UUID | None,
    key: str,
    year: int,
    earliest: int,
    region: str | None,
    unit: str | None,
    kind: EntryKind = EntryKind.QUANTITY,
    activity: dict[str, Any] | None = None,
) -> tuple[EmissionFactor, ActivityEntry | None] | None:
    """Add an entry of the lab (`entry`'s EntryBase fields; the table's defaults fill the
    others) whose factor is the one applicable to `key`, `year` and `region`, looking back to
    `earliest` (`factor.find_applicable`), and whose kg CO2e is computed from that factor's
    value, under the factor-values lock held shared until commit
    (`factor.lock_values_shared`); all in one round trip. Nothing is inserted when the factor
    is not in `unit` (None: any), the kg CO2e could not be stored, or the lab-year is signed
    off (the year lock, app/repositories/signoff.py, is held shared with the values lock). A
    typed activity gives its `kind` and `activity` (its inputs and computed figures, as JSON).

    Returns None when there is no such factor, else the factor and the new entry (None when
    nothing was inserted). Both are read-only instances (no session)."""
    values = _ENTRIES.defaults() | {name: getattr(entry, name) for name in _FIELDS}
    values |= {"lab_id": lab_id, "created_by": created_by, "kind": kind.value}
    values["activity"] = None if activity is None else Jsonb(activity)
    values |= {"key": key, "year": year, "earliest": earliest, "region": region, "unit": unit}
    values["entry_year"] = entry.date.year  # an equipment's later years: not the factor's year
    rows = await transaction.fetch_after(
        signoff_repository.LOCK_VALUES_AND_YEAR_SHARED,
        {"year_key": signoff_repository.year_key(lab_id, entry.date.year)},
        _ADD_COMPUTED,
        values,
    )
    if not rows:
        return None
    row = rows[0]
    factor = _FACTORS(row)
    if row[_FACTORS.width + _ENTRIES.primary_key_index] is None:
        return factor, None
    return factor, _ENTRIES(row, _FACTORS.width)


def _scale(column: Any) -> tuple[int, int]:
    numeric = column.type
    assert isinstance(numeric, Numeric)
    assert numeric.precision is not None
    assert numeric.scale is not None
    return numeric.precision, numeric.scale


_, _QUANTITY_SCALE = _scale(_ENTRIES.column("quantity"))
_VALUE_PRECISION, _VALUE_SCALE = _scale(_FACTORS.column("kg_co2e_per_unit"))
_VALUE_STEP = Decimal(1).scaleb(-_VALUE_SCALE)
_VALUE_MAX = Decimal(10) ** (_VALUE_PRECISION - _VALUE_SCALE) - _VALUE_STEP
# With Q = quantity x 10^6 and K = value x 10^9 (both integers), the kg CO2e (rounded to 6
# places half away from zero, app/models/kg.py) is below the limit L exactly when
# 2QK < (2L x 10^6 - 1) x 10^9 = N.
_N = (2 * int(KG_CO2E_LIMIT) * 10**KG_SCALE - 1) * 10 ** (
    _QUANTITY_SCALE + _VALUE_SCALE - KG_SCALE
)  # integers: exact


def weigh_sql(*, factor: str, value: str) -> str:
    """SQL of a one-row query over the entries of `factor` (an SQL expression of a factor id):
    `heavy`, how many of them would weigh KG_CO2E_LIMIT kg CO2e or more (more than kg_co2e can
    store) with `value` (an SQL expression) as their factor's value; and `largest_value`, the
    largest value the factor's column can hold with which none of them would (exact: integer
    division, no rounding). The `ix_activity_entry_factor_id` index finds the entries."""
    heaviest = "nullif(max(e.quantity), 0)"  # no entry, or only zeros: any value fits
    quantum = f"{Decimal(10) ** _QUANTITY_SCALE:f}"
    # Only this module's constants and the caller's SQL expressions; every value is bound.
    return f"""
        SELECT count(*) FILTER (
                   WHERE NOT {fits_sql(kg_sql("e.quantity", value))}
               ) AS heavy,
               trim_scale(least(div({_N - 1}, 2 * {quantum} * {heaviest}) * {_VALUE_STEP:f},
                                {_VALUE_MAX:f})) AS largest_value
        FROM activity_entry AS e
        WHERE e.factor_id = ({factor})"""  # noqa: S608


@dataclass(frozen=True)
class Weight:
    """What a factor's entries say of a new value for it (`weigh_sql`)."""

    heavy: int
    largest_value: Decimal


_WEIGH = text(weigh_sql(factor=":factor", value=":value"))


async def weigh_value(session: AsyncSession, *, factor_id: UUID, value: Decimal) -> Weight:
    """How many entries of the factor would be too heavy to store with `value`, and the
    largest value that fits them all; one set-based query."""
    connection = await session.connection()
    heavy, largest = (await connection.execute(_WEIGH, {"factor": factor_id, "value": value})).one()
    return Weight(int(heavy), Decimal(largest))
