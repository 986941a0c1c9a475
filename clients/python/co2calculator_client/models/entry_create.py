from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="EntryCreate")


@_attrs_define
class EntryCreate:
    """A plain quantity of a factor's unit (`kind` may be left out).

    Attributes:
        date (datetime.date | str): `YYYY-MM-DD`, or `YYYY-MM` for a month
        factor_key (str):
        quantity (float | str):
        unit (None | str | Unset): When given, must equal the factor's unit
        note (str | Unset):  Default: ''.
        kind (Literal['quantity'] | Unset):  Default: 'quantity'.
    """

    date: datetime.date | str
    factor_key: str
    quantity: float | str
    unit: None | str | Unset = UNSET
    note: str | Unset = ""
    kind: Literal["quantity"] | Unset = "quantity"

    def to_dict(self) -> dict[str, Any]:
        date: str
        if isinstance(self.date, datetime.date):
            date = self.date.isoformat()
        else:
            date = self.date

        factor_key = self.factor_key

        quantity: float | str
        quantity = self.quantity

        unit: None | str | Unset
        if isinstance(self.unit, Unset):
            unit = UNSET
        else:
            unit = self.unit

        note = self.note

        kind = self.kind

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "date": date,
                "factor_key": factor_key,
                "quantity": quantity,
            }
        )
        if unit is not UNSET:
            field_dict["unit"] = unit
        if note is not UNSET:
            field_dict["note"] = note
        if kind is not UNSET:
            field_dict["kind"] = kind

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

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

        factor_key = d.pop("factor_key")

        def _parse_quantity(data: object) -> float | str:
            return cast(float | str, data)

        quantity = _parse_quantity(d.pop("quantity"))

        def _parse_unit(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        unit = _parse_unit(d.pop("unit", UNSET))

        note = d.pop("note", UNSET)

        kind = cast(Literal["quantity"] | Unset, d.pop("kind", UNSET))
        if kind != "quantity" and not isinstance(kind, Unset):
            raise ValueError(f"kind must match const 'quantity', got '{kind}'")

        entry_create = cls(
            date=date,
            factor_key=factor_key,
            quantity=quantity,
            unit=unit,
            note=note,
            kind=kind,
        )

        return entry_create
