"""Which scope 2 basis a report's headline total uses, in one place (docs/scope2.md).

A lab may record the same electricity twice: once on a location-based factor (the grid average)
and once on a market-based one (its contract). Counting both would double it, so a report's
headline counts one basis and shows the other beside it (GHG Protocol scope 2 guidance, dual
reporting). The rule, per lab-year:

- the headline uses the **location** basis (`HEADLINE_BASIS`): market-based entries are left out
  of the total, the categories, scopes, months and top factors;
- unless the lab-year has market-based entries and no location-based one at all: then those are
  its only record of that electricity, and the headline uses the **market** basis rather than
  leave the electricity out;
- scope 2 entries whose factor states no basis always count.

`headline_basis` is the rule in Python (from the bases a lab-year has), `in_headline_expression`
in SQL (a window over the lab-year's rows), built from the same constants.
"""

from collections.abc import Collection
from typing import Any

from sqlalchemy import ColumnElement, case, false, func
from sqlalchemy.orm import Mapped

from app.models.factor import Scope2Basis

HEADLINE_BASIS = Scope2Basis.LOCATION
FALLBACK_BASIS = Scope2Basis.MARKET


def headline_basis(present: Collection[Scope2Basis | None]) -> Scope2Basis:
    """The basis the headline uses, given the bases among a lab-year's entries."""
    if FALLBACK_BASIS in present and HEADLINE_BASIS not in present:
        return FALLBACK_BASIS
    return HEADLINE_BASIS


def in_headline_expression(
    basis: ColumnElement[Any] | Mapped[Any],
    partition_by: ColumnElement[Any] | Mapped[Any] | None = None,
) -> ColumnElement[bool]:
    """Whether a row (of a query grouped finer than the lab-year) counts in the headline: a
    window over the rows of `partition_by` (every row when None), so all of one lab-year."""

    def present(value: Scope2Basis) -> ColumnElement[bool]:
        any_row = func.bool_or(basis == value.value).over(partition_by=partition_by)
        return func.coalesce(any_row, false())

    left_out = case(
        (present(FALLBACK_BASIS) & ~present(HEADLINE_BASIS), HEADLINE_BASIS.value),
        else_=FALLBACK_BASIS.value,
    )
    return basis.is_distinct_from(left_out)
