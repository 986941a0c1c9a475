from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="EntryUpdate")


@_attrs_define
class EntryUpdate:
    """PATCH: the fields to change, plus the `version` you last read.

    Attributes:
        version (int): The version you last read
        date (datetime.date | None | str | Unset):
        factor_key (None | str | Unset):
        quantity (float | None | str | Unset):
        note (None | str | Unset):
    """

    version: int
    date: datetime.date | None | str | Unset = UNSET
    factor_key: None | str | Unset = UNSET
    quantity: float | None | str | Unset = UNSET
    note: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        version = self.version

        date: None | str | Unset
        if isinstance(self.date, Unset):
            date = UNSET
        elif isinstance(self.date, datetime.date):
            date = self.date.isoformat()
        else:
            date = self.date

        factor_key: None | str | Unset
        if isinstance(self.factor_key, Unset):
            factor_key = UNSET
        else:
            factor_key = self.factor_key

        quantity: float | None | str | Unset
        if isinstance(self.quantity, Unset):
            quantity = UNSET
        else:
            quantity = self.quantity

        note: None | str | Unset
        if isinstance(self.note, Unset):
            note = UNSET
        else:
            note = self.note

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "version": version,
            }
        )
        if date is not UNSET:
            field_dict["date"] = date
        if factor_key is not UNSET:
            field_dict["factor_key"] = factor_key
        if quantity is not UNSET:
            field_dict["quantity"] = quantity
        if note is not UNSET:
            field_dict["note"] = note

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        version = d.pop("version")

        def _parse_date(data: object) -> datetime.date | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                date_type_0_type_0 = datetime.date.fromisoformat(data)

                return date_type_0_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | str | Unset, data)

        date = _parse_date(d.pop("date", UNSET))

        def _parse_factor_key(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        factor_key = _parse_factor_key(d.pop("factor_key", UNSET))

        def _parse_quantity(data: object) -> float | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | str | Unset, data)

        quantity = _parse_quantity(d.pop("quantity", UNSET))

        def _parse_note(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        note = _parse_note(d.pop("note", UNSET))

        entry_update = cls(
            version=version,
            date=date,
            factor_key=factor_key,
            quantity=quantity,
            note=note,
        )

        return entry_update
