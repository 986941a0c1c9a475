"""Typed activities: what a lab knows (airports, an invoice, a gas), from which the server computes
an entry's quantity and picks its factor (app/services/activities.py). Their inputs and the
figures computed from them (distance, rate, GWP) are stored with the entry and returned, so every
kg CO2e can be audited line by line."""

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Literal
from uuid import UUID

from pydantic import Field as PydanticField
from pydantic import StringConstraints
from sqlmodel import Field, SQLModel

from app.models.base import FORBID_UNKNOWN_FIELDS, DecimalInput, DecimalOut, JsonInt
from app.models.factor import CabinClass, FactorKey


class EntryKind(StrEnum):
    """What an entry was made from: a plain quantity of a factor's unit, or a typed activity."""

    QUANTITY = "quantity"
    FLIGHT = "flight"
    PURCHASE = "purchase"
    REFRIGERANT = "refrigerant"
    EQUIPMENT = "equipment"


class GwpAssessment(StrEnum):
    """The IPCC assessment report whose GWP100 values apply (the library's `gas.ar5.*` and
    `gas.ar6.*` factors)."""

    AR5 = "ar5"
    AR6 = "ar6"


IataCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$", min_length=3, max_length=3)]
CurrencyCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$", min_length=3, max_length=3)]
GasName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,40}$", max_length=40)]
AMOUNT = DecimalInput(integer_digits=12, decimal_places=6)
Amount = Annotated[Decimal, AMOUNT]
MAX_TRAVELLERS = 10_000


class FlightInput(SQLModel):
    """A flight: the server measures the distance between the airports and picks the factor of
    its distance band and cabin class."""

    model_config = FORBID_UNKNOWN_FIELDS

    origin: IataCode = Field(description="IATA code of the departure airport, e.g. `GVA`")
    destination: IataCode = Field(description="IATA code of the arrival airport, e.g. `JFK`")
    cabin_class: CabinClass = CabinClass.ECONOMY
    round_trip: bool = Field(default=False, description="Out and back: twice the distance")
    travellers: JsonInt = Field(default=1, ge=1, le=MAX_TRAVELLERS)


class PurchaseInput(SQLModel):
    """A purchase: its amount is converted to the currency of its spend-based factor at the ECB
    reference rate of the entry's date."""

    model_config = FORBID_UNKNOWN_FIELDS

    factor_key: FactorKey = Field(
        max_length=100, description="The spend category's factor, in kg CO2e per unit of a currency"
    )
    amount: Amount
    currency: CurrencyCode = Field(description="ISO 4217 code of the amount, e.g. `CHF`")


class RefrigerantInput(SQLModel):
    """A refrigerant leak or recharge: kg of the gas times its GWP100."""

    model_config = FORBID_UNKNOWN_FIELDS

    gas: GasName = Field(description="As the library names it, e.g. `HFC134a`, `HFC32`, `SF6`")
    kg: Amount = Field(description="kg of the gas leaked or recharged")
    assessment: GwpAssessment = GwpAssessment.AR6


MAX_LIFETIME_YEARS = 50


class EquipmentInput(SQLModel):
    """Equipment: its embodied emissions (items x a per-item factor) spread evenly over its
    lifetime, each year's share an entry of that year."""

    model_config = FORBID_UNKNOWN_FIELDS

    factor_key: FactorKey = Field(
        max_length=100, description="The item type's factor, e.g. kg CO2e per laptop"
    )
    quantity: Amount = Field(description="How many items (in the factor's unit)")
    lifetime_years: JsonInt = Field(
        ge=1, le=MAX_LIFETIME_YEARS, description="Years over which the emissions are spread"
    )


class FlightActivity(FlightInput):
    """A flight as computed: `distance_km` = `great_circle_km` + `uplift_km`; the entry's
    quantity (passenger-km) = `distance_km` x legs (2 for a round trip) x `travellers` x
    `rf_multiplier`."""

    model_config = FORBID_UNKNOWN_FIELDS
    kind: Literal["flight"] = "flight"
    great_circle_km: DecimalOut = Field(
        description="Great-circle distance between the airports on a sphere of the Earth's mean "
        "radius (haversine), rounded to the metre"
    )
    uplift_km: DecimalOut = Field(description="Added for routing, holding and approach")
    distance_km: DecimalOut = Field(description="One leg; it chose the factor's distance band")
    rf_multiplier: DecimalOut = Field(description="Radiative forcing multiplier applied (1: none)")


class PurchaseActivity(PurchaseInput):
    """A purchase as computed: the entry's quantity = round(`amount` x `rate`, 6)."""

    model_config = FORBID_UNKNOWN_FIELDS
    kind: Literal["purchase"] = "purchase"
    factor_currency: CurrencyCode
    rate: DecimalOut = Field(
        description="Units of `factor_currency` per unit of `currency`: the quotient of the two "
        "ECB euro reference rates, rounded to 10 decimal places"
    )
    rate_date: date = Field(
        description="The ECB publication day of the rates (on or before the date)"
    )
    eur_rate_currency: DecimalOut = Field(description="ECB: units of `currency` per euro")
    eur_rate_factor_currency: DecimalOut = Field(
        description="ECB: units of `factor_currency` per euro"
    )


class RefrigerantActivity(RefrigerantInput):
    """A refrigerant as computed: the entry's quantity is `kg`; its factor's value is `gwp`."""

    model_config = FORBID_UNKNOWN_FIELDS
    kind: Literal["refrigerant"] = "refrigerant"
    gwp: DecimalOut = Field(description="GWP100 of the gas in the assessment (kg CO2e per kg)")


class EquipmentActivity(EquipmentInput):
    """One year of an equipment's lifetime: the entry's quantity is `share` items (their
    embodied kg CO2e in this year's report), with the factor of the purchase year. The shares of
    the lifetime add up to `quantity`: each year takes `quantity / lifetime_years` cut to 6
    places, the last year the rest."""

    model_config = FORBID_UNKNOWN_FIELDS
    kind: Literal["equipment"] = "equipment"
    purchase_date: date
    year_of_lifetime: int = Field(description="1 for the purchase year, up to `lifetime_years`")
    share: DecimalOut = Field(description="The items this year carries")
    series_id: UUID = Field(description="The same for every year of one purchase")


Activity = Annotated[
    FlightActivity | PurchaseActivity | RefrigerantActivity | EquipmentActivity,
    PydanticField(discriminator="kind"),
]
