"""Queries on emission factors."""

from uuid import UUID

from sqlmodel import col, select, tuple_
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.pagination import CursorKey
from app.models.factor import EmissionFactor, FactorCategory
from app.repositories._filters import contains


async def get(
    session: AsyncSession, factor_id: UUID, *, for_update: bool = False
) -> EmissionFactor | None:
    query = select(EmissionFactor).where(EmissionFactor.id == factor_id)
    if for_update:
        query = query.with_for_update()
    return (await session.exec(query)).first()


async def find_exact(
    session: AsyncSession, *, key: str, year: int, region: str | None
) -> EmissionFactor | None:
    query = select(EmissionFactor).where(
        EmissionFactor.key == key,
        EmissionFactor.year == year,
        col(EmissionFactor.region).is_(None) if region is None else EmissionFactor.region == region,
    )
    return (await session.exec(query)).first()


async def find_applicable(
    session: AsyncSession, *, key: str, year: int, region: str | None
) -> EmissionFactor | None:
    """The factor for `key` valid in `year`: the region's own when it exists, else the
    region-less one."""
    query = select(EmissionFactor).where(EmissionFactor.key == key, EmissionFactor.year == year)
    if region is None:
        query = query.where(col(EmissionFactor.region).is_(None))
    else:
        query = query.where(
            (col(EmissionFactor.region) == region) | col(EmissionFactor.region).is_(None)
        ).order_by(col(EmissionFactor.region).is_(None))
    return (await session.exec(query.limit(1))).first()


async def list_page(
    session: AsyncSession,
    *,
    limit: int,
    after: CursorKey | None,
    category: FactorCategory | None = None,
    year: int | None = None,
    region: str | None = None,
    search: str | None = None,
) -> list[EmissionFactor]:
    """Factors ordered by (key, year, id)."""
    query = select(EmissionFactor)
    if after is not None:
        query = query.where(
            tuple_(EmissionFactor.key, EmissionFactor.year, EmissionFactor.id) > tuple_(*after)
        )
    if category is not None:
        query = query.where(col(EmissionFactor.category) == category)
    if year is not None:
        query = query.where(EmissionFactor.year == year)
    if region is not None:
        query = query.where(EmissionFactor.region == region)
    if search:
        query = query.where(
            contains(EmissionFactor.key, search) | contains(EmissionFactor.source, search)
        )
    query = query.order_by(
        col(EmissionFactor.key), col(EmissionFactor.year), col(EmissionFactor.id)
    ).limit(limit + 1)
    return list((await session.exec(query)).all())


async def add(session: AsyncSession, *, factor: EmissionFactor) -> EmissionFactor:
    session.add(factor)
    await session.flush()
    return factor


async def delete(session: AsyncSession, *, factor: EmissionFactor) -> None:
    await session.delete(factor)
    await session.flush()
