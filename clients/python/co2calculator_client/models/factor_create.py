from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.factor_category import FactorCategory
from ..types import UNSET, Unset

T = TypeVar("T", bound="FactorCreate")


@_attrs_define
class FactorCreate:
    """
    Attributes:
        key (str): Stable key, e.g. `electricity.grid.CH`
        category (FactorCategory):
        unit (str): Unit of the activity quantity (kWh, km, kg, CHF…)
        kg_co2e_per_unit (float | str):
        scope (int): GHG protocol scope
        year (int): Year of validity
        region (None | str | Unset):
        source (str | Unset):  Default: ''.
    """

    key: str
    category: FactorCategory
    unit: str
    kg_co2e_per_unit: float | str
    scope: int
    year: int
    region: None | str | Unset = UNSET
    source: str | Unset = ""

    def to_dict(self) -> dict[str, Any]:
        key = self.key

        category = self.category.value

        unit = self.unit

        kg_co2e_per_unit: float | str
        kg_co2e_per_unit = self.kg_co2e_per_unit

        scope = self.scope

        year = self.year

        region: None | str | Unset
        if isinstance(self.region, Unset):
            region = UNSET
        else:
            region = self.region

        source = self.source

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "key": key,
                "category": category,
                "unit": unit,
                "kg_co2e_per_unit": kg_co2e_per_unit,
                "scope": scope,
                "year": year,
            }
        )
        if region is not UNSET:
            field_dict["region"] = region
        if source is not UNSET:
            field_dict["source"] = source

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        key = d.pop("key")

        category = FactorCategory(d.pop("category"))

        unit = d.pop("unit")

        def _parse_kg_co2e_per_unit(data: object) -> float | str:
            return cast(float | str, data)

        kg_co2e_per_unit = _parse_kg_co2e_per_unit(d.pop("kg_co2e_per_unit"))

        scope = d.pop("scope")

        year = d.pop("year")

        def _parse_region(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        region = _parse_region(d.pop("region", UNSET))

        source = d.pop("source", UNSET)

        factor_create = cls(
            key=key,
            category=category,
            unit=unit,
            kg_co2e_per_unit=kg_co2e_per_unit,
            scope=scope,
            year=year,
            region=region,
            source=source,
        )

        return factor_create
