from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.factor_category import FactorCategory

T = TypeVar("T", bound="FactorShare")


@_attrs_define
class FactorShare:
    """
    Attributes:
        factor_key (str):
        category (FactorCategory):
        unit (str):
        quantity (str):
        kg_co2e (str):
        share (str): Fraction of the year's total (0 to 1)
    """

    factor_key: str
    category: FactorCategory
    unit: str
    quantity: str
    kg_co2e: str
    share: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        factor_key = self.factor_key

        category = self.category.value

        unit = self.unit

        quantity = self.quantity

        kg_co2e = self.kg_co2e

        share = self.share

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "factor_key": factor_key,
                "category": category,
                "unit": unit,
                "quantity": quantity,
                "kg_co2e": kg_co2e,
                "share": share,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        factor_key = d.pop("factor_key")

        category = FactorCategory(d.pop("category"))

        unit = d.pop("unit")

        quantity = d.pop("quantity")

        kg_co2e = d.pop("kg_co2e")

        share = d.pop("share")

        factor_share = cls(
            factor_key=factor_key,
            category=category,
            unit=unit,
            quantity=quantity,
            kg_co2e=kg_co2e,
            share=share,
        )

        factor_share.additional_properties = d
        return factor_share

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
