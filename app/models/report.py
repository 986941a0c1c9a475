"""Report shapes (computed, never stored)."""

from uuid import UUID

from sqlmodel import Field, SQLModel

from app.models.base import DecimalOut
from app.models.factor import FactorCategory


class CategoryTotal(SQLModel):
    category: FactorCategory
    kg_co2e: DecimalOut


class ScopeTotal(SQLModel):
    scope: int = Field(ge=1, le=3)
    kg_co2e: DecimalOut


class MonthTotal(SQLModel):
    month: int = Field(ge=1, le=12)
    kg_co2e: DecimalOut


class FactorShare(SQLModel):
    factor_key: str
    category: FactorCategory
    unit: str
    quantity: DecimalOut
    kg_co2e: DecimalOut
    share: DecimalOut = Field(description="Fraction of the year's total (0 to 1)")


class LabReport(SQLModel):
    lab_id: UUID
    year: int
    total_kg_co2e: DecimalOut
    entry_count: int
    by_category: list[CategoryTotal]
    by_scope: list[ScopeTotal]
    by_month: list[MonthTotal] = Field(description="Twelve months, zero where nothing was recorded")
    top_factors: list[FactorShare]
    previous_year_total_kg_co2e: DecimalOut
    change_kg_co2e: DecimalOut
    change_percent: DecimalOut | None = Field(
        description="Change against the previous year, in percent (None when it had no emissions)"
    )


class LabCategoryRow(SQLModel):
    lab_id: UUID
    lab_code: str
    lab_name: str
    category: FactorCategory
    kg_co2e: DecimalOut


class InstitutionReport(SQLModel):
    year: int
    total_kg_co2e: DecimalOut
    by_category: list[CategoryTotal]
    by_lab_and_category: list[LabCategoryRow]
