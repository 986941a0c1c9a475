"""Headcount: a lab's full-time equivalents (FTE) per year and staff category (SPEC §13), the
denominator of the reports' per-FTE figures."""

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated
from uuid import UUID, uuid4

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel
from sqlmodel._compat import SQLModelConfig  # the type SQLModel.model_config is declared with

from app.models.base import (
    DecimalInput,
    DecimalOut,
    created_at_field,
    enum_field,
    updated_at_field,
)
from app.models.factor import FIRST_YEAR, LAST_YEAR


class StaffCategory(StrEnum):
    """Who the FTE are. Every person counts once, in the category of their main contract."""

    PROFESSORS = "professors"  # full, associate and assistant professors; group leaders
    RESEARCHERS = "researchers"  # postdocs, scientists, senior researchers, research engineers
    PHD_STUDENTS = "phd_students"  # doctoral candidates, whoever pays them
    TECHNICAL_ADMINISTRATIVE = "technical_administrative"  # technicians, lab managers, admin staff
    STUDENTS = "students"  # master and bachelor students, interns, apprentices


# 0 to 10,000 FTE per category and lab-year, in hundredths (0.25 = a quarter-time position).
MAX_FTE = 10_000
FTE = DecimalInput(integer_digits=5, decimal_places=2, maximum=MAX_FTE)
Fte = Annotated[Decimal, FTE]


class HeadcountBase(SQLModel):
    """What a client writes and reads of one staff category in a lab-year; the table,
    `HeadcountCreate` and `HeadcountPublic` take these fields from here."""

    category: StaffCategory = enum_field(StaffCategory, name="staff_category")
    fte: Fte = Field(
        sa_type=FTE.column_type(),
        description=f"Full-time equivalents, 0 to {MAX_FTE}, at most 2 decimals",
    )


class Headcount(HeadcountBase, table=True):
    __tablename__ = "headcount"
    __table_args__ = (
        UniqueConstraint("lab_id", "year", "category"),
        CheckConstraint(f"fte >= 0 AND fte <= {MAX_FTE}", name="fte_range"),
        CheckConstraint(f"year BETWEEN {FIRST_YEAR} AND {LAST_YEAR}", name="year_range"),
    )

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    lab_id: UUID = Field(foreign_key="lab.id", ondelete="CASCADE")
    year: int
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()


class HeadcountCreate(HeadcountBase):
    """One category of a lab-year, as `PUT /labs/{lab_id}/headcount/{year}` takes it."""

    model_config = SQLModelConfig(extra="forbid")


class HeadcountReplace(SQLModel):
    """Every category of a lab-year: replaces what was stored for that year (a category left out
    is removed). Each category at most once."""

    model_config = SQLModelConfig(extra="forbid")

    categories: list[HeadcountCreate] = Field(min_length=1, max_length=len(StaffCategory))


class HeadcountPublic(HeadcountBase):
    model_config = SQLModelConfig(json_schema_serialization_defaults_required=True)

    updated_at: datetime


class HeadcountYearPublic(SQLModel):
    """A lab-year's headcount: its categories (in the order of `StaffCategory`) and their sum."""

    model_config = SQLModelConfig(json_schema_serialization_defaults_required=True)

    lab_id: UUID
    year: int
    total_fte: DecimalOut
    categories: list[HeadcountPublic]
