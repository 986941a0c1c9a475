from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.scope_2_basis import Scope2Basis

if TYPE_CHECKING:
    from ..models.uncertainty import Uncertainty


T = TypeVar("T", bound="Scope2BasisTotal")


@_attrs_define
class Scope2BasisTotal:
    """Scope 2 of one basis: every entry on its factors, whether the headline counts them or
    not (docs/scope2.md).

        Attributes:
            basis (None | Scope2Basis): None: scope 2 factors that state no basis
            in_headline (bool): Whether `total_kg_co2e` (and its breakdowns) count it
            entry_count (int):
            kg_co2e (str):
            uncertainty (Uncertainty): The 95 % interval of a central value, propagated from the factors' uncertainty
                (docs/uncertainty.md): factors independent of each other, each fully correlated over its
                own entries, combined in quadrature. Entries whose factor publishes no uncertainty widen
                nothing: they are counted in `without_uncertainty_*`, so read the interval as covering the
                rest.
    """

    basis: None | Scope2Basis
    in_headline: bool
    entry_count: int
    kg_co2e: str
    uncertainty: Uncertainty
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        basis: None | str
        if isinstance(self.basis, Scope2Basis):
            basis = self.basis.value
        else:
            basis = self.basis

        in_headline = self.in_headline

        entry_count = self.entry_count

        kg_co2e = self.kg_co2e

        uncertainty = self.uncertainty.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "basis": basis,
                "in_headline": in_headline,
                "entry_count": entry_count,
                "kg_co2e": kg_co2e,
                "uncertainty": uncertainty,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.uncertainty import Uncertainty  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_basis(data: object) -> None | Scope2Basis:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                basis_type_0 = Scope2Basis(data)

                return basis_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Scope2Basis, data)

        basis = _parse_basis(d.pop("basis"))

        in_headline = d.pop("in_headline")

        entry_count = d.pop("entry_count")

        kg_co2e = d.pop("kg_co2e")

        uncertainty = Uncertainty.from_dict(d.pop("uncertainty"))

        scope_2_basis_total = cls(
            basis=basis,
            in_headline=in_headline,
            entry_count=entry_count,
            kg_co2e=kg_co2e,
            uncertainty=uncertainty,
        )

        scope_2_basis_total.additional_properties = d
        return scope_2_basis_total

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
