from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="TargetYear")


@_attrs_define
class TargetYear:
    """
    Attributes:
        year (int):
        path_kg_co2e (None | str): Where the path is this year (half-even to 0.001 kg); None when the baseline year has
            no entries (no path to draw)
        actual_kg_co2e (None | str): The year's headline total, as the report gives it; None when the year has no
            entries
        entry_count (int):
        gap_kg_co2e (None | str): actual - path: above 0 the lab is above its path; None without both
        on_track (bool | None): actual ≤ path; None without both
    """

    year: int
    path_kg_co2e: None | str
    actual_kg_co2e: None | str
    entry_count: int
    gap_kg_co2e: None | str
    on_track: bool | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        year = self.year

        path_kg_co2e: None | str
        path_kg_co2e = self.path_kg_co2e

        actual_kg_co2e: None | str
        actual_kg_co2e = self.actual_kg_co2e

        entry_count = self.entry_count

        gap_kg_co2e: None | str
        gap_kg_co2e = self.gap_kg_co2e

        on_track: bool | None
        on_track = self.on_track

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "year": year,
                "path_kg_co2e": path_kg_co2e,
                "actual_kg_co2e": actual_kg_co2e,
                "entry_count": entry_count,
                "gap_kg_co2e": gap_kg_co2e,
                "on_track": on_track,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        year = d.pop("year")

        def _parse_path_kg_co2e(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        path_kg_co2e = _parse_path_kg_co2e(d.pop("path_kg_co2e"))

        def _parse_actual_kg_co2e(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        actual_kg_co2e = _parse_actual_kg_co2e(d.pop("actual_kg_co2e"))

        entry_count = d.pop("entry_count")

        def _parse_gap_kg_co2e(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        gap_kg_co2e = _parse_gap_kg_co2e(d.pop("gap_kg_co2e"))

        def _parse_on_track(data: object) -> bool | None:
            if data is None:
                return data
            return cast(bool | None, data)

        on_track = _parse_on_track(d.pop("on_track"))

        target_year = cls(
            year=year,
            path_kg_co2e=path_kg_co2e,
            actual_kg_co2e=actual_kg_co2e,
            entry_count=entry_count,
            gap_kg_co2e=gap_kg_co2e,
            on_track=on_track,
        )

        target_year.additional_properties = d
        return target_year

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
