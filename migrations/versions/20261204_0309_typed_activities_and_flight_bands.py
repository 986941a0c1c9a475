"""activity_entry: `kind` and `activity` (typed activities); emission_factor: a flight factor's
cabin class and distance band; the staging columns that carry them in CSV imports.

Existing entries are plain quantities: `kind` defaults to 'quantity', `activity` stays null.

Revision ID: c94e18db73ad
Revises: 569a19c780e8
Create Date: 2026-12-04 03:09:57.134179+00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision: str = "c94e18db73ad"
down_revision: str | Sequence[str] | None = "569a19c780e8"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_KINDS = ("quantity", "flight", "purchase", "refrigerant")
_CABINS = ("economy", "premium_economy", "business", "first")


def _in(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{value}'" for value in values)


def upgrade() -> None:
    op.add_column(
        "activity_entry",
        sa.Column("kind", sa.String(length=11), server_default="quantity", nullable=False),
    )
    op.add_column(
        "activity_entry",
        sa.Column("activity", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    )
    # add_column does not create a non-native enum's CHECK; these are the model's constraints.
    op.create_check_constraint("entry_kind", "activity_entry", f"kind IN ({_in(_KINDS)})")
    op.create_check_constraint(
        "activity_of_kind", "activity_entry", "(kind = 'quantity') = (activity IS NULL)"
    )
    op.add_column("emission_factor", sa.Column("cabin_class", sa.String(length=15), nullable=True))
    op.add_column("emission_factor", sa.Column("distance_min_km", sa.Integer(), nullable=True))
    op.add_column("emission_factor", sa.Column("distance_max_km", sa.Integer(), nullable=True))
    op.create_check_constraint("cabin_class", "emission_factor", f"cabin_class IN ({_in(_CABINS)})")
    op.create_check_constraint(
        "flight_band",
        "emission_factor",
        "(cabin_class IS NULL) = (distance_min_km IS NULL) AND (distance_max_km IS NULL "
        "OR (distance_min_km IS NOT NULL AND distance_max_km > distance_min_km))",
    )
    op.add_column("import_activity_row", sa.Column("kind", sa.Text(), nullable=True))
    op.add_column("import_factor_row", sa.Column("cabin_class", sa.Text(), nullable=True))
    op.add_column("import_factor_row", sa.Column("distance_min_km", sa.Text(), nullable=True))
    op.add_column("import_factor_row", sa.Column("distance_max_km", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("import_factor_row", "distance_max_km")
    op.drop_column("import_factor_row", "distance_min_km")
    op.drop_column("import_factor_row", "cabin_class")
    op.drop_column("import_activity_row", "kind")
    for name in ("flight_band", "cabin_class"):
        op.drop_constraint(op.f(f"ck_emission_factor_{name}"), "emission_factor", type_="check")
    op.drop_column("emission_factor", "distance_max_km")
    op.drop_column("emission_factor", "distance_min_km")
    op.drop_column("emission_factor", "cabin_class")
    for name in ("activity_of_kind", "entry_kind"):
        op.drop_constraint(op.f(f"ck_activity_entry_{name}"), "activity_entry", type_="check")
    op.drop_column("activity_entry", "activity")
    op.drop_column("activity_entry", "kind")
