"""Labs and their members."""

from datetime import UTC, datetime
from uuid import UUID

from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.errors import Conflict, FieldError, Forbidden, InvalidInput, NotFound
from app.core.pagination import Page, decode_cursor, page_of
from app.db.statements import Reads
from app.models.audit import AuditAction
from app.models.lab import (
    Lab,
    LabCreate,
    LabMembership,
    LabPublic,
    LabReplace,
    LabRole,
    LabUpdate,
    MemberCreate,
    MemberUpdate,
)
from app.models.user import User
from app.repositories import job as job_repository
from app.repositories import lab as lab_repository
from app.repositories import user as user_repository
from app.services import audit as audit_service
from app.services.auth import LabLookup, Principal
from app.services.authz import Action, LabAction, authorize_lab, is_allowed, member_scope

LabWithRole = tuple[Lab, LabRole | None]


async def load_lab(
    session: AsyncSession,
    principal: Principal,
    lab_id: UUID,
    action: LabAction,
    *,
    for_update: bool = False,
) -> LabWithRole:
    """The lab as the caller may see it: 404 when it is absent or not theirs, 403 when their
    role does not allow `action`."""
    lookup = None if for_update else _lookup_of(principal, lab_id)
    found = (
        lookup.found
        if lookup is not None
        else await lab_repository.get_with_role(
            session, lab_id=lab_id, user_id=principal.user.id, for_update=for_update
        )
    )
    return _authorized(found, principal, action)


async def hold_lab(session: AsyncSession, *, lab_id: UUID) -> None:
    """Hold the lab's row until the transaction ends, against a concurrent delete (which would
    fail the caller's inserts' foreign keys); 404 when it is gone. Call it after `load_lab`."""
    if not await lab_repository.hold(session, lab_id=lab_id):
        raise NotFound("No such lab.")


async def read_lab(
    reads: Reads, principal: Principal, lab_id: UUID, action: LabAction
) -> LabWithRole:
    """`load_lab` for a service past the ORM (app/db): read-only, never locked."""
    lookup = _lookup_of(principal, lab_id)
    found = (
        lookup.found
        if lookup is not None
        else await lab_repository.find_with_role(reads, lab_id=lab_id, user_id=principal.user.id)
    )
    return _authorized(found, principal, action)


def _lookup_of(principal: Principal, lab_id: UUID) -> LabLookup | None:
    """The lab as authentication read it with the caller (auth.authenticate), if it did."""
    lookup = principal.lab
    return lookup if lookup is not None and lookup.lab_id == lab_id else None


def _authorized(found: LabWithRole | None, principal: Principal, action: LabAction) -> LabWithRole:
    if found is None:
        raise NotFound("No such lab.")
    authorize_lab(principal.user, found[1], action)
    return found


async def list_labs(
    reads: Reads,
    *,
    principal: Principal,
    limit: int,
    cursor: str | None,
    search: str | None,
    institution: str | None,
) -> Page[LabPublic]:
    """Labs the caller belongs to (every lab for admins), by name."""
    rows = await lab_repository.list_page(
        reads,
        limit=limit,
        after=decode_cursor(cursor, (str, UUID)),
        member_id=member_scope(principal.user),
        user_id=principal.user.id,
        institution=institution,
        search=search,
    )
    return page_of(rows, limit=limit, key_of=lambda lab: (lab.name, lab.id))


async def _ensure_code_free(session: AsyncSession, code: str, *, owner: UUID | None) -> None:
    existing = await lab_repository.get_by_code(session, code=code)
    if existing is not None and existing.id != owner:
        raise Conflict(f"A lab with code {code} already exists.")


async def create_lab(
    session: AsyncSession, *, principal: Principal, data: LabCreate
) -> LabWithRole:
    """Create a lab; its creator becomes its manager."""
    await _ensure_code_free(session, data.code, owner=None)
    lab = Lab.model_validate(data)
    try:
        async with session.begin_nested():
            await lab_repository.add(session, lab=lab)
    except IntegrityError as error:  # a concurrent create took the code
        raise Conflict(f"A lab with code {data.code} already exists.") from error
    membership = LabMembership(lab_id=lab.id, user_id=principal.user.id, role=LabRole.MANAGER)
    await lab_repository.add_membership(session, membership=membership)
    await audit_service.record(
        session,
        principal,
        AuditAction.LAB_CREATED,
        object_id=lab.id,
        lab_id=lab.id,
        changes=audit_service.created(lab),
    )
    return lab, LabRole.MANAGER


def _check_version(lab: Lab, version: int) -> None:
    if lab.version != version:
        raise Conflict(
            f"The lab changed since you read it (version {version}, now {lab.version}); "
            "read it again and retry."
        )


async def update_lab(
    session: AsyncSession, *, principal: Principal, lab_id: UUID, changes: LabUpdate | LabReplace
) -> LabWithRole:
    """PATCH (only the fields sent) or PUT (every field), refused when `version` is stale."""
    lab, role = await load_lab(session, principal, lab_id, LabAction.EDIT, for_update=True)
    _check_version(lab, changes.version)
    patch = (
        changes.model_dump(exclude={"version"})
        if isinstance(changes, LabReplace)
        else changes.changes()
    )
    if patch.get("code") is not None:
        await _ensure_code_free(session, patch["code"], owner=lab.id)
    lab.sqlmodel_update(patch)
    await audit_service.record(
        session,
        principal,
        AuditAction.LAB_UPDATED,
        object_id=lab.id,
        lab_id=lab.id,
        changes=audit_service.updated(lab),
    )
    lab.version += 1
    lab.updated_at = datetime.now(UTC)
    return lab, role


async def get_lab(reads: Reads, *, principal: Principal, lab_id: UUID) -> LabWithRole:
    return await read_lab(reads, principal, lab_id, LabAction.VIEW)


DELETE_LOCK_WAIT_SECONDS = 2
_BUSY = (
    "An import of this lab is queued, running or being uploaded; cancel it or wait for it to "
    "end, then delete the lab."
)


async def _refuse_while_importing(session: AsyncSession, lab_id: UUID) -> None:
    if await job_repository.count_active_for_lab(session, lab_id=lab_id):
        raise Conflict(_BUSY)


async def delete_lab(session: AsyncSession, *, principal: Principal, lab_id: UUID) -> None:
    """Delete a lab with its memberships, entries and finished imports. Not while an import of it
    is queued, running or being uploaded: the runner would be writing rows the delete cascades to
    (that race was a deadlock, a 500, found by scripts/fuzz). The answer is a 409 at once for a
    job already queued, after at most `DELETE_LOCK_WAIT_SECONDS` for an upload or a running
    import (they hold the lab's row), never a wait for them to end."""
    await load_lab(session, principal, lab_id, LabAction.DELETE)
    await _refuse_while_importing(session, lab_id)
    if not await lab_repository.lock_for_update(
        session, lab_id=lab_id, wait_seconds=DELETE_LOCK_WAIT_SECONDS
    ):
        raise Conflict(_BUSY)
    lab, _ = await load_lab(session, principal, lab_id, LabAction.DELETE, for_update=True)
    # Under the lab's row lock: a new upload waits for this transaction (its job references it),
    # and one that committed while we waited is counted.
    await _refuse_while_importing(session, lab.id)
    await audit_service.record(
        session,
        principal,
        AuditAction.LAB_DELETED,
        object_id=lab.id,
        lab_id=lab.id,
        changes=audit_service.deleted(lab),
    )
    await lab_repository.delete(session, lab=lab)


async def list_members(
    session: AsyncSession, *, principal: Principal, lab_id: UUID
) -> list[tuple[LabMembership, User]]:
    await load_lab(session, principal, lab_id, LabAction.VIEW)
    return await lab_repository.list_members(session, lab_id=lab_id)


async def add_member(
    session: AsyncSession, *, principal: Principal, lab_id: UUID, data: MemberCreate
) -> tuple[LabMembership, User]:
    """Add an account directly (admins). The answer tells whether the address has an account,
    which only admins may know (they list accounts); lab managers invite instead
    (services/invitations.py)."""
    await load_lab(session, principal, lab_id, LabAction.MANAGE_MEMBERS, for_update=True)
    if not is_allowed(principal.user, Action.MANAGE_USERS):
        raise Forbidden(
            "Only admins add an account directly; invite the address instead "
            f"(POST /api/v1/labs/{lab_id}/invitations)."
        )
    user = await user_repository.get_by_email(session, email=data.email)
    if user is None or not user.is_active:
        raise InvalidInput(
            "There is no active account with this email.",
            errors=[FieldError(loc=["body", "email"], msg="no such account", type="unknown_user")],
        )
    if await lab_repository.get_membership(session, lab_id=lab_id, user_id=user.id) is not None:
        raise Conflict("This account is already a member of the lab.")
    membership = LabMembership(lab_id=lab_id, user_id=user.id, role=data.role)
    await lab_repository.add_membership(session, membership=membership)
    await audit_service.record(
        session,
        principal,
        AuditAction.MEMBER_ADDED,
        object_id=user.id,
        lab_id=lab_id,
        changes=audit_service.created(membership),
    )
    return membership, user


async def _membership_for_change(
    session: AsyncSession, principal: Principal, lab_id: UUID, user_id: UUID
) -> tuple[LabMembership, User]:
    # Locking the lab row serialises member changes, so "last manager" checks cannot race.
    await load_lab(session, principal, lab_id, LabAction.MANAGE_MEMBERS, for_update=True)
    membership = await lab_repository.get_membership(session, lab_id=lab_id, user_id=user_id)
    user = await user_repository.get(session, user_id)
    if membership is None or user is None:
        raise NotFound("This account is not a member of the lab.")
    return membership, user


async def _ensure_another_manager(session: AsyncSession, membership: LabMembership) -> None:
    if (
        membership.role == LabRole.MANAGER
        and await lab_repository.count_managers(session, lab_id=membership.lab_id) <= 1
    ):
        raise Conflict("A lab keeps at least one manager; promote someone else first.")


async def update_member(
    session: AsyncSession, *, principal: Principal, lab_id: UUID, user_id: UUID, data: MemberUpdate
) -> tuple[LabMembership, User]:
    membership, user = await _membership_for_change(session, principal, lab_id, user_id)
    if data.role != LabRole.MANAGER:
        await _ensure_another_manager(session, membership)
    membership.role = data.role
    await audit_service.record(
        session,
        principal,
        AuditAction.MEMBER_UPDATED,
        object_id=user_id,
        lab_id=lab_id,
        changes=audit_service.updated(membership),
    )
    return membership, user


async def remove_member(
    session: AsyncSession, *, principal: Principal, lab_id: UUID, user_id: UUID
) -> None:
    membership, _ = await _membership_for_change(session, principal, lab_id, user_id)
    await _ensure_another_manager(session, membership)
    await audit_service.record(
        session,
        principal,
        AuditAction.MEMBER_REMOVED,
        object_id=user_id,
        lab_id=lab_id,
        changes=audit_service.deleted(membership),
    )
    await lab_repository.delete_membership(session, membership=membership)
