"""activity entries: the (lab, date, id) index also carries the factor and the quantity

A lab-year report (kg CO2e from the factor's current value times the quantity) then reads only the
index: an index-only scan, no heap visit per entry (docs/performance.md).
Built and dropped CONCURRENTLY, outside the migration's transaction, so entry writes go on while a
large table is indexed.

Revision ID: 70e4ecbac845
Revises: 21978639d666
Create Date: 2026-12-01 20:50:00+00:00

"""

from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "70e4ecbac845"
down_revision: str | Sequence[str] | None = "21978639d666"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "activity_entry"
OLD = "ix_activity_entry_lab_id_date_id"
NEW = "ix_activity_entry_lab_id_date_id_covering"


def upgrade() -> None:
    with op.get_context().autocommit_block():
        op.create_index(
            NEW,
            TABLE,
            ["lab_id", "date", "id"],
            postgresql_include=["factor_id", "quantity"],
            postgresql_concurrently=True,
            if_not_exists=True,
        )
        op.drop_index(OLD, table_name=TABLE, postgresql_concurrently=True, if_exists=True)


def downgrade() -> None:
    with op.get_context().autocommit_block():
        op.create_index(
            OLD,
            TABLE,
            ["lab_id", "date", "id"],
            postgresql_concurrently=True,
            if_not_exists=True,
        )
        op.drop_index(NEW, table_name=TABLE, postgresql_concurrently=True, if_exists=True)
