"""The 95 % interval rule of the reports, in one place (docs/uncertainty.md).

A factor's `uncertainty_pct` is its relative half-width at 95 %. Factors are independent of each
other; one factor applied to many entries is fully correlated with itself, so its entries' kg
CO2e are summed before its uncertainty applies. A total over factors f with kg K_f and
uncertainty u_f (percent) has the absolute half-width

    U = sqrt( sum_f (u_f / 100 * K_f)^2 )

(IPCC 2006 Guidelines, vol. 1 ch. 3, approach 1; the GHG Protocol's uncertainty tool). Entries
whose factor publishes no uncertainty add nothing to U: they are counted beside the interval.

- `variance_expression`: the SQL (Core) term whose sum over a group's rows is sum_f (u_f K_f)^2
  times 100^2, from a row's kg, its factor's total kg and u. Summing per-row `u^2 kg K_f` rather
  than `(u K_f)^2` lets rows be any split of a factor's kg (per day, per lab): the rows of factor
  f add up to u_f^2 K_f K_f.
- `half_width_expression`: U from that sum, in SQL (numeric, exact but for the square root).
- `interval`: the reported bounds from the exact central value and U, rounded outward to
  `BOUND_STEP` (the low bound down and never below 0, the high bound up), and U relative to the
  central value, in percent to `RELATIVE_STEP`.
"""

from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, Decimal
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, func

BOUND_STEP = Decimal("0.001")  # kg CO2e: the bounds are given to the gram
RELATIVE_STEP = Decimal("0.1")  # percent


def variance_expression(
    kg: ColumnElement[Any], factor_kg: ColumnElement[Any], uncertainty_pct: ColumnElement[Any]
) -> ColumnElement[Any]:
    """A row's share of sum_f (u_f K_f)^2 x 100^2 (NULL when the factor has no uncertainty)."""
    return uncertainty_pct * uncertainty_pct * kg * factor_kg


def half_width_expression(variance_sum: ColumnElement[Any]) -> ColumnElement[Any]:
    """U, from the sum of `variance_expression` over a group (0 when nothing has uncertainty)."""
    return func.sqrt(func.coalesce(variance_sum, 0)) / 100


class Interval(NamedTuple):
    low: Decimal
    high: Decimal
    relative_pct: Decimal | None


def interval(central: Decimal, half_width: Decimal) -> Interval:
    low = max((central - half_width).quantize(BOUND_STEP, rounding=ROUND_FLOOR), Decimal(0))
    high = (central + half_width).quantize(BOUND_STEP, rounding=ROUND_CEILING)
    relative = (
        (half_width * 100 / central).quantize(RELATIVE_STEP, rounding=ROUND_HALF_EVEN)
        if central
        else None
    )
    return Interval(low, high, relative)
