"""Report aggregations, computed in the database.

One lab-year is a single scan of an index range (the index carries the entry columns the report
reads): the entries are first summed per factor and day, then `GROUP BY GROUPING SETS` over those
sums yields the totals by category, by scope, by month and by factor, and the grand total, in one
query.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import Result, Select, Subquery, extract, func, literal, select, text, tuple_
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from app.models.entry import ActivityEntry
from app.models.factor import EmissionFactor, Scope2Basis
from app.models.kg import kg_expression
from app.models.lab import Lab
from app.models.scope2 import in_headline_expression
from app.models.uncertainty import half_width_expression, variance_expression

AnySelect = Select[*tuple[Any, ...]]
AnyResult = Result[*tuple[Any, ...]]

# kg CO2e from the factor's current value, not the stored column: a report agrees with the
# factors at once, while a recalculation of the stored values may still be queued. The same rule
# as the stored value (app/models/kg.py), so both agree once it has run.
_KG = kg_expression(col(ActivityEntry.quantity), col(EmissionFactor.kg_co2e_per_unit))

# The columns of the rolled-up query's GROUPING(…), in order: a bit is 1 where a column is rolled
# up, so each grouping set has its mask.
_GROUPED = ("category", "scope", "month", "key", "unit", "in_headline", "basis")


def _mask(*kept: str) -> int:
    width = len(_GROUPED)
    return sum(1 << (width - 1 - i) for i, name in enumerate(_GROUPED) if name not in kept)


# The headline's groupings carry `in_headline` (the other basis's rows are a group of their own,
# which is read only by basis); scope 2 by basis counts every row.
_BY_CATEGORY, _BY_SCOPE = _mask("category", "in_headline"), _mask("scope", "in_headline")
_BY_MONTH, _TOTAL = _mask("month", "in_headline"), _mask("in_headline")
_BY_FACTOR = _mask("key", "category", "unit", "in_headline")
_BY_BASIS = _mask("scope", "basis")


@dataclass
class FactorTotal:
    key: str
    category: str
    unit: str
    quantity: Decimal
    kg: Decimal


@dataclass
class Spread:
    """What a group's 95 % interval needs (app/models/uncertainty.py): the half-width U over the
    entries whose factor has an uncertainty, and the entries (and kg) whose factor has none."""

    half_width: Decimal = Decimal(0)
    without_entries: int = 0
    without_kg: Decimal = Decimal(0)


@dataclass
class BasisTotal:
    entries: int
    kg: Decimal
    spread: Spread


@dataclass
class YearAggregates:
    total_kg: Decimal = Decimal(0)
    entries: int = 0
    spread: Spread = field(default_factory=Spread)
    by_category: dict[str, Decimal] = field(default_factory=dict)
    spread_by_category: dict[str, Spread] = field(default_factory=dict)
    by_scope: dict[int, Decimal] = field(default_factory=dict)
    spread_by_scope: dict[int, Spread] = field(default_factory=dict)
    by_month: dict[int, Decimal] = field(default_factory=dict)
    by_factor: list[FactorTotal] = field(default_factory=list)
    # What rests on an earlier year's factor (year rollover): entries and their kg CO2e.
    rollover_entries: int = 0
    rollover_kg: Decimal = Decimal(0)
    # Scope 2 by basis (None: factors that state none), every entry whether in the headline or not.
    scope2_by_basis: dict[Scope2Basis | None, BasisTotal] = field(default_factory=dict)


def _in_year(query: AnySelect, lab_id: UUID | None, year: int) -> AnySelect:
    query = query.where(
        col(ActivityEntry.date) >= date(year, 1, 1), col(ActivityEntry.date) < date(year + 1, 1, 1)
    )
    return query if lab_id is None else query.where(col(ActivityEntry.lab_id) == lab_id)


async def _run(session: AsyncSession, query: AnySelect) -> AnyResult:
    """Core SELECTs (no ORM entities) run on the session's connection, in its transaction."""
    connection = await session.connection()
    result: AnyResult = await connection.execute(query)
    return result


def _joined() -> AnySelect:
    return (
        select()  # columns are added by each query
        .select_from(ActivityEntry)
        .join(EmissionFactor, col(EmissionFactor.id) == col(ActivityEntry.factor_id))
    )


# The first aggregation keeps one group per factor and day; the planner expects far more (it
# cannot know one lab-year's share of the table) and, at PostgreSQL's default 4 MB, sorts them
# instead of hashing. For this transaction only.
_AGGREGATION_WORK_MEM = text("SET LOCAL work_mem = '16MB'")


def _per_factor_and_day(lab_id: UUID | None, year: int) -> Subquery:
    """The entries summed per factor and day (one pass over the index), with the factor's columns
    and its kg over the whole year (a window over those sums: the uncertainty's correlation)."""
    kg = func.sum(_KG)
    return _in_year(
        _joined()
        .add_columns(
            col(EmissionFactor.category),
            col(EmissionFactor.scope),
            col(EmissionFactor.key),
            col(EmissionFactor.unit),
            col(EmissionFactor.year).label("factor_year"),
            col(EmissionFactor.uncertainty_pct),
            col(EmissionFactor.basis),
            in_headline_expression(col(EmissionFactor.basis)).label("in_headline"),
            col(ActivityEntry.date),
            kg.label("kg"),
            func.sum(kg).over(partition_by=col(EmissionFactor.id)).label("factor_kg"),
            func.sum(ActivityEntry.quantity).label("quantity"),
            func.count().label("entries"),
        )
        # The factor's other columns depend on its primary key: PostgreSQL lets us select them.
        .group_by(col(EmissionFactor.id), col(ActivityEntry.date)),
        lab_id,
        year,
    ).subquery("per_factor_and_day")


def _spread(
    half_width: Decimal | None, without_entries: int | None, without_kg: Decimal | None
) -> Spread:
    return Spread(half_width or Decimal(0), int(without_entries or 0), without_kg or Decimal(0))


async def year_aggregates(
    session: AsyncSession, *, lab_id: UUID | None, year: int
) -> YearAggregates:
    """In two steps: the entries summed per factor and day (one pass over the index), then those
    few thousand sums rolled up by every grouping, rather than every entry through every grouping
    (docs/performance.md)."""
    per_day = _per_factor_and_day(lab_id, year)
    category, scope, key, unit, in_headline, basis = (
        per_day.c.category,
        per_day.c.scope,
        per_day.c.key,
        per_day.c.unit,
        per_day.c.in_headline,
        per_day.c.basis,
    )
    month = extract("month", per_day.c.date)
    rolled_over = per_day.c.factor_year < year
    unquantified = per_day.c.uncertainty_pct.is_(None)
    variance = variance_expression(per_day.c.kg, per_day.c.factor_kg, per_day.c.uncertainty_pct)
    query = (
        select(
            func.grouping(category, scope, month, key, unit, in_headline, basis),
            in_headline,
            basis,
            category,
            scope,
            month,
            key,
            unit,
            func.sum(per_day.c.kg),
            func.sum(per_day.c.quantity),
            func.sum(per_day.c.entries),
            func.sum(per_day.c.kg).filter(rolled_over),
            func.sum(per_day.c.entries).filter(rolled_over),
            half_width_expression(func.sum(variance)),
            func.sum(per_day.c.entries).filter(unquantified),
            func.sum(per_day.c.kg).filter(unquantified),
        )
        .select_from(per_day)
        .group_by(
            func.grouping_sets(
                tuple_(category, in_headline),
                tuple_(scope, in_headline),
                tuple_(month, in_headline),
                tuple_(key, category, unit, in_headline),
                tuple_(in_headline),
                tuple_(scope, basis),
            )
        )
    )
    await (await session.connection()).execute(_AGGREGATION_WORK_MEM)
    result = YearAggregates()
    for row in (await _run(session, query)).all():
        grouping, headline, scope2_basis = row[:3]
        cat, scp, mon, fkey, funit, kg, quantity, count, rolled_kg, rolled = row[3:13]
        spread = _spread(*row[13:])
        if grouping == _BY_BASIS:
            if scp == 2:
                chosen = None if scope2_basis is None else Scope2Basis(scope2_basis)
                result.scope2_by_basis[chosen] = BasisTotal(int(count), kg, spread)
        elif not headline:
            continue  # the other basis: shown by basis only
        elif grouping == _BY_CATEGORY:
            result.by_category[str(cat)] = kg
            result.spread_by_category[str(cat)] = spread
        elif grouping == _BY_SCOPE:
            result.by_scope[int(scp)] = kg
            result.spread_by_scope[int(scp)] = spread
        elif grouping == _BY_MONTH:
            result.by_month[int(mon)] = kg
        elif grouping == _BY_FACTOR:
            result.by_factor.append(FactorTotal(str(fkey), str(cat), str(funit), quantity, kg))
        elif grouping == _TOTAL:
            result.total_kg, result.entries = kg or Decimal(0), int(count or 0)
            result.rollover_kg, result.rollover_entries = rolled_kg or Decimal(0), int(rolled or 0)
            result.spread = spread
    return result


async def year_total(session: AsyncSession, *, lab_id: UUID | None, year: int) -> Decimal:
    """The year's headline total (scope 2 on the basis `app/models/scope2.py` chooses)."""
    per_day = _per_factor_and_day(lab_id, year)
    query = select(
        func.coalesce(func.sum(per_day.c.kg).filter(per_day.c.in_headline), literal(0))
    ).select_from(per_day)
    return Decimal((await _run(session, query)).scalar_one())


@dataclass
class LabCategoryTotal:
    lab_id: UUID
    code: str
    name: str
    category: str
    kg: Decimal


@dataclass
class InstitutionAggregates:
    rows: list[LabCategoryTotal] = field(default_factory=list)
    total_kg: Decimal = Decimal(0)
    spread: Spread = field(default_factory=Spread)
    by_category: dict[str, Decimal] = field(default_factory=dict)
    spread_by_category: dict[str, Spread] = field(default_factory=dict)


async def by_lab_and_category(session: AsyncSession, *, year: int) -> InstitutionAggregates:
    """Every lab's emissions per category in `year` (labs without entries are absent), by code;
    and the institution's total and categories with their spread. A factor used by many labs is
    one factor: its uncertainty applies to its kg summed over the labs."""
    # Each lab-year's headline rows first (the basis rule is per lab), then each factor's kg over
    # those rows of every lab.
    per_lab_and_factor = (
        _in_year(_joined(), None, year)
        .add_columns(
            col(ActivityEntry.lab_id),
            col(EmissionFactor.id).label("factor_id"),
            col(EmissionFactor.category),
            col(EmissionFactor.uncertainty_pct),
            in_headline_expression(
                col(EmissionFactor.basis), partition_by=col(ActivityEntry.lab_id)
            ).label("in_headline"),
            func.sum(_KG).label("kg"),
            func.count().label("entries"),
        )
        .group_by(col(ActivityEntry.lab_id), col(EmissionFactor.id))
        .subquery("per_lab_and_factor")
    )
    columns = per_lab_and_factor.c
    per_lab = (
        select(
            columns.lab_id,
            columns.category,
            columns.uncertainty_pct,
            columns.kg,
            columns.entries,
            func.sum(columns.kg).over(partition_by=columns.factor_id).label("factor_kg"),
        )
        .where(columns.in_headline)
        .subquery("headline_per_lab_and_factor")
    )
    lab_columns = (col(Lab.id), col(Lab.code), col(Lab.name))
    category = per_lab.c.category
    unquantified = per_lab.c.uncertainty_pct.is_(None)
    variance = variance_expression(per_lab.c.kg, per_lab.c.factor_kg, per_lab.c.uncertainty_pct)
    query = (
        select(
            func.grouping(*lab_columns, category),
            *lab_columns,
            category,
            func.sum(per_lab.c.kg),
            half_width_expression(func.sum(variance)),
            func.sum(per_lab.c.entries).filter(unquantified),
            func.sum(per_lab.c.kg).filter(unquantified),
        )
        .select_from(per_lab)
        .join(Lab, col(Lab.id) == per_lab.c.lab_id)
        .group_by(func.grouping_sets(tuple_(*lab_columns, category), tuple_(category), tuple_()))
        .order_by(col(Lab.code), category)
    )
    result = InstitutionAggregates()
    for grouping, lab_id, code, name, cat, total, *spread in (await _run(session, query)).all():
        if grouping == 0:
            result.rows.append(LabCategoryTotal(lab_id, str(code), str(name), str(cat), total))
        elif grouping == 0b1110:
            result.by_category[str(cat)] = total
            result.spread_by_category[str(cat)] = _spread(*spread)
        elif grouping == 0b1111:
            result.total_kg, result.spread = total or Decimal(0), _spread(*spread)
    return result


@dataclass
class YearTotal:
    kg: Decimal
    entries: int


async def totals_by_year(
    session: AsyncSession, *, lab_id: UUID, first: int, last: int
) -> dict[int, YearTotal]:
    """The lab's headline total of each year from `first` to `last` that has entries (scope 2 by
    the basis rule, each year on its own, as `year_total`)."""
    year = extract("year", col(ActivityEntry.date))
    per_factor = (
        _joined()
        .add_columns(
            year.label("year"),
            in_headline_expression(col(EmissionFactor.basis), partition_by=year).label(
                "in_headline"
            ),
            func.sum(_KG).label("kg"),
            func.count().label("entries"),
        )
        .where(
            col(ActivityEntry.lab_id) == lab_id,
            col(ActivityEntry.date) >= date(first, 1, 1),
            col(ActivityEntry.date) < date(last + 1, 1, 1),
        )
        .group_by(year, col(EmissionFactor.id))
        .subquery("per_year_and_factor")
    )
    headline = per_factor.c.in_headline
    query = (
        select(
            per_factor.c.year,
            func.sum(per_factor.c.kg).filter(headline),
            func.sum(per_factor.c.entries).filter(headline),
        )
        .select_from(per_factor)
        .group_by(per_factor.c.year)
    )
    rows = (await _run(session, query)).all()
    return {int(y): YearTotal(kg or Decimal(0), int(n or 0)) for y, kg, n in rows}
