from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.factor_category import FactorCategory

T = TypeVar("T", bound="CategoryPerFte")


@_attrs_define
class CategoryPerFte:
    """
    Attributes:
        category (FactorCategory):
        t_co2e_per_fte (None | str): The category's emissions in t CO2e per FTE of the whole lab (to 0.001 t); None when
            the total FTE is 0
    """

    category: FactorCategory
    t_co2e_per_fte: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        category = self.category.value

        t_co2e_per_fte: None | str
        t_co2e_per_fte = self.t_co2e_per_fte

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "category": category,
                "t_co2e_per_fte": t_co2e_per_fte,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        category = FactorCategory(d.pop("category"))

        def _parse_t_co2e_per_fte(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        t_co2e_per_fte = _parse_t_co2e_per_fte(d.pop("t_co2e_per_fte"))

        category_per_fte = cls(
            category=category,
            t_co2e_per_fte=t_co2e_per_fte,
        )

        category_per_fte.additional_properties = d
        return category_per_fte

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
