from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.staff_category import StaffCategory

T = TypeVar("T", bound="HeadcountCreate")


@_attrs_define
class HeadcountCreate:
    """One category of a lab-year, as `PUT /labs/{lab_id}/headcount/{year}` takes it.

    Attributes:
        category (StaffCategory): Who the FTE are. Every person counts once, in the category of their main contract.
        fte (float | str): Full-time equivalents, 0 to 10000, at most 2 decimals
    """

    category: StaffCategory
    fte: float | str

    def to_dict(self) -> dict[str, Any]:
        category = self.category.value

        fte: float | str
        fte = self.fte

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "category": category,
                "fte": fte,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        category = StaffCategory(d.pop("category"))

        def _parse_fte(data: object) -> float | str:
            return cast(float | str, data)

        fte = _parse_fte(d.pop("fte"))

        headcount_create = cls(
            category=category,
            fte=fte,
        )

        return headcount_create
