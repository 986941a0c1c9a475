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
- entries whose factor states no basis (every scope 1 and 3 factor, and scope 2 factors that do
  not say) always count.

The report's query groups by basis; `headline_basis` and `counts` pick the headline's rows.
"""

from collections.abc import Collection

from app.models.factor import Scope2Basis

HEADLINE_BASIS = Scope2Basis.LOCATION
FALLBACK_BASIS = Scope2Basis.MARKET


def headline_basis(present: Collection[Scope2Basis | None]) -> Scope2Basis:
    """The basis the headline uses, given the bases among a lab-year's entries."""
    if FALLBACK_BASIS in present and HEADLINE_BASIS not in present:
        return FALLBACK_BASIS
    return HEADLINE_BASIS


def counts(basis: Scope2Basis | None, headline: Scope2Basis) -> bool:
    """Whether entries of `basis` count in a headline that uses `headline`."""
    return basis is None or basis == headline
