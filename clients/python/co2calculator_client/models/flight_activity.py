from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..models.cabin_class import CabinClass
from ..types import UNSET, Unset

T = TypeVar("T", bound="FlightActivity")


@_attrs_define
class FlightActivity:
    """A flight as computed: `distance_km` = `great_circle_km` + `uplift_km`; the entry's
    quantity (passenger-km) = `distance_km` x legs (2 for a round trip) x `travellers` x
    `rf_multiplier`.

        Attributes:
            origin (str): IATA code of the departure airport, e.g. `GVA`
            destination (str): IATA code of the arrival airport, e.g. `JFK`
            great_circle_km (str): Great-circle distance between the airports on a sphere of the Earth's mean radius
                (haversine), rounded to the metre
            uplift_km (str): Added for routing, holding and approach
            distance_km (str): One leg; it chose the factor's distance band
            rf_multiplier (str): Radiative forcing multiplier applied (1: none)
            cabin_class (CabinClass | Unset):
            round_trip (bool | Unset): Out and back: twice the distance Default: False.
            travellers (int | Unset):  Default: 1.
            kind (Literal['flight'] | Unset):  Default: 'flight'.
    """

    origin: str
    destination: str
    great_circle_km: str
    uplift_km: str
    distance_km: str
    rf_multiplier: str
    cabin_class: CabinClass | Unset = UNSET
    round_trip: bool | Unset = False
    travellers: int | Unset = 1
    kind: Literal["flight"] | Unset = "flight"

    def to_dict(self) -> dict[str, Any]:
        origin = self.origin

        destination = self.destination

        great_circle_km = self.great_circle_km

        uplift_km = self.uplift_km

        distance_km = self.distance_km

        rf_multiplier = self.rf_multiplier

        cabin_class: str | Unset = UNSET
        if not isinstance(self.cabin_class, Unset):
            cabin_class = self.cabin_class.value

        round_trip = self.round_trip

        travellers = self.travellers

        kind = self.kind

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "origin": origin,
                "destination": destination,
                "great_circle_km": great_circle_km,
                "uplift_km": uplift_km,
                "distance_km": distance_km,
                "rf_multiplier": rf_multiplier,
            }
        )
        if cabin_class is not UNSET:
            field_dict["cabin_class"] = cabin_class
        if round_trip is not UNSET:
            field_dict["round_trip"] = round_trip
        if travellers is not UNSET:
            field_dict["travellers"] = travellers
        if kind is not UNSET:
            field_dict["kind"] = kind

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        origin = d.pop("origin")

        destination = d.pop("destination")

        great_circle_km = d.pop("great_circle_km")

        uplift_km = d.pop("uplift_km")

        distance_km = d.pop("distance_km")

        rf_multiplier = d.pop("rf_multiplier")

        _cabin_class = d.pop("cabin_class", UNSET)
        cabin_class: CabinClass | Unset
        if isinstance(_cabin_class, Unset):
            cabin_class = UNSET
        else:
            cabin_class = CabinClass(_cabin_class)

        round_trip = d.pop("round_trip", UNSET)

        travellers = d.pop("travellers", UNSET)

        kind = cast(Literal["flight"] | Unset, d.pop("kind", UNSET))
        if kind != "flight" and not isinstance(kind, Unset):
            raise ValueError(f"kind must match const 'flight', got '{kind}'")

        flight_activity = cls(
            origin=origin,
            destination=destination,
            great_circle_km=great_circle_km,
            uplift_km=uplift_km,
            distance_km=distance_km,
            rf_multiplier=rf_multiplier,
            cabin_class=cabin_class,
            round_trip=round_trip,
            travellers=travellers,
            kind=kind,
        )

        return flight_activity
