from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.signed_category_total import SignedCategoryTotal
    from ..models.signed_scope_total import SignedScopeTotal


T = TypeVar("T", bound="SignedFigures")


@_attrs_define
class SignedFigures:
    """A validated year's figures as signed, and the same figures with the current factors.

    Attributes:
        validated_at (datetime.datetime):
        total_kg_co2e (str): As signed at validation
        entry_count (int):
        by_category (list[SignedCategoryTotal]):
        by_scope (list[SignedScopeTotal]):
        current_total_kg_co2e (str): The same entries with the current factors' values (as the report)
        difference_kg_co2e (str): current minus signed
    """

    validated_at: datetime.datetime
    total_kg_co2e: str
    entry_count: int
    by_category: list[SignedCategoryTotal]
    by_scope: list[SignedScopeTotal]
    current_total_kg_co2e: str
    difference_kg_co2e: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        validated_at = self.validated_at.isoformat()

        total_kg_co2e = self.total_kg_co2e

        entry_count = self.entry_count

        by_category = []
        for by_category_item_data in self.by_category:
            by_category_item = by_category_item_data.to_dict()
            by_category.append(by_category_item)

        by_scope = []
        for by_scope_item_data in self.by_scope:
            by_scope_item = by_scope_item_data.to_dict()
            by_scope.append(by_scope_item)

        current_total_kg_co2e = self.current_total_kg_co2e

        difference_kg_co2e = self.difference_kg_co2e

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "validated_at": validated_at,
                "total_kg_co2e": total_kg_co2e,
                "entry_count": entry_count,
                "by_category": by_category,
                "by_scope": by_scope,
                "current_total_kg_co2e": current_total_kg_co2e,
                "difference_kg_co2e": difference_kg_co2e,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.signed_category_total import SignedCategoryTotal  # noqa: PLC0415
        from ..models.signed_scope_total import SignedScopeTotal  # noqa: PLC0415

        d = dict(src_dict)
        validated_at = datetime.datetime.fromisoformat(d.pop("validated_at"))

        total_kg_co2e = d.pop("total_kg_co2e")

        entry_count = d.pop("entry_count")

        by_category = []
        _by_category = d.pop("by_category")
        for by_category_item_data in _by_category:
            by_category_item = SignedCategoryTotal.from_dict(by_category_item_data)

            by_category.append(by_category_item)

        by_scope = []
        _by_scope = d.pop("by_scope")
        for by_scope_item_data in _by_scope:
            by_scope_item = SignedScopeTotal.from_dict(by_scope_item_data)

            by_scope.append(by_scope_item)

        current_total_kg_co2e = d.pop("current_total_kg_co2e")

        difference_kg_co2e = d.pop("difference_kg_co2e")

        signed_figures = cls(
            validated_at=validated_at,
            total_kg_co2e=total_kg_co2e,
            entry_count=entry_count,
            by_category=by_category,
            by_scope=by_scope,
            current_total_kg_co2e=current_total_kg_co2e,
            difference_kg_co2e=difference_kg_co2e,
        )

        signed_figures.additional_properties = d
        return signed_figures

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
