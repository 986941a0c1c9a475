"""Invitations to join a lab: how a lab manager who is not an admin adds someone.

An invitation is addressed to an email, never resolved to an account while the manager is
waiting: the answer to inviting an address is the same whether or not it has an account, so a
manager cannot probe which addresses do (adding an account directly is for admins, who see every
account anyway). The invitee sees it under `GET /users/me/invitations` once signed in with that
address, and accepts it (it becomes a membership) or declines it; managers may revoke it.
"""

from datetime import UTC, datetime, timedelta
from uuid import UUID

from sqlmodel.ext.asyncio.session import AsyncSession

from app.config import settings
from app.core.errors import Conflict, NotFound
from app.models.audit import AuditAction
from app.models.lab import InvitationCreate, Lab, LabInvitation, LabMembership, LabRole
from app.models.user import normalize_email
from app.repositories import lab as lab_repository
from app.services import audit as audit_service
from app.services.auth import Principal
from app.services.authz import LabAction
from app.services.labs import load_lab

_NO_SUCH_INVITATION = "No such invitation (it may have expired, been revoked or answered)."


def _now() -> datetime:
    return datetime.now(UTC)


async def list_lab_invitations(
    session: AsyncSession, *, principal: Principal, lab_id: UUID
) -> list[LabInvitation]:
    """A lab's invitations that were neither accepted, declined nor revoked (managers)."""
    await load_lab(session, principal, lab_id, LabAction.MANAGE_MEMBERS)
    return await lab_repository.list_invitations(session, lab_id=lab_id)


async def create_invitation(
    session: AsyncSession, *, principal: Principal, lab_id: UUID, data: InvitationCreate
) -> LabInvitation:
    """Invite an address with a role (managers). Inviting an address again renews the
    invitation with the new role. 409 only for an address that is already a member, which the
    manager can see in the member list anyway."""
    await load_lab(session, principal, lab_id, LabAction.MANAGE_MEMBERS, for_update=True)
    email = normalize_email(data.email)
    if await lab_repository.get_member_by_email(session, lab_id=lab_id, email=email) is not None:
        raise Conflict("This address is already a member of the lab.")
    now = _now()
    invitation = await lab_repository.get_invitation_by_email(session, lab_id=lab_id, email=email)
    if invitation is None:
        invitation = LabInvitation(lab_id=lab_id, email=email, role=data.role, expires_at=now)
    invitation.role = data.role
    invitation.invited_by_id = principal.user.id
    invitation.created_at = now
    invitation.expires_at = now + timedelta(days=settings.INVITATION_EXPIRE_DAYS)
    invitation = await lab_repository.add_invitation(session, invitation=invitation)
    await audit_service.record(
        session,
        principal,
        AuditAction.INVITATION_CREATED,
        object_id=invitation.id,
        lab_id=lab_id,
        changes=audit_service.created(invitation),
    )
    return invitation


async def revoke_invitation(
    session: AsyncSession, *, principal: Principal, lab_id: UUID, invitation_id: UUID
) -> None:
    """Withdraw a pending invitation (managers)."""
    await load_lab(session, principal, lab_id, LabAction.MANAGE_MEMBERS, for_update=True)
    invitation = await lab_repository.get_invitation(
        session, invitation_id=invitation_id, lab_id=lab_id, for_update=True
    )
    if invitation is None:
        raise NotFound(_NO_SUCH_INVITATION)
    await audit_service.record(
        session,
        principal,
        AuditAction.INVITATION_REVOKED,
        object_id=invitation.id,
        lab_id=lab_id,
        changes=audit_service.deleted(invitation),
    )
    await lab_repository.delete_invitation(session, invitation=invitation)


async def list_my_invitations(
    session: AsyncSession, *, principal: Principal
) -> list[tuple[LabInvitation, Lab]]:
    """The unexpired invitations addressed to the caller's email, with their labs."""
    return await lab_repository.list_invitations_to(
        session, email=normalize_email(principal.user.email), valid_at=_now()
    )


async def _my_invitation(
    session: AsyncSession, principal: Principal, invitation_id: UUID, *, for_update: bool = True
) -> LabInvitation:
    invitation = await lab_repository.get_invitation(
        session,
        invitation_id=invitation_id,
        email=normalize_email(principal.user.email),
        for_update=for_update,
    )
    if invitation is None or invitation.expires_at <= _now():
        raise NotFound(_NO_SUCH_INVITATION)
    return invitation


async def accept_invitation(
    session: AsyncSession, *, principal: Principal, invitation_id: UUID
) -> tuple[Lab, LabRole]:
    """Join the lab with the invited role; the invitation is spent. A caller who is a member
    already keeps their role."""
    # Locks in the order every member change takes them, the lab's row then the invitation's
    # (a revoke or a lab delete racing this would otherwise deadlock with it).
    seen = await _my_invitation(session, principal, invitation_id, for_update=False)
    found = await lab_repository.get_with_role(
        session, lab_id=seen.lab_id, user_id=principal.user.id, for_update=True
    )
    if found is None:  # the lab was deleted meanwhile (its invitations with it)
        raise NotFound(_NO_SUCH_INVITATION)
    invitation = await _my_invitation(session, principal, invitation_id)
    await session.refresh(invitation)  # as it is now that it is locked (a renewal changes it)
    lab, role = found
    if role is None:
        membership = LabMembership(lab_id=lab.id, user_id=principal.user.id, role=invitation.role)
        await lab_repository.add_membership(session, membership=membership)
        await audit_service.record(
            session,
            principal,
            AuditAction.MEMBER_ADDED,
            object_id=principal.user.id,
            lab_id=lab.id,
            changes=audit_service.created(membership),
        )
        role = invitation.role
    await lab_repository.delete_invitation(session, invitation=invitation)
    return lab, role


async def decline_invitation(
    session: AsyncSession, *, principal: Principal, invitation_id: UUID
) -> None:
    """Refuse an invitation; it is deleted (the lab's managers may invite again)."""
    invitation = await _my_invitation(session, principal, invitation_id)
    await lab_repository.delete_invitation(session, invitation=invitation)
