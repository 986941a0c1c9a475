from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.category_per_fte import CategoryPerFte
    from ..models.staff_share import StaffShare


T = TypeVar("T", bound="HeadcountFigures")


@_attrs_define
class HeadcountFigures:
    """The year's headcount and the emissions per FTE. Emissions are not recorded by staff
    category, so there is no t CO2e per FTE of a staff category: each category's FTE and share
    are given instead.

        Attributes:
            total_fte (str):
            t_co2e_per_fte (None | str): The year's total in t CO2e per FTE (half-even to 0.001 t); None when the total FTE
                is 0
            by_staff_category (list[StaffShare]):
            by_category (list[CategoryPerFte]): Per FTE by emission category, in the order of `by_category`
    """

    total_fte: str
    t_co2e_per_fte: None | str
    by_staff_category: list[StaffShare]
    by_category: list[CategoryPerFte]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        total_fte = self.total_fte

        t_co2e_per_fte: None | str
        t_co2e_per_fte = self.t_co2e_per_fte

        by_staff_category = []
        for by_staff_category_item_data in self.by_staff_category:
            by_staff_category_item = by_staff_category_item_data.to_dict()
            by_staff_category.append(by_staff_category_item)

        by_category = []
        for by_category_item_data in self.by_category:
            by_category_item = by_category_item_data.to_dict()
            by_category.append(by_category_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "total_fte": total_fte,
                "t_co2e_per_fte": t_co2e_per_fte,
                "by_staff_category": by_staff_category,
                "by_category": by_category,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.category_per_fte import CategoryPerFte  # noqa: PLC0415
        from ..models.staff_share import StaffShare  # noqa: PLC0415

        d = dict(src_dict)
        total_fte = d.pop("total_fte")

        def _parse_t_co2e_per_fte(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        t_co2e_per_fte = _parse_t_co2e_per_fte(d.pop("t_co2e_per_fte"))

        by_staff_category = []
        _by_staff_category = d.pop("by_staff_category")
        for by_staff_category_item_data in _by_staff_category:
            by_staff_category_item = StaffShare.from_dict(by_staff_category_item_data)

            by_staff_category.append(by_staff_category_item)

        by_category = []
        _by_category = d.pop("by_category")
        for by_category_item_data in _by_category:
            by_category_item = CategoryPerFte.from_dict(by_category_item_data)

            by_category.append(by_category_item)

        headcount_figures = cls(
            total_fte=total_fte,
            t_co2e_per_fte=t_co2e_per_fte,
            by_staff_category=by_staff_category,
            by_category=by_category,
        )

        headcount_figures.additional_properties = d
        return headcount_figures

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
