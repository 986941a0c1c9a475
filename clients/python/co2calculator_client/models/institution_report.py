from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.category_total import CategoryTotal
    from ..models.lab_category_row import LabCategoryRow


T = TypeVar("T", bound="InstitutionReport")


@_attrs_define
class InstitutionReport:
    """
    Attributes:
        year (int):
        total_kg_co2e (str):
        by_category (list[CategoryTotal]):
        by_lab_and_category (list[LabCategoryRow]):
    """

    year: int
    total_kg_co2e: str
    by_category: list[CategoryTotal]
    by_lab_and_category: list[LabCategoryRow]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        year = self.year

        total_kg_co2e = self.total_kg_co2e

        by_category = []
        for by_category_item_data in self.by_category:
            by_category_item = by_category_item_data.to_dict()
            by_category.append(by_category_item)

        by_lab_and_category = []
        for by_lab_and_category_item_data in self.by_lab_and_category:
            by_lab_and_category_item = by_lab_and_category_item_data.to_dict()
            by_lab_and_category.append(by_lab_and_category_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "year": year,
                "total_kg_co2e": total_kg_co2e,
                "by_category": by_category,
                "by_lab_and_category": by_lab_and_category,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.category_total import CategoryTotal  # noqa: PLC0415
        from ..models.lab_category_row import LabCategoryRow  # noqa: PLC0415

        d = dict(src_dict)
        year = d.pop("year")

        total_kg_co2e = d.pop("total_kg_co2e")

        by_category = []
        _by_category = d.pop("by_category")
        for by_category_item_data in _by_category:
            by_category_item = CategoryTotal.from_dict(by_category_item_data)

            by_category.append(by_category_item)

        by_lab_and_category = []
        _by_lab_and_category = d.pop("by_lab_and_category")
        for by_lab_and_category_item_data in _by_lab_and_category:
            by_lab_and_category_item = LabCategoryRow.from_dict(by_lab_and_category_item_data)

            by_lab_and_category.append(by_lab_and_category_item)

        institution_report = cls(
            year=year,
            total_kg_co2e=total_kg_co2e,
            by_category=by_category,
            by_lab_and_category=by_lab_and_category,
        )

        institution_report.additional_properties = d
        return institution_report

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
