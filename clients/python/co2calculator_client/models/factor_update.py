from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.factor_category import FactorCategory
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
    """

    version: int
    category: FactorCategory | None | Unset = UNSET
    unit: None | str | Unset = UNSET
    kg_co2e_per_unit: float | None | str | Unset = UNSET
    scope: int | None | Unset = UNSET
    source: None | str | Unset = UNSET

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

        factor_update = cls(
            version=version,
            category=category,
            unit=unit,
            kg_co2e_per_unit=kg_co2e_per_unit,
            scope=scope,
            source=source,
        )

        return factor_update
