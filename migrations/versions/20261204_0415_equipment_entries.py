"""activity_entry: the `equipment` kind (an entry per year of an equipment's lifetime); the
staging column of its lifetime (an equipment row of a CSV is a row error for now).

Revision ID: 5e7a1c2d9b40
Revises: aed69b08f6ff
Create Date: 2026-12-04 04:15:00+00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "5e7a1c2d9b40"
down_revision: str | Sequence[str] | None = "aed69b08f6ff"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BEFORE = ("quantity", "flight", "purchase", "refrigerant")
_AFTER = (*_BEFORE, "equipment")


def _in(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{value}'" for value in values)


def _kinds(values: tuple[str, ...]) -> None:
    op.drop_constraint(op.f("ck_activity_entry_entry_kind"), "activity_entry", type_="check")
    op.create_check_constraint("entry_kind", "activity_entry", f"kind IN ({_in(values)})")


def upgrade() -> None:
    _kinds(_AFTER)
    op.add_column("import_activity_row", sa.Column("lifetime_years", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("import_activity_row", "lifetime_years")
    op.execute("DELETE FROM activity_entry WHERE kind = 'equipment'")
    _kinds(_BEFORE)
