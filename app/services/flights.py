"""A flight's distance: the geodesic between its airports on the WGS84 ellipsoid (the
great-circle distance of a flat-free Earth), rounded to the metre, plus `FLIGHT_UPLIFT_KM`.

Airports come from the `airportsdata` package (IATA codes; data of the OurAirports lineage, with
coordinates in decimal degrees), distances from `geographiclib` (Karney's algorithm, accurate to
nanometres). Both return floats; a distance is converted to `Decimal` through its shortest repr
(`str`) and then rounded, so it is the same on every machine that computes the same float.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache, lru_cache
from typing import Any

import airportsdata
from geographiclib.geodesic import Geodesic

from app.core.errors import FieldError, InvalidInput
from app.models.factor import CabinClass, EmissionFactor

KM_QUANTUM = Decimal("0.001")  # the metre


@cache
def airports() -> dict[str, Any]:
    """Every airport by IATA code (about 7,900; loaded once, in about 0.3 s)."""
    return airportsdata.load("IATA")


def _unknown(field: str, code: str) -> InvalidInput:
    return InvalidInput(
        f"There is no airport with the IATA code '{code}'.",
        errors=[FieldError(loc=["body", field], msg="unknown airport", type="airport")],
    )


@dataclass(frozen=True)
class Route:
    origin: str
    destination: str
    great_circle_km: Decimal


@lru_cache(maxsize=1 << 16)  # an import's flights repeat their routes
def measure(origin: str, destination: str) -> Route:
    """The great-circle distance between two airports, refused when either is unknown or they
    are the same airport. CPU-bound and loads the airports on first use: run it off the event
    loop."""
    known = airports()
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
    metres = Geodesic.WGS84.Inverse(start["lat"], start["lon"], end["lat"], end["lon"])["s12"]
    kilometres = (Decimal(str(metres)) / 1000).quantize(KM_QUANTUM, rounding=ROUND_HALF_UP)
    return Route(origin, destination, kilometres)


def choose_factor(
    candidates: Iterable[EmissionFactor],
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
    fitting = [
        factor
        for factor in candidates
        if factor.cabin_class == cabin
        and factor.distance_min_km is not None
        and factor.distance_min_km <= distance_km
        and (factor.distance_max_km is None or distance_km < factor.distance_max_km)
        and earliest <= factor.year <= year
        and (factor.region is None or factor.region == region)
    ]
    return min(
        fitting,
        key=lambda factor: (-factor.year, factor.region is None, factor.key),
        default=None,
    )
