from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="TargetPut")


@_attrs_define
class TargetPut:
    """A target, as `PUT /labs/{lab_id}/target` and `PUT /institution/target` take it (it
    replaces the one there was).

        Attributes:
            baseline_year (int): The year whose emissions the reduction is of
            target_year (int): The year the reduction is to be reached; after the baseline year
            reduction_pct (float | str): The reduction to reach by the target year, in percent of the baseline year's
                emissions (0 to 100, at most 2 decimals)
    """

    baseline_year: int
    target_year: int
    reduction_pct: float | str

    def to_dict(self) -> dict[str, Any]:
        baseline_year = self.baseline_year

        target_year = self.target_year

        reduction_pct: float | str
        reduction_pct = self.reduction_pct

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "baseline_year": baseline_year,
                "target_year": target_year,
                "reduction_pct": reduction_pct,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        baseline_year = d.pop("baseline_year")

        target_year = d.pop("target_year")

        def _parse_reduction_pct(data: object) -> float | str:
            return cast(float | str, data)

        reduction_pct = _parse_reduction_pct(d.pop("reduction_pct"))

        target_put = cls(
            baseline_year=baseline_year,
            target_year=target_year,
            reduction_pct=reduction_pct,
        )

        return target_put
