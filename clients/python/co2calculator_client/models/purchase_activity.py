from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="PurchaseActivity")


@_attrs_define
class PurchaseActivity:
    """A purchase as computed: the entry's quantity = round(`amount` x `rate`, 6).

    Attributes:
        factor_key (str): The spend category's factor, in kg CO2e per unit of a currency
        amount (str):
        currency (str): ISO 4217 code of the amount, e.g. `CHF`
        factor_currency (str):
        rate (str): Units of `factor_currency` per unit of `currency`: the quotient of the two ECB euro reference rates,
            rounded to 10 decimal places
        rate_date (datetime.date): The ECB publication day of the rates (on or before the date)
        eur_rate_currency (str): ECB: units of `currency` per euro
        eur_rate_factor_currency (str): ECB: units of `factor_currency` per euro
        kind (Literal['purchase'] | Unset):  Default: 'purchase'.
    """

    factor_key: str
    amount: str
    currency: str
    factor_currency: str
    rate: str
    rate_date: datetime.date
    eur_rate_currency: str
    eur_rate_factor_currency: str
    kind: Literal["purchase"] | Unset = "purchase"

    def to_dict(self) -> dict[str, Any]:
        factor_key = self.factor_key

        amount = self.amount

        currency = self.currency

        factor_currency = self.factor_currency

        rate = self.rate

        rate_date = self.rate_date.isoformat()

        eur_rate_currency = self.eur_rate_currency

        eur_rate_factor_currency = self.eur_rate_factor_currency

        kind = self.kind

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "factor_key": factor_key,
                "amount": amount,
                "currency": currency,
                "factor_currency": factor_currency,
                "rate": rate,
                "rate_date": rate_date,
                "eur_rate_currency": eur_rate_currency,
                "eur_rate_factor_currency": eur_rate_factor_currency,
            }
        )
        if kind is not UNSET:
            field_dict["kind"] = kind

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        factor_key = d.pop("factor_key")

        amount = d.pop("amount")

        currency = d.pop("currency")

        factor_currency = d.pop("factor_currency")

        rate = d.pop("rate")

        rate_date = datetime.date.fromisoformat(d.pop("rate_date"))

        eur_rate_currency = d.pop("eur_rate_currency")

        eur_rate_factor_currency = d.pop("eur_rate_factor_currency")

        kind = cast(Literal["purchase"] | Unset, d.pop("kind", UNSET))
        if kind != "purchase" and not isinstance(kind, Unset):
            raise ValueError(f"kind must match const 'purchase', got '{kind}'")

        purchase_activity = cls(
            factor_key=factor_key,
            amount=amount,
            currency=currency,
            factor_currency=factor_currency,
            rate=rate,
            rate_date=rate_date,
            eur_rate_currency=eur_rate_currency,
            eur_rate_factor_currency=eur_rate_factor_currency,
            kind=kind,
        )

        return purchase_activity
