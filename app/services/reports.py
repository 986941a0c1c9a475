"""Yearly reports, aggregated in the database."""

from decimal import Decimal
from uuid import UUID

from sqlmodel.ext.asyncio.session import AsyncSession

from app.models.factor import FactorCategory
from app.models.report import (
    CategoryTotal,
    FactorShare,
    InstitutionReport,
    LabCategoryRow,
    LabReport,
    MonthTotal,
    ScopeTotal,
)
from app.repositories import report as report_repository
from app.services.auth import Principal
from app.services.authz import Action, LabAction, authorize
from app.services.labs import load_lab

TOP_FACTORS = 10
_PERCENT = Decimal("0.01")
_SHARE = Decimal("0.0001")


async def lab_report(
    session: AsyncSession, *, principal: Principal, lab_id: UUID, year: int
) -> LabReport:
    await load_lab(session, principal, lab_id, LabAction.VIEW)
    current = await report_repository.year_aggregates(session, lab_id=lab_id, year=year)
    previous = await report_repository.year_total(session, lab_id=lab_id, year=year - 1)
    total = current.total_kg
    top = sorted(current.by_factor, key=lambda item: (-item.kg, item.key))[:TOP_FACTORS]
    change = total - previous
    return LabReport(
        lab_id=lab_id,
        year=year,
        total_kg_co2e=total,
        entry_count=current.entries,
        by_category=[
            CategoryTotal(category=FactorCategory(name), kg_co2e=kg)
            for name, kg in sorted(current.by_category.items())
        ],
        by_scope=[ScopeTotal(scope=s, kg_co2e=kg) for s, kg in sorted(current.by_scope.items())],
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
    )


async def institution_report(
    session: AsyncSession, *, principal: Principal, year: int
) -> InstitutionReport:
    authorize(principal.user, Action.VIEW_INSTITUTION_REPORT)
    rows = await report_repository.by_lab_and_category(session, year=year)
    by_category: dict[str, Decimal] = {}
    for row in rows:
        by_category[row.category] = by_category.get(row.category, Decimal(0)) + row.kg
    return InstitutionReport(
        year=year,
        total_kg_co2e=sum(by_category.values(), Decimal(0)),
        by_category=[
            CategoryTotal(category=FactorCategory(name), kg_co2e=kg)
            for name, kg in sorted(by_category.items())
        ],
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
    )
