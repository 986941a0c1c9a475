"""Credentials: login sessions (refresh-token families), refresh tokens and API keys."""

from datetime import datetime
from typing import Literal
from uuid import UUID, uuid4

from sqlalchemy import DateTime, Index
from sqlmodel import Field, SQLModel

from app.models.base import FORBID_UNKNOWN_FIELDS, NO_NUL, created_at_field, text_field


class AuthSession(SQLModel, table=True):
    """One login: the family of refresh tokens that rotate from it. Revoking it ends the session,
    access tokens included (they carry its id)."""

    __tablename__ = "auth_session"

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    user_id: UUID = Field(foreign_key="user.id", ondelete="CASCADE", index=True)
    created_at: datetime = created_at_field()
    revoked_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    revoked_reason: str | None = Field(default=None, max_length=40)


class RefreshToken(SQLModel, table=True):
    """A refresh token is usable once: using it marks it used and issues its successor."""

    __tablename__ = "refresh_token"

    id: UUID = Field(default_factory=uuid4, primary_key=True)  # the JWT's `jti`
    session_id: UUID = Field(foreign_key="auth_session.id", ondelete="CASCADE", index=True)
    expires_at: datetime = Field(sa_type=DateTime(timezone=True))
    used_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    created_at: datetime = created_at_field()


class ApiKeyBase(SQLModel):
    name: str = text_field(min_length=1, max_length=100)


class ApiKey(ApiKeyBase, table=True):
    """A key for scripts, stored as a SHA-256 hash (keys are 256-bit random, so a slow hash adds
    nothing); `prefix` is public and identifies the key in lists and leak reports."""

    __tablename__ = "api_key"
    __table_args__ = (Index("ix_api_key_user_id_created_at", "user_id", "created_at"),)

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    user_id: UUID = Field(foreign_key="user.id", ondelete="CASCADE")
    prefix: str = Field(max_length=32, unique=True)
    secret_hash: str = Field(max_length=64)
    created_at: datetime = created_at_field()
    last_used_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    revoked_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))


class ApiKeyCreate(ApiKeyBase):
    model_config = FORBID_UNKNOWN_FIELDS


class ApiKeyPublic(ApiKeyBase):
    id: UUID
    prefix: str
    created_at: datetime
    last_used_at: datetime | None


class ApiKeyCreated(ApiKeyPublic):
    """Returned once, at creation: the only time the full key is shown."""

    key: str


class TokenPair(SQLModel):
    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - the OAuth2 token type
    expires_in: int = Field(description="Seconds until the access token expires")


class BrowserSession(SQLModel):
    """A browser's sign-in: the access token only. Its refresh token is in an HttpOnly cookie,
    which the page's scripts cannot read (docs/dashboard.md, "Sessions")."""

    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - the OAuth2 token type
    expires_in: int = Field(description="Seconds until the access token expires")


class RefreshRequest(SQLModel):
    model_config = FORBID_UNKNOWN_FIELDS

    refresh_token: str = Field(min_length=1, max_length=4096)


class LoginForm(SQLModel):
    """OAuth2 password grant, form-encoded (what Swagger UI's Authorize button sends)."""

    username: str = Field(
        min_length=1,
        max_length=254,
        description="The account's email",
        schema_extra={"pattern": NO_NUL},  # it is looked up in PostgreSQL, which refuses NUL
    )
    password: str = Field(min_length=1, max_length=128)
    # Not nullable: a form field cannot carry null (the string "null" would be refused).
    grant_type: Literal["password"] = "password"
    scope: str = Field(default="", max_length=1000)
