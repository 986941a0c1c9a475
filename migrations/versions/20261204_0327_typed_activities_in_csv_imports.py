"""import_activity_row: the columns of the typed activities (a flight's airports, a purchase's
amount, a gas…) and what the import computes for such a row (its activity, or its problem).

Revision ID: aed69b08f6ff
Revises: c94e18db73ad
Create Date: 2026-12-04 03:27:01.007429+00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "aed69b08f6ff"
down_revision: str | Sequence[str] | None = "c94e18db73ad"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("import_activity_row", sa.Column("origin", sa.Text(), nullable=True))
    op.add_column("import_activity_row", sa.Column("destination", sa.Text(), nullable=True))
    op.add_column("import_activity_row", sa.Column("cabin_class", sa.Text(), nullable=True))
    op.add_column("import_activity_row", sa.Column("round_trip", sa.Text(), nullable=True))
    op.add_column("import_activity_row", sa.Column("travellers", sa.Text(), nullable=True))
    op.add_column("import_activity_row", sa.Column("amount", sa.Text(), nullable=True))
    op.add_column("import_activity_row", sa.Column("currency", sa.Text(), nullable=True))
    op.add_column("import_activity_row", sa.Column("gas", sa.Text(), nullable=True))
    op.add_column("import_activity_row", sa.Column("kg", sa.Text(), nullable=True))
    op.add_column("import_activity_row", sa.Column("assessment", sa.Text(), nullable=True))
    op.add_column("import_activity_row", sa.Column("activity", sa.Text(), nullable=True))
    op.add_column("import_activity_row", sa.Column("problem_column", sa.Text(), nullable=True))
    op.add_column("import_activity_row", sa.Column("problem_message", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("import_activity_row", "problem_message")
    op.drop_column("import_activity_row", "problem_column")
    op.drop_column("import_activity_row", "activity")
    op.drop_column("import_activity_row", "assessment")
    op.drop_column("import_activity_row", "kg")
    op.drop_column("import_activity_row", "gas")
    op.drop_column("import_activity_row", "currency")
    op.drop_column("import_activity_row", "amount")
    op.drop_column("import_activity_row", "travellers")
    op.drop_column("import_activity_row", "round_trip")
    op.drop_column("import_activity_row", "cabin_class")
    op.drop_column("import_activity_row", "destination")
    op.drop_column("import_activity_row", "origin")
