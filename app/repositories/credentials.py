"""Queries on login sessions, refresh tokens and API keys."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import bindparam
from sqlalchemy import select as core_select
from sqlalchemy import update as core_update
from sqlmodel import col, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from app.db.pool import Pool
from app.db.statements import Reader, Reads, compile_once
from app.models.auth import ApiKey, AuthSession, RefreshToken
from app.models.lab import Lab, LabMembership, LabRole
from app.models.user import User


async def add(session: AsyncSession, *, item: AuthSession | RefreshToken | ApiKey) -> None:
    session.add(item)
    await session.flush()


# The statements every authenticated request runs are built once, with bound parameters:
# building and cache-keying a statement costs more CPU than executing it (see
# docs/performance.md).
_USER_IN_SESSION = (
    select(User, AuthSession)
    .join(AuthSession, col(AuthSession.user_id) == col(User.id))
    .where(col(User.id) == bindparam("user_id"), col(AuthSession.id) == bindparam("session_id"))
)


async def get_user_in_session(
    session: AsyncSession, *, user_id: UUID, session_id: UUID
) -> tuple[User, AuthSession] | None:
    """The user and the login session a token names, in one query (ORM instances: a refresh
    updates them; `get_caller` is the access token's read-only path)."""
    params = {"user_id": user_id, "session_id": session_id}
    row = (await session.exec(_USER_IN_SESSION, params=params)).first()
    return (row[0], row[1]) if row is not None else None


@dataclass(frozen=True)
class Caller:
    """Who an access token names: the user, whether its login session is revoked, and, when a
    lab was asked for, that lab (None: no such lab) with the user's role in it."""

    user: User
    session_revoked: bool
    lab: Lab | None = None
    lab_role: LabRole | None = None


_USERS = Reader(User)
_LABS = Reader(Lab)
_CALLER_SELECT = (
    core_select(*_USERS.columns, col(AuthSession.revoked_at))
    .select_from(User)
    .join(AuthSession, col(AuthSession.user_id) == col(User.id))
    .where(col(User.id) == bindparam("user_id"), col(AuthSession.id) == bindparam("session_id"))
)
_CALLER = compile_once(_CALLER_SELECT, values=frozenset({"user_id", "session_id"}))
# The lab in the same statement: a lab-scoped request costs one round trip, not two.
_CALLER_AND_LAB = compile_once(
    _CALLER_SELECT.add_columns(*_LABS.columns, col(LabMembership.role))
    .outerjoin(Lab, col(Lab.id) == bindparam("lab_id"))
    .outerjoin(
        LabMembership,
        (col(LabMembership.lab_id) == col(Lab.id)) & (col(LabMembership.user_id) == col(User.id)),
    ),
    values=frozenset({"user_id", "session_id", "lab_id"}),
)


async def get_caller(
    reads: Reads, *, user_id: UUID, session_id: UUID, lab_id: UUID | None = None
) -> Caller | None:
    """The user and login session an access token names (None when either is absent), and
    `lab_id`'s lab with the user's role when asked; one statement (authentication runs it on the
    driver pool, before the request's transaction: app/db/pool.py)."""
    values: dict[str, object] = {"user_id": user_id, "session_id": session_id}
    if lab_id is not None:
        values["lab_id"] = lab_id
    statement = _CALLER if lab_id is None else _CALLER_AND_LAB
    rows = await reads.fetch(statement, values)
    if not rows:
        return None
    row = rows[0]
    caller = Caller(user=_USERS(row), session_revoked=row[_USERS.width] is not None)
    if lab_id is None:
        return caller
    start = _USERS.width + 1
    if row[start + _LABS.primary_key_index] is None:
        return caller  # no such lab
    role = row[start + _LABS.width]
    return Caller(
        user=caller.user,
        session_revoked=caller.session_revoked,
        lab=_LABS(row, start),
        lab_role=None if role is None else LabRole(role),
    )


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


_API_KEYS = Reader(ApiKey)
_API_KEY_WITH_USER = compile_once(
    core_select(*_API_KEYS.columns, *_USERS.columns)
    .select_from(ApiKey)
    .join(User, col(User.id) == col(ApiKey.user_id))
    .where(col(ApiKey.prefix) == bindparam("prefix")),
    values=frozenset({"prefix"}),
)
_TOUCH_API_KEY = compile_once(
    core_update(ApiKey)
    .where(col(ApiKey.id) == bindparam("key_id"))
    .values(last_used_at=bindparam("at")),
    values=frozenset({"key_id", "at"}),
)


async def get_api_key_with_user(reads: Reads, *, prefix: str) -> tuple[ApiKey, User] | None:
    rows = await reads.fetch(_API_KEY_WITH_USER, {"prefix": prefix})
    if not rows:
        return None
    return _API_KEYS(rows[0]), _USERS(rows[0], _API_KEYS.width)


async def touch_api_key(pool: Pool, *, key_id: UUID, at: datetime) -> None:
    """Record the key's last use, committed on its own: a fact whatever the request does."""
    await pool.fetch(_TOUCH_API_KEY, {"key_id": key_id, "at": at})


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
