"""Queries on activity entries (ORM for one row, set-based SQL for many)."""

from datetime import date
from uuid import UUID

from sqlmodel import col, select, tuple_
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.pagination import CursorKey
from app.models.entry import ActivityEntry
from app.models.factor import EmissionFactor, FactorCategory

EntryRow = tuple[ActivityEntry, EmissionFactor]


async def get_with_factor(
    session: AsyncSession, entry_id: UUID, *, for_update: bool = False
) -> EntryRow | None:
    query = (
        select(ActivityEntry, EmissionFactor)
        .join(EmissionFactor, col(EmissionFactor.id) == col(ActivityEntry.factor_id))
        .where(ActivityEntry.id == entry_id)
    )
    if for_update:
        query = query.with_for_update(of=ActivityEntry)
    row = (await session.exec(query)).first()
    return (row[0], row[1]) if row is not None else None


async def list_page(
    session: AsyncSession,
    *,
    lab_id: UUID,
    limit: int,
    after: CursorKey | None,
    descending: bool,
    date_from: date | None = None,
    date_to: date | None = None,
    category: FactorCategory | None = None,
    factor_key: str | None = None,
) -> list[EntryRow]:
    """A lab's entries ordered by (date, id), newest first when `descending`."""
    query = (
        select(ActivityEntry, EmissionFactor)
        .join(EmissionFactor, col(EmissionFactor.id) == col(ActivityEntry.factor_id))
        .where(ActivityEntry.lab_id == lab_id)
    )
    key = tuple_(ActivityEntry.date, ActivityEntry.id)
    if after is not None:
        query = query.where(key < tuple_(*after) if descending else key > tuple_(*after))
    if date_from is not None:
        query = query.where(col(ActivityEntry.date) >= date_from)
    if date_to is not None:
        query = query.where(col(ActivityEntry.date) <= date_to)
    if category is not None:
        query = query.where(col(EmissionFactor.category) == category)
    if factor_key is not None:
        query = query.where(EmissionFactor.key == factor_key)
    order = (col(ActivityEntry.date), col(ActivityEntry.id))
    query = query.order_by(*(column.desc() for column in order) if descending else order)
    rows = (await session.exec(query.limit(limit + 1))).all()
    return [(row[0], row[1]) for row in rows]


async def add(session: AsyncSession, *, entry: ActivityEntry) -> ActivityEntry:
    session.add(entry)
    await session.flush()
    return entry


async def delete(session: AsyncSession, *, entry: ActivityEntry) -> None:
    await session.delete(entry)
    await session.flush()
