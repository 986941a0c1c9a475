"""Queries on emission factors, and the lock that orders changes of their values.

Whoever computes kg CO2e from a factor's value (an entry written by hand or by an import) holds
the *values lock* shared until it commits; whoever changes values (PATCH, a factor import) holds it
exclusively. So a change commits only after every writer that read the old value has committed,
and the recalculation it queues then sees all their entries: stored kg CO2e always converges.
"""

from functools import cache
from typing import Any
from uuid import UUID

from sqlalchemy import Integer, Select, String, Uuid, bindparam, text
from sqlalchemy import select as core_select
from sqlmodel import col, select, tuple_
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.pagination import CursorKey
from app.db.statements import PublicReader, Reader, Reads, Statement, compile_once
from app.models.factor import EmissionFactor, FactorCategory, FactorPublic
from app.repositories._filters import contains, contains_pattern


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


# Every new entry runs one of these; built once (building a statement costs more CPU than
# running it). Year rollover: the factor of the latest year from `earliest` to `year`, and within
# that year the region's own before the region-less one; the key's index
# (uq_emission_factor_key_year_region) reads them newest first.
_KEY_AND_YEARS = (
    col(EmissionFactor.key) == bindparam("key"),
    col(EmissionFactor.year) <= bindparam("year"),
    col(EmissionFactor.year) >= bindparam("earliest"),
)
_IN_REGION = (col(EmissionFactor.region) == bindparam("region")) | col(EmissionFactor.region).is_(
    None
)
_REGION_FIRST = col(EmissionFactor.region).is_(None)  # false (the region's own) sorts first
_LATEST_FIRST = col(EmissionFactor.year).desc()
_APPLICABLE = select(EmissionFactor).where(*_KEY_AND_YEARS)
_APPLICABLE_WITHOUT_REGION = (
    _APPLICABLE.where(col(EmissionFactor.region).is_(None)).order_by(_LATEST_FIRST).limit(1)
)
_APPLICABLE_IN_REGION = (
    _APPLICABLE.where(_IN_REGION).order_by(_LATEST_FIRST, _REGION_FIRST).limit(1)
)
FACTORS = Reader(EmissionFactor)
_FACTOR_PUBLIC = PublicReader(FactorPublic, EmissionFactor)


def applicable_factor() -> Select[Any]:
    """`find_applicable` as a Core statement of `FACTORS.columns`, for other statements to build
    on (parameters `key`, `year`, `earliest`, `region`; a NULL region finds only region-less
    factors)."""
    return (
        core_select(*FACTORS.columns)
        .where(*_KEY_AND_YEARS, _IN_REGION)
        .order_by(_LATEST_FIRST, _REGION_FIRST)
        .limit(1)
    )


_READ_APPLICABLE = compile_once(
    applicable_factor(), values=frozenset({"key", "year", "earliest", "region"})
)


async def read_applicable(
    reads: Reads, *, key: str, year: int, earliest: int, region: str | None
) -> EmissionFactor | None:
    """`find_applicable` past the ORM (a read-only instance)."""
    rows = await reads.fetch(
        _READ_APPLICABLE, {"key": key, "year": year, "earliest": earliest, "region": region}
    )
    return FACTORS(rows[0]) if rows else None


_FLIGHT_FACTORS = compile_once(
    core_select(*FACTORS.columns).where(
        col(EmissionFactor.cabin_class).is_not(None),
        col(EmissionFactor.year) >= bindparam("first_year"),
        col(EmissionFactor.year) <= bindparam("last_year"),
        _IN_REGION,
    ),
    values=frozenset({"first_year", "last_year", "region"}),
)


async def read_flight_factors(
    reads: Reads, *, first_year: int, last_year: int, region: str | None
) -> list[EmissionFactor]:
    """Every flight factor (one with a cabin class) of the years from `first_year` to
    `last_year`, of the region or of none; `flights.choose_factor` picks among them."""
    rows = await reads.fetch(
        _FLIGHT_FACTORS, {"first_year": first_year, "last_year": last_year, "region": region}
    )
    return [FACTORS(row) for row in rows]


async def find_applicable(
    session: AsyncSession, *, key: str, year: int, earliest: int, region: str | None
) -> EmissionFactor | None:
    """The factor for `key` applicable in `year`: that of the latest year from `earliest` to
    `year` (year rollover), and of that year the region's own when it exists, else the
    region-less one."""
    params: dict[str, Any] = {"key": key, "year": year, "earliest": earliest}
    if region is None:
        query = _APPLICABLE_WITHOUT_REGION
    else:
        query, params = _APPLICABLE_IN_REGION, params | {"region": region}
    return (await session.exec(query, params=params)).first()


@cache
def _page_statement(
    *, after: bool, category: bool, year: bool, region: bool, search: bool
) -> Statement:
    """One compiled statement per combination of filters (32 at most), on first use."""
    query = core_select(*_FACTOR_PUBLIC.columns)
    values = {"limit"}
    if after:
        key = tuple_(col(EmissionFactor.key), col(EmissionFactor.year), col(EmissionFactor.id))
        cursor = tuple_(
            bindparam("after_key", type_=String),
            bindparam("after_year", type_=Integer),
            bindparam("after_id", type_=Uuid),
        )
        query = query.where(key > cursor)
        values |= {"after_key", "after_year", "after_id"}
    if category:
        query = query.where(col(EmissionFactor.category) == bindparam("category"))
        values.add("category")
    if year:
        query = query.where(col(EmissionFactor.year) == bindparam("year", type_=Integer))
        values.add("year")
    if region:
        query = query.where(col(EmissionFactor.region) == bindparam("region", type_=String))
        values.add("region")
    if search:
        pattern = bindparam("search", type_=String)
        query = query.where(
            contains(EmissionFactor.key, pattern) | contains(EmissionFactor.source, pattern)
        )
        values.add("search")
    query = query.order_by(
        col(EmissionFactor.key), col(EmissionFactor.year), col(EmissionFactor.id)
    ).limit(bindparam("limit", type_=Integer))
    return compile_once(query, values=frozenset(values))


async def list_page(
    reads: Reads,
    *,
    limit: int,
    after: CursorKey | None,
    category: FactorCategory | None = None,
    year: int | None = None,
    region: str | None = None,
    search: str | None = None,
) -> list[FactorPublic]:
    """Factors ordered by (key, year, id), the `limit + 1` after the cursor, as a page shows
    them."""
    statement = _page_statement(
        after=after is not None,
        category=category is not None,
        year=year is not None,
        region=region is not None,
        search=bool(search),
    )
    values: dict[str, Any] = {"limit": limit + 1}
    if after is not None:
        values["after_key"], values["after_year"], values["after_id"] = after
    if category is not None:
        values["category"] = category.value
    if year is not None:
        values["year"] = year
    if region is not None:
        values["region"] = region
    if search:
        values["search"] = contains_pattern(search)
    return [_FACTOR_PUBLIC(row) for row in await reads.fetch(statement, values)]


async def add(session: AsyncSession, *, factor: EmissionFactor) -> EmissionFactor:
    session.add(factor)
    await session.flush()
    return factor


async def delete(session: AsyncSession, *, factor: EmissionFactor) -> None:
    await session.delete(factor)
    await session.flush()


# pg_advisory_xact_lock(int, int) keys: (namespace "co2", what).
_LOCK_NAMESPACE = 0x636F32
_VALUES_LOCK = 1
# (namespace, key) of the values lock, for a statement that takes it with others (signoff).
VALUES_LOCK = (_LOCK_NAMESPACE, _VALUES_LOCK)


_LOCK_VALUES_SHARED = text("SELECT pg_advisory_xact_lock_shared(:ns, :key)").bindparams(
    ns=_LOCK_NAMESPACE, key=_VALUES_LOCK
)
# For a statement that must run under the lock (`DriverTransaction.fetch_after`).
LOCK_VALUES_SHARED = compile_once(_LOCK_VALUES_SHARED, values=frozenset())


async def lock_values_shared(session: AsyncSession) -> None:
    """Hold the values lock shared until the transaction ends (waits for a change to commit)."""
    connection = await session.connection()
    await connection.execute(_LOCK_VALUES_SHARED)


async def try_lock_values_exclusive(session: AsyncSession) -> bool:
    """Take the values lock exclusively until the transaction ends, if no writer holds it.

    Never waits: a waiting exclusive request would queue every new shared one behind it, so
    entry writes would stall behind a long import."""
    connection = await session.connection()
    result = await connection.execute(
        text("SELECT pg_try_advisory_xact_lock(:ns, :key)"),
        {"ns": _LOCK_NAMESPACE, "key": _VALUES_LOCK},
    )
    return bool(result.scalar_one())
