from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="JobStreamReady")


@_attrs_define
class JobStreamReady:
    """The replay is over: every later `job` message is live.

    Attributes:
        type_ (Literal['ready']):  Default: 'ready'.
        replayed (int): How many `job` messages the replay sent
    """

    replayed: int
    type_: Literal["ready"] = "ready"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        replayed = self.replayed

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "replayed": replayed,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = cast(Literal["ready"], d.pop("type"))
        if type_ != "ready":
            raise ValueError(f"type must match const 'ready', got '{type_}'")

        replayed = d.pop("replayed")

        job_stream_ready = cls(
            type_=type_,
            replayed=replayed,
        )

        job_stream_ready.additional_properties = d
        return job_stream_ready

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
