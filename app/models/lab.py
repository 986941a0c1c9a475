"""The Lab aggregate: labs, their members' lab roles, and pending invitations to join."""

from datetime import datetime
from enum import StrEnum
from typing import Annotated
from uuid import UUID, uuid4

from pydantic import EmailStr, StringConstraints
from sqlalchemy import DateTime, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.core.pagination import Page
from app.models.base import (
    FORBID_UNKNOWN_FIELDS,
    JsonInt,
    created_at_field,
    enum_field,
    text_field,
    updated_at_field,
)
from app.models.family import Patch

LAB_CODE_PATTERN = r"^[A-Z0-9][A-Z0-9_-]{1,31}$"
REGION_PATTERN = r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$"

LabCode = Annotated[str, StringConstraints(pattern=LAB_CODE_PATTERN, max_length=32)]
Region = Annotated[str, StringConstraints(pattern=REGION_PATTERN, max_length=6)]


class LabRole(StrEnum):
    MANAGER = "manager"
    CONTRIBUTOR = "contributor"
    VIEWER = "viewer"


class LabBase(SQLModel):
    name: str = text_field(min_length=1, max_length=200)
    code: LabCode = Field(
        max_length=32, unique=True, description="Short unique code, e.g. `BIO-LAB-3`"
    )
    institution: str = text_field(max_length=200, default="")
    description: str = text_field(max_length=2000, default="")
    region: Region | None = Field(
        default=None,
        max_length=6,
        description="ISO country (or subdivision) code; picks regional emission factors",
    )


class Lab(LabBase, table=True):
    __tablename__ = "lab"
    __table_args__ = (Index("ix_lab_name_id", "name", "id"),)

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    version: int = Field(default=1)
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()


class LabCreate(LabBase):
    model_config = FORBID_UNKNOWN_FIELDS


class LabReplace(LabBase):
    """PUT: every field, plus the `version` the caller last read."""

    model_config = FORBID_UNKNOWN_FIELDS

    version: JsonInt = Field(ge=1, le=2**31 - 1)


class LabUpdate(Patch):
    """PATCH: the fields to change, plus the `version` the caller last read."""

    __fields_of__ = LabBase
    model_config = FORBID_UNKNOWN_FIELDS


class LabPublic(LabBase):
    id: UUID
    version: int
    created_at: datetime
    updated_at: datetime
    my_role: LabRole | None = Field(
        default=None,
        description="The caller's role in this lab (None for admins who are not members)",
    )


class LabPage(Page[LabPublic]):
    """A page of labs."""


class LabMembership(SQLModel, table=True):
    __tablename__ = "lab_membership"
    __table_args__ = (Index("ix_lab_membership_user_id", "user_id"),)

    lab_id: UUID = Field(foreign_key="lab.id", ondelete="CASCADE", primary_key=True)
    user_id: UUID = Field(foreign_key="user.id", ondelete="CASCADE", primary_key=True)
    role: LabRole = enum_field(LabRole, default=LabRole.VIEWER, name="lab_role")
    created_at: datetime = created_at_field()


class MemberCreate(SQLModel):
    model_config = FORBID_UNKNOWN_FIELDS

    email: EmailStr = Field(max_length=254, description="The account to add")
    role: LabRole = LabRole.VIEWER


class MemberUpdate(SQLModel):
    model_config = FORBID_UNKNOWN_FIELDS

    role: LabRole


class MemberPublic(SQLModel):
    user_id: UUID
    email: str
    full_name: str
    role: LabRole
    created_at: datetime


class InvitationCreate(SQLModel):
    model_config = FORBID_UNKNOWN_FIELDS

    email: EmailStr = Field(
        max_length=254,
        description=(
            "The address to invite. The answer is the same whether or not it has an account: "
            "the invitee sees the invitation under `GET /users/me/invitations` once signed in "
            "with this address"
        ),
    )
    role: LabRole = LabRole.VIEWER


class LabInvitation(SQLModel, table=True):
    """An invitation to join a lab, addressed to an email (not to an account, so that whether
    the address has an account is never revealed to the inviter). Accepting it makes the
    membership and deletes it; declining or revoking deletes it."""

    __tablename__ = "lab_invitation"
    __table_args__ = (
        UniqueConstraint("lab_id", "email"),
        Index("ix_lab_invitation_email", "email"),
    )

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    lab_id: UUID = Field(foreign_key="lab.id", ondelete="CASCADE")
    email: str = Field(max_length=254, description="Lower-cased, as accounts' emails")
    role: LabRole = enum_field(LabRole, default=LabRole.VIEWER, name="lab_invitation_role")
    invited_by_id: UUID | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = created_at_field()
    expires_at: datetime = Field(sa_type=DateTime(timezone=True))


class InvitationPublic(SQLModel):
    """A lab's pending invitation, as its managers see it."""

    id: UUID
    lab_id: UUID
    email: str
    role: LabRole
    created_at: datetime
    expires_at: datetime = Field(description="After this, it can no longer be accepted")


class MyInvitation(SQLModel):
    """An invitation addressed to the caller's email, with the lab it is for."""

    id: UUID
    lab_id: UUID
    lab_name: str
    lab_code: str
    role: LabRole
    created_at: datetime
    expires_at: datetime
