from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.job_kind import JobKind
from ..models.job_state import JobState

T = TypeVar("T", bound="JobStatus")


@_attrs_define
class JobStatus:
    """Where a job is: its state and row counts.

    Attributes:
        id (UUID):
        target_type (JobKind):
        lab_id (None | UUID):
        state (JobState):
        rows_total (int):
        rows_processed (int):
        rows_ok (int):
        rows_failed (int):
        message (None | str):
        attempts (int):
        created_at (datetime.datetime):
        started_at (datetime.datetime | None):
        finished_at (datetime.datetime | None):
        updated_at (datetime.datetime):
    """

    id: UUID
    target_type: JobKind
    lab_id: None | UUID
    state: JobState
    rows_total: int
    rows_processed: int
    rows_ok: int
    rows_failed: int
    message: None | str
    attempts: int
    created_at: datetime.datetime
    started_at: datetime.datetime | None
    finished_at: datetime.datetime | None
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        target_type = self.target_type.value

        lab_id: None | str
        if isinstance(self.lab_id, UUID):
            lab_id = str(self.lab_id)
        else:
            lab_id = self.lab_id

        state = self.state.value

        rows_total = self.rows_total

        rows_processed = self.rows_processed

        rows_ok = self.rows_ok

        rows_failed = self.rows_failed

        message: None | str
        message = self.message

        attempts = self.attempts

        created_at = self.created_at.isoformat()

        started_at: None | str
        if isinstance(self.started_at, datetime.datetime):
            started_at = self.started_at.isoformat()
        else:
            started_at = self.started_at

        finished_at: None | str
        if isinstance(self.finished_at, datetime.datetime):
            finished_at = self.finished_at.isoformat()
        else:
            finished_at = self.finished_at

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "target_type": target_type,
                "lab_id": lab_id,
                "state": state,
                "rows_total": rows_total,
                "rows_processed": rows_processed,
                "rows_ok": rows_ok,
                "rows_failed": rows_failed,
                "message": message,
                "attempts": attempts,
                "created_at": created_at,
                "started_at": started_at,
                "finished_at": finished_at,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        target_type = JobKind(d.pop("target_type"))

        def _parse_lab_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                lab_id_type_0 = UUID(data)

                return lab_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        lab_id = _parse_lab_id(d.pop("lab_id"))

        state = JobState(d.pop("state"))

        rows_total = d.pop("rows_total")

        rows_processed = d.pop("rows_processed")

        rows_ok = d.pop("rows_ok")

        rows_failed = d.pop("rows_failed")

        def _parse_message(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        message = _parse_message(d.pop("message"))

        attempts = d.pop("attempts")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_started_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                started_at_type_0 = datetime.datetime.fromisoformat(data)

                return started_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        started_at = _parse_started_at(d.pop("started_at"))

        def _parse_finished_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                finished_at_type_0 = datetime.datetime.fromisoformat(data)

                return finished_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        finished_at = _parse_finished_at(d.pop("finished_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        job_status = cls(
            id=id,
            target_type=target_type,
            lab_id=lab_id,
            state=state,
            rows_total=rows_total,
            rows_processed=rows_processed,
            rows_ok=rows_ok,
            rows_failed=rows_failed,
            message=message,
            attempts=attempts,
            created_at=created_at,
            started_at=started_at,
            finished_at=finished_at,
            updated_at=updated_at,
        )

        job_status.additional_properties = d
        return job_status

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
