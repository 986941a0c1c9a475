"""The kg CO2e rule, in one place: an entry weighs `round(quantity x factor value, 6)` kg CO2e,
half away from zero, and it is stored in a NUMERIC(24, 6) column, so it must stay below 10^18.

Python and SQL both need the rule; each form here is built from the same constants:
- `compute_kg` / `fits`: the Python computation and the limit check;
- `kg_expression` / `fits_expression`: SQLAlchemy expressions, for statements built with Core;
- `kg_sql` / `fits_sql`: SQL text fragments, for statements written as text;
- `KG_CO2E_TYPE`: the column type (`ActivityEntry.kg_co2e`).

PostgreSQL's `round(numeric, int)` rounds half away from zero, as `ROUND_HALF_UP` does in
Python's `decimal`, so the stored value and the one the API computes agree
(tests/integration/test_kg_rule.py).
"""

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import ColumnElement, Numeric, func, literal
from sqlalchemy.orm import Mapped

KG_SCALE = 6  # decimal places of a stored kg CO2e
KG_INTEGER_DIGITS = 18
KG_PRECISION = KG_INTEGER_DIGITS + KG_SCALE
KG_CO2E_LIMIT = Decimal(10) ** KG_INTEGER_DIGITS  # a kg CO2e must be below this to be stored
KG_QUANTUM = Decimal(1).scaleb(-KG_SCALE)
KG_CO2E_LIMIT_SQL = f"{KG_CO2E_LIMIT:f}"  # the limit as an SQL numeric literal


def kg_co2e_type() -> Numeric[Decimal]:
    """The type of a stored kg CO2e (a new instance per column)."""
    return Numeric(KG_PRECISION, KG_SCALE)


def compute_kg(quantity: Decimal, value: Decimal) -> Decimal:
    """kg CO2e of `quantity` at `value` kg CO2e per unit (not checked against the limit)."""
    return (quantity * value).quantize(KG_QUANTUM, rounding=ROUND_HALF_UP)


def fits(kg: Decimal) -> bool:
    """Whether a computed kg CO2e can be stored."""
    return kg < KG_CO2E_LIMIT


def kg_expression(
    quantity: ColumnElement[Any] | Mapped[Any], value: ColumnElement[Any] | Mapped[Any]
) -> ColumnElement[Any]:
    """`compute_kg` as an SQLAlchemy expression."""
    return func.round(quantity * value, KG_SCALE)


def fits_expression(kg: ColumnElement[Any]) -> ColumnElement[bool]:
    """`fits` as an SQLAlchemy expression (the limit is a constant of the statement)."""
    return kg < literal(KG_CO2E_LIMIT, Numeric(KG_PRECISION + 1, 0))


def kg_sql(quantity: str, value: str) -> str:
    """`compute_kg` as SQL text; `quantity` and `value` are SQL expressions (never user input)."""
    return f"round(({quantity}) * ({value}), {KG_SCALE})"


def fits_sql(kg: str) -> str:
    """`fits` as SQL text; `kg` is an SQL expression (never user input)."""
    return f"(({kg}) < {KG_CO2E_LIMIT_SQL})"
