"""Emission factors: kg CO2e per unit of an activity, by key, year and (optionally) region."""

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated
from uuid import UUID, uuid4

from pydantic import StringConstraints
from sqlalchemy import CheckConstraint, Index, Numeric, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.core.pagination import Page
from app.models.base import (
    FORBID_UNKNOWN_FIELDS,
    DecimalInput,
    JsonInt,
    created_at_field,
    enum_field,
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
    )

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    version: int = Field(default=1)
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()


class FactorCreate(EmissionFactorBase):
    model_config = FORBID_UNKNOWN_FIELDS


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
