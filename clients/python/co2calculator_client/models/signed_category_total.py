from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.factor_category import FactorCategory

T = TypeVar("T", bound="SignedCategoryTotal")


@_attrs_define
class SignedCategoryTotal:
    """
    Attributes:
        category (FactorCategory):
        kg_co2e (str): As signed
    """

    category: FactorCategory
    kg_co2e: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        category = self.category.value

        kg_co2e = self.kg_co2e

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "category": category,
                "kg_co2e": kg_co2e,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        category = FactorCategory(d.pop("category"))

        kg_co2e = d.pop("kg_co2e")

        signed_category_total = cls(
            category=category,
            kg_co2e=kg_co2e,
        )

        signed_category_total.additional_properties = d
        return signed_category_total

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
