"""Stored kg CO2e brought back in line with the current factor values, set-based, in batches.

The entries to look at are numbered once into a temporary table (dropped at commit), so each batch
is a range of that number: no sort, no rescan of what is done. A batch rewrites only the entries
whose stored value differs, from the factor's value as it is now: running it again changes
nothing, and a later change of the same factor is caught by its own recalculation.

Year rollover: an entry dated in a year without a factor of its key rests on an earlier year's
factor (app/repositories/factor.py). When a factor arrives that such an entry would now take,
`repoint` moves it (factor and kg CO2e, set-based), before the values are recomputed.

A factor's value is refused where it is changed when an entry would then weigh too much for
kg_co2e (app/models/kg.py); a batch that overflows it anyway (data from before that rule) raises
`TooHeavy`, not a bare database error.
"""

from dataclasses import dataclass
from uuid import UUID

from psycopg.errors import NumericValueOutOfRange
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel.ext.asyncio.session import AsyncSession

from app.models.kg import fits_sql, kg_sql
from app.repositories.entry import weigh_sql

# pg_advisory_xact_lock(int, int) key (namespace "co2"): recalculations run one at a time, so an
# older one can never overwrite what a newer one wrote.
_LOCK_NAMESPACE, _RECALCULATION_LOCK = 0x636F32, 2

_LOCK = text("SELECT pg_advisory_xact_lock(:ns, :key)")
_CREATE_TARGETS = text(
    "CREATE TEMPORARY TABLE recalculation_target "
    "(n bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, id uuid NOT NULL) ON COMMIT DROP"
)
_FILL_TARGETS = text(
    "INSERT INTO recalculation_target (id) "
    "SELECT id FROM activity_entry WHERE factor_id = ANY(:factors)"
)
_ANALYZE_TARGETS = text("ANALYZE recalculation_target")
_KG = kg_sql("e.quantity", "f.kg_co2e_per_unit")
_RECOMPUTE_BATCH = text(
    f"""
    UPDATE activity_entry AS e
    SET kg_co2e = {_KG}
    FROM recalculation_target AS t, emission_factor AS f
    WHERE t.n BETWEEN :first AND :last AND e.id = t.id AND f.id = e.factor_id
      AND e.kg_co2e IS DISTINCT FROM {_KG}
    """  # noqa: S608 - kg_sql of constant column names; the numbers are bound
)

# The factors among these whose current value makes some of their entries too heavy to store.
_TOO_HEAVY = text(
    f"""
    SELECT f.key, f.year, f.region, w.heavy
    FROM emission_factor AS f
    CROSS JOIN LATERAL ({weigh_sql(factor="f.id", value="f.kg_co2e_per_unit")}) AS w
    WHERE f.id = ANY(:factors) AND w.heavy > 0
    ORDER BY f.key, f.year, f.region
    """  # noqa: S608 - weigh_sql's constants; the factor ids are bound
)


# The entries resting on a factor older than one of `:factors` (new factors) whose factor was
# chosen for that factor's year or later (`factor_for_year`: their date's year, an equipment's
# purchase year, so a purchase's years move together), of its key and of a lab it applies to
# (its region or none).
_RESTING_ON_OLDER = """
    FROM emission_factor AS older
    JOIN activity_entry AS e ON e.factor_id = older.id AND e.factor_for_year >= arrived.year
    JOIN lab AS l ON l.id = e.lab_id
    WHERE older.key = arrived.key AND older.year < arrived.year
      AND (arrived.region IS NULL OR arrived.region = l.region)"""
_ROLLOVER_TARGETS = text(
    f"""
    SELECT arrived.id FROM emission_factor AS arrived
    WHERE arrived.id = ANY(:factors) AND EXISTS (SELECT 1 {_RESTING_ON_OLDER})
    ORDER BY arrived.id
    """  # noqa: S608 - constant SQL; the ids are bound
)
# Each such entry takes the factor the rule of `factor.find_applicable` now gives it, looking
# back no further than its current factor (which was within the window when it was chosen).
# The UPDATE rechecks the factor and reads the quantity of the row as it is when it locks it, so
# an entry changed meanwhile is left as its writer left it. One whose kg CO2e would not fit the
# column stays where it is (counted).
_KG_MOVED = kg_sql("e.quantity", "m.value")
_REPOINT = text(
    f"""
    WITH candidate AS MATERIALIZED (
        SELECT DISTINCT resting.id
        FROM emission_factor AS arrived
        CROSS JOIN LATERAL (SELECT e.id {_RESTING_ON_OLDER}) AS resting
        WHERE arrived.id = ANY(:factors)
    ),
    moved AS MATERIALIZED (
        SELECT e.id, e.factor_id AS old_factor_id, best.id AS factor_id,
               best.kg_co2e_per_unit AS value
        FROM candidate AS c
        JOIN activity_entry AS e ON e.id = c.id
        JOIN emission_factor AS cur ON cur.id = e.factor_id
        JOIN lab AS l ON l.id = e.lab_id
        CROSS JOIN LATERAL (
            SELECT f.id, f.kg_co2e_per_unit
            FROM emission_factor AS f
            WHERE f.key = cur.key
              AND f.year BETWEEN cur.year AND e.factor_for_year
              AND (f.region = l.region OR f.region IS NULL)
            ORDER BY f.year DESC, f.region IS NULL
            LIMIT 1
        ) AS best
        WHERE best.id <> e.factor_id
    ),
    updated AS (
        UPDATE activity_entry AS e
        SET factor_id = m.factor_id, kg_co2e = {_KG_MOVED}, version = e.version + 1,
            updated_at = now()
        FROM moved AS m
        WHERE e.id = m.id AND e.factor_id = m.old_factor_id AND {fits_sql(_KG_MOVED)}
        RETURNING e.id
    )
    SELECT (SELECT count(*) FROM updated), (SELECT count(*) FROM moved)
    """  # noqa: S608 - kg_sql and fits_sql of constant column names; the ids are bound
)


@dataclass(frozen=True)
class Repointed:
    moved: int  # entries now on a later year's factor
    stayed: int  # entries that would have moved but for a kg CO2e too large to store


class TooHeavy(Exception):
    """A recomputed kg CO2e did not fit the kg_co2e column (the transaction is aborted)."""


@dataclass(frozen=True)
class HeavyFactor:
    key: str
    year: int
    region: str | None
    heavy: int  # entries too heavy to store with its current value


async def lock(session: AsyncSession) -> None:
    """Wait for any other recalculation to commit; hold the lock until this transaction ends."""
    connection = await session.connection()
    await connection.execute(_LOCK, {"ns": _LOCK_NAMESPACE, "key": _RECALCULATION_LOCK})


async def rollover_targets(session: AsyncSession, *, factor_ids: list[UUID]) -> list[UUID]:
    """The factors among these (just added) that an entry resting on an earlier year's factor
    would now take (`repoint` would move it)."""
    if not factor_ids:
        return []
    connection = await session.connection()
    rows = await connection.execute(_ROLLOVER_TARGETS, {"factors": factor_ids})
    return [UUID(str(factor_id)) for (factor_id,) in rows]


async def repoint(session: AsyncSession, *, factor_ids: list[UUID]) -> Repointed:
    """Move the entries resting on an earlier year's factor that these factors (added since)
    now give a later year's factor, recomputing their kg CO2e; one set-based statement."""
    if not factor_ids:
        return Repointed(0, 0)
    connection = await session.connection()
    moved, candidates = (await connection.execute(_REPOINT, {"factors": factor_ids})).one()
    return Repointed(int(moved), int(candidates) - int(moved))


async def collect_targets(session: AsyncSession, *, factor_ids: list[UUID]) -> int:
    """Number the entries of these factors (1…n) for this transaction; return n."""
    connection = await session.connection()
    await connection.execute(_CREATE_TARGETS)
    result = await connection.execute(_FILL_TARGETS, {"factors": factor_ids})
    await connection.execute(_ANALYZE_TARGETS)
    return int(result.rowcount)


async def recompute_batch(session: AsyncSession, *, first: int, last: int) -> int:
    """Recompute the targets numbered first…last; return how many stored values changed."""
    connection = await session.connection()
    try:
        result = await connection.execute(_RECOMPUTE_BATCH, {"first": first, "last": last})
    except DBAPIError as error:
        if isinstance(error.orig, NumericValueOutOfRange):
            raise TooHeavy from error
        raise
    return int(result.rowcount)


async def find_too_heavy(session: AsyncSession, *, factor_ids: list[UUID]) -> list[HeavyFactor]:
    """The factors among these with entries too heavy to store at their current value."""
    connection = await session.connection()
    rows = await connection.execute(_TOO_HEAVY, {"factors": factor_ids})
    return [HeavyFactor(key, year, region, int(heavy)) for key, year, region, heavy in rows]
