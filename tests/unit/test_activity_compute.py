"""The activities' computation without a database: a flight's stored JSON is exactly what its
model gives (it is built by hand for speed), and the factor choice follows the bands."""

from datetime import date
from decimal import Decimal

from app.models.activity import FlightActivity
from app.models.entry import FlightEntryCreate
from app.models.factor import CabinClass, EmissionFactor, FactorCategory
from app.services import activities, flights


def _band(
    low: int, high: int | None, *, year: int = 2024, key: str | None = None
) -> EmissionFactor:
    return EmissionFactor(
        key=key or f"flight.economy.{low}",
        category=FactorCategory.AIR_TRAVEL,
        unit="pkm",
        kg_co2e_per_unit=Decimal("0.1"),
        scope=3,
        year=year,
        cabin_class=CabinClass.ECONOMY,
        distance_min_km=low,
        distance_max_km=high,
    )


def test_a_flights_json_is_its_model_dumped() -> None:
    factors = activities.Factors(
        None, 5, flights.FlightFactors.of([_band(0, 1500), _band(1500, None)])
    )
    data = FlightEntryCreate(
        kind="flight", date=date(2024, 3, 1), origin="GVA", destination="JFK", round_trip=True
    )
    resolved = activities.compute(data, factors)
    assert FlightActivity.model_validate(resolved.activity).model_dump(mode="json") == (
        resolved.activity
    )
    assert resolved.factor.key == "flight.economy.1500"


def test_the_band_holds_its_lower_bound_not_its_upper_and_the_latest_year_wins() -> None:
    candidates = flights.FlightFactors.of(
        [_band(0, 1500), _band(1500, None), _band(1500, None, year=2022, key="flight.old")]
    )

    def choose(distance: str, year: int = 2024) -> str | None:
        factor = flights.choose_factor(
            candidates,
            cabin=CabinClass.ECONOMY,
            distance_km=Decimal(distance),
            year=year,
            earliest=year - 5,
            region=None,
        )
        return None if factor is None else factor.key

    assert choose("1499.999") == "flight.economy.0"
    assert choose("1500") == "flight.economy.1500"
    assert choose("1500", year=2023) == "flight.old"  # 2024's bands are not yet valid
    assert choose("1500", year=2030) is None  # beyond the rollover window
