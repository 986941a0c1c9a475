from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.cabin_class import CabinClass
from ..models.factor_category import FactorCategory
from ..models.scope_2_basis import Scope2Basis
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
        source_publisher (str | Unset): Who published the value, e.g. `IPCC` or `Our World in Data (via codecarbon)`
            Default: ''.
        source_dataset (str | Unset): The table or dataset it comes from Default: ''.
        source_edition (str | Unset): The edition or version of that dataset, e.g. `AR6` or `codecarbon 3.3.2` Default:
            ''.
        source_url (str | Unset): Where the source can be read (http or https), or blank Default: ''.
        uncertainty_pct (None | str | Unset): Relative uncertainty at 95 % confidence, in percent (0 to 1000), as
            published; null when the source publishes none
        basis (None | Scope2Basis | Unset): Scope 2 only: location-based or market-based; null for other scopes
        cabin_class (CabinClass | None | Unset): Flight factors only: the cabin class they apply to
        distance_min_km (int | None | Unset): Flight factors only: the band's lower bound, inclusive (one leg, uplift
            included)
        distance_max_km (int | None | Unset): Flight factors only: the band's upper bound, exclusive; null: no bound
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
    source_publisher: str | Unset = ""
    source_dataset: str | Unset = ""
    source_edition: str | Unset = ""
    source_url: str | Unset = ""
    uncertainty_pct: None | str | Unset = UNSET
    basis: None | Scope2Basis | Unset = UNSET
    cabin_class: CabinClass | None | Unset = UNSET
    distance_min_km: int | None | Unset = UNSET
    distance_max_km: int | None | Unset = UNSET
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

        source_publisher = self.source_publisher

        source_dataset = self.source_dataset

        source_edition = self.source_edition

        source_url = self.source_url

        uncertainty_pct: None | str | Unset
        if isinstance(self.uncertainty_pct, Unset):
            uncertainty_pct = UNSET
        else:
            uncertainty_pct = self.uncertainty_pct

        basis: None | str | Unset
        if isinstance(self.basis, Unset):
            basis = UNSET
        elif isinstance(self.basis, Scope2Basis):
            basis = self.basis.value
        else:
            basis = self.basis

        cabin_class: None | str | Unset
        if isinstance(self.cabin_class, Unset):
            cabin_class = UNSET
        elif isinstance(self.cabin_class, CabinClass):
            cabin_class = self.cabin_class.value
        else:
            cabin_class = self.cabin_class

        distance_min_km: int | None | Unset
        if isinstance(self.distance_min_km, Unset):
            distance_min_km = UNSET
        else:
            distance_min_km = self.distance_min_km

        distance_max_km: int | None | Unset
        if isinstance(self.distance_max_km, Unset):
            distance_max_km = UNSET
        else:
            distance_max_km = self.distance_max_km

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
        if source_publisher is not UNSET:
            field_dict["source_publisher"] = source_publisher
        if source_dataset is not UNSET:
            field_dict["source_dataset"] = source_dataset
        if source_edition is not UNSET:
            field_dict["source_edition"] = source_edition
        if source_url is not UNSET:
            field_dict["source_url"] = source_url
        if uncertainty_pct is not UNSET:
            field_dict["uncertainty_pct"] = uncertainty_pct
        if basis is not UNSET:
            field_dict["basis"] = basis
        if cabin_class is not UNSET:
            field_dict["cabin_class"] = cabin_class
        if distance_min_km is not UNSET:
            field_dict["distance_min_km"] = distance_min_km
        if distance_max_km is not UNSET:
            field_dict["distance_max_km"] = distance_max_km

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

        source_publisher = d.pop("source_publisher", UNSET)

        source_dataset = d.pop("source_dataset", UNSET)

        source_edition = d.pop("source_edition", UNSET)

        source_url = d.pop("source_url", UNSET)

        def _parse_uncertainty_pct(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        uncertainty_pct = _parse_uncertainty_pct(d.pop("uncertainty_pct", UNSET))

        def _parse_basis(data: object) -> None | Scope2Basis | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                basis_type_0 = Scope2Basis(data)

                return basis_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Scope2Basis | Unset, data)

        basis = _parse_basis(d.pop("basis", UNSET))

        def _parse_cabin_class(data: object) -> CabinClass | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                cabin_class_type_0 = CabinClass(data)

                return cabin_class_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CabinClass | None | Unset, data)

        cabin_class = _parse_cabin_class(d.pop("cabin_class", UNSET))

        def _parse_distance_min_km(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        distance_min_km = _parse_distance_min_km(d.pop("distance_min_km", UNSET))

        def _parse_distance_max_km(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        distance_max_km = _parse_distance_max_km(d.pop("distance_max_km", UNSET))

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
            source_publisher=source_publisher,
            source_dataset=source_dataset,
            source_edition=source_edition,
            source_url=source_url,
            uncertainty_pct=uncertainty_pct,
            basis=basis,
            cabin_class=cabin_class,
            distance_min_km=distance_min_km,
            distance_max_km=distance_max_km,
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
