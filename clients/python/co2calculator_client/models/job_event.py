from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.job_status import JobStatus


T = TypeVar("T", bound="JobEvent")


@_attrs_define
class JobEvent:
    """A job's state or row counts: sent when it changes, and on connect for the jobs updated
    within the replay window.

        Attributes:
            type_ (Literal['job']):  Default: 'job'.
            replay (bool): True while replaying recent jobs, false for live events
            job (JobStatus): Where a job is: its state and row counts.
    """

    replay: bool
    job: JobStatus
    type_: Literal["job"] = "job"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        replay = self.replay

        job = self.job.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "replay": replay,
                "job": job,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.job_status import JobStatus  # noqa: PLC0415

        d = dict(src_dict)
        type_ = cast(Literal["job"], d.pop("type"))
        if type_ != "job":
            raise ValueError(f"type must match const 'job', got '{type_}'")

        replay = d.pop("replay")

        job = JobStatus.from_dict(d.pop("job"))

        job_event = cls(
            type_=type_,
            replay=replay,
            job=job,
        )

        job_event.additional_properties = d
        return job_event

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
