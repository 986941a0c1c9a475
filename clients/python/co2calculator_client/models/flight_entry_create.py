from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..models.cabin_class import CabinClass
from ..types import UNSET, Unset

T = TypeVar("T", bound="FlightEntryCreate")


@_attrs_define
class FlightEntryCreate:
    """A flight; the server computes the passenger-km and picks the factor.

    Attributes:
        origin (str): IATA code of the departure airport, e.g. `GVA`
        destination (str): IATA code of the arrival airport, e.g. `JFK`
        date (datetime.date | str): `YYYY-MM-DD`, or `YYYY-MM` for a month
        kind (Literal['flight']):
        cabin_class (CabinClass | Unset):
        round_trip (bool | Unset): Out and back: twice the distance Default: False.
        travellers (int | Unset):  Default: 1.
        note (str | Unset):  Default: ''.
    """

    origin: str
    destination: str
    date: datetime.date | str
    kind: Literal["flight"]
    cabin_class: CabinClass | Unset = UNSET
    round_trip: bool | Unset = False
    travellers: int | Unset = 1
    note: str | Unset = ""

    def to_dict(self) -> dict[str, Any]:
        origin = self.origin

        destination = self.destination

        date: str
        if isinstance(self.date, datetime.date):
            date = self.date.isoformat()
        else:
            date = self.date

        kind = self.kind

        cabin_class: str | Unset = UNSET
        if not isinstance(self.cabin_class, Unset):
            cabin_class = self.cabin_class.value

        round_trip = self.round_trip

        travellers = self.travellers

        note = self.note

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "origin": origin,
                "destination": destination,
                "date": date,
                "kind": kind,
            }
        )
        if cabin_class is not UNSET:
            field_dict["cabin_class"] = cabin_class
        if round_trip is not UNSET:
            field_dict["round_trip"] = round_trip
        if travellers is not UNSET:
            field_dict["travellers"] = travellers
        if note is not UNSET:
            field_dict["note"] = note

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        origin = d.pop("origin")

        destination = d.pop("destination")

        def _parse_date(data: object) -> datetime.date | str:
            try:
                if not isinstance(data, str):
                    raise TypeError()
                date_type_0 = datetime.date.fromisoformat(data)

                return date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | str, data)

        date = _parse_date(d.pop("date"))

        kind = cast(Literal["flight"], d.pop("kind"))
        if kind != "flight":
            raise ValueError(f"kind must match const 'flight', got '{kind}'")

        _cabin_class = d.pop("cabin_class", UNSET)
        cabin_class: CabinClass | Unset
        if isinstance(_cabin_class, Unset):
            cabin_class = UNSET
        else:
            cabin_class = CabinClass(_cabin_class)

        round_trip = d.pop("round_trip", UNSET)

        travellers = d.pop("travellers", UNSET)

        note = d.pop("note", UNSET)

        flight_entry_create = cls(
            origin=origin,
            destination=destination,
            date=date,
            kind=kind,
            cabin_class=cabin_class,
            round_trip=round_trip,
            travellers=travellers,
            note=note,
        )

        return flight_entry_create
