"""One's own account and API keys, and admin user management."""

from typing import Annotated
from uuid import UUID

from fastapi import Query, status

from app.api.deps import CurrentPrincipal, PoolDep, SessionDep
from app.api.router import Router
from app.core.errors import problem_responses
from app.core.pagination import DEFAULT_LIMIT, CursorQuery, LimitQuery
from app.models.auth import ApiKeyCreate, ApiKeyCreated, ApiKeyPublic
from app.models.lab import LabPublic, MyInvitation
from app.models.user import (
    PasswordChange,
    UserCreate,
    UserMeUpdate,
    UserPage,
    UserPublic,
    UserRole,
    UserUpdate,
)
from app.services import api_keys as api_key_service
from app.services import invitations as invitation_service
from app.services import users as user_service

router = Router(prefix="/users", tags=["users"], responses=problem_responses(401))

ADMIN_ERRORS = problem_responses(403)


@router.get("/me")
async def get_me(principal: CurrentPrincipal) -> UserPublic:
    """The signed-in account."""
    return UserPublic.model_validate(principal.user)


@router.patch("/me", responses=problem_responses(409))
async def update_me(
    changes: UserMeUpdate, principal: CurrentPrincipal, session: SessionDep
) -> UserPublic:
    """Change one's own profile (send the `version` you read; a stale one gets 409)."""
    user = await user_service.update_me(session, principal=principal, changes=changes)
    return UserPublic.model_validate(user)


@router.post("/me/password", status_code=status.HTTP_204_NO_CONTENT)
async def change_my_password(
    change: PasswordChange, principal: CurrentPrincipal, session: SessionDep
) -> None:
    """Change one's password (the current one is required); other sessions are ended."""
    await user_service.change_password(session, principal=principal, change=change)


@router.get("/me/api-keys")
async def list_my_api_keys(principal: CurrentPrincipal, session: SessionDep) -> list[ApiKeyPublic]:
    """One's active API keys (prefix, name, created, last used; never the secret)."""
    keys = await api_key_service.list_api_keys(session, principal=principal)
    return [ApiKeyPublic.model_validate(key) for key in keys]


@router.post("/me/api-keys", status_code=status.HTTP_201_CREATED)
async def create_my_api_key(
    data: ApiKeyCreate, principal: CurrentPrincipal, session: SessionDep
) -> ApiKeyCreated:
    """Create an API key; the response is the only time its secret is shown."""
    return await api_key_service.create_api_key(session, principal=principal, data=data)


@router.delete(
    "/me/api-keys/{key_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(404),
)
async def revoke_my_api_key(key_id: UUID, principal: CurrentPrincipal, session: SessionDep) -> None:
    """Revoke one of one's API keys; it stops working at once."""
    await api_key_service.revoke_api_key(session, principal=principal, key_id=key_id)


@router.get("/me/invitations")
async def list_my_invitations(
    principal: CurrentPrincipal, session: SessionDep
) -> list[MyInvitation]:
    """Invitations to join a lab addressed to one's email, newest first (unexpired only)."""
    rows = await invitation_service.list_my_invitations(session, principal=principal)
    return [
        MyInvitation(
            id=invitation.id,
            lab_id=lab.id,
            lab_name=lab.name,
            lab_code=lab.code,
            role=invitation.role,
            created_at=invitation.created_at,
            expires_at=invitation.expires_at,
        )
        for invitation, lab in rows
    ]


@router.post("/me/invitations/{invitation_id}/accept", responses=problem_responses(404))
async def accept_my_invitation(
    invitation_id: UUID, principal: CurrentPrincipal, session: SessionDep
) -> LabPublic:
    """Accept an invitation: one joins the lab with the invited role (the answer is the lab)."""
    lab, role = await invitation_service.accept_invitation(
        session, principal=principal, invitation_id=invitation_id
    )
    return LabPublic(**lab.model_dump(), my_role=role)


@router.post(
    "/me/invitations/{invitation_id}/decline",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(404),
)
async def decline_my_invitation(
    invitation_id: UUID, principal: CurrentPrincipal, session: SessionDep
) -> None:
    """Decline an invitation; it is deleted."""
    await invitation_service.decline_invitation(
        session, principal=principal, invitation_id=invitation_id
    )


@router.get("", responses=ADMIN_ERRORS)
async def list_users(
    principal: CurrentPrincipal,
    pool: PoolDep,
    limit: LimitQuery = DEFAULT_LIMIT,
    cursor: CursorQuery = None,
    role: Annotated[UserRole | None, Query()] = None,
    is_active: Annotated[bool | None, Query()] = None,
) -> UserPage:
    """List accounts (admins), oldest first, filtered by role and active flag."""
    page = await user_service.list_users(
        pool, principal=principal, limit=limit, cursor=cursor, role=role, is_active=is_active
    )
    return UserPage(items=page.items, next_cursor=page.next_cursor)


@router.post(
    "", status_code=status.HTTP_201_CREATED, responses={**ADMIN_ERRORS, **problem_responses(409)}
)
async def create_user(
    data: UserCreate, principal: CurrentPrincipal, session: SessionDep
) -> UserPublic:
    """Create an account (admins)."""
    user = await user_service.create_user(session, principal=principal, data=data)
    return UserPublic.model_validate(user)


@router.get("/{user_id}", responses={**ADMIN_ERRORS, **problem_responses(404)})
async def get_user(user_id: UUID, principal: CurrentPrincipal, session: SessionDep) -> UserPublic:
    """One account (admins)."""
    user = await user_service.get_user(session, principal=principal, user_id=user_id)
    return UserPublic.model_validate(user)


@router.patch("/{user_id}", responses={**ADMIN_ERRORS, **problem_responses(404, 409)})
async def update_user(
    user_id: UUID, changes: UserUpdate, principal: CurrentPrincipal, session: SessionDep
) -> UserPublic:
    """Change an account (admins): email, name, role, active flag; `version` is required."""
    user = await user_service.update_user(
        session, principal=principal, user_id=user_id, changes=changes
    )
    return UserPublic.model_validate(user)


@router.post("/{user_id}/deactivate", responses={**ADMIN_ERRORS, **problem_responses(404, 409)})
async def deactivate_user(
    user_id: UUID, principal: CurrentPrincipal, session: SessionDep
) -> UserPublic:
    """Deactivate an account (admins): its tokens and API keys stop working at once."""
    user = await user_service.deactivate_user(session, principal=principal, user_id=user_id)
    return UserPublic.model_validate(user)
