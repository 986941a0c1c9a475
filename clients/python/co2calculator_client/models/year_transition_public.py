from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.year_action import YearAction
from ..models.year_state import YearState

T = TypeVar("T", bound="YearTransitionPublic")


@_attrs_define
class YearTransitionPublic:
    """
    Attributes:
        action (YearAction):
        from_state (YearState):
        to_state (YearState):
        reason (None | str):
        actor_id (None | UUID): None when the account was deleted
        actor_email (str):
        signed_kg_co2e (None | str): The total signed by a validation (None for other transitions)
        at (datetime.datetime):
    """

    action: YearAction
    from_state: YearState
    to_state: YearState
    reason: None | str
    actor_id: None | UUID
    actor_email: str
    signed_kg_co2e: None | str
    at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        action = self.action.value

        from_state = self.from_state.value

        to_state = self.to_state.value

        reason: None | str
        reason = self.reason

        actor_id: None | str
        if isinstance(self.actor_id, UUID):
            actor_id = str(self.actor_id)
        else:
            actor_id = self.actor_id

        actor_email = self.actor_email

        signed_kg_co2e: None | str
        signed_kg_co2e = self.signed_kg_co2e

        at = self.at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "action": action,
                "from_state": from_state,
                "to_state": to_state,
                "reason": reason,
                "actor_id": actor_id,
                "actor_email": actor_email,
                "signed_kg_co2e": signed_kg_co2e,
                "at": at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        action = YearAction(d.pop("action"))

        from_state = YearState(d.pop("from_state"))

        to_state = YearState(d.pop("to_state"))

        def _parse_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reason = _parse_reason(d.pop("reason"))

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

        actor_email = d.pop("actor_email")

        def _parse_signed_kg_co2e(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        signed_kg_co2e = _parse_signed_kg_co2e(d.pop("signed_kg_co2e"))

        at = datetime.datetime.fromisoformat(d.pop("at"))

        year_transition_public = cls(
            action=action,
            from_state=from_state,
            to_state=to_state,
            reason=reason,
            actor_id=actor_id,
            actor_email=actor_email,
            signed_kg_co2e=signed_kg_co2e,
            at=at,
        )

        year_transition_public.additional_properties = d
        return year_transition_public

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
