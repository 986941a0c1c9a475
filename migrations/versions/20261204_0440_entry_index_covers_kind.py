"""activity entries: the covering (lab, date, id) index also carries `kind`

A report tells an equipment's yearly shares (on the purchase year's factor on purpose) from year
rollover, and still reads only the index. Built CONCURRENTLY under a temporary name, the old one
dropped CONCURRENTLY, then renamed, so entry writes go on while a large table is indexed.

Revision ID: 0b3f6d2e8c11
Revises: 71ec1426758e
Create Date: 2026-12-04 04:40:00+00:00

"""

from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0b3f6d2e8c11"
down_revision: str | Sequence[str] | None = "71ec1426758e"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "activity_entry"
NAME = "ix_activity_entry_lab_id_date_id_covering"
BUILDING = f"{NAME}_new"


def _rebuild(include: list[str]) -> None:
    with op.get_context().autocommit_block():
        op.drop_index(BUILDING, table_name=TABLE, postgresql_concurrently=True, if_exists=True)
        op.create_index(
            BUILDING,
            TABLE,
            ["lab_id", "date", "id"],
            postgresql_include=include,
            postgresql_concurrently=True,
        )
        op.drop_index(NAME, table_name=TABLE, postgresql_concurrently=True, if_exists=True)
        op.execute(f"ALTER INDEX {BUILDING} RENAME TO {NAME}")


def upgrade() -> None:
    _rebuild(["factor_id", "quantity", "kind"])


def downgrade() -> None:
    _rebuild(["factor_id", "quantity"])
