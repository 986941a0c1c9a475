from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.lab_role import LabRole

T = TypeVar("T", bound="MemberPublic")


@_attrs_define
class MemberPublic:
    """
    Attributes:
        user_id (UUID):
        email (str):
        full_name (str):
        role (LabRole):
        created_at (datetime.datetime):
    """

    user_id: UUID
    email: str
    full_name: str
    role: LabRole
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        user_id = str(self.user_id)

        email = self.email

        full_name = self.full_name

        role = self.role.value

        created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "user_id": user_id,
                "email": email,
                "full_name": full_name,
                "role": role,
                "created_at": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        user_id = UUID(d.pop("user_id"))

        email = d.pop("email")

        full_name = d.pop("full_name")

        role = LabRole(d.pop("role"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        member_public = cls(
            user_id=user_id,
            email=email,
            full_name=full_name,
            role=role,
            created_at=created_at,
        )

        member_public.additional_properties = d
        return member_public

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
