"""Typed activities (app/models/activity.py) resolved to what every entry is: a factor and a
quantity of its unit. The kg CO2e is then computed as for any entry (app/models/kg.py), so
reports, recalculation and year rollover treat every kind alike.

- flight: passenger-km = (great circle + FLIGHT_UPLIFT_KM) x legs x travellers x
  FLIGHT_RF_MULTIPLIER; the factor is the flight factor of the cabin class whose distance band
  holds one leg's distance (app/services/flights.py);
- purchase: the amount converted to the currency of the spend category's factor (its unit) at the
  ECB rate of the entry's date (app/services/exchange_rates.py), rounded to 6 places;
- refrigerant: kg of the gas, with the factor `gas.<assessment>.<gas>` (its GWP100, kg CO2e/kg).
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from app.config import settings
from app.core.errors import FieldError, InvalidInput
from app.db.statements import Reads
from app.models.activity import FlightActivity, PurchaseActivity, RefrigerantActivity
from app.models.entry import (
    QUANTITY,
    FlightEntryCreate,
    PurchaseEntryCreate,
    RefrigerantEntryCreate,
    TypedEntryCreate,
)
from app.models.factor import EmissionFactor
from app.models.lab import Lab
from app.repositories import factor as factor_repository
from app.services import exchange_rates, flights

QUANTITY_QUANTUM = Decimal(1).scaleb(-QUANTITY.decimal_places)
QUANTITY_LIMIT = Decimal(10) ** QUANTITY.integer_digits
GAS_UNIT = "kg"


@dataclass(frozen=True)
class Resolved:
    """A typed activity as an entry: the factor that applies and the quantity of its unit."""

    factor: EmissionFactor
    quantity: Decimal
    activity: dict[str, Any]  # what the entry stores: the inputs and computed figures, as JSON


def _refused(field: str, detail: str, msg: str, kind: str) -> InvalidInput:
    return InvalidInput(detail, errors=[FieldError(loc=["body", field], msg=msg, type=kind)])


def _years(year: int) -> str:
    window = settings.FACTOR_ROLLOVER_YEARS
    return f"{year}" + (f" or the {window} years before" if window else "")


def _checked_quantity(quantity: Decimal, field: str) -> Decimal:
    rounded = quantity.quantize(QUANTITY_QUANTUM, rounding=ROUND_HALF_UP)
    if rounded >= QUANTITY_LIMIT:
        raise _refused(
            field,
            f"The activity comes to {rounded} units of its factor; an entry holds less than "
            f"{QUANTITY_LIMIT}.",
            "too large",
            "too_large",
        )
    return rounded


async def _factor(reads: Reads, lab: Lab, *, key: str, year: int) -> EmissionFactor | None:
    return await factor_repository.read_applicable(
        reads, key=key, year=year, earliest=year - settings.FACTOR_ROLLOVER_YEARS, region=lab.region
    )


async def _flight(reads: Reads, lab: Lab, data: FlightEntryCreate) -> Resolved:
    route = await flights.measure_off_loop(data.origin, data.destination)
    uplift, rf = settings.FLIGHT_UPLIFT_KM, settings.FLIGHT_RF_MULTIPLIER
    distance = route.great_circle_km + uplift
    year = data.date.year
    key = await factor_repository.read_flight_key(
        reads,
        cabin=data.cabin_class,
        distance_km=distance,
        year=year,
        earliest=year - settings.FACTOR_ROLLOVER_YEARS,
        region=lab.region,
    )
    factor = None if key is None else await _factor(reads, lab, key=key, year=year)
    if factor is None:
        raise _refused(
            "cabin_class",
            f"There is no flight factor for {data.cabin_class.value} class over {distance} km "
            f"for {_years(year)}"
            + (f" (region {lab.region} or none)" if lab.region else "")
            + ": an administrator adds one with its cabin class and distance band.",
            "no flight factor for that cabin and distance",
            "factor",
        )
    legs = 2 if data.round_trip else 1
    quantity = _checked_quantity(distance * legs * data.travellers * rf, "travellers")
    activity = FlightActivity(
        origin=data.origin,
        destination=data.destination,
        cabin_class=data.cabin_class,
        round_trip=data.round_trip,
        travellers=data.travellers,
        great_circle_km=route.great_circle_km,
        uplift_km=uplift,
        distance_km=distance,
        rf_multiplier=rf,
    )
    return Resolved(factor, quantity, activity.model_dump(mode="json"))


async def _purchase(reads: Reads, lab: Lab, data: PurchaseEntryCreate) -> Resolved:
    year = data.date.year
    factor = await _factor(reads, lab, key=data.factor_key, year=year)
    if factor is None:
        raise _refused(
            "factor_key",
            f"There is no emission factor '{data.factor_key}' for {_years(year)}.",
            "no factor for that year",
            "factor",
        )
    if factor.unit not in exchange_rates.currencies():
        raise _refused(
            "factor_key",
            f"The factor '{factor.key}' is per {factor.unit}, not per unit of a currency the ECB "
            "publishes: a purchase needs a spend-based factor.",
            "not a spend-based factor",
            "unit",
        )
    conversion = await exchange_rates.convert_rate_off_loop(data.currency, factor.unit, data.date)
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


def gas_factor_key(data: RefrigerantEntryCreate) -> str:
    return f"gas.{data.assessment.value}.{data.gas}"


async def _refrigerant(reads: Reads, lab: Lab, data: RefrigerantEntryCreate) -> Resolved:
    year = data.date.year
    key = gas_factor_key(data)
    factor = await _factor(reads, lab, key=key, year=year)
    if factor is None or factor.unit != GAS_UNIT:
        raise _refused(
            "gas",
            f"There is no GWP100 of '{data.gas}' in {data.assessment.value.upper()} (factor "
            f"'{key}', per {GAS_UNIT}) for {_years(year)}.",
            "unknown gas",
            "gas",
        )
    # The GWP is the factor's value, read with the factor (it follows a change of the value).
    activity = RefrigerantActivity(
        gas=data.gas, kg=data.kg, assessment=data.assessment, gwp=Decimal(0)
    )
    return Resolved(factor, data.kg, activity.model_dump(mode="json", exclude={"gwp"}))


async def resolve(reads: Reads, lab: Lab, data: TypedEntryCreate) -> Resolved:
    """The factor and quantity of a typed activity, refused (422) with the field at fault."""
    if isinstance(data, FlightEntryCreate):
        return await _flight(reads, lab, data)
    if isinstance(data, PurchaseEntryCreate):
        return await _purchase(reads, lab, data)
    return await _refrigerant(reads, lab, data)
