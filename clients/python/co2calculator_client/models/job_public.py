from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.error_policy import ErrorPolicy
from ..models.job_kind import JobKind
from ..models.job_state import JobState

if TYPE_CHECKING:
    from ..models.row_error import RowError


T = TypeVar("T", bound="JobPublic")


@_attrs_define
class JobPublic:
    """A job with its input and its row errors (capped; `row_errors_total` counts them all).

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
        filename (None | str):
        on_error (ErrorPolicy):
        created_by (None | UUID):
        row_errors (list[RowError]):
        row_errors_total (int):
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
    filename: None | str
    on_error: ErrorPolicy
    created_by: None | UUID
    row_errors: list[RowError]
    row_errors_total: int
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

        filename: None | str
        filename = self.filename

        on_error = self.on_error.value

        created_by: None | str
        if isinstance(self.created_by, UUID):
            created_by = str(self.created_by)
        else:
            created_by = self.created_by

        row_errors = []
        for row_errors_item_data in self.row_errors:
            row_errors_item = row_errors_item_data.to_dict()
            row_errors.append(row_errors_item)

        row_errors_total = self.row_errors_total

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
                "filename": filename,
                "on_error": on_error,
                "created_by": created_by,
                "row_errors": row_errors,
                "row_errors_total": row_errors_total,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.row_error import RowError  # noqa: PLC0415

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

        def _parse_filename(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        filename = _parse_filename(d.pop("filename"))

        on_error = ErrorPolicy(d.pop("on_error"))

        def _parse_created_by(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                created_by_type_0 = UUID(data)

                return created_by_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        created_by = _parse_created_by(d.pop("created_by"))

        row_errors = []
        _row_errors = d.pop("row_errors")
        for row_errors_item_data in _row_errors:
            row_errors_item = RowError.from_dict(row_errors_item_data)

            row_errors.append(row_errors_item)

        row_errors_total = d.pop("row_errors_total")

        job_public = cls(
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
            filename=filename,
            on_error=on_error,
            created_by=created_by,
            row_errors=row_errors,
            row_errors_total=row_errors_total,
        )

        job_public.additional_properties = d
        return job_public

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
