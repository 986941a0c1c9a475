from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.uncertainty import Uncertainty


T = TypeVar("T", bound="ScopeTotal")


@_attrs_define
class ScopeTotal:
    """
    Attributes:
        scope (int):
        kg_co2e (str):
        uncertainty (Uncertainty): The 95 % interval of a central value, propagated from the factors' uncertainty
            (docs/uncertainty.md): factors independent of each other, each fully correlated over its
            own entries, combined in quadrature. Entries whose factor publishes no uncertainty widen
            nothing: they are counted in `without_uncertainty_*`, so read the interval as covering the
            rest.
    """

    scope: int
    kg_co2e: str
    uncertainty: Uncertainty
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        scope = self.scope

        kg_co2e = self.kg_co2e

        uncertainty = self.uncertainty.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "scope": scope,
                "kg_co2e": kg_co2e,
                "uncertainty": uncertainty,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.uncertainty import Uncertainty  # noqa: PLC0415

        d = dict(src_dict)
        scope = d.pop("scope")

        kg_co2e = d.pop("kg_co2e")

        uncertainty = Uncertainty.from_dict(d.pop("uncertainty"))

        scope_total = cls(
            scope=scope,
            kg_co2e=kg_co2e,
            uncertainty=uncertainty,
        )

        scope_total.additional_properties = d
        return scope_total

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
