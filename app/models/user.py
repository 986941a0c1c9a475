"""The User aggregate: accounts with a global role."""

from datetime import datetime
from enum import StrEnum
from uuid import UUID, uuid4

from pydantic import EmailStr, StrictBool, field_validator
from sqlalchemy import Index
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

PASSWORD_MIN_LENGTH = 10
PASSWORD_MAX_LENGTH = 128
_PASSWORD_MIN_DISTINCT = 5


class UserRole(StrEnum):
    ADMIN = "admin"
    USER = "user"


def normalize_email(email: str) -> str:
    """Emails are unique case-insensitively: we store and compare them lower-cased."""
    return email.strip().lower()


def check_password_strength(password: str) -> str:
    """The rules a new password must meet; a ValueError names the one it broke."""
    if "\x00" in password:
        raise ValueError("must not contain NUL characters")
    if password.strip() != password:
        raise ValueError("must not start or end with whitespace")
    if len(set(password)) < _PASSWORD_MIN_DISTINCT:
        raise ValueError(f"must contain at least {_PASSWORD_MIN_DISTINCT} different characters")
    if password.isdigit() or password.isalpha():
        raise ValueError("must mix letters with digits or symbols")
    return password


class UserBase(SQLModel):
    email: EmailStr = Field(max_length=254, unique=True)
    full_name: str = text_field(max_length=200, default="")

    @field_validator("email", mode="after")
    @classmethod
    def _lower_email(cls, value: str) -> str:
        return normalize_email(value)


class User(UserBase, table=True):
    __tablename__ = "user"
    __table_args__ = (Index("ix_user_created_at_id", "created_at", "id"),)

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    role: UserRole = enum_field(UserRole, default=UserRole.USER, name="user_role")
    is_active: bool = True
    hashed_password: str = Field(max_length=255)
    version: int = Field(default=1)
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()


class _NewPassword(SQLModel):
    password: str = Field(min_length=PASSWORD_MIN_LENGTH, max_length=PASSWORD_MAX_LENGTH)

    @field_validator("password", mode="after")
    @classmethod
    def _strong(cls, value: str) -> str:
        return check_password_strength(value)


class UserCreate(UserBase, _NewPassword):
    """An account created by an admin."""

    model_config = FORBID_UNKNOWN_FIELDS

    role: UserRole = UserRole.USER


class UserUpdate(SQLModel):
    """An admin's partial update of an account; `version` is the one the caller last read."""

    model_config = FORBID_UNKNOWN_FIELDS

    version: JsonInt = Field(ge=1, le=2**31 - 1)
    email: EmailStr | None = Field(default=None, max_length=254)
    full_name: str | None = text_field(max_length=200, default=None)
    role: UserRole | None = None
    is_active: StrictBool | None = None  # `0` is not `false`

    @field_validator("email", mode="after")
    @classmethod
    def _lower_email(cls, value: str | None) -> str | None:
        return None if value is None else normalize_email(value)


class UserMeUpdate(SQLModel):
    """What users may change on their own account."""

    model_config = FORBID_UNKNOWN_FIELDS

    version: JsonInt = Field(ge=1, le=2**31 - 1)
    full_name: str | None = text_field(max_length=200, default=None)


class PasswordChange(SQLModel):
    model_config = FORBID_UNKNOWN_FIELDS

    current_password: str = Field(max_length=PASSWORD_MAX_LENGTH)
    new_password: str = Field(min_length=PASSWORD_MIN_LENGTH, max_length=PASSWORD_MAX_LENGTH)

    @field_validator("new_password", mode="after")
    @classmethod
    def _strong(cls, value: str) -> str:
        return check_password_strength(value)


class UserPublic(UserBase):
    id: UUID
    role: UserRole
    is_active: bool
    version: int
    created_at: datetime
    updated_at: datetime


class UserPage(Page[UserPublic]):
    """A page of accounts."""
