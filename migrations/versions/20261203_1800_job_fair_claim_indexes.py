"""data_ingestion_jobs: indexes for the fair claim (when each group was last served)

The claim takes the oldest job of the group that runs the fewest jobs, then of the group served
longest ago (docs/jobs-scheduling.md). A group's last service is the latest `started_at` of its
jobs: a requester's lab jobs (`created_by`), or the jobs of no lab. These partial indexes make each
of those one index probe, however many finished jobs the table keeps. Built and dropped
CONCURRENTLY, outside the migration's transaction: runners keep claiming meanwhile.

Revision ID: 5b7e2c91d4a8
Revises: 3c1f0b7d9e21
Create Date: 2026-12-03 18:00:00+00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "5b7e2c91d4a8"
down_revision: str | Sequence[str] | None = "3c1f0b7d9e21"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "data_ingestion_jobs"
REQUESTER = "ix_data_ingestion_jobs_requester_started_at"
LIBRARY = "ix_data_ingestion_jobs_library_started_at"


def upgrade() -> None:
    with op.get_context().autocommit_block():
        op.create_index(
            REQUESTER,
            TABLE,
            ["created_by", "started_at"],
            postgresql_where=sa.text("lab_id IS NOT NULL"),
            postgresql_concurrently=True,
            if_not_exists=True,
        )
        op.create_index(
            LIBRARY,
            TABLE,
            ["started_at"],
            postgresql_where=sa.text("lab_id IS NULL"),
            postgresql_concurrently=True,
            if_not_exists=True,
        )


def downgrade() -> None:
    with op.get_context().autocommit_block():
        op.drop_index(LIBRARY, table_name=TABLE, postgresql_concurrently=True, if_exists=True)
        op.drop_index(REQUESTER, table_name=TABLE, postgresql_concurrently=True, if_exists=True)
