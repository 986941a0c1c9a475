from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="PurchaseEntryCreate")


@_attrs_define
class PurchaseEntryCreate:
    """A purchase; the server converts the amount to the factor's currency.

    Attributes:
        factor_key (str): The spend category's factor, in kg CO2e per unit of a currency
        amount (float | str):
        currency (str): ISO 4217 code of the amount, e.g. `CHF`
        date (datetime.date | str): `YYYY-MM-DD`, or `YYYY-MM` for a month
        kind (Literal['purchase']):
        note (str | Unset):  Default: ''.
    """

    factor_key: str
    amount: float | str
    currency: str
    date: datetime.date | str
    kind: Literal["purchase"]
    note: str | Unset = ""

    def to_dict(self) -> dict[str, Any]:
        factor_key = self.factor_key

        amount: float | str
        amount = self.amount

        currency = self.currency

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
                "amount": amount,
                "currency": currency,
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

        def _parse_amount(data: object) -> float | str:
            return cast(float | str, data)

        amount = _parse_amount(d.pop("amount"))

        currency = d.pop("currency")

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

        kind = cast(Literal["purchase"], d.pop("kind"))
        if kind != "purchase":
            raise ValueError(f"kind must match const 'purchase', got '{kind}'")

        note = d.pop("note", UNSET)

        purchase_entry_create = cls(
            factor_key=factor_key,
            amount=amount,
            currency=currency,
            date=date,
            kind=kind,
            note=note,
        )

        return purchase_entry_create
