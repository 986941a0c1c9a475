"""reduction target (per lab, and one for the institution)

Revision ID: 71ec1426758e
Revises: 5e7a1c2d9b40
Create Date: 2026-12-04 03:28:14.697153+00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "71ec1426758e"
down_revision: str | Sequence[str] | None = "5e7a1c2d9b40"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "reduction_target",
        sa.Column("baseline_year", sa.Integer(), nullable=False),
        sa.Column("target_year", sa.Integer(), nullable=False),
        sa.Column("reduction_pct", sa.Numeric(precision=5, scale=2), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("lab_id", sa.Uuid(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "baseline_year BETWEEN 1990 AND 2100 AND target_year BETWEEN 1990 AND 2100",
            name=op.f("ck_reduction_target_year_range"),
        ),
        sa.CheckConstraint(
            "reduction_pct BETWEEN 0 AND 100", name=op.f("ck_reduction_target_reduction_range")
        ),
        sa.CheckConstraint(
            "target_year > baseline_year", name=op.f("ck_reduction_target_target_after_baseline")
        ),
        sa.ForeignKeyConstraint(
            ["lab_id"], ["lab.id"], name=op.f("fk_reduction_target_lab_id_lab"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reduction_target")),
        sa.UniqueConstraint(
            "lab_id", name=op.f("uq_reduction_target_lab_id"), postgresql_nulls_not_distinct=True
        ),
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table("reduction_target")
