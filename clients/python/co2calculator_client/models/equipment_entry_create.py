from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="EquipmentEntryCreate")


@_attrs_define
class EquipmentEntryCreate:
    """Equipment bought on `date`; the server adds an entry per year of its lifetime.

    Attributes:
        factor_key (str): The item type's factor, e.g. kg CO2e per laptop
        quantity (float | str): How many items (in the factor's unit)
        lifetime_years (int): Years over which the emissions are spread
        date (datetime.date | str): `YYYY-MM-DD`, or `YYYY-MM` for a month
        kind (Literal['equipment']):
        note (str | Unset):  Default: ''.
    """

    factor_key: str
    quantity: float | str
    lifetime_years: int
    date: datetime.date | str
    kind: Literal["equipment"]
    note: str | Unset = ""

    def to_dict(self) -> dict[str, Any]:
        factor_key = self.factor_key

        quantity: float | str
        quantity = self.quantity

        lifetime_years = self.lifetime_years

        date: str
        if isinstance(self.date, datetime.date):
            date = self.date.isoformat()
        else:
            date = self.date

        kind = self.kind

        note = self.note

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "factor_key": factor_key,
                "quantity": quantity,
                "lifetime_years": lifetime_years,
                "date": date,
                "kind": kind,
            }
        )
        if note is not UNSET:
            field_dict["note"] = note

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        factor_key = d.pop("factor_key")

        def _parse_quantity(data: object) -> float | str:
            return cast(float | str, data)

        quantity = _parse_quantity(d.pop("quantity"))

        lifetime_years = d.pop("lifetime_years")

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

        kind = cast(Literal["equipment"], d.pop("kind"))
        if kind != "equipment":
            raise ValueError(f"kind must match const 'equipment', got '{kind}'")

        note = d.pop("note", UNSET)

        equipment_entry_create = cls(
            factor_key=factor_key,
            quantity=quantity,
            lifetime_years=lifetime_years,
            date=date,
            kind=kind,
            note=note,
        )

        return equipment_entry_create
