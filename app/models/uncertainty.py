"""The 95 % interval rule of the reports, in one place (docs/uncertainty.md).

A factor's `uncertainty_pct` is its relative half-width at 95 %. Factors are independent of each
other; one factor applied to many entries is fully correlated with itself, so its entries' kg
CO2e are summed first (K_f, in the report's query) and its uncertainty applies to that sum. A
total over factors f has the absolute half-width

    U = sqrt( sum_f (u_f / 100 * K_f)^2 )

(IPCC 2006 Guidelines, vol. 1 ch. 3, approach 1; the GHG Protocol's uncertainty tool). Entries
whose factor publishes no uncertainty add nothing to U: they are counted beside the interval.

- `spread`: U of a group of factor sums, and what in it has no uncertainty (exact but for the
  square root, taken to 60 digits);
- `interval`: the reported bounds from the exact central value and U, rounded outward to
  `BOUND_STEP` (the low bound down and never below 0, the high bound up), and U relative to the
  central value, in percent to `RELATIVE_STEP`.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, Decimal, localcontext
from typing import NamedTuple

BOUND_STEP = Decimal("0.001")  # kg CO2e: the bounds are given to the gram
RELATIVE_STEP = Decimal("0.1")  # percent
_PRECISION = 60  # digits of the sums of squares and the square root


class FactorSum(NamedTuple):
    """One factor's part of a group: its kg CO2e (K_f), entries and uncertainty (None: none
    published)."""

    kg: Decimal
    entries: int
    uncertainty_pct: Decimal | None


@dataclass
class Spread:
    """What a group's 95 % interval needs: the half-width U over the factors with an
    uncertainty, and the entries (and kg) whose factor has none."""

    half_width: Decimal = Decimal(0)
    without_entries: int = 0
    without_kg: Decimal = Decimal(0)


def spread(factors: Iterable[FactorSum]) -> Spread:
    """U and the unquantified part of a group; each factor once, with all of its kg."""
    result = Spread()
    variance = Decimal(0)
    with localcontext() as context:
        context.prec = _PRECISION
        for factor in factors:
            if factor.uncertainty_pct is None:
                result.without_entries += factor.entries
                result.without_kg += factor.kg
            else:
                variance += (factor.uncertainty_pct * factor.kg / 100) ** 2
        result.half_width = variance.sqrt()
    return result


class Interval(NamedTuple):
    low: Decimal
    high: Decimal
    relative_pct: Decimal | None


def interval(central: Decimal, half_width: Decimal) -> Interval:
    with localcontext() as context:
        context.prec = _PRECISION
        low = max((central - half_width).quantize(BOUND_STEP, rounding=ROUND_FLOOR), Decimal(0))
        high = (central + half_width).quantize(BOUND_STEP, rounding=ROUND_CEILING)
        relative = (
            (half_width * 100 / central).quantize(RELATIVE_STEP, rounding=ROUND_HALF_EVEN)
            if central
            else None
        )
    return Interval(low, high, relative)
