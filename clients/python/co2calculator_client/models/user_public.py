from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.user_role import UserRole
from ..types import UNSET, Unset

T = TypeVar("T", bound="UserPublic")


@_attrs_define
class UserPublic:
    """
    Attributes:
        email (str):
        id (UUID):
        role (UserRole):
        is_active (bool):
        version (int):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        full_name (str | Unset):  Default: ''.
    """

    email: str
    id: UUID
    role: UserRole
    is_active: bool
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime
    full_name: str | Unset = ""
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        email = self.email

        id = str(self.id)

        role = self.role.value

        is_active = self.is_active

        version = self.version

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        full_name = self.full_name

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "email": email,
                "id": id,
                "role": role,
                "is_active": is_active,
                "version": version,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )
        if full_name is not UNSET:
            field_dict["full_name"] = full_name

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        email = d.pop("email")

        id = UUID(d.pop("id"))

        role = UserRole(d.pop("role"))

        is_active = d.pop("is_active")

        version = d.pop("version")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        full_name = d.pop("full_name", UNSET)

        user_public = cls(
            email=email,
            id=id,
            role=role,
            is_active=is_active,
            version=version,
            created_at=created_at,
            updated_at=updated_at,
            full_name=full_name,
        )

        user_public.additional_properties = d
        return user_public

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
