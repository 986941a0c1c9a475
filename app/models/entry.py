"""Activity entries: what a lab consumed, and the kg CO2e the server computed for it."""

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID, uuid4

from pydantic import PlainValidator, WithJsonSchema
from sqlalchemy import CheckConstraint, Index, Numeric
from sqlmodel import Field, SQLModel

from app.core.pagination import Page
from app.models.base import (
    FORBID_UNKNOWN_FIELDS,
    DecimalInput,
    DecimalOut,
    JsonInt,
    created_at_field,
    parse_iso_date,
    text_field,
    updated_at_field,
)
from app.models.factor import FactorCategory, FactorKey, Unit

_MONTH = r"^([1-9][0-9]{3}|0[1-9][0-9]{2}|00[1-9][0-9]|000[1-9])-(0[1-9]|1[0-2])$"


def _month_or_date(value: Any) -> date:
    """`YYYY-MM` means the whole month: stored as its first day."""
    if isinstance(value, str) and re.fullmatch(_MONTH, value):
        value = f"{value}-01"
    return parse_iso_date(value)


ActivityDate = Annotated[
    date,
    PlainValidator(_month_or_date),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "format": "date"},
                {"type": "string", "pattern": _MONTH},
            ],
            "description": "`YYYY-MM-DD`, or `YYYY-MM` for a month",
        }
    ),
]
Quantity = Annotated[Decimal, DecimalInput(integer_digits=12, decimal_places=6)]
# kg_co2e is NUMERIC(24, 6): a quantity times a factor must stay below this to be stored.
KG_CO2E_LIMIT = Decimal(10) ** 18


class ActivityEntry(SQLModel, table=True):
    __tablename__ = "activity_entry"
    __table_args__ = (
        # Keyset pages by (date, id); the included columns let a report aggregate a lab-year
        # from the index alone.
        Index(
            "ix_activity_entry_lab_id_date_id_covering",
            "lab_id",
            "date",
            "id",
            postgresql_include=["factor_id", "quantity"],
        ),
        Index("ix_activity_entry_factor_id", "factor_id"),
        # An import's entries are written together, so they sit in neighbouring pages: a block
        # range index finds them for an undo at a fraction of a B-tree's cost per inserted row.
        Index("ix_activity_entry_import_id_brin", "import_id", postgresql_using="brin"),
        CheckConstraint("quantity >= 0", name="non_negative_quantity"),
    )

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    lab_id: UUID = Field(foreign_key="lab.id", ondelete="CASCADE")
    factor_id: UUID = Field(foreign_key="emission_factor.id", ondelete="RESTRICT")
    date: date
    quantity: Decimal = Field(sa_type=Numeric(18, 6))
    kg_co2e: Decimal = Field(sa_type=Numeric(24, 6))
    note: str = Field(default="", max_length=1000)
    import_id: UUID | None = Field(
        default=None, foreign_key="data_ingestion_jobs.id", ondelete="SET NULL"
    )
    created_by: UUID | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    version: int = Field(default=1)
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()


class EntryCreate(SQLModel):
    model_config = FORBID_UNKNOWN_FIELDS

    date: ActivityDate
    factor_key: FactorKey = Field(max_length=100)
    quantity: Quantity
    unit: Unit | None = Field(default=None, description="When given, must equal the factor's unit")
    note: str = text_field(max_length=1000, default="")


class EntryUpdate(SQLModel):
    model_config = FORBID_UNKNOWN_FIELDS

    version: JsonInt = Field(ge=1, le=2**31 - 1)
    date: ActivityDate | None = None
    factor_key: FactorKey | None = Field(default=None, max_length=100)
    quantity: Quantity | None = None
    note: str | None = text_field(max_length=1000, default=None)


class EntryPublic(SQLModel):
    id: UUID
    lab_id: UUID
    date: date
    factor_id: UUID
    factor_key: str
    category: FactorCategory
    scope: int
    unit: str
    quantity: DecimalOut
    kg_co2e: DecimalOut
    note: str
    import_id: UUID | None
    version: int
    created_at: datetime
    updated_at: datetime


class EntryPage(Page[EntryPublic]):
    """A page of activity entries."""
