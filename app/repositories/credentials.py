"""Queries on login sessions, refresh tokens and API keys."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import bindparam
from sqlmodel import col, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from app.models.auth import ApiKey, AuthSession, RefreshToken
from app.models.user import User


async def add(session: AsyncSession, *, item: AuthSession | RefreshToken | ApiKey) -> None:
    session.add(item)
    await session.flush()


# The statements every authenticated request runs are built once, with bound parameters:
# building and cache-keying a statement costs more CPU than executing it (see README,
# Performance).
_USER_IN_SESSION = (
    select(User, AuthSession)
    .join(AuthSession, col(AuthSession.user_id) == col(User.id))
    .where(col(User.id) == bindparam("user_id"), col(AuthSession.id) == bindparam("session_id"))
)
_API_KEY_WITH_USER = (
    select(ApiKey, User)
    .join(User, col(User.id) == col(ApiKey.user_id))
    .where(col(ApiKey.prefix) == bindparam("prefix"))
)


async def get_user_in_session(
    session: AsyncSession, *, user_id: UUID, session_id: UUID
) -> tuple[User, AuthSession] | None:
    """The user and the login session an access token names, in one query."""
    params = {"user_id": user_id, "session_id": session_id}
    row = (await session.exec(_USER_IN_SESSION, params=params)).first()
    return (row[0], row[1]) if row is not None else None


async def get_refresh_token_for_update(
    session: AsyncSession, *, token_id: UUID
) -> RefreshToken | None:
    query = select(RefreshToken).where(RefreshToken.id == token_id).with_for_update()
    return (await session.exec(query)).first()


async def get_session(session: AsyncSession, *, session_id: UUID) -> AuthSession | None:
    return await session.get(AuthSession, session_id)


async def revoke_session(
    session: AsyncSession, *, session_id: UUID, at: datetime, reason: str
) -> None:
    await session.exec(
        update(AuthSession)
        .where(col(AuthSession.id) == session_id, col(AuthSession.revoked_at).is_(None))
        .values(revoked_at=at, revoked_reason=reason)
    )


async def revoke_user_sessions(
    session: AsyncSession, *, user_id: UUID, at: datetime, reason: str, keep: UUID | None = None
) -> None:
    statement = (
        update(AuthSession)
        .where(col(AuthSession.user_id) == user_id, col(AuthSession.revoked_at).is_(None))
        .values(revoked_at=at, revoked_reason=reason)
    )
    if keep is not None:
        statement = statement.where(col(AuthSession.id) != keep)
    await session.exec(statement)


async def get_api_key_with_user(
    session: AsyncSession, *, prefix: str
) -> tuple[ApiKey, User] | None:
    row = (await session.exec(_API_KEY_WITH_USER, params={"prefix": prefix})).first()
    return (row[0], row[1]) if row is not None else None


async def touch_api_key(session: AsyncSession, *, key_id: UUID, at: datetime) -> None:
    await session.exec(update(ApiKey).where(col(ApiKey.id) == key_id).values(last_used_at=at))


async def list_api_keys(session: AsyncSession, *, user_id: UUID) -> list[ApiKey]:
    query = (
        select(ApiKey)
        .where(ApiKey.user_id == user_id, col(ApiKey.revoked_at).is_(None))
        .order_by(col(ApiKey.created_at), col(ApiKey.id))
    )
    return list((await session.exec(query)).all())


async def get_api_key(session: AsyncSession, *, key_id: UUID, user_id: UUID) -> ApiKey | None:
    query = select(ApiKey).where(
        ApiKey.id == key_id, ApiKey.user_id == user_id, col(ApiKey.revoked_at).is_(None)
    )
    return (await session.exec(query)).first()
