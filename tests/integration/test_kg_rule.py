"""The kg CO2e rule's forms (app/models/kg.py) agree with each other and with the column: the
Python computation, the SQLAlchemy expression and the SQL text, on PostgreSQL."""

from decimal import Decimal

import pytest
from sqlalchemy import Numeric, literal, select, text
from sqlmodel.ext.asyncio.session import AsyncSession

from app.models.entry import ActivityEntry
from app.models.kg import (
    KG_PRECISION,
    KG_SCALE,
    compute_kg,
    fits,
    fits_expression,
    fits_sql,
    kg_expression,
    kg_sql,
)

# (quantity, value): halves in both directions, tiny and huge results, and both sides of the limit.
CASES = [
    ("8", "0.125"),
    ("0.0000005", "1"),
    ("0.0000015", "1"),
    ("0.0000025", "1"),
    ("1.000001", "0.5"),
    ("123.456789", "0.000000001"),
    ("999999999999.999999", "999999999.999999999"),
    ("1", "999999999999999999.9999994"),
    ("1", "999999999999999999.9999995"),
    ("0", "999999999.999999999"),
]


@pytest.mark.parametrize(("quantity", "value"), CASES)
async def test_python_sql_text_and_expression_agree(
    session: AsyncSession, quantity: str, value: str
) -> None:
    q, v = Decimal(quantity), Decimal(value)
    expected = compute_kg(q, v)
    params = {"q": q, "v": v}
    as_text = text(
        f"SELECT {kg_sql('CAST(:q AS numeric)', 'CAST(:v AS numeric)')}, "
        f"{fits_sql(kg_sql('CAST(:q AS numeric)', 'CAST(:v AS numeric)'))}"
    )
    connection = await session.connection()
    kg_text, fits_text = (await connection.execute(as_text, params)).one()
    kg = kg_expression(literal(q, Numeric()), literal(v, Numeric()))
    kg_core, fits_core = (await connection.execute(select(kg, fits_expression(kg)))).one()
    assert kg_text == kg_core == expected
    assert fits_text is fits_core is fits(expected)


def test_the_column_holds_every_kg_that_fits() -> None:
    column = ActivityEntry.__table__.c.kg_co2e  # type: ignore[attr-defined]  # SQLModel's table
    assert (column.type.precision, column.type.scale) == (KG_PRECISION, KG_SCALE)
    assert fits(Decimal("999999999999999999.999999"))
    assert not fits(Decimal("1000000000000000000"))
