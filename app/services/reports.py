"""Yearly reports, aggregated in the database."""

from decimal import Decimal
from uuid import UUID

from sqlmodel.ext.asyncio.session import AsyncSession

from app.models.factor import FactorCategory, Scope2Basis
from app.models.headcount import StaffCategory
from app.models.report import (
    CategoryPerFte,
    CategoryTotal,
    FactorShare,
    HeadcountFigures,
    InstitutionReport,
    LabCategoryRow,
    LabPerFte,
    LabReport,
    MonthTotal,
    Rollover,
    Scope2BasisTotal,
    ScopeTotal,
    StaffShare,
    Uncertainty,
)
from app.models.scope2 import counts
from app.models.uncertainty import Spread, interval
from app.repositories import headcount as headcount_repository
from app.repositories import report as report_repository
from app.services import signoff as signoff_service
from app.services.auth import Principal
from app.services.authz import Action, LabAction, authorize
from app.services.headcount import fte_share, t_co2e_per_fte
from app.services.labs import load_lab

TOP_FACTORS = 10
_PERCENT = Decimal("0.01")
_SHARE = Decimal("0.0001")


async def lab_report(
    session: AsyncSession, *, principal: Principal, lab_id: UUID, year: int
) -> LabReport:
    await load_lab(session, principal, lab_id, LabAction.VIEW)
    current, previous = await report_repository.year_report(session, lab_id=lab_id, year=year)
    total = current.total_kg
    top = sorted(current.by_factor, key=lambda item: (-item.kg, item.key))[:TOP_FACTORS]
    change = total - previous
    return LabReport(
        lab_id=lab_id,
        year=year,
        total_kg_co2e=total,
        uncertainty=_uncertainty(total, current.spread),
        entry_count=current.entries,
        by_category=_categories(current.by_category, current.spread_by_category),
        by_scope=[
            ScopeTotal(
                scope=s, kg_co2e=kg, uncertainty=_uncertainty(kg, current.spread_by_scope[s])
            )
            for s, kg in sorted(current.by_scope.items())
        ],
        scope2_headline_basis=current.headline_basis,
        scope2_by_basis=_scope2_by_basis(current),
        by_month=[
            MonthTotal(month=m, kg_co2e=current.by_month.get(m, Decimal(0))) for m in range(1, 13)
        ],
        top_factors=[
            FactorShare(
                factor_key=item.key,
                category=FactorCategory(item.category),
                unit=item.unit,
                quantity=item.quantity,
                kg_co2e=item.kg,
                share=(item.kg / total).quantize(_SHARE) if total else Decimal(0),
            )
            for item in top
        ],
        previous_year_total_kg_co2e=previous,
        change_kg_co2e=change,
        change_percent=(change * 100 / previous).quantize(_PERCENT) if previous else None,
        headcount=await _headcount_figures(session, lab_id, year, current),
        rollover=Rollover(entries=current.rollover_entries, kg_co2e=current.rollover_kg),
        sign_off=await signoff_service.report_sign_off(
            session, lab_id=lab_id, year=year, current_total=total
        ),
    )


def _uncertainty(central: Decimal, spread: Spread) -> Uncertainty:
    bounds = interval(central, spread.half_width)
    return Uncertainty(
        low_kg_co2e=bounds.low,
        high_kg_co2e=bounds.high,
        relative_pct=bounds.relative_pct,
        without_uncertainty_entries=spread.without_entries,
        without_uncertainty_kg_co2e=spread.without_kg,
    )


_BASIS_ORDER: tuple[Scope2Basis | None, ...] = (Scope2Basis.LOCATION, Scope2Basis.MARKET, None)


def _scope2_by_basis(current: report_repository.YearAggregates) -> list[Scope2BasisTotal]:
    by_basis = current.scope2_by_basis
    return [
        Scope2BasisTotal(
            basis=basis,
            in_headline=counts(basis, current.headline_basis),
            entry_count=by_basis[basis].entries,
            kg_co2e=by_basis[basis].kg,
            uncertainty=_uncertainty(by_basis[basis].kg, by_basis[basis].spread),
        )
        for basis in _BASIS_ORDER
        if basis in by_basis
    ]


def _categories(by_category: dict[str, Decimal], spreads: dict[str, Spread]) -> list[CategoryTotal]:
    return [
        CategoryTotal(
            category=FactorCategory(name),
            kg_co2e=kg,
            uncertainty=_uncertainty(kg, spreads[name]),
        )
        for name, kg in sorted(by_category.items())
    ]


async def _headcount_figures(
    session: AsyncSession, lab_id: UUID, year: int, current: report_repository.YearAggregates
) -> HeadcountFigures | None:
    fte = await headcount_repository.year_by_category(session, lab_id=lab_id, year=year)
    if not fte:
        return None
    total_fte = sum(fte.values(), Decimal(0))
    return HeadcountFigures(
        total_fte=total_fte,
        t_co2e_per_fte=t_co2e_per_fte(current.total_kg, total_fte),
        by_staff_category=[
            StaffShare(
                category=category, fte=fte[category], share=fte_share(fte[category], total_fte)
            )
            for category in StaffCategory
            if category in fte
        ],
        by_category=[
            CategoryPerFte(
                category=FactorCategory(name), t_co2e_per_fte=t_co2e_per_fte(kg, total_fte)
            )
            for name, kg in sorted(current.by_category.items())
        ],
    )


async def institution_report(
    session: AsyncSession, *, principal: Principal, year: int
) -> InstitutionReport:
    authorize(principal.user, Action.VIEW_INSTITUTION_REPORT)
    aggregates = await report_repository.by_lab_and_category(session, year=year)
    rows = aggregates.rows
    return InstitutionReport(
        year=year,
        total_kg_co2e=aggregates.total_kg,
        uncertainty=_uncertainty(aggregates.total_kg, aggregates.spread),
        by_category=_categories(aggregates.by_category, aggregates.spread_by_category),
        by_lab_and_category=[
            LabCategoryRow(
                lab_id=row.lab_id,
                lab_code=row.code,
                lab_name=row.name,
                category=FactorCategory(row.category),
                kg_co2e=row.kg,
            )
            for row in rows
        ],
        per_fte=await _per_fte_ranking(session, year, rows),
    )


async def _per_fte_ranking(
    session: AsyncSession, year: int, rows: list[report_repository.LabCategoryTotal]
) -> list[LabPerFte]:
    """Labs with emissions or a headcount in `year`, most t CO2e per FTE first (equal figures
    share a rank, then go by code); labs without a per-FTE figure last, by code."""
    labs: dict[UUID, LabPerFte] = {}
    for row in rows:
        lab = labs.setdefault(row.lab_id, _unranked(row.lab_id, row.code, row.name))
        lab.total_kg_co2e += row.kg
    for counted in await headcount_repository.total_by_lab(session, year=year):
        lab = labs.setdefault(counted.lab_id, _unranked(counted.lab_id, counted.code, counted.name))
        lab.total_fte = counted.fte
        lab.t_co2e_per_fte = t_co2e_per_fte(lab.total_kg_co2e, counted.fte)
    ranked = sorted(
        (lab for lab in labs.values() if lab.t_co2e_per_fte is not None),
        key=lambda lab: (-(lab.t_co2e_per_fte or 0), lab.lab_code),
    )
    for index, lab in enumerate(ranked):
        before = ranked[index - 1] if index else None
        same = before is not None and before.t_co2e_per_fte == lab.t_co2e_per_fte
        lab.rank = before.rank if same and before is not None else index + 1
    unranked = sorted(
        (lab for lab in labs.values() if lab.t_co2e_per_fte is None), key=lambda lab: lab.lab_code
    )
    return ranked + unranked


def _unranked(lab_id: UUID, code: str, name: str) -> LabPerFte:
    return LabPerFte(
        rank=None,
        lab_id=lab_id,
        lab_code=code,
        lab_name=name,
        total_kg_co2e=Decimal(0),
        total_fte=None,
        t_co2e_per_fte=None,
    )
