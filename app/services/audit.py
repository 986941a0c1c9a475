"""Recording the audit trail (docs/audit.md): every service that changes something calls
`record` once per change, in the change's own transaction, so a change that fails (rolled
back) records nothing. The changed fields are `{field: [before, after]}`, JSON values with
decimals as exact strings; secrets and bookkeeping columns are never recorded."""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any
from uuid import UUID

from pydantic_core import to_jsonable_python
from sqlalchemy import Table, inspect
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.logging import current_request_id
from app.db.transaction import DriverTransaction
from app.models.audit import AuditAction, Changes
from app.models.base import plain_decimal
from app.models.job import DataIngestionJob, JobState
from app.repositories import audit as audit_repository
from app.services.auth import Principal

# Never recorded: secrets (a password's or key's hash), the id (the event's object_id),
# bookkeeping the server bumps on every write.
NOT_RECORDED = frozenset(
    {
        "id",
        "hashed_password",
        "secret_hash",
        "version",
        "created_at",
        "updated_at",
        "last_used_at",
    }
)
# An update, replacement or removal that changed no field records nothing.
_ONLY_IF_CHANGED = frozenset(
    {
        AuditAction.HEADCOUNT_DELETED,
        AuditAction.TARGET_DELETED,
        AuditAction.LAB_UPDATED,
        AuditAction.MEMBER_UPDATED,
        AuditAction.ENTRY_UPDATED,
        AuditAction.FACTOR_UPDATED,
        AuditAction.USER_UPDATED,
        AuditAction.HEADCOUNT_REPLACED,
        AuditAction.TARGET_REPLACED,
    }
)
REQUEST_ID_KEY = "request_id"  # in a job's params: the request that queued it


def value(raw: object) -> Any:
    """A JSON value: decimals as exact strings as the API writes them (`plain_decimal`: "8.5"
    for a stored 8.500000), dates ISO, enums their value."""
    if isinstance(raw, Decimal):
        return plain_decimal(raw)
    return to_jsonable_python(raw)


Recorded = SQLModel | Mapping[str, Any]


def fields_of(row: Recorded) -> dict[str, Any]:
    """The recorded fields of a table row (its columns), a response model or a mapping, as
    JSON values."""
    if isinstance(row, Mapping):
        raw = dict(row)
    elif isinstance(getattr(type(row), "__table__", None), Table):
        raw = {column.key: getattr(row, column.key) for column in inspect(type(row)).columns}
    else:
        raw = dict(row)
    return {name: value(field) for name, field in raw.items() if name not in NOT_RECORDED}


def snapshot(row: Recorded | None) -> dict[str, Any]:
    """`fields_of` taken now (None: nothing), to `diff` with the object after the change."""
    return {} if row is None else fields_of(row)


def created(row: Recorded) -> Changes:
    """A new object's fields, `[None, value]` (fields without a value left out)."""
    return {name: [None, new] for name, new in fields_of(row).items() if new is not None}


def deleted(row: Recorded) -> Changes:
    """A removed object's fields, `[value, None]`; call it before the row is deleted."""
    return {name: [old, None] for name, old in fields_of(row).items() if old is not None}


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> Changes:
    """The fields whose value differs, `[before, after]` (a field absent on one side is None)."""
    changes: Changes = {}
    for name in sorted(set(before) | set(after)):
        old, new = value(before.get(name)), value(after.get(name))
        if old != new and name not in NOT_RECORDED:
            changes[name] = [old, new]
    return changes


def updated(row: SQLModel) -> Changes:
    """What was set on a loaded row since it was read, from the ORM's attribute history; call
    it before the session flushes the row."""
    state = inspect(row)
    changes: Changes = {}
    for attribute in state.attrs:
        if attribute.key in NOT_RECORDED:
            continue
        history = attribute.history
        if history.added and history.deleted:
            old, new = value(history.deleted[0]), value(history.added[0])
            if old != new:
                changes[attribute.key] = [old, new]
    return changes


async def record(
    db: AsyncSession | DriverTransaction,
    principal: Principal | None,
    action: AuditAction,
    *,
    object_id: object,
    lab_id: UUID | None,
    changes: Changes,
) -> None:
    """Record one change by `principal` (None: the system) in `db`'s transaction, with the
    current request's id."""
    if not changes and action in _ONLY_IF_CHANGED:
        return
    event = audit_repository.NewEvent(
        actor_id=None if principal is None else principal.user.id,
        api_key_id=None if principal is None else principal.api_key_id,
        request_id=current_request_id(),
        action=action.value,
        object_type=action.object_type.value,
        object_id=str(object_id),
        lab_id=lab_id,
        changes=changes,
    )
    if isinstance(db, DriverTransaction):
        audit_repository.add_at_commit(db, event=event)
    else:
        await audit_repository.add(db, event=event)


def request_params() -> dict[str, str]:
    """What a job queued by this request carries so its event names the request."""
    request_id = current_request_id()
    return {} if request_id is None else {REQUEST_ID_KEY: request_id}


async def record_job(
    session: AsyncSession, job: DataIngestionJob, action: AuditAction, *, changes: Changes
) -> None:
    """Record what a job did, in the job's transaction: by whoever queued it, with the id of
    the request that queued it (None when there was none, e.g. a job started by a command)."""
    request_id = job.params.get(REQUEST_ID_KEY)
    event = audit_repository.NewEvent(
        actor_id=job.created_by,
        api_key_id=None,
        request_id=request_id if isinstance(request_id, str) else None,
        action=action.value,
        object_type=action.object_type.value,
        object_id=str(job.id),
        lab_id=job.lab_id,
        changes=changes,
    )
    await audit_repository.add(session, event=event)


async def record_import_end(session: AsyncSession, job: DataIngestionJob) -> None:
    """When an import job ends, in its transaction: one event if it succeeded (a failed one
    wrote nothing)."""
    if job.state is JobState.SUCCEEDED:
        await record_import(session, job, AuditAction.IMPORT_SUCCEEDED)


async def record_import(
    session: AsyncSession,
    job: DataIngestionJob,
    action: AuditAction,
    *,
    principal: Principal | None = None,
) -> None:
    """One event for a whole import (never one per row): its file, counts, message and, for
    an activity import, the entries it holds and their kg CO2e (one aggregate query; call it
    before an undo removes them). By `principal`, or (None) by whoever queued the job."""
    figures: dict[str, Any] = {
        "kind": job.target_type.value,
        "filename": job.filename,
        "state": job.state.value,
        "rows_total": job.rows_total,
        "rows_ok": job.rows_ok,
        "rows_failed": job.rows_failed,
        "message": job.message,
    }
    if job.lab_id is not None:
        entries, kg = await audit_repository.import_kg(session, job_id=job.id)
        figures |= {"entries": entries, "kg_co2e": kg}
    changes = deleted(figures) if action is AuditAction.IMPORT_UNDONE else created(figures)
    if principal is None:
        await record_job(session, job, action, changes=changes)
    else:
        await record(
            session, principal, action, object_id=job.id, lab_id=job.lab_id, changes=changes
        )


async def record_recalculation_end(session: AsyncSession, job: DataIngestionJob) -> None:
    """When a recalculation ends, in its transaction: one event for the run if it succeeded
    (a failed one changed nothing), with its factors and counts."""
    if job.state is not JobState.SUCCEEDED:
        return
    figures = {
        "factor_ids": job.params.get("factor_ids", []),
        "arrived_factor_ids": job.params.get("arrived_factor_ids"),
        "rows_total": job.rows_total,
        "message": job.message,
    }
    await record_job(session, job, AuditAction.RECALCULATION_SUCCEEDED, changes=created(figures))
