"""Headcount rows: a lab-year's FTE by staff category."""

import hashlib
from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from sqlalchemy import delete, func, text
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.models.base import utcnow
from app.models.headcount import Headcount, HeadcountCreate
from app.models.lab import Lab

# pg_advisory_xact_lock(int, int) key: (namespace "hcd", 32 bits of a hash of lab and year). Two
# lab-years sharing a key only wait for each other.
_LOCK_NAMESPACE = 0x686364
_LOCK = text("SELECT pg_advisory_xact_lock(:ns, :key)")


def _lock_key(lab_id: UUID, year: int) -> int:
    digest = hashlib.blake2b(lab_id.bytes + year.to_bytes(2, "big"), digest_size=4).digest()
    return int.from_bytes(digest, "big", signed=True)


async def lock_year(session: AsyncSession, *, lab_id: UUID, year: int) -> None:
    """Hold, until the transaction ends, the lock of a lab-year's headcount: two replacements of
    the same year run one after the other, so the year ends as one of them left it, not a mix."""
    connection = await session.connection()
    await connection.execute(_LOCK, {"ns": _LOCK_NAMESPACE, "key": _lock_key(lab_id, year)})


async def list_for_lab(
    session: AsyncSession, *, lab_id: UUID, year: int | None = None
) -> list[Headcount]:
    """A lab's rows, of one year or of every year, by year. Read afresh (`replace_year` writes
    past the ORM's identity map)."""
    query = (
        select(Headcount)
        .where(col(Headcount.lab_id) == lab_id)
        .execution_options(populate_existing=True)
    )
    if year is not None:
        query = query.where(col(Headcount.year) == year)
    return list((await session.exec(query.order_by(col(Headcount.year)))).all())


async def replace_year(
    session: AsyncSession, *, lab_id: UUID, year: int, rows: list[HeadcountCreate]
) -> None:
    """Make the lab-year's rows exactly `rows` (one per category): upsert each, delete the
    categories left out. A row whose FTE is unchanged keeps its `updated_at`."""
    connection = await session.connection()
    values = [{"lab_id": lab_id, "year": year, **row.model_dump()} for row in rows]
    statement = insert(Headcount).values(values)
    await connection.execute(
        statement.on_conflict_do_update(
            index_elements=[col(Headcount.lab_id), col(Headcount.year), col(Headcount.category)],
            set_={"fte": statement.excluded.fte, "updated_at": utcnow()},
            where=col(Headcount.fte) != statement.excluded.fte,
        )
    )
    await connection.execute(
        delete(Headcount).where(
            col(Headcount.lab_id) == lab_id,
            col(Headcount.year) == year,
            col(Headcount.category).not_in([row.category for row in rows]),
        )
    )


async def delete_year(session: AsyncSession, *, lab_id: UUID, year: int) -> None:
    connection = await session.connection()
    await connection.execute(
        delete(Headcount).where(col(Headcount.lab_id) == lab_id, col(Headcount.year) == year)
    )


async def year_by_category(session: AsyncSession, *, lab_id: UUID, year: int) -> dict[str, Decimal]:
    """The lab-year's FTE by category (empty when none was recorded)."""
    query = select(col(Headcount.category), col(Headcount.fte)).where(
        col(Headcount.lab_id) == lab_id, col(Headcount.year) == year
    )
    rows = (await (await session.connection()).execute(query)).all()
    return {str(category): Decimal(fte) for category, fte in rows}


@dataclass
class LabFte:
    lab_id: UUID
    code: str
    name: str
    fte: Decimal


async def total_by_lab(session: AsyncSession, *, year: int) -> list[LabFte]:
    """Every lab's total FTE in `year` (labs without a headcount that year are absent)."""
    lab_columns = (col(Lab.id), col(Lab.code), col(Lab.name))
    query = (
        select(*lab_columns, func.sum(col(Headcount.fte)))
        .select_from(Headcount)
        .join(Lab, col(Lab.id) == col(Headcount.lab_id))
        .where(col(Headcount.year) == year)
        .group_by(*lab_columns)
    )
    rows = (await (await session.connection()).execute(query)).all()
    return [LabFte(r[0], str(r[1]), str(r[2]), Decimal(r[3])) for r in rows]
