from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.category_total import CategoryTotal
    from ..models.lab_category_row import LabCategoryRow
    from ..models.lab_per_fte import LabPerFte
    from ..models.uncertainty import Uncertainty


T = TypeVar("T", bound="InstitutionReport")


@_attrs_define
class InstitutionReport:
    """
    Attributes:
        year (int):
        total_kg_co2e (str):
        uncertainty (Uncertainty): The 95 % interval of a central value, propagated from the factors' uncertainty
            (docs/uncertainty.md): factors independent of each other, each fully correlated over its
            own entries, combined in quadrature. Entries whose factor publishes no uncertainty widen
            nothing: they are counted in `without_uncertainty_*`, so read the interval as covering the
            rest.
        by_category (list[CategoryTotal]):
        by_lab_and_category (list[LabCategoryRow]):
        per_fte (list[LabPerFte] | Unset): Every lab with emissions or a headcount in the year, most t CO2e per FTE
            first; labs without a headcount (or with 0 FTE) last, by code
    """

    year: int
    total_kg_co2e: str
    uncertainty: Uncertainty
    by_category: list[CategoryTotal]
    by_lab_and_category: list[LabCategoryRow]
    per_fte: list[LabPerFte] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        year = self.year

        total_kg_co2e = self.total_kg_co2e

        uncertainty = self.uncertainty.to_dict()

        by_category = []
        for by_category_item_data in self.by_category:
            by_category_item = by_category_item_data.to_dict()
            by_category.append(by_category_item)

        by_lab_and_category = []
        for by_lab_and_category_item_data in self.by_lab_and_category:
            by_lab_and_category_item = by_lab_and_category_item_data.to_dict()
            by_lab_and_category.append(by_lab_and_category_item)

        per_fte: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.per_fte, Unset):
            per_fte = []
            for per_fte_item_data in self.per_fte:
                per_fte_item = per_fte_item_data.to_dict()
                per_fte.append(per_fte_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "year": year,
                "total_kg_co2e": total_kg_co2e,
                "uncertainty": uncertainty,
                "by_category": by_category,
                "by_lab_and_category": by_lab_and_category,
            }
        )
        if per_fte is not UNSET:
            field_dict["per_fte"] = per_fte

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.category_total import CategoryTotal  # noqa: PLC0415
        from ..models.lab_category_row import LabCategoryRow  # noqa: PLC0415
        from ..models.lab_per_fte import LabPerFte  # noqa: PLC0415
        from ..models.uncertainty import Uncertainty  # noqa: PLC0415

        d = dict(src_dict)
        year = d.pop("year")

        total_kg_co2e = d.pop("total_kg_co2e")

        uncertainty = Uncertainty.from_dict(d.pop("uncertainty"))

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

        _per_fte = d.pop("per_fte", UNSET)
        per_fte: list[LabPerFte] | Unset = UNSET
        if _per_fte is not UNSET:
            per_fte = []
            for per_fte_item_data in _per_fte:
                per_fte_item = LabPerFte.from_dict(per_fte_item_data)

                per_fte.append(per_fte_item)

        institution_report = cls(
            year=year,
            total_kg_co2e=total_kg_co2e,
            uncertainty=uncertainty,
            by_category=by_category,
            by_lab_and_category=by_lab_and_category,
            per_fte=per_fte,
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
