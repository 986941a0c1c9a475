"""emission_factor: structured source, uncertainty, scope 2 basis; factor_library_load

The source's parts (publisher, dataset, edition, URL) are new text columns, blank on existing
rows (the free-text `source` stays as it was). `uncertainty_pct` and `basis` are nullable: null
means "not published" and "not stated". The factor CSV staging table gets the same columns.
`factor_library_load` records each load of the shipped factor library (a new, empty table).

Revision ID: 32b9345ba38b
Revises: 4e734b8e79e6
Create Date: 2026-12-03 21:46:41.177630+00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "32b9345ba38b"
down_revision: str | Sequence[str] | None = "4e734b8e79e6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "factor_library_load",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.Uuid(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["data_ingestion_jobs.id"],
            name=op.f("fk_factor_library_load_job_id_data_ingestion_jobs"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_factor_library_load")),
    )
    op.create_index(
        op.f("ix_factor_library_load_version"), "factor_library_load", ["version"], unique=False
    )
    for name, length in (
        ("source_publisher", 200),
        ("source_dataset", 200),
        ("source_edition", 200),
        ("source_url", 500),
    ):
        # Blank on the existing rows; the default is only for them (the model sets "").
        op.add_column(
            "emission_factor",
            sa.Column(name, sa.String(length=length), nullable=False, server_default=""),
        )
        op.alter_column("emission_factor", name, server_default=None)
    op.add_column(
        "emission_factor",
        sa.Column("uncertainty_pct", sa.Numeric(precision=6, scale=2), nullable=True),
    )
    op.add_column("emission_factor", sa.Column("basis", sa.String(length=8), nullable=True))
    # add_column does not create a non-native enum's CHECK; these are the model's constraints.
    op.create_check_constraint("scope2_basis", "emission_factor", "basis IN ('location', 'market')")
    op.create_check_constraint(
        "uncertainty_range", "emission_factor", "uncertainty_pct BETWEEN 0 AND 1000"
    )
    op.create_check_constraint(
        "basis_only_scope_2", "emission_factor", "basis IS NULL OR scope = 2"
    )
    op.add_column("import_factor_row", sa.Column("source_publisher", sa.Text(), nullable=True))
    op.add_column("import_factor_row", sa.Column("source_dataset", sa.Text(), nullable=True))
    op.add_column("import_factor_row", sa.Column("source_edition", sa.Text(), nullable=True))
    op.add_column("import_factor_row", sa.Column("source_url", sa.Text(), nullable=True))
    op.add_column("import_factor_row", sa.Column("uncertainty_pct", sa.Text(), nullable=True))
    op.add_column("import_factor_row", sa.Column("basis", sa.Text(), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_column("import_factor_row", "basis")
    op.drop_column("import_factor_row", "uncertainty_pct")
    op.drop_column("import_factor_row", "source_url")
    op.drop_column("import_factor_row", "source_edition")
    op.drop_column("import_factor_row", "source_dataset")
    op.drop_column("import_factor_row", "source_publisher")
    for name in ("basis_only_scope_2", "uncertainty_range", "scope2_basis"):
        op.drop_constraint(op.f(f"ck_emission_factor_{name}"), "emission_factor", type_="check")
    op.drop_column("emission_factor", "basis")
    op.drop_column("emission_factor", "uncertainty_pct")
    op.drop_column("emission_factor", "source_url")
    op.drop_column("emission_factor", "source_edition")
    op.drop_column("emission_factor", "source_dataset")
    op.drop_column("emission_factor", "source_publisher")
    op.drop_index(op.f("ix_factor_library_load_version"), table_name="factor_library_load")
    op.drop_table("factor_library_load")
