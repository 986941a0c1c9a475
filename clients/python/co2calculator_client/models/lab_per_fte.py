from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="LabPerFte")


@_attrs_define
class LabPerFte:
    """
    Attributes:
        rank (int | None): 1 for the most t CO2e per FTE; None for labs without a headcount
        lab_id (UUID):
        lab_code (str):
        lab_name (str):
        total_kg_co2e (str):
        total_fte (None | str): None when no headcount is recorded
        t_co2e_per_fte (None | str): Half-even to 0.001 t; None without a headcount or with 0 FTE
    """

    rank: int | None
    lab_id: UUID
    lab_code: str
    lab_name: str
    total_kg_co2e: str
    total_fte: None | str
    t_co2e_per_fte: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        rank: int | None
        rank = self.rank

        lab_id = str(self.lab_id)

        lab_code = self.lab_code

        lab_name = self.lab_name

        total_kg_co2e = self.total_kg_co2e

        total_fte: None | str
        total_fte = self.total_fte

        t_co2e_per_fte: None | str
        t_co2e_per_fte = self.t_co2e_per_fte

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "rank": rank,
                "lab_id": lab_id,
                "lab_code": lab_code,
                "lab_name": lab_name,
                "total_kg_co2e": total_kg_co2e,
                "total_fte": total_fte,
                "t_co2e_per_fte": t_co2e_per_fte,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_rank(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        rank = _parse_rank(d.pop("rank"))

        lab_id = UUID(d.pop("lab_id"))

        lab_code = d.pop("lab_code")

        lab_name = d.pop("lab_name")

        total_kg_co2e = d.pop("total_kg_co2e")

        def _parse_total_fte(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        total_fte = _parse_total_fte(d.pop("total_fte"))

        def _parse_t_co2e_per_fte(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        t_co2e_per_fte = _parse_t_co2e_per_fte(d.pop("t_co2e_per_fte"))

        lab_per_fte = cls(
            rank=rank,
            lab_id=lab_id,
            lab_code=lab_code,
            lab_name=lab_name,
            total_kg_co2e=total_kg_co2e,
            total_fte=total_fte,
            t_co2e_per_fte=t_co2e_per_fte,
        )

        lab_per_fte.additional_properties = d
        return lab_per_fte

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
