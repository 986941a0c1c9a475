"""Lab-year sign-off rows and history, and the locks that keep writes out of a signed-off year.

Two advisory locks (pg_advisory_xact_lock(int, int)), held until the transaction ends:
- the *year lock* (namespace "sgy", 32 bits of a hash of lab and year): whoever writes entries
  of a lab-year (POST, PATCH, DELETE) holds it shared, then reads the year's state in a later
  statement; a transition holds it exclusively. So a submission commits only after every write
  that saw the year open has committed, and a write that comes after sees it submitted.
- the *lab lock* (namespace "sgl", 32 bits of a hash of the lab): an activity import and an undo
  (whose years are known only from their rows) hold it shared; a submission takes it
  exclusively without waiting (`try_lock_lab`), and is refused while one runs.
Two lab-years (or labs) sharing a key only wait for each other.
"""

import hashlib
from collections.abc import Collection
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, Uuid, bindparam, exists, text
from sqlalchemy import select as core_select
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.db.statements import Reads, compile_once
from app.models.signoff import LOCKED_STATES, LabYear, LabYearTransition, YearState
from app.repositories import factor as factor_repository

_YEAR_NAMESPACE = 0x736779  # "sgy"
_LAB_NAMESPACE = 0x73676C  # "sgl"
_LOCKED = sorted(state.value for state in LOCKED_STATES)
assert set(YearState) - LOCKED_STATES == {YearState.OPEN}  # `year_open` relies on it


def _key(*parts: bytes) -> int:
    digest = hashlib.blake2b(b"".join(parts), digest_size=4).digest()
    return int.from_bytes(digest, "big", signed=True)


def year_key(lab_id: UUID, year: int) -> int:
    return _key(lab_id.bytes, year.to_bytes(2, "big"))


def _lab_key(lab_id: UUID) -> int:
    return _key(lab_id.bytes)


_VALUES_NAMESPACE, _VALUES_KEY = factor_repository.VALUES_LOCK
# The hot path's first statement (`DriverTransaction.fetch_after`): the factor-values lock, then
# the year lock, both shared.
LOCK_VALUES_AND_YEAR_SHARED = compile_once(
    text(
        "SELECT pg_advisory_xact_lock_shared(:values_ns, :values_key), "
        "pg_advisory_xact_lock_shared(:year_ns, :year_key)"
    ).bindparams(values_ns=_VALUES_NAMESPACE, values_key=_VALUES_KEY, year_ns=_YEAR_NAMESPACE),
    values=frozenset({"year_key"}),
)


def year_open(lab_id: ColumnElement[Any], year: ColumnElement[Any]) -> ColumnElement[bool]:
    """SQL: the lab-year is open (it has no row, or its row says open). One primary-key probe."""
    return ~exists().where(
        col(LabYear.lab_id) == lab_id,
        col(LabYear.year) == year,
        col(LabYear.state) != YearState.OPEN,  # locked; a constant, not an expanding IN
    )


_LOCK_SHARED = text("SELECT pg_advisory_xact_lock_shared(:ns, :key)")
_LOCK = text("SELECT pg_advisory_xact_lock(:ns, :key)")
_TRY_LOCK = text("SELECT pg_try_advisory_xact_lock(:ns, :key)")


async def lock_years_shared(session: AsyncSession, *, lab_id: UUID, years: Collection[int]) -> None:
    """Hold the year locks of these years shared (a writer of their entries)."""
    connection = await session.connection()
    for year in sorted(set(years)):
        await connection.execute(
            _LOCK_SHARED, {"ns": _YEAR_NAMESPACE, "key": year_key(lab_id, year)}
        )


async def lock_year(session: AsyncSession, *, lab_id: UUID, year: int) -> None:
    """Hold the year lock exclusively (a transition); waits for the year's writers."""
    connection = await session.connection()
    await connection.execute(_LOCK, {"ns": _YEAR_NAMESPACE, "key": year_key(lab_id, year)})


async def hold_lab_shared(session: AsyncSession, *, lab_id: UUID) -> None:
    """Hold the lab lock shared (an import or an undo); waits for a submission in progress."""
    connection = await session.connection()
    await connection.execute(_LOCK_SHARED, {"ns": _LAB_NAMESPACE, "key": _lab_key(lab_id)})


async def try_lock_lab(session: AsyncSession, *, lab_id: UUID) -> bool:
    """Take the lab lock exclusively if no import or undo holds it; never waits (a waiting
    exclusive request would queue the lab's next imports behind a long one)."""
    connection = await session.connection()
    result = await connection.execute(_TRY_LOCK, {"ns": _LAB_NAMESPACE, "key": _lab_key(lab_id)})
    return bool(result.scalar_one())


async def get(
    session: AsyncSession, *, lab_id: UUID, year: int, for_update: bool = False
) -> LabYear | None:
    query = (
        select(LabYear)
        .where(col(LabYear.lab_id) == lab_id, col(LabYear.year) == year)
        .execution_options(populate_existing=True)
    )
    if for_update:
        query = query.with_for_update()
    return (await session.exec(query)).first()


async def add(session: AsyncSession, *, lab_year: LabYear, transition: LabYearTransition) -> None:
    session.add(lab_year)
    session.add(transition)
    await session.flush()


async def history(session: AsyncSession, *, lab_id: UUID, year: int) -> list[LabYearTransition]:
    query = (
        select(LabYearTransition)
        .where(col(LabYearTransition.lab_id) == lab_id, col(LabYearTransition.year) == year)
        .order_by(col(LabYearTransition.at), col(LabYearTransition.id))
    )
    return list((await session.exec(query)).all())


async def locked_years(
    session: AsyncSession, *, lab_id: UUID, years: Collection[int] | None = None
) -> dict[int, YearState]:
    """The lab's submitted or validated years (of `years`, when given) and their states."""
    query = select(col(LabYear.year), col(LabYear.state)).where(
        col(LabYear.lab_id) == lab_id, col(LabYear.state).in_(_LOCKED)
    )
    if years is not None:
        query = query.where(col(LabYear.year).in_(sorted(set(years))))
    rows = (await (await session.connection()).execute(query)).all()
    return {int(year): YearState(state) for year, state in rows}


_STATE_OF = compile_once(
    core_select(col(LabYear.state)).where(
        col(LabYear.lab_id) == bindparam("lab_id", type_=Uuid()),
        col(LabYear.year) == bindparam("year"),
    ),
    values=frozenset({"lab_id", "year"}),
)


async def state_of(reads: Reads, *, lab_id: UUID, year: int) -> YearState:
    """The lab-year's state, past the ORM."""
    rows = await reads.fetch(_STATE_OF, {"lab_id": lab_id, "year": year})
    return YearState(rows[0][0]) if rows else YearState.OPEN


_LOCKED_YEARS_OF_IMPORT = text(
    """
    SELECT y.year, y.state FROM lab_year AS y
    WHERE y.lab_id = :lab AND y.state = ANY(:locked)
      AND EXISTS (SELECT 1 FROM activity_entry AS e
                  WHERE e.import_id = :job AND e.lab_id = :lab
                    AND e.date >= make_date(y.year, 1, 1) AND e.date < make_date(y.year + 1, 1, 1))
    ORDER BY y.year
    """
)


async def locked_years_of_import(
    session: AsyncSession, *, lab_id: UUID, job_id: UUID
) -> dict[int, YearState]:
    """The submitted or validated years of the lab in which the import created entries."""
    connection = await session.connection()
    rows = await connection.execute(
        _LOCKED_YEARS_OF_IMPORT, {"lab": lab_id, "job": job_id, "locked": _LOCKED}
    )
    return {int(year): YearState(state) for year, state in rows.all()}
