from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.cabin_class import CabinClass
from ..models.factor_category import FactorCategory
from ..models.scope_2_basis import Scope2Basis
from ..types import UNSET, Unset

T = TypeVar("T", bound="FactorUpdate")


@_attrs_define
class FactorUpdate:
    """PATCH an admin-managed factor; changing its value recomputes every entry that uses it.
    A value with which one of them would weigh 10^18 kg CO2e or more (more than an entry can
    store) is refused with 422, naming the largest value they allow.

        Attributes:
            version (int): The version you last read
            category (FactorCategory | None | Unset):
            unit (None | str | Unset): Unit of the activity quantity (kWh, km, kg, CHF…)
            kg_co2e_per_unit (float | None | str | Unset):
            scope (int | None | Unset): GHG protocol scope
            source (None | str | Unset):
            source_publisher (None | str | Unset): Who published the value, e.g. `IPCC` or `Our World in Data (via
                codecarbon)`
            source_dataset (None | str | Unset): The table or dataset it comes from
            source_edition (None | str | Unset): The edition or version of that dataset, e.g. `AR6` or `codecarbon 3.3.2`
            source_url (None | str | Unset): Where the source can be read (http or https), or blank
            uncertainty_pct (float | None | str | Unset): Relative uncertainty at 95 % confidence, in percent (0 to 1000),
                as published; null when the source publishes none
            basis (None | Scope2Basis | Unset): Scope 2 only: location-based or market-based; null for other scopes
            cabin_class (CabinClass | None | Unset): Flight factors only: the cabin class they apply to
            distance_min_km (int | None | Unset): Flight factors only: the band's lower bound, inclusive (one leg, uplift
                included)
            distance_max_km (int | None | Unset): Flight factors only: the band's upper bound, exclusive; null: no bound
    """

    version: int
    category: FactorCategory | None | Unset = UNSET
    unit: None | str | Unset = UNSET
    kg_co2e_per_unit: float | None | str | Unset = UNSET
    scope: int | None | Unset = UNSET
    source: None | str | Unset = UNSET
    source_publisher: None | str | Unset = UNSET
    source_dataset: None | str | Unset = UNSET
    source_edition: None | str | Unset = UNSET
    source_url: None | str | Unset = UNSET
    uncertainty_pct: float | None | str | Unset = UNSET
    basis: None | Scope2Basis | Unset = UNSET
    cabin_class: CabinClass | None | Unset = UNSET
    distance_min_km: int | None | Unset = UNSET
    distance_max_km: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        version = self.version

        category: None | str | Unset
        if isinstance(self.category, Unset):
            category = UNSET
        elif isinstance(self.category, FactorCategory):
            category = self.category.value
        else:
            category = self.category

        unit: None | str | Unset
        if isinstance(self.unit, Unset):
            unit = UNSET
        else:
            unit = self.unit

        kg_co2e_per_unit: float | None | str | Unset
        if isinstance(self.kg_co2e_per_unit, Unset):
            kg_co2e_per_unit = UNSET
        else:
            kg_co2e_per_unit = self.kg_co2e_per_unit

        scope: int | None | Unset
        if isinstance(self.scope, Unset):
            scope = UNSET
        else:
            scope = self.scope

        source: None | str | Unset
        if isinstance(self.source, Unset):
            source = UNSET
        else:
            source = self.source

        source_publisher: None | str | Unset
        if isinstance(self.source_publisher, Unset):
            source_publisher = UNSET
        else:
            source_publisher = self.source_publisher

        source_dataset: None | str | Unset
        if isinstance(self.source_dataset, Unset):
            source_dataset = UNSET
        else:
            source_dataset = self.source_dataset

        source_edition: None | str | Unset
        if isinstance(self.source_edition, Unset):
            source_edition = UNSET
        else:
            source_edition = self.source_edition

        source_url: None | str | Unset
        if isinstance(self.source_url, Unset):
            source_url = UNSET
        else:
            source_url = self.source_url

        uncertainty_pct: float | None | str | Unset
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

        field_dict.update(
            {
                "version": version,
            }
        )
        if category is not UNSET:
            field_dict["category"] = category
        if unit is not UNSET:
            field_dict["unit"] = unit
        if kg_co2e_per_unit is not UNSET:
            field_dict["kg_co2e_per_unit"] = kg_co2e_per_unit
        if scope is not UNSET:
            field_dict["scope"] = scope
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
        version = d.pop("version")

        def _parse_category(data: object) -> FactorCategory | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                category_type_0 = FactorCategory(data)

                return category_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(FactorCategory | None | Unset, data)

        category = _parse_category(d.pop("category", UNSET))

        def _parse_unit(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        unit = _parse_unit(d.pop("unit", UNSET))

        def _parse_kg_co2e_per_unit(data: object) -> float | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | str | Unset, data)

        kg_co2e_per_unit = _parse_kg_co2e_per_unit(d.pop("kg_co2e_per_unit", UNSET))

        def _parse_scope(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        scope = _parse_scope(d.pop("scope", UNSET))

        def _parse_source(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        source = _parse_source(d.pop("source", UNSET))

        def _parse_source_publisher(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        source_publisher = _parse_source_publisher(d.pop("source_publisher", UNSET))

        def _parse_source_dataset(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        source_dataset = _parse_source_dataset(d.pop("source_dataset", UNSET))

        def _parse_source_edition(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        source_edition = _parse_source_edition(d.pop("source_edition", UNSET))

        def _parse_source_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        source_url = _parse_source_url(d.pop("source_url", UNSET))

        def _parse_uncertainty_pct(data: object) -> float | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | str | Unset, data)

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

        factor_update = cls(
            version=version,
            category=category,
            unit=unit,
            kg_co2e_per_unit=kg_co2e_per_unit,
            scope=scope,
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

        return factor_update
