from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="LoginForm")


@_attrs_define
class LoginForm:
    """OAuth2 password grant, form-encoded (what Swagger UI's Authorize button sends).

    Attributes:
        username (str): The account's email
        password (str):
        grant_type (Literal['password'] | None | Unset):
        scope (str | Unset):  Default: ''.
    """

    username: str
    password: str
    grant_type: Literal["password"] | None | Unset = UNSET
    scope: str | Unset = ""
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        username = self.username

        password = self.password

        grant_type: Literal["password"] | None | Unset
        if isinstance(self.grant_type, Unset):
            grant_type = UNSET
        else:
            grant_type = self.grant_type

        scope = self.scope

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "username": username,
                "password": password,
            }
        )
        if grant_type is not UNSET:
            field_dict["grant_type"] = grant_type
        if scope is not UNSET:
            field_dict["scope"] = scope

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        username = d.pop("username")

        password = d.pop("password")

        def _parse_grant_type(data: object) -> Literal["password"] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            grant_type_type_0 = cast(Literal["password"], data)
            if grant_type_type_0 != "password":
                raise ValueError(f"grant_type_type_0 must match const 'password', got '{grant_type_type_0}'")
            return grant_type_type_0
            return cast(Literal["password"] | None | Unset, data)

        grant_type = _parse_grant_type(d.pop("grant_type", UNSET))

        scope = d.pop("scope", UNSET)

        login_form = cls(
            username=username,
            password=password,
            grant_type=grant_type,
            scope=scope,
        )

        login_form.additional_properties = d
        return login_form

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
