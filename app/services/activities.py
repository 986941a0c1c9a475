"""Typed activities (app/models/activity.py) resolved to what every entry is: a factor and a
quantity of its unit. The kg CO2e is then computed as for any entry (app/models/kg.py), so
reports, recalculation and year rollover treat every kind alike.

- flight: passenger-km = (great circle + FLIGHT_UPLIFT_KM) x legs x travellers x
  FLIGHT_RF_MULTIPLIER; the factor is the flight factor of the cabin class whose distance band
  holds one leg's distance (app/services/flights.py);
- purchase: the amount converted to the currency of the spend category's factor (its unit) at the
  ECB rate of the entry's date (app/services/exchange_rates.py), rounded to 6 places;
- refrigerant: kg of the gas, with the factor `gas.<assessment>.<gas>` (its GWP100, kg CO2e/kg);
- equipment: items of the item type's factor, of the purchase year, spread over the lifetime's
  years (`lifetime_shares`): the entries service adds an entry per year.

In two steps, so that an entry of the API and a CSV import of a million rows follow the same
rules: `gather` reads the factors the activities may need (async, a few queries), then `compute`
resolves one activity from them (CPU only: run many off the event loop).
"""

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any, NamedTuple
from uuid import UUID

from app.config import settings
from app.core.errors import InvalidInput
from app.db.statements import Reads
from app.models.activity import PurchaseActivity, RefrigerantActivity
from app.models.base import plain_decimal
from app.models.entry import (
    QUANTITY,
    EquipmentEntryCreate,
    FlightEntryCreate,
    PurchaseEntryCreate,
    RefrigerantEntryCreate,
    TypedEntryCreate,
)
from app.models.factor import EmissionFactor
from app.repositories import factor as factor_repository
from app.services import exchange_rates, flights

QUANTITY_QUANTUM = Decimal(1).scaleb(-QUANTITY.decimal_places)
QUANTITY_LIMIT = Decimal(10) ** QUANTITY.integer_digits
GAS_UNIT = "kg"


class Resolved(NamedTuple):  # made once per row of an import: cheaper than a dataclass
    """A typed activity as an entry: the factor that applies and the quantity of its unit."""

    factor: EmissionFactor
    quantity: Decimal
    activity: dict[str, Any]  # what the entry stores: the inputs and computed figures, as JSON


@dataclass
class Factors:
    """What `compute` may need, read by `gather` for a lab (its region) and a rollover window:
    the flight factors of the years concerned, and the factor applicable to each (key, year)."""

    region: str | None
    window: int
    flight: flights.FlightFactors = field(default_factory=lambda: flights.FlightFactors({}))
    applicable: dict[tuple[str, int], EmissionFactor | None] = field(default_factory=dict)


def factor_key_of(data: TypedEntryCreate) -> str | None:
    """The factor key an activity names (a flight's follows from its band: None)."""
    if isinstance(data, PurchaseEntryCreate | EquipmentEntryCreate):
        return data.factor_key
    if isinstance(data, RefrigerantEntryCreate):
        return f"gas.{data.assessment.value}.{data.gas}"
    return None


async def gather(
    reads: Reads, *, region: str | None, window: int, activities: Iterable[TypedEntryCreate]
) -> Factors:
    """The factors the activities may need, in one query for flights and one per (key, year)."""
    factors = Factors(region, window)
    years: set[int] = set()
    for data in activities:
        key = factor_key_of(data)
        if key is None:
            years.add(data.date.year)
        elif (key, data.date.year) not in factors.applicable:
            factors.applicable[key, data.date.year] = await factor_repository.read_applicable(
                reads, key=key, year=data.date.year, earliest=data.date.year - window, region=region
            )
    if years:
        factors.flight = flights.FlightFactors.of(
            await factor_repository.read_flight_factors(
                reads, first_year=min(years) - window, last_year=max(years), region=region
            )
        )
    return factors


# The settings (uplift, radiative-forcing multiplier) are formatted once.
_text = lru_cache(maxsize=16)(plain_decimal)


def _years(year: int, window: int) -> str:
    return f"{year}" + (f" or the {window} years before" if window else "")


def _checked_quantity(quantity: Decimal, field: str) -> Decimal:
    rounded = quantity.quantize(QUANTITY_QUANTUM, rounding=ROUND_HALF_UP)
    if rounded >= QUANTITY_LIMIT:
        raise InvalidInput.at(
            field,
            f"The activity comes to {rounded} units of its factor; an entry holds less than "
            f"{QUANTITY_LIMIT}.",
            msg="too large",
            type="too_large",
        )
    return rounded


class _Leg(NamedTuple):
    """A flight's leg: the great circle between its airports (`flights.Route`) plus the uplift,
    as a number and as stored."""

    route: flights.Route
    distance_km: Decimal
    distance_text: str


@lru_cache(maxsize=1 << 16)  # an import's flights repeat their routes
def _leg(origin: str, destination: str, uplift: Decimal) -> _Leg:
    route = flights.measure(origin, destination)
    distance = route.great_circle_km + uplift
    return _Leg(route, distance, plain_decimal(distance))


def _flight(data: FlightEntryCreate, factors: Factors) -> Resolved:
    uplift, rf = settings.FLIGHT_UPLIFT_KM, settings.FLIGHT_RF_MULTIPLIER
    leg = _leg(data.origin, data.destination, uplift)
    distance = leg.distance_km
    year = data.date.year
    factor = flights.choose_factor(
        factors.flight,
        cabin=data.cabin_class,
        distance_km=distance,
        year=year,
        earliest=year - factors.window,
        region=factors.region,
    )
    if factor is None:
        raise InvalidInput.at(
            "cabin_class",
            f"There is no flight factor for {data.cabin_class.value} class over {distance} km "
            f"for {_years(year, factors.window)}"
            + (f" (region {factors.region} or none)" if factors.region else "")
            + ": an administrator adds one with its cabin class and distance band.",
            msg="no flight factor for that cabin and distance",
            type="factor",
        )
    legs = 2 if data.round_trip else 1
    quantity = _checked_quantity(distance * legs * data.travellers * rf, "travellers")
    # FlightActivity as JSON, built directly: constructing and dumping the model would cost
    # more than the rest of the computation, for an import of 100,000 flights. It is validated
    # as FlightActivity whenever it is read (and a unit test holds the two equal).
    activity = {
        "kind": "flight",
        "origin": data.origin,
        "destination": data.destination,
        "cabin_class": data.cabin_class.value,  # a str: half the cost of the enum in JSON
        "round_trip": data.round_trip,
        "travellers": data.travellers,
        "great_circle_km": leg.route.great_circle_text,
        "uplift_km": _text(uplift),
        "distance_km": leg.distance_text,
        "rf_multiplier": _text(rf),
    }
    return Resolved(factor, quantity, activity)


def _purchase(data: PurchaseEntryCreate, factors: Factors) -> Resolved:
    year = data.date.year
    factor = factors.applicable.get((data.factor_key, year))
    if factor is None:
        raise InvalidInput.at(
            "factor_key",
            f"There is no emission factor '{data.factor_key}' for {_years(year, factors.window)}.",
            msg="no factor for that year",
            type="factor",
        )
    if factor.unit not in exchange_rates.currencies():
        raise InvalidInput.at(
            "factor_key",
            f"The factor '{factor.key}' is per {factor.unit}, not per unit of a currency the ECB "
            "publishes: a purchase needs a spend-based factor.",
            msg="not a spend-based factor",
            type="unit",
        )
    conversion = exchange_rates.convert_rate(data.currency, factor.unit, data.date)
    quantity = _checked_quantity(data.amount * conversion.rate, "amount")
    activity = PurchaseActivity(
        factor_key=data.factor_key,
        amount=data.amount,
        currency=data.currency,
        factor_currency=factor.unit,
        rate=conversion.rate,
        rate_date=conversion.rate_date,
        eur_rate_currency=conversion.eur_rate_source,
        eur_rate_factor_currency=conversion.eur_rate_to,
    )
    return Resolved(factor, quantity, activity.model_dump(mode="json"))


def _refrigerant(data: RefrigerantEntryCreate, factors: Factors) -> Resolved:
    year = data.date.year
    key = f"gas.{data.assessment.value}.{data.gas}"
    factor = factors.applicable.get((key, year))
    if factor is None or factor.unit != GAS_UNIT:
        raise InvalidInput.at(
            "gas",
            f"There is no GWP100 of '{data.gas}' in {data.assessment.value.upper()} (factor "
            f"'{key}', per {GAS_UNIT}) for {_years(year, factors.window)}.",
            msg="unknown gas",
            type="gas",
        )
    # The GWP is the factor's value, read with the factor (it follows a change of the value).
    activity = RefrigerantActivity(
        gas=data.gas, kg=data.kg, assessment=data.assessment, gwp=Decimal(0)
    )
    return Resolved(factor, data.kg, activity.model_dump(mode="json", exclude={"gwp"}))


def lifetime_shares(quantity: Decimal, years: int) -> list[Decimal]:
    """`quantity` spread over `years`: each year `quantity / years` cut (not rounded) to 6
    places, the last year the rest, so the shares add up to `quantity` exactly and none is
    negative."""
    share = (quantity / years).quantize(QUANTITY_QUANTUM, rounding=ROUND_DOWN)
    return [share] * (years - 1) + [quantity - share * (years - 1)]


@dataclass(frozen=True)
class LifetimeYear:
    """One year of an equipment's lifetime: the entry's date (the purchase date, then 1 January
    of each later year), its share of the quantity, and its activity (the purchase's, with the
    year of the lifetime, the share and the series that ties the years together)."""

    on: date
    share: Decimal
    activity: dict[str, Any]


def lifetime(data: EquipmentEntryCreate, resolved: Resolved, series: UUID) -> list[LifetimeYear]:
    """The entries of an equipment, one per year of its lifetime; each keeps the purchase
    year's factor (`resolved.factor`)."""
    shares = lifetime_shares(resolved.quantity, data.lifetime_years)
    return [
        LifetimeYear(
            data.date if index == 0 else date(data.date.year + index, 1, 1),
            share,
            resolved.activity
            | {
                "year_of_lifetime": index + 1,
                "share": format(share, "f"),
                "series_id": str(series),
            },
        )
        for index, share in enumerate(shares)
    ]


def _equipment(data: EquipmentEntryCreate, factors: Factors) -> Resolved:
    year = data.date.year
    factor = factors.applicable.get((data.factor_key, year))
    if factor is None:
        raise InvalidInput.at(
            "factor_key",
            f"There is no emission factor '{data.factor_key}' for {_years(year, factors.window)}.",
            msg="no factor for that year",
            type="factor",
        )
    # The whole purchase; the entries service writes one share per year of the lifetime.
    activity = {
        "kind": "equipment",
        "factor_key": data.factor_key,
        "quantity": plain_decimal(data.quantity),
        "lifetime_years": data.lifetime_years,
        "purchase_date": data.date.isoformat(),
    }
    return Resolved(factor, data.quantity, activity)


def compute(data: TypedEntryCreate, factors: Factors) -> Resolved:
    """The factor and quantity of a typed activity, refused (InvalidInput, 422) with the field at
    fault. CPU only (airports and rates are loaded on first use): many run off the event loop."""
    if isinstance(data, FlightEntryCreate):
        return _flight(data, factors)
    if isinstance(data, PurchaseEntryCreate):
        return _purchase(data, factors)
    if isinstance(data, EquipmentEntryCreate):
        return _equipment(data, factors)
    return _refrigerant(data, factors)


async def resolve(reads: Reads, *, region: str | None, data: TypedEntryCreate) -> Resolved:
    """One activity, as the API adds it."""
    window = settings.FACTOR_ROLLOVER_YEARS
    factors = await gather(reads, region=region, window=window, activities=[data])
    return await asyncio.to_thread(compute, data, factors)
