from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.staff_category import StaffCategory

T = TypeVar("T", bound="HeadcountPublic")


@_attrs_define
class HeadcountPublic:
    """
    Attributes:
        category (StaffCategory): Who the FTE are. Every person counts once, in the category of their main contract.
        fte (str): Full-time equivalents, 0 to 10000, at most 2 decimals
        updated_at (datetime.datetime):
    """

    category: StaffCategory
    fte: str
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        category = self.category.value

        fte = self.fte

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "category": category,
                "fte": fte,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        category = StaffCategory(d.pop("category"))

        fte = d.pop("fte")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        headcount_public = cls(
            category=category,
            fte=fte,
            updated_at=updated_at,
        )

        headcount_public.additional_properties = d
        return headcount_public

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
