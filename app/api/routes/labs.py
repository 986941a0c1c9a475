"""Labs and their members."""

from typing import Annotated
from uuid import UUID

from fastapi import Query, status

from app.api.deps import CurrentPrincipal, PoolDep, SessionDep
from app.api.router import Router
from app.core.errors import problem_responses
from app.core.pagination import DEFAULT_LIMIT, CursorQuery, LimitQuery
from app.models.family import public_of
from app.models.lab import (
    InvitationCreate,
    InvitationPublic,
    Lab,
    LabCreate,
    LabInvitation,
    LabMembership,
    LabPage,
    LabPublic,
    LabReplace,
    LabRole,
    LabUpdate,
    MemberCreate,
    MemberPublic,
    MemberUpdate,
)
from app.models.user import User
from app.services import invitations as invitation_service
from app.services import labs as lab_service

router = Router(prefix="/labs", tags=["labs"], responses=problem_responses(401))

LAB_ERRORS = problem_responses(403, 404)
WRITE_ERRORS = problem_responses(403, 404, 409)


def _public(lab: Lab, role: LabRole | None) -> LabPublic:
    # Not validated again (app/models/family.py): a lab read or just written and flushed.
    return public_of(LabPublic, lab, my_role=role)


@router.get("")
async def list_labs(
    principal: CurrentPrincipal,
    pool: PoolDep,
    limit: LimitQuery = DEFAULT_LIMIT,
    cursor: CursorQuery = None,
    search: Annotated[str | None, Query(max_length=100, pattern=r"^[^\x00]*$")] = None,
    institution: Annotated[str | None, Query(max_length=200, pattern=r"^[^\x00]*$")] = None,
) -> LabPage:
    """Labs the caller belongs to (all labs for admins), ordered by name."""
    page = await lab_service.list_labs(
        pool,
        principal=principal,
        limit=limit,
        cursor=cursor,
        search=search,
        institution=institution,
    )
    return LabPage(items=page.items, next_cursor=page.next_cursor)


@router.post("", status_code=status.HTTP_201_CREATED, responses=problem_responses(409))
async def create_lab(
    data: LabCreate, principal: CurrentPrincipal, session: SessionDep
) -> LabPublic:
    """Create a lab; the caller becomes its manager."""
    return _public(*await lab_service.create_lab(session, principal=principal, data=data))


@router.get("/{lab_id}", responses=LAB_ERRORS)
async def get_lab(lab_id: UUID, principal: CurrentPrincipal, pool: PoolDep) -> LabPublic:
    """One lab."""
    return _public(*await lab_service.get_lab(pool, principal=principal, lab_id=lab_id))


@router.put("/{lab_id}", responses=WRITE_ERRORS)
async def replace_lab(
    lab_id: UUID, data: LabReplace, principal: CurrentPrincipal, session: SessionDep
) -> LabPublic:
    """Replace a lab's fields (managers); `version` must be the one you read."""
    found = await lab_service.update_lab(session, principal=principal, lab_id=lab_id, changes=data)
    return _public(*found)


@router.patch("/{lab_id}", responses=WRITE_ERRORS)
async def update_lab(
    lab_id: UUID, changes: LabUpdate, principal: CurrentPrincipal, session: SessionDep
) -> LabPublic:
    """Change some of a lab's fields (managers); `version` must be the one you read."""
    found = await lab_service.update_lab(
        session, principal=principal, lab_id=lab_id, changes=changes
    )
    return _public(*found)


@router.delete("/{lab_id}", status_code=status.HTTP_204_NO_CONTENT, responses=WRITE_ERRORS)
async def delete_lab(lab_id: UUID, principal: CurrentPrincipal, session: SessionDep) -> None:
    """Delete a lab with its members and entries (managers); 409 while an import of it runs."""
    await lab_service.delete_lab(session, principal=principal, lab_id=lab_id)


def _member(membership: LabMembership, user: User) -> MemberPublic:
    return MemberPublic(
        user_id=user.id,
        email=user.email,
        full_name=user.full_name,
        role=membership.role,
        created_at=membership.created_at,
    )


@router.get("/{lab_id}/members", responses=LAB_ERRORS)
async def list_lab_members(
    lab_id: UUID, principal: CurrentPrincipal, session: SessionDep
) -> list[MemberPublic]:
    """A lab's members and their lab roles."""
    rows = await lab_service.list_members(session, principal=principal, lab_id=lab_id)
    return [_member(*row) for row in rows]


@router.post("/{lab_id}/members", status_code=status.HTTP_201_CREATED, responses=WRITE_ERRORS)
async def add_lab_member(
    lab_id: UUID, data: MemberCreate, principal: CurrentPrincipal, session: SessionDep
) -> MemberPublic:
    """Add an account to a lab with a role (admins; managers invite instead)."""
    row = await lab_service.add_member(session, principal=principal, lab_id=lab_id, data=data)
    return _member(*row)


@router.patch("/{lab_id}/members/{user_id}", responses=WRITE_ERRORS)
async def update_lab_member(
    lab_id: UUID,
    user_id: UUID,
    data: MemberUpdate,
    principal: CurrentPrincipal,
    session: SessionDep,
) -> MemberPublic:
    """Change a member's lab role (managers; a lab keeps at least one manager)."""
    row = await lab_service.update_member(
        session, principal=principal, lab_id=lab_id, user_id=user_id, data=data
    )
    return _member(*row)


@router.delete(
    "/{lab_id}/members/{user_id}", status_code=status.HTTP_204_NO_CONTENT, responses=WRITE_ERRORS
)
async def remove_lab_member(
    lab_id: UUID, user_id: UUID, principal: CurrentPrincipal, session: SessionDep
) -> None:
    """Remove a member (managers; a lab keeps at least one manager)."""
    await lab_service.remove_member(session, principal=principal, lab_id=lab_id, user_id=user_id)


def _invitation(invitation: LabInvitation) -> InvitationPublic:
    return InvitationPublic.model_validate(invitation, from_attributes=True)


@router.get("/{lab_id}/invitations", responses=LAB_ERRORS)
async def list_lab_invitations(
    lab_id: UUID, principal: CurrentPrincipal, session: SessionDep
) -> list[InvitationPublic]:
    """A lab's pending invitations (managers)."""
    rows = await invitation_service.list_lab_invitations(
        session, principal=principal, lab_id=lab_id
    )
    return [_invitation(row) for row in rows]


@router.post("/{lab_id}/invitations", status_code=status.HTTP_201_CREATED, responses=WRITE_ERRORS)
async def create_lab_invitation(
    lab_id: UUID, data: InvitationCreate, principal: CurrentPrincipal, session: SessionDep
) -> InvitationPublic:
    """Invite an email address to join a lab with a role (managers); the same answer whether
    or not the address has an account. Inviting it again renews the invitation."""
    invitation = await invitation_service.create_invitation(
        session, principal=principal, lab_id=lab_id, data=data
    )
    return _invitation(invitation)


@router.delete(
    "/{lab_id}/invitations/{invitation_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=LAB_ERRORS,
)
async def revoke_lab_invitation(
    lab_id: UUID, invitation_id: UUID, principal: CurrentPrincipal, session: SessionDep
) -> None:
    """Withdraw a pending invitation (managers)."""
    await invitation_service.revoke_invitation(
        session, principal=principal, lab_id=lab_id, invitation_id=invitation_id
    )
