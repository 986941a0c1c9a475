from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.lab_role import LabRole

T = TypeVar("T", bound="MyInvitation")


@_attrs_define
class MyInvitation:
    """An invitation addressed to the caller's email, with the lab it is for.

    Attributes:
        id (UUID):
        lab_id (UUID):
        lab_name (str):
        lab_code (str):
        role (LabRole):
        created_at (datetime.datetime):
        expires_at (datetime.datetime):
    """

    id: UUID
    lab_id: UUID
    lab_name: str
    lab_code: str
    role: LabRole
    created_at: datetime.datetime
    expires_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        lab_id = str(self.lab_id)

        lab_name = self.lab_name

        lab_code = self.lab_code

        role = self.role.value

        created_at = self.created_at.isoformat()

        expires_at = self.expires_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "lab_id": lab_id,
                "lab_name": lab_name,
                "lab_code": lab_code,
                "role": role,
                "created_at": created_at,
                "expires_at": expires_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        lab_id = UUID(d.pop("lab_id"))

        lab_name = d.pop("lab_name")

        lab_code = d.pop("lab_code")

        role = LabRole(d.pop("role"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        my_invitation = cls(
            id=id,
            lab_id=lab_id,
            lab_name=lab_name,
            lab_code=lab_code,
            role=role,
            created_at=created_at,
            expires_at=expires_at,
        )

        my_invitation.additional_properties = d
        return my_invitation

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
