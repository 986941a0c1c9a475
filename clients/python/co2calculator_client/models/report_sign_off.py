from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.year_state import YearState

T = TypeVar("T", bound="ReportSignOff")


@_attrs_define
class ReportSignOff:
    """Where a report's year stands in its sign-off (details: `GET …/years/{year}/status`).

    Attributes:
        state (YearState):
        signed_total_kg_co2e (None | str): While validated: the total as signed; the report's own figures use the
            current factors
        difference_kg_co2e (None | str): While validated: the report's total minus the signed one
    """

    state: YearState
    signed_total_kg_co2e: None | str
    difference_kg_co2e: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        state = self.state.value

        signed_total_kg_co2e: None | str
        signed_total_kg_co2e = self.signed_total_kg_co2e

        difference_kg_co2e: None | str
        difference_kg_co2e = self.difference_kg_co2e

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "state": state,
                "signed_total_kg_co2e": signed_total_kg_co2e,
                "difference_kg_co2e": difference_kg_co2e,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        state = YearState(d.pop("state"))

        def _parse_signed_total_kg_co2e(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        signed_total_kg_co2e = _parse_signed_total_kg_co2e(d.pop("signed_total_kg_co2e"))

        def _parse_difference_kg_co2e(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        difference_kg_co2e = _parse_difference_kg_co2e(d.pop("difference_kg_co2e"))

        report_sign_off = cls(
            state=state,
            signed_total_kg_co2e=signed_total_kg_co2e,
            difference_kg_co2e=difference_kg_co2e,
        )

        report_sign_off.additional_properties = d
        return report_sign_off

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
