"""Queries on users."""

from uuid import UUID

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, func, select, tuple_
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.pagination import CursorKey
from app.models.user import User, UserRole, normalize_email


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


async def list_page(
    session: AsyncSession,
    *,
    limit: int,
    after: CursorKey | None,
    role: UserRole | None = None,
    is_active: bool | None = None,
) -> list[User]:
    """Users ordered by (created_at, id), the `limit + 1` after the cursor."""
    query = select(User)
    if after is not None:
        query = query.where(tuple_(User.created_at, User.id) > tuple_(*after))
    if role is not None:
        query = query.where(col(User.role) == role)
    if is_active is not None:
        query = query.where(col(User.is_active).is_(is_active))
    query = query.order_by(col(User.created_at), col(User.id)).limit(limit + 1)
    return list((await session.exec(query)).all())


async def add(session: AsyncSession, *, user: User) -> User:
    session.add(user)
    await session.flush()
    return user


async def add_unless_exists(session: AsyncSession, *, user: User) -> User:
    """Insert `user`, or return the account that took its email first."""
    try:
        async with session.begin_nested():
            return await add(session, user=user)
    except IntegrityError:
        existing = await get_by_email(session, email=user.email)
        if existing is None:
            raise
        return existing
