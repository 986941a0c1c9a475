"""A lab's reduction target (SPEC §13): a baseline year, a target year and the reduction (in
percent of the baseline year's emissions) to reach by then; and its progress, year by year
(docs/targets.md)."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal
from uuid import UUID, uuid4

from pydantic import ValidationInfo, field_validator
from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel
from sqlmodel._compat import SQLModelConfig  # the type SQLModel.model_config is declared with

from app.models.base import (
    FORBID_UNKNOWN_FIELDS,
    DecimalInput,
    DecimalOut,
    JsonInt,
    created_at_field,
    updated_at_field,
)
from app.models.factor import FIRST_YEAR, LAST_YEAR

# 0 to 100 % of the baseline, in hundredths of a percent.
REDUCTION = DecimalInput(integer_digits=3, decimal_places=2, maximum=100)
ReductionPct = Annotated[Decimal, REDUCTION]
TARGET_YEAR_AFTER_BASELINE = "the target year must be after the baseline year"


class TargetBase(SQLModel):
    """What a client writes and reads of a lab's target; the table, `TargetPut` and
    `TargetPublic` take these fields from here."""

    baseline_year: JsonInt = Field(
        ge=FIRST_YEAR, le=LAST_YEAR, description="The year whose emissions the reduction is of"
    )
    target_year: JsonInt = Field(
        ge=FIRST_YEAR,
        le=LAST_YEAR,
        description="The year the reduction is to be reached; after the baseline year",
    )
    reduction_pct: ReductionPct = Field(
        sa_type=REDUCTION.column_type(),
        description="The reduction to reach by the target year, in percent of the baseline "
        "year's emissions (0 to 100, at most 2 decimals)",
    )


class Target(TargetBase, table=True):
    __tablename__ = "reduction_target"
    __table_args__ = (
        # One target per lab, and one for the institution (the row without a lab).
        UniqueConstraint("lab_id", postgresql_nulls_not_distinct=True),
        CheckConstraint("target_year > baseline_year", name="target_after_baseline"),
        CheckConstraint("reduction_pct BETWEEN 0 AND 100", name="reduction_range"),
        CheckConstraint(
            f"baseline_year BETWEEN {FIRST_YEAR} AND {LAST_YEAR} "
            f"AND target_year BETWEEN {FIRST_YEAR} AND {LAST_YEAR}",
            name="year_range",
        ),
    )

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    lab_id: UUID | None = Field(default=None, foreign_key="lab.id", ondelete="CASCADE")
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()


class TargetPut(TargetBase):
    """A target, as `PUT /labs/{lab_id}/target` and `PUT /institution/target` take it (it
    replaces the one there was)."""

    model_config = FORBID_UNKNOWN_FIELDS

    @field_validator("target_year")
    @classmethod
    def _after_baseline(cls, target_year: int, info: ValidationInfo) -> int:
        # `baseline_year` comes first, so it is in `info.data` when valid (its own error otherwise).
        baseline = info.data.get("baseline_year")
        if baseline is not None and target_year <= baseline:
            raise ValueError(TARGET_YEAR_AFTER_BASELINE)
        return target_year


class InstitutionTargetPublic(TargetBase):
    """The institution's target (`/institution/target`): it has no lab."""

    model_config = SQLModelConfig(json_schema_serialization_defaults_required=True)

    created_at: datetime
    updated_at: datetime


class TargetPublic(InstitutionTargetPublic):
    """A lab's target."""

    lab_id: UUID


class TargetYear(SQLModel):
    year: int
    path_kg_co2e: DecimalOut | None = Field(
        description="Where the path is this year (half-even to 0.001 kg); None when the baseline "
        "year has no entries (no path to draw)"
    )
    actual_kg_co2e: DecimalOut | None = Field(
        description="The year's headline total, as the report gives it; None when the year has "
        "no entries"
    )
    entry_count: int
    gap_kg_co2e: DecimalOut | None = Field(
        description="actual - path: above 0 the lab is above its path; None without both"
    )
    on_track: bool | None = Field(description="actual ≤ path; None without both")


class ProgressFigures(SQLModel):
    """The target's path and the actual emissions, every year from the baseline to the target
    year (years without entries included, with `actual_kg_co2e` None)."""

    path: Literal["linear"] = Field(
        description="The path is a straight line from the baseline year's total to "
        "(1 - reduction) x that total in the target year"
    )
    baseline_kg_co2e: DecimalOut | None = Field(
        description="The baseline year's headline total; None when it has no entries"
    )
    target_kg_co2e: DecimalOut | None = Field(
        description="What the target year must not exceed (half-even to 0.001 kg)"
    )
    years: list[TargetYear]


class TargetProgress(ProgressFigures):
    """A lab's target, its path and the lab's actual emissions; a lab without a target has
    `target` null and no years."""

    target: TargetPublic | None


class InstitutionTargetProgress(ProgressFigures):
    """The institution's target, its path and the sum of every lab's actual emissions."""

    target: InstitutionTargetPublic
