"""import_activity_checked: the entries a batch of an activities import becomes, checked and
computed in a session beside the job's transaction, which then moves them into activity_entry.
UNLOGGED scratch rows (moved or discarded within the job; a crash empties the table and the job's
next attempt checks its rows again).

The staging tables become UNLOGGED too: no WAL for an upload's rows, nor for their removal when
the job ends (a million-row import wrote both). After an unclean shutdown of PostgreSQL (or on a
promoted replica) they are empty: a job whose rows are gone fails with "Only 0 of the N uploaded
rows were found ... Upload the file again", and nothing is imported.

The report rollup's insert trigger becomes an ordinary one (it was ENABLE ALWAYS): a bulk load
that skips triggers (`session_replication_role = replica`, the activities import's move of its
checked rows) skips it too, and adds the sums itself (app/repositories/rollup.py), computed
beside its transaction. Every other insert fires it as before; updates, deletes and truncates
keep theirs ALWAYS.

Revision ID: 5d1f0c3a9e27
Revises: 77b3c135a54b
Create Date: 2026-12-05 00:00:00+00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision: str = "5d1f0c3a9e27"
down_revision: str | Sequence[str] | None = "77b3c135a54b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STAGING = ("import_activity_row", "import_activity_computed", "import_factor_row")


def upgrade() -> None:
    op.create_table(
        "import_activity_checked",
        sa.Column("job_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("part", sa.SmallInteger(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=True),
        sa.Column("factor_id", sa.Uuid(), nullable=True),
        sa.Column("kg_co2e", sa.Numeric(24, 6), nullable=True),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("quantity", sa.Numeric(18, 6), nullable=True),
        sa.Column("kind", sa.Text(), nullable=True),
        sa.Column("activity", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["data_ingestion_jobs.id"],
            name=op.f("fk_import_activity_checked_job_id_data_ingestion_jobs"),
            ondelete="CASCADE",
        ),
        prefixes=["UNLOGGED"],
    )
    op.create_index(
        "ix_import_activity_checked_job_id_seq",
        "import_activity_checked",
        ["job_id", "seq"],
        postgresql_using="brin",
    )
    for table in STAGING:
        op.execute(f"ALTER TABLE {table} SET UNLOGGED")
    op.execute("ALTER TABLE activity_entry ENABLE TRIGGER report_rollup_on_insert")


def downgrade() -> None:
    op.execute("ALTER TABLE activity_entry ENABLE ALWAYS TRIGGER report_rollup_on_insert")
    for table in STAGING:
        op.execute(f"ALTER TABLE {table} SET LOGGED")
    op.drop_table("import_activity_checked")
