from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.user_role import UserRole
from ..types import UNSET, Unset

T = TypeVar("T", bound="UserCreate")


@_attrs_define
class UserCreate:
    """An account created by an admin.

    Attributes:
        password (str): 10 to 128 characters, at least 5 of them different, not only letters and not only digits, no NUL
            character, and no whitespace at the start or the end.
        email (str):
        full_name (str | Unset):  Default: ''.
        role (UserRole | Unset):
    """

    password: str
    email: str
    full_name: str | Unset = ""
    role: UserRole | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        password = self.password

        email = self.email

        full_name = self.full_name

        role: str | Unset = UNSET
        if not isinstance(self.role, Unset):
            role = self.role.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "password": password,
                "email": email,
            }
        )
        if full_name is not UNSET:
            field_dict["full_name"] = full_name
        if role is not UNSET:
            field_dict["role"] = role

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        password = d.pop("password")

        email = d.pop("email")

        full_name = d.pop("full_name", UNSET)

        _role = d.pop("role", UNSET)
        role: UserRole | Unset
        if isinstance(_role, Unset):
            role = UNSET
        else:
            role = UserRole(_role)

        user_create = cls(
            password=password,
            email=email,
            full_name=full_name,
            role=role,
        )

        return user_create
