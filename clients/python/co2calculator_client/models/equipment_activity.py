from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="EquipmentActivity")


@_attrs_define
class EquipmentActivity:
    """One year of an equipment's lifetime: the entry's quantity is `share` items (their
    embodied kg CO2e in this year's report), with the factor of the purchase year. The shares of
    the lifetime add up to `quantity`: each year takes `quantity / lifetime_years` cut to 6
    places, the last year the rest.

        Attributes:
            factor_key (str): The item type's factor, e.g. kg CO2e per laptop
            quantity (str): How many items (in the factor's unit)
            lifetime_years (int): Years over which the emissions are spread
            purchase_date (datetime.date):
            year_of_lifetime (int): 1 for the purchase year, up to `lifetime_years`
            share (str): The items this year carries
            series_id (UUID): The same for every year of one purchase
            kind (Literal['equipment'] | Unset):  Default: 'equipment'.
    """

    factor_key: str
    quantity: str
    lifetime_years: int
    purchase_date: datetime.date
    year_of_lifetime: int
    share: str
    series_id: UUID
    kind: Literal["equipment"] | Unset = "equipment"

    def to_dict(self) -> dict[str, Any]:
        factor_key = self.factor_key

        quantity = self.quantity

        lifetime_years = self.lifetime_years

        purchase_date = self.purchase_date.isoformat()

        year_of_lifetime = self.year_of_lifetime

        share = self.share

        series_id = str(self.series_id)

        kind = self.kind

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "factor_key": factor_key,
                "quantity": quantity,
                "lifetime_years": lifetime_years,
                "purchase_date": purchase_date,
                "year_of_lifetime": year_of_lifetime,
                "share": share,
                "series_id": series_id,
            }
        )
        if kind is not UNSET:
            field_dict["kind"] = kind

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        factor_key = d.pop("factor_key")

        quantity = d.pop("quantity")

        lifetime_years = d.pop("lifetime_years")

        purchase_date = datetime.date.fromisoformat(d.pop("purchase_date"))

        year_of_lifetime = d.pop("year_of_lifetime")

        share = d.pop("share")

        series_id = UUID(d.pop("series_id"))

        kind = cast(Literal["equipment"] | Unset, d.pop("kind", UNSET))
        if kind != "equipment" and not isinstance(kind, Unset):
            raise ValueError(f"kind must match const 'equipment', got '{kind}'")

        equipment_activity = cls(
            factor_key=factor_key,
            quantity=quantity,
            lifetime_years=lifetime_years,
            purchase_date=purchase_date,
            year_of_lifetime=year_of_lifetime,
            share=share,
            series_id=series_id,
            kind=kind,
        )

        return equipment_activity
