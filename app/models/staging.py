"""Staging tables: uploaded CSV rows as text, COPYed in at upload time and validated and moved by
the job in set-based SQL. Plain tables (no API shape), in the same metadata as the models.

`seq` increases in file order within one upload (COPY inserts in order), so a row's line in the
file is its rank by `seq` within the job, plus one for the header.
"""

from typing import Any, get_args

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    ForeignKey,
    Identity,
    SmallInteger,
    Table,
    Text,
    Uuid,
    text,
)
from sqlmodel import SQLModel

from app.models.entry import EntryCreate, TypedEntryCreate
from app.models.factor import FactorCreate


def _job_column(**options: Any) -> Column[Any]:
    """The job a staged (or computed) row belongs to: gone with the job."""
    return Column(
        "job_id",
        Uuid,
        ForeignKey("data_ingestion_jobs.id", ondelete="CASCADE"),
        primary_key=True,
        **options,
    )


def _staging_table(name: str, *columns: str) -> Table:
    return Table(
        name,
        SQLModel.metadata,
        # COPY leaves job_id out: it comes from `SET LOCAL co2.import_job` of the upload.
        _job_column(server_default=text("current_setting('co2.import_job')::uuid")),
        Column("seq", BigInteger, Identity(always=True), primary_key=True),
        *(Column(column, Text) for column in columns),
    )


# An activity CSV has the columns of a POST of an entry, of every kind: a plain quantity's in
# the order of its schema, then those the typed activities add, in theirs.
ACTIVITY_COLUMNS: tuple[str, ...] = tuple(
    dict.fromkeys(
        name
        for model in (EntryCreate, *get_args(TypedEntryCreate))
        for name in model.model_json_schema()["properties"]
    )
)
_PLAIN_REQUIRED = frozenset(
    name for name, field in EntryCreate.model_fields.items() if field.is_required()
)


def activity_required(present: frozenset[str]) -> frozenset[str]:
    """The columns a header must have: a plain quantity's without a `kind` column (as before the
    typed activities); with one, only `date` (each kind's rows are checked for their inputs)."""
    return _PLAIN_REQUIRED if "kind" not in present else frozenset({"date"})


# What the import computes for a typed row before the set-based checks: its factor key, quantity
# (of the factor's unit), unit and activity (JSON), or the column and message of why it cannot
# be computed. A table of their own, written by COPY (an UPDATE of the staged rows would rewrite
# each one, and leave the insert twice the pages to read).
ACTIVITY_COMPUTED = (
    "factor_key",
    "quantity",
    "unit",
    "activity",
    "problem_column",
    "problem_message",
)
# A factors CSV has the columns of a POST of a factor, in the order of its schema.
FACTOR_COLUMNS: tuple[str, ...] = tuple(FactorCreate.model_json_schema()["properties"])
FACTOR_REQUIRED = frozenset(
    name for name, field in FactorCreate.model_fields.items() if field.is_required()
)

activity_staging = _staging_table("import_activity_row", *ACTIVITY_COLUMNS)
activity_computed = Table(
    "import_activity_computed",
    SQLModel.metadata,
    _job_column(),
    Column("seq", BigInteger, primary_key=True),  # the staged row's
    # An equipment row is an entry per year of its lifetime: part 0 is the purchase year, dated
    # as the row; part k is dated `entry_date`, 1 January k years later. Other rows: part 0.
    Column("part", SmallInteger, primary_key=True),
    Column("entry_date", Date),
    *(Column(column, Text) for column in ACTIVITY_COMPUTED),
)
factor_staging = _staging_table("import_factor_row", *FACTOR_COLUMNS)
