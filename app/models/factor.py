"""Emission factors: kg CO2e per unit of an activity, by key, year and (optionally) region."""

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated
from uuid import UUID, uuid4

from annotated_types import Ge, Le
from pydantic import (
    BeforeValidator,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)
from sqlalchemy import CheckConstraint, Index, Numeric, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.core.pagination import Page
from app.models.base import (
    FORBID_UNKNOWN_FIELDS,
    DecimalInput,
    JsonInt,
    created_at_field,
    enum_field,
    json_integer,
    text_field,
    updated_at_field,
)
from app.models.family import Patch
from app.models.lab import Region

FACTOR_KEY_PATTERN = r"^[a-z0-9_]+(\.[A-Za-z0-9_-]+)*$"
FactorKey = Annotated[str, StringConstraints(pattern=FACTOR_KEY_PATTERN, max_length=100)]
UNIT_PATTERN = r"^[A-Za-z0-9_./%-]{1,20}$"
Unit = Annotated[str, StringConstraints(pattern=UNIT_PATTERN)]
KgPerUnit = Annotated[Decimal, DecimalInput(integer_digits=9, decimal_places=9)]
MAX_SOURCE = 500
MAX_SOURCE_PART = 200  # publisher, dataset, edition
SOURCE_URL_PATTERN = r"^(https?://[!-~]+)?$"  # blank, or an http(s) URL of printable ASCII
UNCERTAINTY = DecimalInput(integer_digits=4, decimal_places=2, maximum=1000)
UncertaintyPct = Annotated[Decimal, UNCERTAINTY]
FIRST_YEAR, LAST_YEAR = 1990, 2100


class FactorCategory(StrEnum):
    ELECTRICITY = "electricity"
    HEATING = "heating"
    FUEL = "fuel"
    AIR_TRAVEL = "air_travel"
    RAIL_TRAVEL = "rail_travel"
    ROAD_TRAVEL = "road_travel"
    PURCHASES = "purchases"
    EQUIPMENT = "equipment"
    WASTE = "waste"
    OTHER = "other"


class Scope2Basis(StrEnum):
    """GHG Protocol scope 2 guidance: the grid average where the energy is used, or what the
    organisation's contracts (certificates, supplier mix) say."""

    LOCATION = "location"
    MARKET = "market"


class CabinClass(StrEnum):
    ECONOMY = "economy"
    PREMIUM_ECONOMY = "premium_economy"
    BUSINESS = "business"
    FIRST = "first"


MAX_DISTANCE_KM = 100_000
# Bounds inside the type: on an optional field, `Field(ge=…)` would not reach the JSON Schema.
DistanceMinKm = Annotated[int, Ge(0), Le(MAX_DISTANCE_KM), BeforeValidator(json_integer)]
DistanceMaxKm = Annotated[int, Ge(1), Le(MAX_DISTANCE_KM), BeforeValidator(json_integer)]


class EmissionFactorBase(SQLModel):
    key: FactorKey = Field(max_length=100, description="Stable key, e.g. `electricity.grid.CH`")
    category: FactorCategory = enum_field(FactorCategory, name="factor_category")
    unit: Unit = Field(
        max_length=20, description="Unit of the activity quantity (kWh, km, kg, CHF…)"
    )
    kg_co2e_per_unit: KgPerUnit = Field(sa_type=Numeric(18, 9))
    # JSON integers only (lax mode would take `true` or `"2025"`, which the schema refuses).
    scope: JsonInt = Field(ge=1, le=3, description="GHG protocol scope")
    region: Region | None = Field(default=None, max_length=6)
    year: JsonInt = Field(ge=FIRST_YEAR, le=LAST_YEAR, description="Year of validity")
    source: str = text_field(max_length=MAX_SOURCE, default="")
    source_publisher: str = text_field(
        max_length=MAX_SOURCE_PART,
        default="",
        description="Who published the value, e.g. `IPCC` or `Our World in Data (via codecarbon)`",
    )
    source_dataset: str = text_field(
        max_length=MAX_SOURCE_PART, default="", description="The table or dataset it comes from"
    )
    source_edition: str = text_field(
        max_length=MAX_SOURCE_PART,
        default="",
        description="The edition or version of that dataset, e.g. `AR6` or `codecarbon 3.3.2`",
    )
    source_url: str = Field(
        default="",
        max_length=MAX_SOURCE,
        schema_extra={"pattern": SOURCE_URL_PATTERN},
        description="Where the source can be read (http or https), or blank",
    )
    uncertainty_pct: UncertaintyPct | None = Field(
        default=None,
        sa_type=UNCERTAINTY.column_type(),
        description="Relative uncertainty at 95 % confidence, in percent (0 to 1000), as "
        "published; null when the source publishes none",
    )
    basis: Scope2Basis | None = enum_field(
        Scope2Basis,
        name="scope2_basis",
        default=None,
        description="Scope 2 only: location-based or market-based; null for other scopes",
    )
    # A flight factor: the cabin class and distance band of a flight entry that it applies to
    # (app/services/flights.py); the bands are data, so a publisher's own bands can be loaded.
    cabin_class: CabinClass | None = enum_field(
        CabinClass,
        name="cabin_class",
        default=None,
        description="Flight factors only: the cabin class they apply to",
    )
    distance_min_km: DistanceMinKm | None = Field(
        default=None,
        description="Flight factors only: the band's lower bound, inclusive (one leg, uplift "
        "included)",
    )
    distance_max_km: DistanceMaxKm | None = Field(
        default=None,
        description="Flight factors only: the band's upper bound, exclusive; null: no bound",
    )


class EmissionFactor(EmissionFactorBase, table=True):
    __tablename__ = "emission_factor"
    __table_args__ = (
        UniqueConstraint(
            "key",
            "year",
            "region",
            name="uq_emission_factor_key_year_region",
            postgresql_nulls_not_distinct=True,
        ),
        Index("ix_emission_factor_category_year", "category", "year"),
        CheckConstraint("scope BETWEEN 1 AND 3", name="scope_range"),
        CheckConstraint("kg_co2e_per_unit >= 0", name="non_negative_factor"),
        CheckConstraint("uncertainty_pct BETWEEN 0 AND 1000", name="uncertainty_range"),
        CheckConstraint("basis IS NULL OR scope = 2", name="basis_only_scope_2"),
        CheckConstraint(
            "(cabin_class IS NULL) = (distance_min_km IS NULL) AND (distance_max_km IS NULL "
            "OR (distance_min_km IS NOT NULL AND distance_max_km > distance_min_km))",
            name="flight_band",
        ),
    )

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    version: int = Field(default=1)
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()


BASIS_NEEDS_SCOPE_2 = "a basis (location or market) is for scope 2 factors only"
FLIGHT_BAND_NEEDS_CABIN = "a flight factor has both a cabin class and a distance_min_km"
FLIGHT_BAND_ORDER = "distance_max_km must be above distance_min_km"


def flight_band_problem(
    cabin_class: CabinClass | None, distance_min_km: int | None, distance_max_km: int | None
) -> str | None:
    """What is wrong with a factor's flight band (the `flight_band` CHECK), or None."""
    if (cabin_class is None) != (distance_min_km is None):
        return FLIGHT_BAND_NEEDS_CABIN
    if distance_max_km is not None and (
        distance_min_km is None or distance_max_km <= distance_min_km
    ):
        return FLIGHT_BAND_ORDER
    return None


class FactorCreate(EmissionFactorBase):
    model_config = FORBID_UNKNOWN_FIELDS

    @field_validator("basis")
    @classmethod
    def _basis_only_for_scope_2(
        cls, basis: Scope2Basis | None, info: ValidationInfo
    ) -> Scope2Basis | None:
        # `scope` comes first, so it is in `info.data` when valid (its own error otherwise).
        if basis is not None and info.data.get("scope", 2) != 2:
            raise ValueError(BASIS_NEEDS_SCOPE_2)
        return basis

    @model_validator(mode="after")
    def _flight_band(self) -> "FactorCreate":
        problem = flight_band_problem(self.cabin_class, self.distance_min_km, self.distance_max_km)
        if problem is not None:
            raise ValueError(problem)
        return self


class FactorUpdate(Patch):
    """PATCH an admin-managed factor; changing its value recomputes every entry that uses it.
    A value with which one of them would weigh 10^18 kg CO2e or more (more than an entry can
    store) is refused with 422, naming the largest value they allow."""

    __fields_of__ = EmissionFactorBase
    __fields_excluded__ = frozenset({"key", "year", "region"})  # what names a factor
    model_config = FORBID_UNKNOWN_FIELDS


class FactorPublic(EmissionFactorBase):
    id: UUID
    version: int
    created_at: datetime
    updated_at: datetime


class FactorPage(Page[FactorPublic]):
    """A page of emission factors."""
