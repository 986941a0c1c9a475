"""Idempotent start-up work: the first admin account."""

import logging
from dataclasses import dataclass

from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.security import hash_password
from app.models.user import User, UserRole, normalize_email
from app.repositories import user as user_repository

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class BootstrapResult:
    admin_created: bool


async def ensure_first_admin(
    session: AsyncSession, *, email: str, password: str
) -> BootstrapResult:
    """Create the admin `email` unless that user already exists (never changes an existing one)."""
    if await user_repository.get_by_email(session, email=email) is not None:
        return BootstrapResult(admin_created=False)
    admin = User(
        email=normalize_email(email),
        full_name="Administrator",
        role=UserRole.ADMIN,
        hashed_password=hash_password(password),
    )
    await user_repository.add(session, user=admin)
    logger.info("created the first admin account")
    return BootstrapResult(admin_created=True)
