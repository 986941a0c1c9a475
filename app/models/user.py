"""The User aggregate: accounts with a global role."""

from datetime import datetime
from enum import StrEnum
from uuid import UUID, uuid4

from pydantic import EmailStr, field_validator
from sqlmodel import Field, SQLModel

from app.models.base import created_at_field, enum_field, text_field, updated_at_field


class UserRole(StrEnum):
    ADMIN = "admin"
    USER = "user"


def normalize_email(email: str) -> str:
    """Emails are unique case-insensitively: we store and compare them lower-cased."""
    return email.strip().lower()


class UserBase(SQLModel):
    email: EmailStr = Field(max_length=254, unique=True)
    full_name: str = text_field(max_length=200, default="")
    is_active: bool = True
    role: UserRole = enum_field(UserRole, default=UserRole.USER, name="user_role")

    @field_validator("email", mode="after")
    @classmethod
    def _lower_email(cls, value: str) -> str:
        return normalize_email(value)


class User(UserBase, table=True):
    __tablename__ = "user"

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    hashed_password: str = Field(max_length=255)
    version: int = Field(default=1)
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()


class UserPublic(UserBase):
    id: UUID
    version: int
    created_at: datetime
    updated_at: datetime
