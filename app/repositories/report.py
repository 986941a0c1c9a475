"""Report aggregations, read from the report rollup (app/models/rollup.py).

The rollup holds the entries' exact sums per lab, year, factor, month and the year their factor
was chosen for, kept in step by database triggers. A lab's report reads a few hundred of its
rows (the year by month and factor, the previous year by factor) in one statement; the totals
by category, scope, scope 2 basis and factor, each factor's sum for the uncertainty
(docs/uncertainty.md) and the headline's basis (app/models/scope2.py) are summed from them here
in exact decimals. The factors whose stored kg CO2e may lag their current value (a recalculation
pending) are aggregated from the entries instead, at that value, as every report was before the
rollup (docs/report-rollup.md).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any, NamedTuple, TypeVar
from uuid import UUID

from sqlalchemy import (
    Result,
    Select,
    String,
    bindparam,
    case,
    extract,
    func,
    literal,
    select,
    text,
    type_coerce,
)
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from app.models.entry import ActivityEntry
from app.models.factor import EmissionFactor, Scope2Basis
from app.models.kg import kg_expression
from app.models.lab import Lab
from app.models.rollup import ReportRollup, ReportRollupStaleFactor
from app.models.scope2 import counts, headline_basis
from app.models.uncertainty import FactorSum, Spread, spread

AnySelect = Select[*tuple[Any, ...]]
AnyResult = Result[*tuple[Any, ...]]

# kg CO2e from the factor's current value, not the stored column: a report agrees with the
# factors at once, while a recalculation of the stored values may still be queued. The same rule
# as the stored value (app/models/kg.py), so both agree once it has run.
_KG = kg_expression(col(ActivityEntry.quantity), col(EmissionFactor.kg_co2e_per_unit))

# The rolled-up query has two grouping sets: by month (and basis), and by factor (with its
# columns). Every other figure is a sum of factors, added up here in exact decimals over those
# few rows rather than by more grouping sets over every day. GROUPING(month) is 0 on month rows.
_MONTH_ROW = 0


def _basis(value: str | None) -> Scope2Basis | None:
    return None if value is None else Scope2Basis(value)


@dataclass
class FactorTotal:
    key: str
    category: str
    unit: str
    quantity: Decimal
    kg: Decimal


class _FactorRow(NamedTuple):
    """One factor's sum over the group (a lab-year, or a lab's year in the institution)."""

    category: str
    scope: int
    basis: Scope2Basis | None
    part: FactorSum


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
    # The basis the headline counts, and scope 2 by basis (None: factors that state none), every
    # entry whether the headline counts it or not.
    headline_basis: Scope2Basis = field(default_factory=lambda: headline_basis(()))
    scope2_by_basis: dict[Scope2Basis | None, BasisTotal] = field(default_factory=dict)


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


K = TypeVar("K")


def _spreads(rows: Iterable[tuple[K, FactorSum]]) -> dict[K, Spread]:
    grouped: dict[K, list[FactorSum]] = defaultdict(list)
    for group, part in rows:
        grouped[group].append(part)
    return {group: spread(parts) for group, parts in grouped.items()}


def _add(sums: dict[K, Decimal], key: K, kg: Decimal) -> None:
    sums[key] = sums.get(key, Decimal(0)) + kg


class _FactorInfo(NamedTuple):
    key: str
    category: str
    unit: str
    scope: int
    year: int
    uncertainty_pct: Decimal | None
    basis: Scope2Basis | None


class _Sum(NamedTuple):
    """The entries of one lab, year, factor, month (None: the whole year) and year the factor
    was chosen for (`factor_for_year`, app/models/entry.py)."""

    lab_id: UUID
    year: int
    factor_id: UUID
    month: int | None
    factor_for_year: int
    entries: int
    quantity: Decimal
    kg: Decimal  # at the factor's current value
    factor: _FactorInfo


# The enumerations as their text: a few hundred rows skip the Enum type's conversion.
_FACTOR_COLUMNS = (
    col(EmissionFactor.key),
    type_coerce(col(EmissionFactor.category), String),
    type_coerce(col(EmissionFactor.unit), String),
    col(EmissionFactor.scope),
    col(EmissionFactor.year),
    col(EmissionFactor.uncertainty_pct),
    type_coerce(col(EmissionFactor.basis), String),
)

# The live aggregation of stale factors keeps one group per factor and month; the planner
# expects more than there are and, at PostgreSQL's default 4 MB, sorts them instead of hashing.
# For this transaction only.
_AGGREGATION_WORK_MEM = text("SET LOCAL work_mem = '16MB'")


@cache
def _rollup_query(per_lab: bool, by_month: bool) -> AnySelect:
    """The rollup's sums (stored kg CO2e) of the years `:first` to `:last` (of the lab `:lab`
    when `per_lab`), with the factor's columns and whether it is stale. Built once per shape."""
    r = ReportRollup
    keys = [col(r.lab_id), col(r.year), col(r.factor_id), col(r.factor_for_year)]
    # By month in the last year only: a report's previous year needs its total alone.
    month = case((col(r.year) == bindparam("last"), col(r.month))) if by_month else literal(None)
    query = (
        select(
            *keys,
            month.label("month"),
            func.sum(r.entries),
            func.sum(r.quantity),
            func.sum(r.kg_co2e),
            *_FACTOR_COLUMNS,
            col(ReportRollupStaleFactor.factor_id).is_not(None),
        )
        .select_from(r)
        .join(EmissionFactor, col(EmissionFactor.id) == col(r.factor_id))
        .outerjoin(
            ReportRollupStaleFactor, col(ReportRollupStaleFactor.factor_id) == col(r.factor_id)
        )
        .where(col(r.year) >= bindparam("first"), col(r.year) <= bindparam("last"))
        .group_by(*keys, month, col(EmissionFactor.id), col(ReportRollupStaleFactor.factor_id))
    )
    return query.where(col(r.lab_id) == bindparam("lab")) if per_lab else query


def _live_query(
    lab_id: UUID | None, first: int, last: int, by_month: bool, factor_ids: list[UUID]
) -> AnySelect:
    """The same sums from the entries of `factor_ids`, at the factors' current values."""
    year = extract("year", col(ActivityEntry.date))
    month = extract("month", col(ActivityEntry.date))
    keys = [
        col(ActivityEntry.lab_id),
        year,
        col(ActivityEntry.factor_id),
        col(ActivityEntry.factor_for_year),
    ]
    query = (
        _joined()
        .add_columns(
            *keys,
            month if by_month else literal(None).label("month"),
            func.count(),
            func.sum(ActivityEntry.quantity),
            func.sum(_KG),
            *_FACTOR_COLUMNS,
            literal(True),
        )
        .where(
            col(ActivityEntry.date) >= date(first, 1, 1),
            col(ActivityEntry.date) < date(last + 1, 1, 1),
            col(ActivityEntry.factor_id).in_(factor_ids),
        )
        .group_by(*keys, *([month] if by_month else []), col(EmissionFactor.id))
    )
    return query if lab_id is None else query.where(col(ActivityEntry.lab_id) == lab_id)


def _sums_of(rows: Iterable[Any]) -> list[_Sum]:
    factors: dict[UUID, _FactorInfo] = {}
    sums = []
    for lab, year, factor_id, factor_for_year, month, n, qty, kg, *info in rows:
        factor = factors.get(factor_id)
        if factor is None:
            key, category, unit, scope, f_year, u, basis, _ = info
            factor = factors[factor_id] = _FactorInfo(
                str(key), str(category), str(unit), int(scope), int(f_year), u, _basis(basis)
            )
        month = None if month is None else int(month)
        sums.append(
            _Sum(lab, int(year), factor_id, month, int(factor_for_year), int(n), qty, kg, factor)
        )
    return sums


async def _sums(
    session: AsyncSession, *, lab_id: UUID | None, first: int, last: int, by_month: bool
) -> list[_Sum]:
    """The entries' sums of the years `first` to `last` (of one lab, or of every lab) per lab,
    year, factor, year the factor was chosen for and (`by_month`) month, each kg CO2e at its
    factor's current value: from the rollup (app/models/rollup.py), except for the factors whose
    stored values may lag it, which are aggregated from the entries (usually none)."""
    query = _rollup_query(lab_id is not None, by_month)
    params = {"first": first, "last": last, "lab": lab_id}
    rows = (await (await session.connection()).execute(query, params)).all()
    stale = sorted({row[2] for row in rows if row[-1]})
    fresh = _sums_of(row for row in rows if not row[-1])
    if not stale:
        return fresh
    await (await session.connection()).execute(_AGGREGATION_WORK_MEM)
    live = await _run(session, _live_query(lab_id, first, last, by_month, stale))
    return fresh + _sums_of(live.all())


class _Factor(NamedTuple):
    """A factor's sums over the lab-year."""

    key: str
    category: str
    unit: str
    scope: int
    basis: Scope2Basis | None
    rollover_kg: Decimal  # of its kg, what rests on it from a later year (year rollover)
    rollover_entries: int
    quantity: Decimal
    part: FactorSum


async def year_aggregates(
    session: AsyncSession, *, lab_id: UUID | None, year: int
) -> YearAggregates:
    """From the lab-year's sums per factor, month and year the factor was chosen for (a few
    hundred rows of the rollup): the sums by month and by factor; the rest is summed from the
    factors (docs/performance.md)."""
    parts = await _sums(session, lab_id=lab_id, first=year, last=year, by_month=True)
    return _aggregates(parts)


async def year_report(
    session: AsyncSession, *, lab_id: UUID, year: int
) -> tuple[YearAggregates, Decimal]:
    """A lab-year's aggregates and the previous year's headline total, from one read of the
    rollup: what a lab's report needs of the entries."""
    parts = await _sums(session, lab_id=lab_id, first=year - 1, last=year, by_month=True)
    current = _aggregates([p for p in parts if p.year == year])
    previous = _totals(p for p in parts if p.year == year - 1)
    return current, previous[year - 1].kg if year - 1 in previous else Decimal(0)


def _aggregates(parts: list[_Sum]) -> YearAggregates:
    months: dict[tuple[int, Scope2Basis | None], Decimal] = {}
    by_factor: dict[UUID, list[_Sum]] = defaultdict(list)
    for part in parts:
        _add(months, (part.month or 0, part.factor.basis), part.kg)
        by_factor[part.factor_id].append(part)
    factors: list[_Factor] = []
    for mine in by_factor.values():
        info = mine[0].factor
        kg = sum((p.kg for p in mine), Decimal(0))
        entries = sum(p.entries for p in mine)
        # Earlier than the year it was chosen for (an equipment's: its purchase year's).
        earlier = [p for p in mine if info.year < p.factor_for_year]
        factors.append(
            _Factor(
                key=info.key,
                category=info.category,
                unit=info.unit,
                scope=info.scope,
                basis=info.basis,
                rollover_kg=sum((p.kg for p in earlier), Decimal(0)),
                rollover_entries=sum(p.entries for p in earlier),
                quantity=sum((p.quantity for p in mine), Decimal(0)),
                part=FactorSum(kg, entries, info.uncertainty_pct),
            )
        )
    return _year_from_factors(factors, [(m, b, kg) for (m, b), kg in months.items()])


def _year_from_factors(
    factors: list[_Factor], months: list[tuple[int, Scope2Basis | None, Decimal]]
) -> YearAggregates:
    result = YearAggregates(headline_basis=headline_basis({f.basis for f in factors}))
    counted = [f for f in factors if counts(f.basis, result.headline_basis)]
    by_key: dict[tuple[str, str, str], FactorTotal] = {}
    for f in counted:
        result.total_kg += f.part.kg
        result.entries += f.part.entries
        result.rollover_kg += f.rollover_kg
        result.rollover_entries += f.rollover_entries
        _add(result.by_category, f.category, f.part.kg)
        _add(result.by_scope, f.scope, f.part.kg)
        total = by_key.setdefault(
            (f.key, f.category, f.unit),
            FactorTotal(f.key, f.category, f.unit, Decimal(0), Decimal(0)),
        )
        total.quantity += f.quantity
        total.kg += f.part.kg
    for month, basis, kg in months:
        if counts(basis, result.headline_basis):
            _add(result.by_month, month, kg)
    result.by_factor = list(by_key.values())
    result.spread = spread(f.part for f in counted)
    result.spread_by_category = _spreads((f.category, f.part) for f in counted)
    result.spread_by_scope = _spreads((f.scope, f.part) for f in counted)
    scope2 = [f for f in factors if f.scope == 2]
    for basis, basis_spread in _spreads((f.basis, f.part) for f in scope2).items():
        mine = [f.part for f in scope2 if f.basis == basis]
        result.scope2_by_basis[basis] = BasisTotal(
            sum(p.entries for p in mine), sum((p.kg for p in mine), Decimal(0)), basis_spread
        )
    return result


@dataclass
class YearTotal:
    kg: Decimal
    entries: int


async def totals_by_year(
    session: AsyncSession, *, lab_id: UUID | None, first: int, last: int
) -> dict[int, YearTotal]:
    """The headline total of each year from `first` to `last` that has entries, of one lab or
    (`lab_id` None) of every lab: scope 2 by the basis rule, for each lab-year on its own, as in
    its report."""
    return _totals(await _sums(session, lab_id=lab_id, first=first, last=last, by_month=False))


def _totals(parts: Iterable[_Sum]) -> dict[int, YearTotal]:
    by_lab_year: dict[tuple[int, UUID], dict[Scope2Basis | None, tuple[Decimal, int]]] = (
        defaultdict(dict)
    )
    for part in parts:
        by_basis = by_lab_year[(part.year, part.lab_id)]
        kg, n = by_basis.get(part.factor.basis, (Decimal(0), 0))
        by_basis[part.factor.basis] = (kg + part.kg, n + part.entries)
    totals: dict[int, YearTotal] = {}
    for (y, _), by_basis in sorted(by_lab_year.items(), key=lambda item: item[0][0]):
        chosen = headline_basis(by_basis)
        total = totals.setdefault(y, YearTotal(Decimal(0), 0))
        for b, (kg, n) in by_basis.items():
            if counts(b, chosen):
                total.kg += kg
                total.entries += n
    return totals


async def year_total(session: AsyncSession, *, lab_id: UUID, year: int) -> Decimal:
    """The year's headline total (scope 2 on the basis `app/models/scope2.py` chooses)."""
    totals = await totals_by_year(session, lab_id=lab_id, first=year, last=year)
    return totals[year].kg if year in totals else Decimal(0)


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


class _LabFactor(NamedTuple):
    lab: tuple[UUID, str, str]
    factor_id: UUID
    category: str
    basis: Scope2Basis | None
    uncertainty_pct: Decimal | None
    kg: Decimal
    entries: int


async def by_lab_and_category(session: AsyncSession, *, year: int) -> InstitutionAggregates:
    """Every lab's headline emissions per category in `year` (labs without entries are absent),
    by code; and the institution's total and categories with their spread. Each lab's scope 2
    basis is chosen on its own; a factor used by many labs is one factor: its uncertainty
    applies to its kg summed over the labs' headlines."""
    parts = await _sums(session, lab_id=None, first=year, last=year, by_month=False)
    labs_query = select(col(Lab.id), col(Lab.code), col(Lab.name)).where(
        col(Lab.id).in_({part.lab_id for part in parts})
    )
    labs = {row[0]: (row[0], str(row[1]), str(row[2])) for row in await _run(session, labs_query)}
    per_lab_factor: dict[tuple[UUID, UUID], _LabFactor] = {}
    for part in parts:
        lab, factor = labs[part.lab_id], part.factor
        summed = per_lab_factor.get((part.lab_id, part.factor_id))
        kg, n = (Decimal(0), 0) if summed is None else (summed.kg, summed.entries)
        per_lab_factor[(part.lab_id, part.factor_id)] = _LabFactor(
            lab,
            part.factor_id,
            factor.category,
            factor.basis,
            factor.uncertainty_pct,
            kg + part.kg,
            n + part.entries,
        )
    by_lab: dict[tuple[UUID, str, str], list[_LabFactor]] = defaultdict(list)
    for row in per_lab_factor.values():
        by_lab[row.lab].append(row)
    counted = [
        row
        for rows in by_lab.values()
        for chosen in [headline_basis({row.basis for row in rows})]
        for row in rows
        if counts(row.basis, chosen)
    ]
    result = InstitutionAggregates()
    per_lab: dict[tuple[tuple[UUID, str, str], str], Decimal] = {}
    per_factor: dict[UUID, tuple[str, FactorSum]] = {}
    for row in counted:
        _add(per_lab, (row.lab, row.category), row.kg)
        _add(result.by_category, row.category, row.kg)
        result.total_kg += row.kg
        before = per_factor.get(row.factor_id, (row.category, FactorSum(Decimal(0), 0, None)))[1]
        per_factor[row.factor_id] = (
            row.category,
            FactorSum(before.kg + row.kg, before.entries + row.entries, row.uncertainty_pct),
        )
    by_code = sorted(per_lab.items(), key=lambda item: (item[0][0][1], item[0][1]))
    result.rows = [
        LabCategoryTotal(lab[0], lab[1], lab[2], category, kg) for (lab, category), kg in by_code
    ]
    result.spread = spread(part for _, part in per_factor.values())
    result.spread_by_category = _spreads(per_factor.values())
    return result
