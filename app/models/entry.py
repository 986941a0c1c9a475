"""Activity entries: what a lab consumed, and the kg CO2e the server computed for it."""

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal
from uuid import UUID, uuid4

from pydantic import BeforeValidator, Discriminator, Tag, WithJsonSchema
from sqlalchemy import CheckConstraint, Column, Computed, Index, Integer
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel
from sqlmodel._compat import SQLModelConfig  # the type SQLModel.model_config is declared with

from app.core.pagination import Page
from app.models.activity import (
    Activity,
    EntryKind,
    EquipmentInput,
    FlightInput,
    PurchaseInput,
    RefrigerantInput,
)
from app.models.base import (
    Body,
    DecimalInput,
    DecimalOut,
    created_at_field,
    enum_field,
    parse_iso_date,
    text_field,
    updated_at_field,
)
from app.models.factor import FactorCategory, FactorKey, Unit
from app.models.family import Patch, property_order
from app.models.kg import kg_co2e_type

_MONTH = r"^([1-9][0-9]{3}|0[1-9][0-9]{2}|00[1-9][0-9]|000[1-9])-(0[1-9]|1[0-2])$"
_MONTH_PATTERN = re.compile(_MONTH)


def _month_or_date(value: Any) -> date:
    """`YYYY-MM` means the whole month: stored as its first day."""
    if isinstance(value, str) and _MONTH_PATTERN.fullmatch(value):
        value = f"{value}-01"
    return parse_iso_date(value)


ActivityDate = Annotated[
    date,
    # Before pydantic's own date check, which then sees only dates: its lax mode would also take
    # `0` as 1970-01-01. Not a PlainValidator, whose default serializer is slower and warns.
    BeforeValidator(_month_or_date),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "format": "date"},
                {"type": "string", "pattern": _MONTH},
            ],
            "description": "`YYYY-MM-DD`, or `YYYY-MM` for a month",
        },
        mode="validation",  # out, a date is a date
    ),
]
QUANTITY = DecimalInput(integer_digits=12, decimal_places=6)
Quantity = Annotated[Decimal, QUANTITY]
MAX_NOTE = 1000


class EntryCommon(SQLModel):
    """What every kind of entry has: the typed activities (app/models/activity.py) take these
    fields from here, and the plain quantity adds its own (`EntryBase`)."""

    date: ActivityDate
    note: str = text_field(max_length=MAX_NOTE, default="")


class EntryBase(EntryCommon):
    """What a client writes and reads of an entry; the table, `EntryCreate`, `EntryPublic` and
    (every field optional) `EntryUpdate` take these fields from here, and the CSV import's
    columns are those of `EntryCreate` (app/models/staging.py). For a typed activity the server
    computes `quantity` from the activity's inputs."""

    quantity: Quantity = Field(sa_type=QUANTITY.column_type())


# SQL of the year whose factor an entry takes: its date's year; for an equipment's later years,
# the purchase year (its activity's `year_of_lifetime` counts from 1). An entry on a factor of an
# earlier year than this rests on year rollover (docs/factor-library.md#year-rollover).
FACTOR_FOR_YEAR_SQL = (
    "extract(year FROM date)::int + 1 - coalesce((activity ->> 'year_of_lifetime')::int, 1)"
)


class ActivityEntry(EntryBase, table=True):
    __tablename__ = "activity_entry"
    __table_args__ = (
        # Keyset pages by (date, id); the included columns let a report aggregate a lab-year
        # from the index alone (`factor_for_year`: which entries rest on year rollover).
        Index(
            "ix_activity_entry_lab_id_date_id_covering",
            "lab_id",
            "date",
            "id",
            postgresql_include=["factor_id", "quantity", "factor_for_year"],
        ),
        Index("ix_activity_entry_factor_id", "factor_id"),
        # An import's entries are written together, so they sit in neighbouring pages: a block
        # range index finds them for an undo at a fraction of a B-tree's cost per inserted row.
        Index("ix_activity_entry_import_id_brin", "import_id", postgresql_using="brin"),
        CheckConstraint("quantity >= 0", name="non_negative_quantity"),
        CheckConstraint("(kind = 'quantity') = (activity IS NULL)", name="activity_of_kind"),
    )

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    lab_id: UUID = Field(foreign_key="lab.id", ondelete="CASCADE")
    factor_id: UUID = Field(foreign_key="emission_factor.id", ondelete="RESTRICT")
    kg_co2e: Decimal = Field(sa_type=kg_co2e_type())
    import_id: UUID | None = Field(
        default=None, foreign_key="data_ingestion_jobs.id", ondelete="SET NULL"
    )
    created_by: UUID | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    kind: EntryKind = enum_field(
        EntryKind,
        name="entry_kind",
        default=EntryKind.QUANTITY,
        server_default=EntryKind.QUANTITY,  # the rows of before the typed activities
    )
    # A typed activity's inputs and computed figures, as `Activity` serialises them to JSON.
    # None is SQL NULL, not JSON `null` (which `activity_of_kind` refuses for a quantity entry).
    activity: dict[str, Any] | None = Field(default=None, sa_type=JSONB(none_as_null=True))
    # Kept by PostgreSQL from `date` and `activity` (a stored generated column): never written.
    factor_for_year: int | None = Field(
        default=None,
        sa_column=Column(Integer, Computed(FACTOR_FOR_YEAR_SQL, persisted=True), nullable=False),
    )
    version: int = Field(default=1)
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()


class EntryCreate(Body, EntryBase):
    """A plain quantity of a factor's unit (`kind` may be left out)."""

    model_config = SQLModelConfig(
        extra="forbid",
        json_schema_extra=property_order("date", "factor_key", "quantity", "unit", "note", "kind"),
    )

    factor_key: FactorKey = Field(max_length=100)
    unit: Unit | None = Field(default=None, description="When given, must equal the factor's unit")
    kind: Literal["quantity"] = "quantity"


class FlightEntryCreate(Body, EntryCommon, FlightInput):
    """A flight; the server computes the passenger-km and picks the factor."""

    model_config = SQLModelConfig(extra="forbid")
    kind: Literal["flight"]


class PurchaseEntryCreate(Body, EntryCommon, PurchaseInput):
    """A purchase; the server converts the amount to the factor's currency."""

    model_config = SQLModelConfig(extra="forbid")
    kind: Literal["purchase"]


class RefrigerantEntryCreate(Body, EntryCommon, RefrigerantInput):
    """A refrigerant leak or recharge; the factor is the gas's GWP100."""

    model_config = SQLModelConfig(extra="forbid")
    kind: Literal["refrigerant"]


class EquipmentEntryCreate(Body, EntryCommon, EquipmentInput):
    """Equipment bought on `date`; the server adds an entry per year of its lifetime."""

    model_config = SQLModelConfig(extra="forbid")
    kind: Literal["equipment"]


def _kind_of(body: Any) -> str:
    """The variant of a new entry: its `kind`, `quantity` when left out (plain entries predate
    the typed activities)."""
    if isinstance(body, dict):
        kind = body.get("kind", EntryKind.QUANTITY.value)
        return kind if isinstance(kind, str) else ""
    return str(getattr(body, "kind", EntryKind.QUANTITY.value))


NewEntry = Annotated[
    Annotated[EntryCreate, Tag(EntryKind.QUANTITY.value)]
    | Annotated[FlightEntryCreate, Tag(EntryKind.FLIGHT.value)]
    | Annotated[PurchaseEntryCreate, Tag(EntryKind.PURCHASE.value)]
    | Annotated[RefrigerantEntryCreate, Tag(EntryKind.REFRIGERANT.value)]
    | Annotated[EquipmentEntryCreate, Tag(EntryKind.EQUIPMENT.value)],
    Discriminator(_kind_of),
]
TypedEntryCreate = (
    FlightEntryCreate | PurchaseEntryCreate | RefrigerantEntryCreate | EquipmentEntryCreate
)


class EntryUpdate(Patch):
    """PATCH: the fields to change, plus the `version` you last read."""

    __fields_of__ = EntryBase
    model_config = SQLModelConfig(
        extra="forbid",
        json_schema_extra=property_order("version", "date", "factor_key", "quantity", "note"),
    )

    factor_key: FactorKey | None = Field(default=None, max_length=100)


class EntryPublic(EntryBase):
    model_config = SQLModelConfig(
        json_schema_serialization_defaults_required=True,  # always sent
        json_schema_extra=property_order(
            "id",
            "lab_id",
            "date",
            "factor_id",
            "factor_key",
            "category",
            "scope",
            "unit",
            "quantity",
            "kg_co2e",
            "note",
            "kind",
            "activity",
            "import_id",
            "version",
            "created_at",
            "updated_at",
            response=True,
        ),
    )

    id: UUID
    lab_id: UUID
    factor_id: UUID
    factor_key: str
    category: FactorCategory
    scope: int
    unit: str
    kg_co2e: DecimalOut
    import_id: UUID | None
    version: int
    created_at: datetime
    updated_at: datetime
    kind: EntryKind
    activity: Activity | None = Field(
        description="A typed activity's inputs and the figures computed from them (distance, "
        "exchange rate, GWP); null for a plain quantity"
    )
    factor_year: int = Field(
        description="The year of the factor applied: earlier than the entry's own year when "
        "that year had no factor of its key yet (year rollover); the entry moves to its own "
        "year's factor when one is added"
    )


class EntryPage(Page[EntryPublic]):
    """A page of activity entries."""
