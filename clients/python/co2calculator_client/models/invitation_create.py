from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.lab_role import LabRole
from ..types import UNSET, Unset

T = TypeVar("T", bound="InvitationCreate")


@_attrs_define
class InvitationCreate:
    """
    Attributes:
        email (str): The address to invite. The answer is the same whether or not it has an account: the invitee sees
            the invitation under `GET /users/me/invitations` once signed in with this address
        role (LabRole | Unset):
    """

    email: str
    role: LabRole | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        email = self.email

        role: str | Unset = UNSET
        if not isinstance(self.role, Unset):
            role = self.role.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "email": email,
            }
        )
        if role is not UNSET:
            field_dict["role"] = role

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        email = d.pop("email")

        _role = d.pop("role", UNSET)
        role: LabRole | Unset
        if isinstance(_role, Unset):
            role = UNSET
        else:
            role = LabRole(_role)

        invitation_create = cls(
            email=email,
            role=role,
        )

        return invitation_create
