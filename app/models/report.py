"""Report shapes (computed, never stored)."""

from uuid import UUID

from sqlmodel import Field, SQLModel

from app.models.base import DecimalOut
from app.models.factor import FactorCategory, Scope2Basis
from app.models.headcount import StaffCategory
from app.models.signoff import ReportSignOff


class Uncertainty(SQLModel):
    """The 95 % interval of a central value, propagated from the factors' uncertainty
    (docs/uncertainty.md): factors independent of each other, each fully correlated over its
    own entries, combined in quadrature. Entries whose factor publishes no uncertainty widen
    nothing: they are counted in `without_uncertainty_*`, so read the interval as covering the
    rest."""

    low_kg_co2e: DecimalOut = Field(
        description="Lower bound at 95 %, rounded down to 0.001 kg, never below 0"
    )
    high_kg_co2e: DecimalOut = Field(description="Upper bound at 95 %, rounded up to 0.001 kg")
    relative_pct: DecimalOut | None = Field(
        description="The half-width relative to the central value, in percent (half-even to "
        "0.1); None when the central value is 0"
    )
    without_uncertainty_entries: int = Field(
        description="Entries whose factor publishes no uncertainty"
    )
    without_uncertainty_kg_co2e: DecimalOut = Field(description="Their kg CO2e (exact)")


class CategoryTotal(SQLModel):
    category: FactorCategory
    kg_co2e: DecimalOut
    uncertainty: Uncertainty


class ScopeTotal(SQLModel):
    scope: int = Field(ge=1, le=3)
    kg_co2e: DecimalOut
    uncertainty: Uncertainty


class Scope2BasisTotal(SQLModel):
    """Scope 2 of one basis: every entry on its factors, whether the headline counts them or
    not (docs/scope2.md)."""

    basis: Scope2Basis | None = Field(description="None: scope 2 factors that state no basis")
    in_headline: bool = Field(description="Whether `total_kg_co2e` (and its breakdowns) count it")
    entry_count: int
    kg_co2e: DecimalOut
    uncertainty: Uncertainty


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


class StaffShare(SQLModel):
    category: StaffCategory
    fte: DecimalOut
    share: DecimalOut | None = Field(
        description="Fraction of the year's FTE (0 to 1, to 0.0001); None when the total is 0"
    )


class CategoryPerFte(SQLModel):
    category: FactorCategory
    t_co2e_per_fte: DecimalOut | None = Field(
        description="The category's emissions in t CO2e per FTE of the whole lab (to 0.001 t); "
        "None when the total FTE is 0"
    )


class HeadcountFigures(SQLModel):
    """The year's headcount and the emissions per FTE. Emissions are not recorded by staff
    category, so there is no t CO2e per FTE of a staff category: each category's FTE and share
    are given instead."""

    total_fte: DecimalOut
    t_co2e_per_fte: DecimalOut | None = Field(
        description="The year's total in t CO2e per FTE (half-even to 0.001 t); None when the "
        "total FTE is 0"
    )
    by_staff_category: list[StaffShare]
    by_category: list[CategoryPerFte] = Field(
        description="Per FTE by emission category, in the order of `by_category`"
    )


class Rollover(SQLModel):
    """What of a year rests on an earlier year's factor (no factor of its key for the year yet)."""

    entries: int
    kg_co2e: DecimalOut


class LabReport(SQLModel):
    lab_id: UUID
    year: int
    total_kg_co2e: DecimalOut
    uncertainty: Uncertainty = Field(description="The 95 % interval of `total_kg_co2e`")
    entry_count: int
    by_category: list[CategoryTotal]
    by_scope: list[ScopeTotal]
    scope2_headline_basis: Scope2Basis = Field(
        description="The scope 2 basis the headline total uses: location-based, unless the year "
        "has market-based entries and no location-based one (docs/scope2.md)"
    )
    scope2_by_basis: list[Scope2BasisTotal] = Field(
        description="Scope 2 location-based, market-based and without a basis, in that order, "
        "each only when the year has entries of it"
    )
    by_month: list[MonthTotal] = Field(description="Twelve months, zero where nothing was recorded")
    top_factors: list[FactorShare]
    previous_year_total_kg_co2e: DecimalOut
    change_kg_co2e: DecimalOut
    change_percent: DecimalOut | None = Field(
        description="Change against the previous year, in percent (None when it had no emissions)"
    )
    headcount: HeadcountFigures | None = Field(
        default=None, description="None when no headcount is recorded for the year"
    )
    rollover: Rollover = Field(
        description="Entries of the year whose factor is of an earlier year (year rollover), "
        "and their kg CO2e; they move to the year's own factor when it is added"
    )
    sign_off: ReportSignOff = Field(
        description="The year's sign-off; a validated year's figures as signed may differ from "
        "these, which use the current factors (docs/sign-off.md)"
    )


class LabCategoryRow(SQLModel):
    lab_id: UUID
    lab_code: str
    lab_name: str
    category: FactorCategory
    kg_co2e: DecimalOut


class LabPerFte(SQLModel):
    rank: int | None = Field(
        description="1 for the most t CO2e per FTE; None for labs without a headcount"
    )
    lab_id: UUID
    lab_code: str
    lab_name: str
    total_kg_co2e: DecimalOut
    total_fte: DecimalOut | None = Field(description="None when no headcount is recorded")
    t_co2e_per_fte: DecimalOut | None = Field(
        description="Half-even to 0.001 t; None without a headcount or with 0 FTE"
    )


class InstitutionReport(SQLModel):
    year: int
    total_kg_co2e: DecimalOut
    uncertainty: Uncertainty = Field(
        description="The 95 % interval of `total_kg_co2e`; a factor used by several labs is "
        "correlated across them"
    )
    by_category: list[CategoryTotal]
    by_lab_and_category: list[LabCategoryRow]
    per_fte: list[LabPerFte] = Field(
        default_factory=list,
        description="Every lab with emissions or a headcount in the year, most t CO2e per FTE "
        "first; labs without a headcount (or with 0 FTE) last, by code",
    )
