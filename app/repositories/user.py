"""Queries on users."""

from functools import cache
from typing import Any
from uuid import UUID

from sqlalchemy import Boolean, DateTime, Integer, Uuid, bindparam
from sqlalchemy import select as core_select
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col, func, select, tuple_
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.pagination import CursorKey
from app.db.pool import Pool
from app.db.statements import PublicReader, Reader, Reads, Statement, compile_once
from app.models.user import User, UserPublic, UserRole, normalize_email


async def get(session: AsyncSession, user_id: UUID, *, for_update: bool = False) -> User | None:
    query = select(User).where(User.id == user_id)
    if for_update:
        query = query.with_for_update()
    return (await session.exec(query)).first()


async def get_by_email(session: AsyncSession, *, email: str) -> User | None:
    result = await session.exec(select(User).where(User.email == normalize_email(email)))
    return result.first()


async def count_active_admins(session: AsyncSession) -> int:
    query = (
        select(func.count())
        .select_from(User)
        .where(col(User.role) == UserRole.ADMIN, col(User.is_active).is_(True))
    )
    return (await session.exec(query)).one()


async def lock_active_admins(session: AsyncSession) -> list[UUID]:
    """Lock every active admin row: serialises concurrent demotions of the last admins."""
    query = (
        select(User.id)
        .where(col(User.role) == UserRole.ADMIN, col(User.is_active).is_(True))
        .with_for_update()
    )
    return list((await session.exec(query)).all())


@cache
def _page_statement(*, after: bool, role: bool, is_active: bool) -> Statement:
    """One compiled statement per combination of filters (8 at most), on first use."""
    query = core_select(*_USER_PUBLIC.columns)
    values = {"limit"}
    if after:
        cursor = tuple_(
            bindparam("after_created_at", type_=DateTime(timezone=True)),
            bindparam("after_id", type_=Uuid),
        )
        query = query.where(tuple_(col(User.created_at), col(User.id)) > cursor)
        values |= {"after_created_at", "after_id"}
    if role:
        query = query.where(col(User.role) == bindparam("role"))
        values.add("role")
    if is_active:
        query = query.where(col(User.is_active) == bindparam("is_active", type_=Boolean))
        values.add("is_active")
    query = query.order_by(col(User.created_at), col(User.id))
    return compile_once(query.limit(bindparam("limit", type_=Integer)), values=frozenset(values))


async def list_page(
    reads: Reads,
    *,
    limit: int,
    after: CursorKey | None,
    role: UserRole | None = None,
    is_active: bool | None = None,
) -> list[UserPublic]:
    """Users ordered by (created_at, id), the `limit + 1` after the cursor, as a page shows
    them."""
    statement = _page_statement(
        after=after is not None, role=role is not None, is_active=is_active is not None
    )
    values: dict[str, Any] = {"limit": limit + 1}
    if after is not None:
        values["after_created_at"], values["after_id"] = after
    if role is not None:
        values["role"] = role.value
    if is_active is not None:
        values["is_active"] = is_active
    return [_USER_PUBLIC(row) for row in await reads.fetch(statement, values)]


async def add(session: AsyncSession, *, user: User) -> User:
    session.add(user)
    await session.flush()
    return user


_USERS = Reader(User)
_USER_PUBLIC = PublicReader(UserPublic, User)
_KEYS = tuple(column.key for column in _USERS.columns)
_BY_EMAIL = compile_once(
    core_select(*_USERS.columns).where(col(User.email) == bindparam("email")),
    values=frozenset({"email"}),
)
_ADD_UNLESS_EXISTS = compile_once(
    insert(User)
    .values({key: bindparam(key) for key in _KEYS})
    .on_conflict_do_nothing(index_elements=[col(User.email)])
    .returning(*_USERS.columns),
    values=frozenset(_KEYS),
)


async def find_by_email(reads: Reads, *, email: str) -> User | None:
    """The account of `email` (read-only: not attached to a session)."""
    rows = await reads.fetch(_BY_EMAIL, {"email": normalize_email(email)})
    return _USERS(rows[0]) if rows else None


async def add_unless_exists(pool: Pool, *, user: User) -> User:
    """Insert `user`, committed on its own, or return the account that took its email first
    (two first requests of a new account may race)."""
    values = {key: getattr(user, key) for key in _KEYS}
    values["role"] = user.role.value  # psycopg would send an Enum's name
    rows = await pool.fetch(_ADD_UNLESS_EXISTS, values)
    if rows:
        return _USERS(rows[0])
    existing = await find_by_email(pool, email=user.email)
    if existing is None:
        raise RuntimeError(f"the account of {user.email} was neither added nor found")
    return existing
