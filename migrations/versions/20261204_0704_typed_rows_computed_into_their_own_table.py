"""import_activity_computed: what a CSV import computed for its typed rows (factor key,
quantity, unit, activity, or the problem; an equipment row's entry per year of its lifetime),
written by COPY into a table of its own instead of an UPDATE of the staged rows (which rewrote
each of them). The staged rows lose the three computed columns; a queued import loses nothing
(its job computes them).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "4b7d7657cb79"
down_revision: str | Sequence[str] | None = "0f341aaf3b65"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "import_activity_computed",
        sa.Column("job_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("part", sa.SmallInteger(), nullable=False),
        sa.Column("entry_date", sa.Date(), nullable=True),
        sa.Column("factor_key", sa.Text(), nullable=True),
        sa.Column("quantity", sa.Text(), nullable=True),
        sa.Column("unit", sa.Text(), nullable=True),
        sa.Column("activity", sa.Text(), nullable=True),
        sa.Column("problem_column", sa.Text(), nullable=True),
        sa.Column("problem_message", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["data_ingestion_jobs.id"],
            name=op.f("fk_import_activity_computed_job_id_data_ingestion_jobs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("job_id", "seq", "part", name=op.f("pk_import_activity_computed")),
    )
    op.drop_column("import_activity_row", "problem_message")
    op.drop_column("import_activity_row", "activity")
    op.drop_column("import_activity_row", "problem_column")


def downgrade() -> None:
    op.add_column(
        "import_activity_row",
        sa.Column("problem_column", sa.TEXT(), autoincrement=False, nullable=True),
    )
    op.add_column(
        "import_activity_row", sa.Column("activity", sa.TEXT(), autoincrement=False, nullable=True)
    )
    op.add_column(
        "import_activity_row",
        sa.Column("problem_message", sa.TEXT(), autoincrement=False, nullable=True),
    )
    op.drop_table("import_activity_computed")
