"""The report rollup's list of stale factors (app/models/rollup.py): a factor leaves it once
every one of its entries stores the kg CO2e of its current value."""

from uuid import UUID

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from app.models.kg import kg_sql

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
