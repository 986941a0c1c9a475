"""The User aggregate: accounts with a global role."""

from datetime import datetime
from enum import StrEnum
from typing import Annotated
from uuid import UUID, uuid4

from pydantic import AfterValidator, EmailStr, StrictBool, field_validator
from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from app.core.pagination import Page
from app.models.base import (
    FORBID_UNKNOWN_FIELDS,
    created_at_field,
    enum_field,
    text_field,
    updated_at_field,
)
from app.models.family import Patch

PASSWORD_MIN_LENGTH = 10
PASSWORD_MAX_LENGTH = 128
_PASSWORD_MIN_DISTINCT = 5


class UserRole(StrEnum):
    ADMIN = "admin"
    USER = "user"


def normalize_email(email: str) -> str:
    """Emails are unique case-insensitively: we store and compare them lower-cased."""
    return email.strip().lower()


# What check_password_strength and the length bounds enforce, for the OpenAPI description (the
# distinct-character and letters/digits rules have no portable JSON Schema form).
PASSWORD_RULES = (
    f"{PASSWORD_MIN_LENGTH} to {PASSWORD_MAX_LENGTH} characters, at least {_PASSWORD_MIN_DISTINCT} "
    "of them different, not only letters and not only digits, no NUL character, and no "
    "whitespace at the start or the end."
)


def check_password_strength(password: str) -> str:
    """The rules a new password must meet (`PASSWORD_RULES`); a ValueError names the one it
    broke."""
    if "\x00" in password:
        raise ValueError("must not contain NUL characters")
    if password.strip() != password:
        raise ValueError("must not start or end with whitespace")
    if len(set(password)) < _PASSWORD_MIN_DISTINCT:
        raise ValueError(f"must contain at least {_PASSWORD_MIN_DISTINCT} different characters")
    if password.isdigit() or password.isalpha():
        raise ValueError("must mix letters with digits or symbols")
    return password


# Emails are unique case-insensitively: stored and compared lower-cased.
Email = Annotated[EmailStr, AfterValidator(normalize_email)]


class UserBase(SQLModel):
    email: Email = Field(max_length=254, unique=True)
    full_name: str = text_field(max_length=200, default="")


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
    password: str = Field(
        min_length=PASSWORD_MIN_LENGTH, max_length=PASSWORD_MAX_LENGTH, description=PASSWORD_RULES
    )

    @field_validator("password", mode="after")
    @classmethod
    def _strong(cls, value: str) -> str:
        return check_password_strength(value)


class UserCreate(UserBase, _NewPassword):
    """An account created by an admin."""

    model_config = FORBID_UNKNOWN_FIELDS

    role: UserRole = UserRole.USER


class UserUpdate(Patch):
    """An admin's partial update of an account; `version` is the one the caller last read."""

    __fields_of__ = UserBase
    model_config = FORBID_UNKNOWN_FIELDS

    role: UserRole | None = None
    is_active: StrictBool | None = None  # `0` is not `false`


class UserMeUpdate(Patch):
    """What users may change on their own account."""

    __fields_of__ = UserBase
    __fields_excluded__ = frozenset({"email"})  # an admin's change (UserUpdate)
    model_config = FORBID_UNKNOWN_FIELDS


class PasswordChange(SQLModel):
    model_config = FORBID_UNKNOWN_FIELDS

    current_password: str = Field(max_length=PASSWORD_MAX_LENGTH)
    new_password: str = Field(
        min_length=PASSWORD_MIN_LENGTH, max_length=PASSWORD_MAX_LENGTH, description=PASSWORD_RULES
    )

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
