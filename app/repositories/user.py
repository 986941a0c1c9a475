"""Queries on users."""

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.models.user import User, UserRole, normalize_email


async def get_by_email(session: AsyncSession, *, email: str) -> User | None:
    result = await session.exec(select(User).where(User.email == normalize_email(email)))
    return result.first()


async def count_admins(session: AsyncSession) -> int:
    query = select(func.count()).select_from(User).where(col(User.role) == UserRole.ADMIN)
    result = await session.exec(query)
    return result.one()


async def add(session: AsyncSession, *, user: User) -> User:
    session.add(user)
    await session.flush()
    return user
