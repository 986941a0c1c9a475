"""The audit trail's rows: one INSERT per event (on the request's ORM session or its driver
transaction), and keyset pages newest first. Rows are never updated or deleted (the table's
triggers refuse it)."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

from psycopg.types.json import Jsonb
from sqlalchemy import String, Uuid, bindparam, func, insert
from sqlalchemy import select as core_select
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.db.statements import compile_once
from app.db.transaction import DriverTransaction
from app.models.audit import AuditEvent, AuditFilters
from app.models.entry import ActivityEntry


@dataclass(frozen=True)
class NewEvent:
    actor_id: UUID | None
    api_key_id: UUID | None
    request_id: str | None
    action: str
    object_type: str
    object_id: str
    lab_id: UUID | None
    changes: dict[str, list[Any]]


_COLUMNS = (
    "actor_id",
    "api_key_id",
    "request_id",
    "action",
    "object_type",
    "object_id",
    "lab_id",
    "changes",
)
# The driver path (a new entry): compiled once, `at` and `id` from the table's defaults.
_TYPES = {
    "actor_id": Uuid(),
    "api_key_id": Uuid(),
    "lab_id": Uuid(),
    "request_id": String(),
    "action": String(),
    "object_type": String(),
    "object_id": String(),
    "changes": AuditEvent.__table__.c.changes.type,  # type: ignore[attr-defined]  # a Table
}
_ADD = compile_once(
    insert(AuditEvent).values({name: bindparam(name, type_=_TYPES[name]) for name in _COLUMNS}),
    values=frozenset(_COLUMNS),
)


def _values(event: NewEvent) -> dict[str, Any]:
    return {name: getattr(event, name) for name in _COLUMNS}


async def add(session: AsyncSession, *, event: NewEvent) -> None:
    await (await session.connection()).execute(insert(AuditEvent).values(_values(event)))


def add_at_commit(transaction: DriverTransaction, *, event: NewEvent) -> None:
    """Written with the transaction's COMMIT (one round trip for both): nothing in a request
    reads its own audit event back."""
    values = _values(event)
    values["changes"] = Jsonb(event.changes)
    transaction.write_at_commit(_ADD, values)


async def list_page(
    session: AsyncSession, *, filters: AuditFilters, before: int | None, limit: int
) -> list[AuditEvent]:
    """Newest first: events with an id below `before` (None: from the newest), `limit + 1` of
    them (the extra one says whether a next page exists)."""
    query = select(AuditEvent)
    equal: dict[str, object] = {
        "lab_id": filters.lab_id,
        "object_type": filters.object_type,
        "object_id": filters.object_id,
        "action": filters.action,
        "actor_id": filters.actor_id,
    }
    for name, value in equal.items():
        if value is not None:
            query = query.where(getattr(AuditEvent, name) == value)
    if filters.since is not None:
        query = query.where(col(AuditEvent.at) >= filters.since)
    if filters.until is not None:
        query = query.where(col(AuditEvent.at) < filters.until)
    if before is not None:
        query = query.where(col(AuditEvent.id) < before)
    query = query.order_by(col(AuditEvent.id).desc()).limit(limit + 1)
    return list((await session.exec(query)).all())


async def import_kg(session: AsyncSession, *, job_id: UUID) -> tuple[int, Decimal]:
    """How many entries an import holds, and their stored kg CO2e (one aggregate over the
    import's rows, found by their BRIN index)."""
    query = core_select(func.count(), func.coalesce(func.sum(col(ActivityEntry.kg_co2e)), 0)).where(
        col(ActivityEntry.import_id) == job_id
    )
    connection = await session.connection()
    count, kg = (await connection.execute(query)).one()
    return int(count), Decimal(kg)
