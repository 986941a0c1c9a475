"""A flight's distance: the great-circle distance between its airports on a sphere of the Earth's
mean radius (IUGG: 6,371.0088 km), by the haversine formula, rounded to the metre, plus
`FLIGHT_UPLIFT_KM`. The great circle is what EPFL's co2-calculator and most publishers' flight
factors assume; it is within 0.5 % of the WGS84 geodesic (the tests compare them with
`geographiclib`), and about a thousand times cheaper to compute in Python, which matters for an
import of 100,000 flights.

Airports come from the `airportsdata` package (IATA codes; coordinates in decimal degrees). The
computation is in floats; the distance is converted to `Decimal` through its shortest repr (`str`)
and then rounded, and it is stored with the entry, so a figure never changes once computed.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import Any, NamedTuple

import airportsdata

from app.core.errors import FieldError, InvalidInput
from app.models.base import plain_decimal
from app.models.factor import CabinClass, EmissionFactor

KM_QUANTUM = Decimal("0.001")  # the metre
MEAN_EARTH_RADIUS_KM = 6371.0088  # IUGG mean radius R1


@cache
def airports() -> dict[str, Any]:
    """Every airport by IATA code (about 7,900; loaded once, in about 0.3 s)."""
    return airportsdata.load("IATA")


@cache
def _positions() -> dict[str, tuple[float, float, float]]:
    """Each airport's latitude in radians, longitude in degrees and latitude's cosine, worked
    out once: a route's distance then costs a few sines (the longitude difference is taken in
    degrees, then converted, as the distances stored before this table were)."""
    positions: dict[str, tuple[float, float, float]] = {}
    for code, airport in airports().items():
        phi = math.radians(airport["lat"])
        positions[code] = (phi, airport["lon"], math.cos(phi))
    return positions


def _unknown(field: str, code: str) -> InvalidInput:
    return InvalidInput(
        f"There is no airport with the IATA code '{code}'.",
        errors=[FieldError(loc=["body", field], msg="unknown airport", type="airport")],
    )


class Route(NamedTuple):
    origin: str
    destination: str
    great_circle_km: Decimal
    great_circle_text: str  # as stored (`plain_decimal`), computed once per route


def measure(origin: str, destination: str) -> Route:
    """The great-circle distance between two airports, refused when either is unknown or they
    are the same airport. CPU-bound and loads the airports on first use: run it off the event
    loop (its caller caches the routes: app/services/activities.py)."""
    known = _positions()
    start = known.get(origin)
    if start is None:
        raise _unknown("origin", origin)
    end = known.get(destination)
    if end is None:
        raise _unknown("destination", destination)
    if origin == destination:
        raise InvalidInput(
            f"The origin and the destination are the same airport ({origin}).",
            errors=[
                FieldError(loc=["body", "destination"], msg="same as origin", type="same_airport")
            ],
        )
    kilometres = _haversine_km(start, end)
    rounded = Decimal(str(kilometres)).quantize(KM_QUANTUM, rounding=ROUND_HALF_UP)
    return Route(origin, destination, rounded, plain_decimal(rounded))


def _haversine_km(start: tuple[float, float, float], end: tuple[float, float, float]) -> float:
    """The haversine formula on the mean-radius sphere, for two positions (`_positions`); km."""
    half_dphi, half_dlambda = (end[0] - start[0]) / 2, math.radians(end[1] - start[1]) / 2
    h = math.sin(half_dphi) ** 2 + start[2] * end[2] * math.sin(half_dlambda) ** 2
    return 2 * MEAN_EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


# A flight factor as plain values, read per flight without touching ORM attributes:
# (distance_min_km, distance_max_km, year, region, factor).
_Band = tuple[int, int | None, int, str | None, EmissionFactor]


@dataclass(frozen=True)
class FlightFactors:
    """The flight factors of each cabin class, best first: the latest year, then the region's
    own before a region-less one, then by key. The first whose band, years and region fit a
    flight is its factor."""

    by_cabin: dict[str, tuple[_Band, ...]]

    @classmethod
    def of(cls, factors: Iterable[EmissionFactor]) -> "FlightFactors":
        by_cabin: dict[str, list[tuple[tuple[int, bool, str], _Band]]] = {}
        for factor in factors:
            if factor.cabin_class is None or factor.distance_min_km is None:
                continue
            rank = (-factor.year, factor.region is None, factor.key)
            band = (
                factor.distance_min_km,
                factor.distance_max_km,
                factor.year,
                factor.region,
                factor,
            )
            by_cabin.setdefault(factor.cabin_class.value, []).append((rank, band))
        return cls(
            {
                cabin: tuple(band for _, band in sorted(ranked, key=lambda item: item[0]))
                for cabin, ranked in by_cabin.items()
            }
        )


def choose_factor(
    candidates: FlightFactors,
    *,
    cabin: CabinClass,
    distance_km: Decimal,
    year: int,
    earliest: int,
    region: str | None,
) -> EmissionFactor | None:
    """The flight factor for a leg of `distance_km` in `cabin`: of the factors of that cabin
    class whose band [distance_min_km, distance_max_km) holds the distance, the one of the latest
    year from `earliest` to `year` (year rollover), the region's own before a region-less one,
    then the first by key. The bands are the factors' data; none is written here."""
    for low, high, band_year, band_region, factor in candidates.by_cabin.get(cabin, ()):
        if (
            low <= distance_km
            and (high is None or distance_km < high)
            and earliest <= band_year <= year
            and (band_region is None or band_region == region)
        ):
            return factor
    return None
