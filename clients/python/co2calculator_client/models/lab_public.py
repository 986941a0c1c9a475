from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.lab_role import LabRole
from ..types import UNSET, Unset

T = TypeVar("T", bound="LabPublic")


@_attrs_define
class LabPublic:
    """
    Attributes:
        name (str):
        code (str): Short unique code, e.g. `BIO-LAB-3`
        id (UUID):
        version (int):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        institution (str | Unset):  Default: ''.
        description (str | Unset):  Default: ''.
        region (None | str | Unset): ISO country (or subdivision) code; picks regional emission factors
        my_role (LabRole | None | Unset): The caller's role in this lab (None for admins who are not members)
    """

    name: str
    code: str
    id: UUID
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime
    institution: str | Unset = ""
    description: str | Unset = ""
    region: None | str | Unset = UNSET
    my_role: LabRole | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        code = self.code

        id = str(self.id)

        version = self.version

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        institution = self.institution

        description = self.description

        region: None | str | Unset
        if isinstance(self.region, Unset):
            region = UNSET
        else:
            region = self.region

        my_role: None | str | Unset
        if isinstance(self.my_role, Unset):
            my_role = UNSET
        elif isinstance(self.my_role, LabRole):
            my_role = self.my_role.value
        else:
            my_role = self.my_role

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "code": code,
                "id": id,
                "version": version,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )
        if institution is not UNSET:
            field_dict["institution"] = institution
        if description is not UNSET:
            field_dict["description"] = description
        if region is not UNSET:
            field_dict["region"] = region
        if my_role is not UNSET:
            field_dict["my_role"] = my_role

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        code = d.pop("code")

        id = UUID(d.pop("id"))

        version = d.pop("version")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        institution = d.pop("institution", UNSET)

        description = d.pop("description", UNSET)

        def _parse_region(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        region = _parse_region(d.pop("region", UNSET))

        def _parse_my_role(data: object) -> LabRole | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                my_role_type_0 = LabRole(data)

                return my_role_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LabRole | None | Unset, data)

        my_role = _parse_my_role(d.pop("my_role", UNSET))

        lab_public = cls(
            name=name,
            code=code,
            id=id,
            version=version,
            created_at=created_at,
            updated_at=updated_at,
            institution=institution,
            description=description,
            region=region,
            my_role=my_role,
        )

        lab_public.additional_properties = d
        return lab_public

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
