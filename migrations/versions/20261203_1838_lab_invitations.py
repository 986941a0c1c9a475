"""lab_invitation: invitations to join a lab, addressed to an email

How lab managers who are not admins add members (services/invitations.py): inviting an address
answers the same whether or not it has an account. A new, empty table: nothing to backfill.

Revision ID: 4e734b8e79e6
Revises: 5b7e2c91d4a8
Create Date: 2026-12-03 18:38:46.604838+00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "4e734b8e79e6"
down_revision: str | Sequence[str] | None = "5b7e2c91d4a8"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "lab_invitation",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("lab_id", sa.Uuid(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "manager",
                "contributor",
                "viewer",
                name="lab_invitation_role",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("invited_by_id", sa.Uuid(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["invited_by_id"],
            ["user.id"],
            name=op.f("fk_lab_invitation_invited_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["lab_id"], ["lab.id"], name=op.f("fk_lab_invitation_lab_id_lab"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lab_invitation")),
        sa.UniqueConstraint("lab_id", "email", name=op.f("uq_lab_invitation_lab_id_email")),
    )
    op.create_index("ix_lab_invitation_email", "lab_invitation", ["email"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_lab_invitation_email", table_name="lab_invitation")
    op.drop_table("lab_invitation")
