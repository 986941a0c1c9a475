from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="InstitutionTargetPublic")


@_attrs_define
class InstitutionTargetPublic:
    """The institution's target (`/institution/target`): it has no lab.

    Attributes:
        baseline_year (int): The year whose emissions the reduction is of
        target_year (int): The year the reduction is to be reached; after the baseline year
        reduction_pct (str): The reduction to reach by the target year, in percent of the baseline year's emissions (0
            to 100, at most 2 decimals)
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
    """

    baseline_year: int
    target_year: int
    reduction_pct: str
    created_at: datetime.datetime
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        baseline_year = self.baseline_year

        target_year = self.target_year

        reduction_pct = self.reduction_pct

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "baseline_year": baseline_year,
                "target_year": target_year,
                "reduction_pct": reduction_pct,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        baseline_year = d.pop("baseline_year")

        target_year = d.pop("target_year")

        reduction_pct = d.pop("reduction_pct")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        institution_target_public = cls(
            baseline_year=baseline_year,
            target_year=target_year,
            reduction_pct=reduction_pct,
            created_at=created_at,
            updated_at=updated_at,
        )

        institution_target_public.additional_properties = d
        return institution_target_public

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
