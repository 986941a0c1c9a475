"""Reading the audit trail (docs/audit.md): a lab's events for its managers and admins, every
event for admins; newest first, by keyset pages on the event id, with filters."""

from dataclasses import replace
from uuid import UUID

from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.errors import FieldError, InvalidInput
from app.core.pagination import decode_cursor, page_of
from app.models.audit import AuditEventPage, AuditEventPublic, AuditFilters
from app.repositories import audit as audit_repository
from app.services.auth import Principal
from app.services.authz import Action, LabAction, authorize
from app.services.labs import load_lab

MAX_ID = 2**63 - 1  # bigint


def _before(cursor: str | None) -> int | None:
    """The id below which the page starts (None: the newest)."""
    after = decode_cursor(cursor, (int,))
    if after is None:
        return None
    before = after[0]
    if not isinstance(before, int) or not 1 <= before <= MAX_ID:  # never an id we returned
        raise InvalidInput(
            "The cursor is not one this API returned.",
            errors=[FieldError(loc=["query", "cursor"], msg="invalid cursor", type="cursor")],
        )
    return before


async def _page(
    session: AsyncSession, filters: AuditFilters, limit: int, cursor: str | None
) -> AuditEventPage:
    # `since` not before `until` is an empty range: an empty page, not an error.
    rows = await audit_repository.list_page(
        session, filters=filters, before=_before(cursor), limit=limit
    )
    page = page_of(rows, limit=limit, key_of=lambda event: (event.id,))
    return AuditEventPage(
        items=[AuditEventPublic.model_validate(event) for event in page.items],
        next_cursor=page.next_cursor,
    )


async def list_lab_audit(
    session: AsyncSession,
    *,
    principal: Principal,
    lab_id: UUID,
    filters: AuditFilters,
    limit: int,
    cursor: str | None,
) -> AuditEventPage:
    """The lab's events (its managers, admins); a member without the role gets 403."""
    await load_lab(session, principal, lab_id, LabAction.READ_AUDIT)
    return await _page(session, replace(filters, lab_id=lab_id), limit, cursor)


async def list_audit(
    session: AsyncSession,
    *,
    principal: Principal,
    filters: AuditFilters,
    limit: int,
    cursor: str | None,
) -> AuditEventPage:
    """Every event, of every lab and of none (admins)."""
    authorize(principal.user, Action.READ_AUDIT)
    return await _page(session, filters, limit, cursor)
