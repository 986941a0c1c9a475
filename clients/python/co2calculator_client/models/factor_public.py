from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.factor_category import FactorCategory
from ..types import UNSET, Unset

T = TypeVar("T", bound="FactorPublic")


@_attrs_define
class FactorPublic:
    """
    Attributes:
        key (str): Stable key, e.g. `electricity.grid.CH`
        category (FactorCategory):
        unit (str): Unit of the activity quantity (kWh, km, kg, CHF…)
        kg_co2e_per_unit (str):
        scope (int): GHG protocol scope
        year (int): Year of validity
        id (UUID):
        version (int):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        region (None | str | Unset):
        source (str | Unset):  Default: ''.
    """

    key: str
    category: FactorCategory
    unit: str
    kg_co2e_per_unit: str
    scope: int
    year: int
    id: UUID
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime
    region: None | str | Unset = UNSET
    source: str | Unset = ""
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        key = self.key

        category = self.category.value

        unit = self.unit

        kg_co2e_per_unit = self.kg_co2e_per_unit

        scope = self.scope

        year = self.year

        id = str(self.id)

        version = self.version

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        region: None | str | Unset
        if isinstance(self.region, Unset):
            region = UNSET
        else:
            region = self.region

        source = self.source

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "key": key,
                "category": category,
                "unit": unit,
                "kg_co2e_per_unit": kg_co2e_per_unit,
                "scope": scope,
                "year": year,
                "id": id,
                "version": version,
                "created_at": created_at,
                "updated_at": updated_at,
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

        kg_co2e_per_unit = d.pop("kg_co2e_per_unit")

        scope = d.pop("scope")

        year = d.pop("year")

        id = UUID(d.pop("id"))

        version = d.pop("version")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        def _parse_region(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        region = _parse_region(d.pop("region", UNSET))

        source = d.pop("source", UNSET)

        factor_public = cls(
            key=key,
            category=category,
            unit=unit,
            kg_co2e_per_unit=kg_co2e_per_unit,
            scope=scope,
            year=year,
            id=id,
            version=version,
            created_at=created_at,
            updated_at=updated_at,
            region=region,
            source=source,
        )

        factor_public.additional_properties = d
        return factor_public

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
