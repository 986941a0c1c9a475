from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.audit_event_public_changes import AuditEventPublicChanges


T = TypeVar("T", bound="AuditEventPublic")


@_attrs_define
class AuditEventPublic:
    """One recorded change: who (`actor_id`, `api_key_id`), when, which object, the changed
    fields as `[before, after]`, and the request that made it.

        Attributes:
            id (int): Increases with every event; the order of the trail
            at (datetime.datetime): When the change's transaction began
            actor_id (None | UUID): Who; None for the system
            api_key_id (None | UUID): The API key used, if one was
            request_id (None | str): The X-Request-ID of the request (for a job: of the request that queued it)
            action (str): `<object_type>.<what happened>`, e.g. `entry.created`
            object_type (str):
            object_id (str):
            lab_id (None | UUID):
            changes (AuditEventPublicChanges): The changed fields, each `[before, after]`; decimals as exact strings
    """

    id: int
    at: datetime.datetime
    actor_id: None | UUID
    api_key_id: None | UUID
    request_id: None | str
    action: str
    object_type: str
    object_id: str
    lab_id: None | UUID
    changes: AuditEventPublicChanges
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        at = self.at.isoformat()

        actor_id: None | str
        if isinstance(self.actor_id, UUID):
            actor_id = str(self.actor_id)
        else:
            actor_id = self.actor_id

        api_key_id: None | str
        if isinstance(self.api_key_id, UUID):
            api_key_id = str(self.api_key_id)
        else:
            api_key_id = self.api_key_id

        request_id: None | str
        request_id = self.request_id

        action = self.action

        object_type = self.object_type

        object_id = self.object_id

        lab_id: None | str
        if isinstance(self.lab_id, UUID):
            lab_id = str(self.lab_id)
        else:
            lab_id = self.lab_id

        changes = self.changes.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "at": at,
                "actor_id": actor_id,
                "api_key_id": api_key_id,
                "request_id": request_id,
                "action": action,
                "object_type": object_type,
                "object_id": object_id,
                "lab_id": lab_id,
                "changes": changes,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.audit_event_public_changes import AuditEventPublicChanges  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        at = datetime.datetime.fromisoformat(d.pop("at"))

        def _parse_actor_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                actor_id_type_0 = UUID(data)

                return actor_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        actor_id = _parse_actor_id(d.pop("actor_id"))

        def _parse_api_key_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                api_key_id_type_0 = UUID(data)

                return api_key_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        api_key_id = _parse_api_key_id(d.pop("api_key_id"))

        def _parse_request_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        request_id = _parse_request_id(d.pop("request_id"))

        action = d.pop("action")

        object_type = d.pop("object_type")

        object_id = d.pop("object_id")

        def _parse_lab_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                lab_id_type_0 = UUID(data)

                return lab_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        lab_id = _parse_lab_id(d.pop("lab_id"))

        changes = AuditEventPublicChanges.from_dict(d.pop("changes"))

        audit_event_public = cls(
            id=id,
            at=at,
            actor_id=actor_id,
            api_key_id=api_key_id,
            request_id=request_id,
            action=action,
            object_type=object_type,
            object_id=object_id,
            lab_id=lab_id,
            changes=changes,
        )

        audit_event_public.additional_properties = d
        return audit_event_public

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
