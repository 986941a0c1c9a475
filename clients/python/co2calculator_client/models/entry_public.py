from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.entry_kind import EntryKind
from ..models.factor_category import FactorCategory

if TYPE_CHECKING:
    from ..models.equipment_activity import EquipmentActivity
    from ..models.flight_activity import FlightActivity
    from ..models.purchase_activity import PurchaseActivity
    from ..models.refrigerant_activity import RefrigerantActivity


T = TypeVar("T", bound="EntryPublic")


@_attrs_define
class EntryPublic:
    """
    Attributes:
        id (UUID):
        lab_id (UUID):
        date (datetime.date):
        factor_id (UUID):
        factor_key (str):
        category (FactorCategory):
        scope (int):
        unit (str):
        quantity (str):
        kg_co2e (str):
        note (str):
        kind (EntryKind): What an entry was made from: a plain quantity of a factor's unit, or a typed activity.
        activity (EquipmentActivity | FlightActivity | None | PurchaseActivity | RefrigerantActivity): A typed
            activity's inputs and the figures computed from them (distance, exchange rate, GWP); null for a plain quantity
        import_id (None | UUID):
        version (int):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        factor_year (int): The year of the factor applied: earlier than the entry's own year when that year had no
            factor of its key yet (year rollover); the entry moves to its own year's factor when one is added
    """

    id: UUID
    lab_id: UUID
    date: datetime.date
    factor_id: UUID
    factor_key: str
    category: FactorCategory
    scope: int
    unit: str
    quantity: str
    kg_co2e: str
    note: str
    kind: EntryKind
    activity: EquipmentActivity | FlightActivity | None | PurchaseActivity | RefrigerantActivity
    import_id: None | UUID
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime
    factor_year: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.equipment_activity import EquipmentActivity  # noqa: PLC0415
        from ..models.flight_activity import FlightActivity  # noqa: PLC0415
        from ..models.purchase_activity import PurchaseActivity  # noqa: PLC0415
        from ..models.refrigerant_activity import RefrigerantActivity  # noqa: PLC0415

        id = str(self.id)

        lab_id = str(self.lab_id)

        date = self.date.isoformat()

        factor_id = str(self.factor_id)

        factor_key = self.factor_key

        category = self.category.value

        scope = self.scope

        unit = self.unit

        quantity = self.quantity

        kg_co2e = self.kg_co2e

        note = self.note

        kind = self.kind.value

        activity: dict[str, Any] | None
        if isinstance(self.activity, FlightActivity):
            activity = self.activity.to_dict()
        elif isinstance(self.activity, PurchaseActivity):
            activity = self.activity.to_dict()
        elif isinstance(self.activity, RefrigerantActivity):
            activity = self.activity.to_dict()
        elif isinstance(self.activity, EquipmentActivity):
            activity = self.activity.to_dict()
        else:
            activity = self.activity

        import_id: None | str
        if isinstance(self.import_id, UUID):
            import_id = str(self.import_id)
        else:
            import_id = self.import_id

        version = self.version

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        factor_year = self.factor_year

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "lab_id": lab_id,
                "date": date,
                "factor_id": factor_id,
                "factor_key": factor_key,
                "category": category,
                "scope": scope,
                "unit": unit,
                "quantity": quantity,
                "kg_co2e": kg_co2e,
                "note": note,
                "kind": kind,
                "activity": activity,
                "import_id": import_id,
                "version": version,
                "created_at": created_at,
                "updated_at": updated_at,
                "factor_year": factor_year,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.equipment_activity import EquipmentActivity  # noqa: PLC0415
        from ..models.flight_activity import FlightActivity  # noqa: PLC0415
        from ..models.purchase_activity import PurchaseActivity  # noqa: PLC0415
        from ..models.refrigerant_activity import RefrigerantActivity  # noqa: PLC0415

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        lab_id = UUID(d.pop("lab_id"))

        date = datetime.date.fromisoformat(d.pop("date"))

        factor_id = UUID(d.pop("factor_id"))

        factor_key = d.pop("factor_key")

        category = FactorCategory(d.pop("category"))

        scope = d.pop("scope")

        unit = d.pop("unit")

        quantity = d.pop("quantity")

        kg_co2e = d.pop("kg_co2e")

        note = d.pop("note")

        kind = EntryKind(d.pop("kind"))

        def _parse_activity(
            data: object,
        ) -> EquipmentActivity | FlightActivity | None | PurchaseActivity | RefrigerantActivity:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                activity_type_0_type_0 = FlightActivity.from_dict(data)

                return activity_type_0_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                activity_type_0_type_1 = PurchaseActivity.from_dict(data)

                return activity_type_0_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                activity_type_0_type_2 = RefrigerantActivity.from_dict(data)

                return activity_type_0_type_2
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                activity_type_0_type_3 = EquipmentActivity.from_dict(data)

                return activity_type_0_type_3
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(EquipmentActivity | FlightActivity | None | PurchaseActivity | RefrigerantActivity, data)

        activity = _parse_activity(d.pop("activity"))

        def _parse_import_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                import_id_type_0 = UUID(data)

                return import_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        import_id = _parse_import_id(d.pop("import_id"))

        version = d.pop("version")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        factor_year = d.pop("factor_year")

        entry_public = cls(
            id=id,
            lab_id=lab_id,
            date=date,
            factor_id=factor_id,
            factor_key=factor_key,
            category=category,
            scope=scope,
            unit=unit,
            quantity=quantity,
            kg_co2e=kg_co2e,
            note=note,
            kind=kind,
            activity=activity,
            import_id=import_id,
            version=version,
            created_at=created_at,
            updated_at=updated_at,
            factor_year=factor_year,
        )

        entry_public.additional_properties = d
        return entry_public

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
