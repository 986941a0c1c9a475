"""The report rollup (app/models/rollup.py): the sums a bulk import adds itself, and the list
of stale factors, which a factor leaves once every one of its entries stores the kg CO2e of its
current value."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from app.models.kg import kg_sql

SLOTS = 4  # as the triggers' (migration 20261204_0700_report_rollup)


def key_sql(row: str) -> str:
    """The rollup key of an entry row named `row` but its lab: year, factor, month, the year
    the factor was chosen for and slot, as the triggers compute them (migration
    20261205_1400_factor_for_year)."""
    return (
        f"extract(year FROM {row}.date)::int, {row}.factor_id, "
        f"extract(month FROM {row}.date)::smallint, {row}.factor_for_year, "
        f"(get_byte(uuid_send({row}.id), 15) % {SLOTS})::smallint"
    )


@dataclass(frozen=True)
class Key:
    year: int
    factor_id: UUID
    month: int
    factor_for_year: int
    slot: int


@dataclass
class Sums:
    entries: int = 0
    quantity: Decimal = Decimal(0)
    kg_co2e: Decimal = Decimal(0)


_ADD = text(
    """
    INSERT INTO report_rollup AS r
        (lab_id, year, factor_id, month, factor_for_year, slot, entries, quantity, kg_co2e)
    SELECT CAST(:lab AS uuid), *
    FROM unnest(CAST(:years AS int[]), CAST(:factors AS uuid[]), CAST(:months AS smallint[]),
                CAST(:factor_for_years AS int[]), CAST(:slots AS smallint[]),
                CAST(:entries AS bigint[]), CAST(:quantities AS numeric[]),
                CAST(:kgs AS numeric[]))
    ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (lab_id, year, factor_id, month, factor_for_year, slot) DO UPDATE
    SET entries = r.entries + excluded.entries,
        quantity = r.quantity + excluded.quantity,
        kg_co2e = r.kg_co2e + excluded.kg_co2e
    """
)


async def add(session: AsyncSession, *, lab_id: UUID, sums: dict[Key, Sums]) -> None:
    """Add these sums of new entries of the lab, as the insert trigger would have (in key
    order, as it does: two writers lock rollup rows in the same order). For the bulk import,
    whose inserts skip that trigger: their kg CO2e is their factor's current value's, so no
    factor becomes stale."""
    if not sums:
        return
    keys: Iterable[Key] = sums
    connection = await session.connection()
    await connection.execute(
        _ADD,
        {
            "lab": lab_id,
            "years": [key.year for key in keys],
            "factors": [key.factor_id for key in keys],
            "months": [key.month for key in keys],
            "factor_for_years": [key.factor_for_year for key in keys],
            "slots": [key.slot for key in keys],
            "entries": [sums[key].entries for key in keys],
            "quantities": [sums[key].quantity for key in keys],
            "kgs": [sums[key].kg_co2e for key in keys],
        },
    )


_CLEAR_STALE = text(
    f"""
    DELETE FROM report_rollup_stale_factor AS s
    WHERE s.factor_id = ANY(:factors) AND NOT EXISTS (
        SELECT 1 FROM activity_entry AS e JOIN emission_factor AS f ON f.id = e.factor_id
        WHERE e.factor_id = s.factor_id
          AND e.kg_co2e <> {kg_sql("e.quantity", "f.kg_co2e_per_unit")}
    )
    """  # noqa: S608 - kg_sql of constant column names; the ids are bound
)


async def clear_stale(session: AsyncSession, *, factor_ids: list[UUID]) -> None:
    """Take off the stale list those of these factors whose entries all agree with the factor's
    current value (after their recalculation); one pass over their entries."""
    if factor_ids:
        connection = await session.connection()
        await connection.execute(_CLEAR_STALE, {"factors": factor_ids})
