from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.target_public import TargetPublic
    from ..models.target_year import TargetYear


T = TypeVar("T", bound="TargetProgress")


@_attrs_define
class TargetProgress:
    """A lab's target, its path and the lab's actual emissions; a lab without a target has
    `target` null and no years.

        Attributes:
            path (Literal['linear']): The path is a straight line from the baseline year's total to (1 - reduction) x that
                total in the target year
            baseline_kg_co2e (None | str): The baseline year's headline total; None when it has no entries
            target_kg_co2e (None | str): What the target year must not exceed (half-even to 0.001 kg)
            years (list[TargetYear]):
            target (None | TargetPublic):
    """

    path: Literal["linear"]
    baseline_kg_co2e: None | str
    target_kg_co2e: None | str
    years: list[TargetYear]
    target: None | TargetPublic
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.target_public import TargetPublic  # noqa: PLC0415

        path = self.path

        baseline_kg_co2e: None | str
        baseline_kg_co2e = self.baseline_kg_co2e

        target_kg_co2e: None | str
        target_kg_co2e = self.target_kg_co2e

        years = []
        for years_item_data in self.years:
            years_item = years_item_data.to_dict()
            years.append(years_item)

        target: dict[str, Any] | None
        if isinstance(self.target, TargetPublic):
            target = self.target.to_dict()
        else:
            target = self.target

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "path": path,
                "baseline_kg_co2e": baseline_kg_co2e,
                "target_kg_co2e": target_kg_co2e,
                "years": years,
                "target": target,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.target_public import TargetPublic  # noqa: PLC0415
        from ..models.target_year import TargetYear  # noqa: PLC0415

        d = dict(src_dict)
        path = cast(Literal["linear"], d.pop("path"))
        if path != "linear":
            raise ValueError(f"path must match const 'linear', got '{path}'")

        def _parse_baseline_kg_co2e(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        baseline_kg_co2e = _parse_baseline_kg_co2e(d.pop("baseline_kg_co2e"))

        def _parse_target_kg_co2e(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        target_kg_co2e = _parse_target_kg_co2e(d.pop("target_kg_co2e"))

        years = []
        _years = d.pop("years")
        for years_item_data in _years:
            years_item = TargetYear.from_dict(years_item_data)

            years.append(years_item)

        def _parse_target(data: object) -> None | TargetPublic:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                target_type_0 = TargetPublic.from_dict(data)

                return target_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TargetPublic, data)

        target = _parse_target(d.pop("target"))

        target_progress = cls(
            path=path,
            baseline_kg_co2e=baseline_kg_co2e,
            target_kg_co2e=target_kg_co2e,
            years=years,
            target=target,
        )

        target_progress.additional_properties = d
        return target_progress

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
