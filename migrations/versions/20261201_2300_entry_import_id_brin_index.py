"""activity entries: a BRIN index on import_id instead of a B-tree

An import writes its entries together, so they lie in neighbouring pages and a block range index
finds them for an undo (`DELETE … WHERE import_id = …`) and for the key's `ON DELETE SET NULL`.
Unlike the B-tree, it costs next to nothing per inserted row, which a million-row import pays a
million times (docs/performance.md). Built and dropped CONCURRENTLY, outside the migration's
transaction, as the covering index was.

Revision ID: 3c1f0b7d9e21
Revises: 70e4ecbac845
Create Date: 2026-12-01 23:00:00+00:00

"""

from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "3c1f0b7d9e21"
down_revision: str | Sequence[str] | None = "70e4ecbac845"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "activity_entry"
OLD = "ix_activity_entry_import_id"
NEW = "ix_activity_entry_import_id_brin"


def upgrade() -> None:
    with op.get_context().autocommit_block():
        op.create_index(
            NEW,
            TABLE,
            ["import_id"],
            postgresql_using="brin",
            postgresql_concurrently=True,
            if_not_exists=True,
        )
        op.drop_index(OLD, table_name=TABLE, postgresql_concurrently=True, if_exists=True)


def downgrade() -> None:
    with op.get_context().autocommit_block():
        op.create_index(OLD, TABLE, ["import_id"], postgresql_concurrently=True, if_not_exists=True)
        op.drop_index(NEW, table_name=TABLE, postgresql_concurrently=True, if_exists=True)
