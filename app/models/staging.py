"""Staging tables: uploaded CSV rows as text, COPYed in at upload time and validated and moved by
the job in set-based SQL. Plain tables (no API shape), in the same metadata as the models.

All UNLOGGED: scratch rows, written without WAL and removed when their job ends. After an unclean
shutdown of PostgreSQL (or on a promoted replica) they are empty, and a job whose rows are gone
fails asking for the file again (nothing is imported).

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
    Index,
    Numeric,
    SmallInteger,
    Table,
    Text,
    Uuid,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import SQLModel

from app.models.entry import EntryBase, EntryCreate, TypedEntryCreate
from app.models.factor import FactorCreate


def _job_column(**options: Any) -> Column[Any]:
    """The job a staged (or computed) row belongs to: gone with the job."""
    return Column(
        "job_id",
        Uuid,
        ForeignKey("data_ingestion_jobs.id", ondelete="CASCADE"),
        **({"primary_key": True} | options),
    )


def _staging_table(name: str, *columns: str) -> Table:
    return Table(
        name,
        SQLModel.metadata,
        # COPY leaves job_id out: it comes from `SET LOCAL co2.import_job` of the upload.
        _job_column(server_default=text("current_setting('co2.import_job')::uuid")),
        Column("seq", BigInteger, Identity(always=True), primary_key=True),
        *(Column(column, Text) for column in columns),
        prefixes=["UNLOGGED"],
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
    prefixes=["UNLOGGED"],
)
factor_staging = _staging_table("import_factor_row", *FACTOR_COLUMNS)

# The entries a batch of staged rows becomes, checked and computed beside the job's transaction
# (app/services/activity_imports.py), which then only moves them into `activity_entry` adding
# the columns that are the job's. UNLOGGED: scratch rows, moved or discarded within the job (a
# crash empties the table, and the job's next attempt checks its rows again).
# Its columns: what the check computes of an entry, then every other field of EntryBase, as text
# (the import reads them so: app/repositories/activity_import.py).
_CHECK_COMPUTES: dict[str, Any] = {
    "id": Uuid,
    "factor_id": Uuid,
    "kg_co2e": Numeric(24, 6),
    "date": Date,
    "quantity": Numeric(18, 6),
    "kind": Text,
    "activity": JSONB,
}
ACTIVITY_CHECKED: dict[str, Any] = _CHECK_COMPUTES | {
    name: Text for name in EntryBase.model_fields if name not in _CHECK_COMPUTES
}
activity_checked = Table(
    "import_activity_checked",
    SQLModel.metadata,
    _job_column(primary_key=False, nullable=False),
    Column("seq", BigInteger, nullable=False),  # the staged row's
    Column("part", SmallInteger, nullable=False),  # as in import_activity_computed
    *(Column(name, kind) for name, kind in ACTIVITY_CHECKED.items()),
    # A block-range index, not a key: a batch's rows are written together, in seq order, and
    # read and deleted by seq range. A B-tree cost its check 0.4-0.6 s a 100,000-row batch.
    Index("ix_import_activity_checked_job_id_seq", "job_id", "seq", postgresql_using="brin"),
    prefixes=["UNLOGGED"],
)
