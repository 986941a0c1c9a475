from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.headcount_public import HeadcountPublic


T = TypeVar("T", bound="HeadcountYearPublic")


@_attrs_define
class HeadcountYearPublic:
    """A lab-year's headcount: its categories (in the order of `StaffCategory`) and their sum.

    Attributes:
        lab_id (UUID):
        year (int):
        total_fte (str):
        categories (list[HeadcountPublic]):
    """

    lab_id: UUID
    year: int
    total_fte: str
    categories: list[HeadcountPublic]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        lab_id = str(self.lab_id)

        year = self.year

        total_fte = self.total_fte

        categories = []
        for categories_item_data in self.categories:
            categories_item = categories_item_data.to_dict()
            categories.append(categories_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "lab_id": lab_id,
                "year": year,
                "total_fte": total_fte,
                "categories": categories,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.headcount_public import HeadcountPublic  # noqa: PLC0415

        d = dict(src_dict)
        lab_id = UUID(d.pop("lab_id"))

        year = d.pop("year")

        total_fte = d.pop("total_fte")

        categories = []
        _categories = d.pop("categories")
        for categories_item_data in _categories:
            categories_item = HeadcountPublic.from_dict(categories_item_data)

            categories.append(categories_item)

        headcount_year_public = cls(
            lab_id=lab_id,
            year=year,
            total_fte=total_fte,
            categories=categories,
        )

        headcount_year_public.additional_properties = d
        return headcount_year_public

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
