"""The audit trail (SPEC §13, docs/audit.md): one row per change, written in the transaction of
the change, never changed or removed afterwards (the database refuses UPDATE, DELETE and
TRUNCATE of the table: migrations/versions/…_audit_trail.py)."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from sqlalchemy import BigInteger, Column, DateTime, Identity, Index, String, func, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel
from sqlmodel._compat import SQLModelConfig  # the type SQLModel.model_config is declared with

from app.core.pagination import Page


class AuditObject(StrEnum):
    """What an event is about (its `object_type`)."""

    LAB = "lab"
    MEMBER = "member"  # object_id: the member's user id
    INVITATION = "invitation"
    ENTRY = "entry"
    FACTOR = "factor"
    IMPORT = "import"  # an activity or factor import job; object_id: the job id
    RECALCULATION = "recalculation"  # a recalculation job
    HEADCOUNT = "headcount"  # object_id: the year
    YEAR = "year"  # a lab-year's sign-off; object_id: the year
    TARGET = "target"  # object_id: the lab id, or `institution`
    USER = "user"
    API_KEY = "api_key"


class AuditAction(StrEnum):
    """`<object_type>.<what happened>`."""

    LAB_CREATED = "lab.created"
    LAB_UPDATED = "lab.updated"
    LAB_DELETED = "lab.deleted"
    MEMBER_ADDED = "member.added"
    MEMBER_UPDATED = "member.updated"
    MEMBER_REMOVED = "member.removed"
    INVITATION_CREATED = "invitation.created"
    INVITATION_REVOKED = "invitation.revoked"
    ENTRY_CREATED = "entry.created"
    ENTRY_UPDATED = "entry.updated"
    ENTRY_DELETED = "entry.deleted"
    FACTOR_CREATED = "factor.created"
    FACTOR_UPDATED = "factor.updated"
    FACTOR_DELETED = "factor.deleted"
    IMPORT_SUCCEEDED = "import.succeeded"
    IMPORT_CANCELLED = "import.cancelled"
    IMPORT_UNDONE = "import.undone"
    RECALCULATION_SUCCEEDED = "recalculation.succeeded"
    HEADCOUNT_REPLACED = "headcount.replaced"
    HEADCOUNT_DELETED = "headcount.deleted"
    YEAR_SUBMITTED = "year.submitted"
    YEAR_VALIDATED = "year.validated"
    YEAR_SENT_BACK = "year.sent_back"
    YEAR_REOPENED = "year.reopened"
    TARGET_REPLACED = "target.replaced"
    TARGET_DELETED = "target.deleted"
    USER_CREATED = "user.created"
    USER_UPDATED = "user.updated"
    USER_DEACTIVATED = "user.deactivated"
    API_KEY_CREATED = "api_key.created"
    API_KEY_REVOKED = "api_key.revoked"

    @property
    def object_type(self) -> AuditObject:
        return AuditObject(self.value.split(".", 1)[0])


# {field: [before, after]}, JSON values (decimals as exact strings); None where there was or is
# no value (a creation's befores, a deletion's afters).
Changes = dict[str, list[Any]]


class AuditEvent(SQLModel, table=True):
    """One change. No foreign keys: the row outlives what it is about (a deleted lab, a user)."""

    __tablename__ = "audit_event"
    __table_args__ = (
        Index(
            "ix_audit_event_lab_id_id", "lab_id", "id", postgresql_where=text("lab_id IS NOT NULL")
        ),
        Index("ix_audit_event_object", "object_type", "object_id", "id"),
        Index("ix_audit_event_actor_id_id", "actor_id", "id"),
    )

    # The cursor: newest first is `ORDER BY id DESC`.
    id: int | None = Field(
        default=None,
        sa_column=Column(BigInteger, Identity(always=True), primary_key=True),
    )
    at: datetime = Field(
        sa_column=Column(DateTime(timezone=True), nullable=False, server_default=func.now())
    )
    actor_id: UUID | None = None  # None: the system (a job of no requester, a migration)
    api_key_id: UUID | None = None  # the credential, when an API key made the change
    request_id: str | None = Field(default=None, sa_column=Column(String(128)))
    action: str = Field(sa_column=Column(String(64), nullable=False))
    object_type: str = Field(sa_column=Column(String(32), nullable=False))
    object_id: str = Field(sa_column=Column(String(200), nullable=False))
    lab_id: UUID | None = None
    changes: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSONB, nullable=False, server_default="{}")
    )


class AuditEventPublic(SQLModel):
    """One recorded change: who (`actor_id`, `api_key_id`), when, which object, the changed
    fields as `[before, after]`, and the request that made it."""

    model_config = SQLModelConfig(json_schema_serialization_defaults_required=True)

    id: int = Field(description="Increases with every event; the order of the trail")
    at: datetime = Field(description="When the change's transaction began")
    actor_id: UUID | None = Field(description="Who; None for the system")
    api_key_id: UUID | None = Field(description="The API key used, if one was")
    request_id: str | None = Field(
        description="The X-Request-ID of the request (for a job: of the request that queued it)"
    )
    action: str = Field(description="`<object_type>.<what happened>`, e.g. `entry.created`")
    object_type: str
    object_id: str
    lab_id: UUID | None
    changes: dict[str, list[Any]] = Field(
        description="The changed fields, each `[before, after]`; decimals as exact strings"
    )


class AuditEventPage(Page[AuditEventPublic]):
    pass


@dataclass(frozen=True)
class AuditFilters:
    """What a listing of the trail keeps (None: any)."""

    lab_id: UUID | None = None
    object_type: AuditObject | None = None
    object_id: str | None = None
    action: AuditAction | None = None
    actor_id: UUID | None = None
    since: datetime | None = None  # inclusive
    until: datetime | None = None  # exclusive
