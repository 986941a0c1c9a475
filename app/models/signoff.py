"""Year sign-off (SPEC §13): a lab-year goes `open → submitted → validated`; every transition is
recorded. A year without a `lab_year` row is open. docs/sign-off.md has the rules."""

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

from sqlalchemy import CheckConstraint, Index
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel
from sqlmodel._compat import SQLModelConfig  # the type SQLModel.model_config is declared with

from app.models.base import (
    DecimalOut,
    JsonInt,
    created_at_field,
    enum_field,
    text_field,
    time_ordered_id,
    updated_at_field,
)
from app.models.factor import FIRST_YEAR, LAST_YEAR, FactorCategory
from app.models.kg import kg_co2e_type


class YearState(StrEnum):
    OPEN = "open"  # entries, imports and headcount may change
    SUBMITTED = "submitted"  # the lab's managers hand the year in: its figures are frozen
    VALIDATED = "validated"  # an admin accepted it: the figures as signed are stored


class YearAction(StrEnum):
    SUBMIT = "submit"  # open → submitted (the lab's managers)
    VALIDATE = "validate"  # submitted → validated (admins)
    SEND_BACK = "send_back"  # submitted → open (admins, with a reason)
    REOPEN = "reopen"  # validated → open (admins, with a reason)


# (from, to) of each action; anything else is refused.
TRANSITIONS: dict[YearAction, tuple[YearState, YearState]] = {
    YearAction.SUBMIT: (YearState.OPEN, YearState.SUBMITTED),
    YearAction.VALIDATE: (YearState.SUBMITTED, YearState.VALIDATED),
    YearAction.SEND_BACK: (YearState.SUBMITTED, YearState.OPEN),
    YearAction.REOPEN: (YearState.VALIDATED, YearState.OPEN),
}
# Whose figures are frozen: writes that would change them answer 409 `year-locked`.
LOCKED_STATES = frozenset({YearState.SUBMITTED, YearState.VALIDATED})
REASON_REQUIRED = frozenset({YearAction.SEND_BACK, YearAction.REOPEN})
_YEAR_RANGE = f"year BETWEEN {FIRST_YEAR} AND {LAST_YEAR}"


class LabYear(SQLModel, table=True):
    """A lab-year's sign-off state; while validated, the figures as signed (computed like the
    report, from the factors' values at validation)."""

    __tablename__ = "lab_year"
    __table_args__ = (CheckConstraint(_YEAR_RANGE, name="year_range"),)

    lab_id: UUID = Field(foreign_key="lab.id", ondelete="CASCADE", primary_key=True)
    year: int = Field(primary_key=True)
    state: YearState = enum_field(YearState, name="state", default=YearState.OPEN)
    version: int = Field(default=0)
    signed_kg_co2e: Decimal | None = Field(default=None, sa_type=kg_co2e_type())
    signed_entry_count: int | None = None
    # {category: kg} and {scope: kg}, kg as exact decimal strings.
    signed_by_category: dict[str, str] | None = Field(default=None, sa_type=JSONB)
    signed_by_scope: dict[str, str] | None = Field(default=None, sa_type=JSONB)
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()


class LabYearTransition(SQLModel, table=True):
    """One transition of a lab-year, written in the transaction that made it; never changed."""

    __tablename__ = "lab_year_transition"
    __table_args__ = (
        CheckConstraint(_YEAR_RANGE, name="year_range"),
        Index("ix_lab_year_transition_lab_id_year", "lab_id", "year", "at"),
    )

    id: UUID = Field(default_factory=time_ordered_id, primary_key=True)
    lab_id: UUID = Field(foreign_key="lab.id", ondelete="CASCADE")
    year: int
    action: YearAction = enum_field(YearAction, name="action")
    from_state: YearState = enum_field(YearState, name="from_state")
    to_state: YearState = enum_field(YearState, name="to_state")
    reason: str | None = None
    actor_id: UUID | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    actor_email: str  # as it was: the account may change or go
    signed_kg_co2e: Decimal | None = Field(default=None, sa_type=kg_co2e_type())
    at: datetime = created_at_field()


class YearTransitionRequest(SQLModel):
    """A transition of a lab-year: the `version` read from its status (0 for a year never
    signed off), and why (required to send back or reopen)."""

    model_config = SQLModelConfig(extra="forbid")

    version: JsonInt = Field(ge=0, description="The year's version, from its status")
    reason: str | None = text_field(
        max_length=2000, default=None, description="Required to send back or reopen"
    )


# At least one character that is not white space, and no NUL (PostgreSQL text refuses it).
REASON_PATTERN = r"^[^\x00]*[^\s\x00][^\x00]*$"


class YearTransitionWithReason(YearTransitionRequest):
    """Sending back or reopening a year: the reason is required (not blank)."""

    reason: str = Field(  # required here, optional in the base
        min_length=1,
        max_length=2000,
        schema_extra={"pattern": REASON_PATTERN},
        description="Why the year goes back to the lab",
    )


class YearTransitionPublic(SQLModel):
    model_config = SQLModelConfig(json_schema_serialization_defaults_required=True)

    action: YearAction
    from_state: YearState
    to_state: YearState
    reason: str | None
    actor_id: UUID | None = Field(description="None when the account was deleted")
    actor_email: str
    signed_kg_co2e: DecimalOut | None = Field(
        description="The total signed by a validation (None for other transitions)"
    )
    at: datetime


class SignedCategoryTotal(SQLModel):
    category: FactorCategory
    kg_co2e: DecimalOut = Field(description="As signed")


class SignedScopeTotal(SQLModel):
    scope: int = Field(ge=1, le=3)
    kg_co2e: DecimalOut = Field(description="As signed")


class SignedFigures(SQLModel):
    """A validated year's figures as signed, and the same figures with the current factors."""

    model_config = SQLModelConfig(json_schema_serialization_defaults_required=True)

    validated_at: datetime
    total_kg_co2e: DecimalOut = Field(description="As signed at validation")
    entry_count: int
    by_category: list[SignedCategoryTotal]
    by_scope: list[SignedScopeTotal]
    current_total_kg_co2e: DecimalOut = Field(
        description="The same entries with the current factors' values (as the report)"
    )
    difference_kg_co2e: DecimalOut = Field(description="current minus signed")


class YearStatusPublic(SQLModel):
    """A lab-year's sign-off: its state, version, the signed figures when validated, and every
    transition, oldest first."""

    model_config = SQLModelConfig(json_schema_serialization_defaults_required=True)

    lab_id: UUID
    year: int
    state: YearState
    version: int
    signed: SignedFigures | None = Field(description="Only while validated")
    history: list[YearTransitionPublic]


class ReportSignOff(SQLModel):
    """Where a report's year stands in its sign-off (details: `GET …/years/{year}/status`)."""

    model_config = SQLModelConfig(json_schema_serialization_defaults_required=True)

    state: YearState
    signed_total_kg_co2e: DecimalOut | None = Field(
        description="While validated: the total as signed; the report's own figures use the "
        "current factors"
    )
    difference_kg_co2e: DecimalOut | None = Field(
        description="While validated: the report's total minus the signed one"
    )
