from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..models.gwp_assessment import GwpAssessment
from ..types import UNSET, Unset

T = TypeVar("T", bound="RefrigerantActivity")


@_attrs_define
class RefrigerantActivity:
    """A refrigerant as computed: the entry's quantity is `kg`; its factor's value is `gwp`.

    Attributes:
        gas (str): As the library names it, e.g. `HFC134a`, `HFC32`, `SF6`
        kg (str): kg of the gas leaked or recharged
        gwp (str): GWP100 of the gas in the assessment (kg CO2e per kg)
        assessment (GwpAssessment | Unset): The IPCC assessment report whose GWP100 values apply (the library's
            `gas.ar5.*` and
            `gas.ar6.*` factors).
        kind (Literal['refrigerant'] | Unset):  Default: 'refrigerant'.
    """

    gas: str
    kg: str
    gwp: str
    assessment: GwpAssessment | Unset = UNSET
    kind: Literal["refrigerant"] | Unset = "refrigerant"

    def to_dict(self) -> dict[str, Any]:
        gas = self.gas

        kg = self.kg

        gwp = self.gwp

        assessment: str | Unset = UNSET
        if not isinstance(self.assessment, Unset):
            assessment = self.assessment.value

        kind = self.kind

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "gas": gas,
                "kg": kg,
                "gwp": gwp,
            }
        )
        if assessment is not UNSET:
            field_dict["assessment"] = assessment
        if kind is not UNSET:
            field_dict["kind"] = kind

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        gas = d.pop("gas")

        kg = d.pop("kg")

        gwp = d.pop("gwp")

        _assessment = d.pop("assessment", UNSET)
        assessment: GwpAssessment | Unset
        if isinstance(_assessment, Unset):
            assessment = UNSET
        else:
            assessment = GwpAssessment(_assessment)

        kind = cast(Literal["refrigerant"] | Unset, d.pop("kind", UNSET))
        if kind != "refrigerant" and not isinstance(kind, Unset):
            raise ValueError(f"kind must match const 'refrigerant', got '{kind}'")

        refrigerant_activity = cls(
            gas=gas,
            kg=kg,
            gwp=gwp,
            assessment=assessment,
            kind=kind,
        )

        return refrigerant_activity
