"""audit trail

Revision ID: 0f341aaf3b65
Revises: 71ba3e9d89f3
Create Date: 2026-12-04 07:00:43.636796+00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# Append-only: a row-level trigger refuses UPDATE and DELETE, a statement-level one TRUNCATE.
# ENABLE ALWAYS: they fire even with `session_replication_role = replica` (which the bulk loads
# set to skip foreign-key triggers, and which a superuser could set to skip ordinary ones).
APPEND_ONLY = (
    """
CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_event is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$""",
    """CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()""",
    """CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()""",
    "ALTER TABLE audit_event ENABLE ALWAYS TRIGGER audit_event_no_change",
    "ALTER TABLE audit_event ENABLE ALWAYS TRIGGER audit_event_no_truncate",
)

# revision identifiers, used by Alembic.
revision: str = "0f341aaf3b65"
down_revision: str | Sequence[str] | None = "71ba3e9d89f3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """The audit trail's table (app/models/audit.py), append-only."""
    op.create_table(
        "audit_event",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=True), nullable=False),
        sa.Column(
            "at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column("api_key_id", sa.Uuid(), nullable=True),
        sa.Column("request_id", sa.String(length=128), nullable=True),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("object_type", sa.String(length=32), nullable=False),
        sa.Column("object_id", sa.String(length=200), nullable=False),
        sa.Column("lab_id", sa.Uuid(), nullable=True),
        sa.Column(
            "changes", postgresql.JSONB(astext_type=sa.Text()), server_default="{}", nullable=False
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_audit_event_actor_id_id", "audit_event", ["actor_id", "id"], unique=False)
    op.create_index(
        "ix_audit_event_lab_id_id",
        "audit_event",
        ["lab_id", "id"],
        unique=False,
        postgresql_where=sa.text("lab_id IS NOT NULL"),
    )
    op.create_index(
        "ix_audit_event_object", "audit_event", ["object_type", "object_id", "id"], unique=False
    )
    for statement in APPEND_ONLY:
        op.execute(statement)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index("ix_audit_event_object", table_name="audit_event")
    op.drop_index(
        "ix_audit_event_lab_id_id",
        table_name="audit_event",
        postgresql_where=sa.text("lab_id IS NOT NULL"),
    )
    op.drop_index("ix_audit_event_actor_id_id", table_name="audit_event")
    op.drop_table("audit_event")  # its triggers go with it
    op.execute("DROP FUNCTION audit_event_append_only()")
