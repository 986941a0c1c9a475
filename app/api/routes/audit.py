"""The audit trail: a lab's (its managers, admins) and the whole of it (admins)."""

from typing import Annotated
from uuid import UUID

from fastapi import Query

from app.api.deps import CurrentPrincipal, SessionDep
from app.api.router import Router
from app.core.errors import problem_responses
from app.core.pagination import DEFAULT_LIMIT, CursorQuery, LimitQuery
from app.models.audit import AuditAction, AuditEventPage, AuditFilters, AuditObject
from app.models.base import IsoAwareDatetime
from app.services import audit_trail as audit_trail_service

router = Router(tags=["audit"], responses=problem_responses(401, 403))

ObjectIdQuery = Annotated[
    str | None,
    Query(min_length=1, max_length=200, pattern=r"^[^\x00]*$", description="The object's id"),
]
SinceQuery = Annotated[
    IsoAwareDatetime | None, Query(description="Events at or after (with a time zone)")
]
UntilQuery = Annotated[
    IsoAwareDatetime | None,
    Query(description="Events before (with a time zone); none when not after `since`"),
]


@router.get("/labs/{lab_id}/audit", responses=problem_responses(404))
async def list_lab_audit(
    lab_id: UUID,
    principal: CurrentPrincipal,
    session: SessionDep,
    limit: LimitQuery = DEFAULT_LIMIT,
    cursor: CursorQuery = None,
    object_type: AuditObject | None = None,
    object_id: ObjectIdQuery = None,
    action: AuditAction | None = None,
    actor_id: UUID | None = None,
    since: SinceQuery = None,
    until: UntilQuery = None,
) -> AuditEventPage:
    """A lab's audit trail, newest first (its managers, admins)."""
    filters = AuditFilters(None, object_type, object_id, action, actor_id, since, until)
    return await audit_trail_service.list_lab_audit(
        session, principal=principal, lab_id=lab_id, filters=filters, limit=limit, cursor=cursor
    )


@router.get("/audit")
async def list_audit(
    principal: CurrentPrincipal,
    session: SessionDep,
    limit: LimitQuery = DEFAULT_LIMIT,
    cursor: CursorQuery = None,
    lab_id: UUID | None = None,
    object_type: AuditObject | None = None,
    object_id: ObjectIdQuery = None,
    action: AuditAction | None = None,
    actor_id: UUID | None = None,
    since: SinceQuery = None,
    until: UntilQuery = None,
) -> AuditEventPage:
    """The whole audit trail, newest first, of every lab (even deleted ones) and of none
    (admins)."""
    filters = AuditFilters(lab_id, object_type, object_id, action, actor_id, since, until)
    return await audit_trail_service.list_audit(
        session, principal=principal, filters=filters, limit=limit, cursor=cursor
    )
