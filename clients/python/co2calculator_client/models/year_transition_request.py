from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="YearTransitionRequest")


@_attrs_define
class YearTransitionRequest:
    """A transition of a lab-year: the `version` read from its status (0 for a year never
    signed off), and why (required to send back or reopen).

        Attributes:
            version (int): The year's version, from its status
            reason (None | str | Unset): Required to send back or reopen
    """

    version: int
    reason: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        version = self.version

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        else:
            reason = self.reason

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "version": version,
            }
        )
        if reason is not UNSET:
            field_dict["reason"] = reason

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        version = d.pop("version")

        def _parse_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))

        year_transition_request = cls(
            version=version,
            reason=reason,
        )

        return year_transition_request
