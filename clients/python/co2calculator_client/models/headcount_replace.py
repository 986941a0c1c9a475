from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.headcount_create import HeadcountCreate


T = TypeVar("T", bound="HeadcountReplace")


@_attrs_define
class HeadcountReplace:
    """Every category of a lab-year: replaces what was stored for that year (a category left out
    is removed). Each category at most once.

        Attributes:
            categories (list[HeadcountCreate]):
    """

    categories: list[HeadcountCreate]

    def to_dict(self) -> dict[str, Any]:
        categories = []
        for categories_item_data in self.categories:
            categories_item = categories_item_data.to_dict()
            categories.append(categories_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "categories": categories,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.headcount_create import HeadcountCreate  # noqa: PLC0415

        d = dict(src_dict)
        categories = []
        _categories = d.pop("categories")
        for categories_item_data in _categories:
            categories_item = HeadcountCreate.from_dict(categories_item_data)

            categories.append(categories_item)

        headcount_replace = cls(
            categories=categories,
        )

        return headcount_replace
