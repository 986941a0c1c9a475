from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Uncertainty")


@_attrs_define
class Uncertainty:
    """The 95 % interval of a central value, propagated from the factors' uncertainty
    (docs/uncertainty.md): factors independent of each other, each fully correlated over its
    own entries, combined in quadrature. Entries whose factor publishes no uncertainty widen
    nothing: they are counted in `without_uncertainty_*`, so read the interval as covering the
    rest.

        Attributes:
            low_kg_co2e (str): Lower bound at 95 %, rounded down to 0.001 kg, never below 0
            high_kg_co2e (str): Upper bound at 95 %, rounded up to 0.001 kg
            relative_pct (None | str): The half-width relative to the central value, in percent (half-even to 0.1); None
                when the central value is 0
            without_uncertainty_entries (int): Entries whose factor publishes no uncertainty
            without_uncertainty_kg_co2e (str): Their kg CO2e (exact)
    """

    low_kg_co2e: str
    high_kg_co2e: str
    relative_pct: None | str
    without_uncertainty_entries: int
    without_uncertainty_kg_co2e: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        low_kg_co2e = self.low_kg_co2e

        high_kg_co2e = self.high_kg_co2e

        relative_pct: None | str
        relative_pct = self.relative_pct

        without_uncertainty_entries = self.without_uncertainty_entries

        without_uncertainty_kg_co2e = self.without_uncertainty_kg_co2e

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "low_kg_co2e": low_kg_co2e,
                "high_kg_co2e": high_kg_co2e,
                "relative_pct": relative_pct,
                "without_uncertainty_entries": without_uncertainty_entries,
                "without_uncertainty_kg_co2e": without_uncertainty_kg_co2e,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        low_kg_co2e = d.pop("low_kg_co2e")

        high_kg_co2e = d.pop("high_kg_co2e")

        def _parse_relative_pct(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        relative_pct = _parse_relative_pct(d.pop("relative_pct"))

        without_uncertainty_entries = d.pop("without_uncertainty_entries")

        without_uncertainty_kg_co2e = d.pop("without_uncertainty_kg_co2e")

        uncertainty = cls(
            low_kg_co2e=low_kg_co2e,
            high_kg_co2e=high_kg_co2e,
            relative_pct=relative_pct,
            without_uncertainty_entries=without_uncertainty_entries,
            without_uncertainty_kg_co2e=without_uncertainty_kg_co2e,
        )

        uncertainty.additional_properties = d
        return uncertainty

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
