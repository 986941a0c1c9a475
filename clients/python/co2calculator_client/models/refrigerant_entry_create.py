from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..models.gwp_assessment import GwpAssessment
from ..types import UNSET, Unset

T = TypeVar("T", bound="RefrigerantEntryCreate")


@_attrs_define
class RefrigerantEntryCreate:
    """A refrigerant leak or recharge; the factor is the gas's GWP100.

    Attributes:
        gas (str): As the library names it, e.g. `HFC134a`, `HFC32`, `SF6`
        kg (float | str): kg of the gas leaked or recharged
        date (datetime.date | str): `YYYY-MM-DD`, or `YYYY-MM` for a month
        kind (Literal['refrigerant']):
        assessment (GwpAssessment | Unset): The IPCC assessment report whose GWP100 values apply (the library's
            `gas.ar5.*` and
            `gas.ar6.*` factors).
        note (str | Unset):  Default: ''.
    """

    gas: str
    kg: float | str
    date: datetime.date | str
    kind: Literal["refrigerant"]
    assessment: GwpAssessment | Unset = UNSET
    note: str | Unset = ""

    def to_dict(self) -> dict[str, Any]:
        gas = self.gas

        kg: float | str
        kg = self.kg

        date: str
        if isinstance(self.date, datetime.date):
            date = self.date.isoformat()
        else:
            date = self.date

        kind = self.kind

        assessment: str | Unset = UNSET
        if not isinstance(self.assessment, Unset):
            assessment = self.assessment.value

        note = self.note

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "gas": gas,
                "kg": kg,
                "date": date,
                "kind": kind,
            }
        )
        if assessment is not UNSET:
            field_dict["assessment"] = assessment
        if note is not UNSET:
            field_dict["note"] = note

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        gas = d.pop("gas")

        def _parse_kg(data: object) -> float | str:
            return cast(float | str, data)

        kg = _parse_kg(d.pop("kg"))

        def _parse_date(data: object) -> datetime.date | str:
            try:
                if not isinstance(data, str):
                    raise TypeError()
                date_type_0 = datetime.date.fromisoformat(data)

                return date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | str, data)

        date = _parse_date(d.pop("date"))

        kind = cast(Literal["refrigerant"], d.pop("kind"))
        if kind != "refrigerant":
            raise ValueError(f"kind must match const 'refrigerant', got '{kind}'")

        _assessment = d.pop("assessment", UNSET)
        assessment: GwpAssessment | Unset
        if isinstance(_assessment, Unset):
            assessment = UNSET
        else:
            assessment = GwpAssessment(_assessment)

        note = d.pop("note", UNSET)

        refrigerant_entry_create = cls(
            gas=gas,
            kg=kg,
            date=date,
            kind=kind,
            assessment=assessment,
            note=note,
        )

        return refrigerant_entry_create
