"""Stored kg CO2e brought back in line with the current factor values, set-based, in batches.

The entries to look at are numbered once into a temporary table (dropped at commit), so each batch
is a range of that number: no sort, no rescan of what is done. A batch rewrites only the entries
whose stored value differs, from the factor's value as it is now: running it again changes
nothing, and a later change of the same factor is caught by its own recalculation.

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

from app.models.kg import kg_sql
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
