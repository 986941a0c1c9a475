"""Every table, imported here so Alembic's autogenerate sees the whole metadata."""

from app.models.auth import ApiKey, AuthSession, RefreshToken
from app.models.user import User

__all__ = ["ApiKey", "AuthSession", "RefreshToken", "User"]
