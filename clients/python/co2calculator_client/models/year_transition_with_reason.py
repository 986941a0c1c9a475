from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="YearTransitionWithReason")


@_attrs_define
class YearTransitionWithReason:
    """Sending back or reopening a year: the reason is required (not blank).

    Attributes:
        version (int): The year's version, from its status
        reason (str): Why the year goes back to the lab
    """

    version: int
    reason: str

    def to_dict(self) -> dict[str, Any]:
        version = self.version

        reason = self.reason

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "version": version,
                "reason": reason,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        version = d.pop("version")

        reason = d.pop("reason")

        year_transition_with_reason = cls(
            version=version,
            reason=reason,
        )

        return year_transition_with_reason
