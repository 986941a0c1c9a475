from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.staff_category import StaffCategory

T = TypeVar("T", bound="StaffShare")


@_attrs_define
class StaffShare:
    """
    Attributes:
        category (StaffCategory): Who the FTE are. Every person counts once, in the category of their main contract.
        fte (str):
        share (None | str): Fraction of the year's FTE (0 to 1, to 0.0001); None when the total is 0
    """

    category: StaffCategory
    fte: str
    share: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        category = self.category.value

        fte = self.fte

        share: None | str
        share = self.share

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "category": category,
                "fte": fte,
                "share": share,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        category = StaffCategory(d.pop("category"))

        fte = d.pop("fte")

        def _parse_share(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        share = _parse_share(d.pop("share"))

        staff_share = cls(
            category=category,
            fte=fte,
            share=share,
        )

        staff_share.additional_properties = d
        return staff_share

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
