"""Accounts: one's own profile and password, and admin user management."""

from datetime import UTC, datetime
from uuid import UUID

from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.errors import Conflict, FieldError, InvalidInput, NotFound
from app.core.pagination import Page, decode_cursor, page_of
from app.core.security import hash_password_in_thread, verify_password_in_thread
from app.db.statements import Reads
from app.models.audit import AuditAction, Changes
from app.models.user import (
    PasswordChange,
    User,
    UserCreate,
    UserMeUpdate,
    UserPublic,
    UserRole,
    UserUpdate,
)
from app.repositories import credentials as credentials_repository
from app.repositories import user as user_repository
from app.services import audit as audit_service
from app.services.auth import Principal
from app.services.authz import Action, authorize


def _check_version(user: User, version: int) -> None:
    if user.version != version:
        raise Conflict(
            f"The account changed since you read it (version {version}, now {user.version}); "
            "read it again and retry."
        )


def _bump(user: User) -> None:
    user.version += 1
    user.updated_at = datetime.now(UTC)


async def _ensure_email_free(session: AsyncSession, email: str, *, owner: UUID | None) -> None:
    existing = await user_repository.get_by_email(session, email=email)
    if existing is not None and existing.id != owner:
        raise Conflict("An account with this email already exists.")


async def update_me(session: AsyncSession, *, principal: Principal, changes: UserMeUpdate) -> User:
    user = await user_repository.get(session, principal.user.id, for_update=True)
    assert user is not None  # the principal was loaded in this transaction
    _check_version(user, changes.version)
    user.sqlmodel_update(changes.changes())
    await _record(session, principal, AuditAction.USER_UPDATED, user, audit_service.updated(user))
    _bump(user)
    return user


async def change_password(
    session: AsyncSession, *, principal: Principal, change: PasswordChange
) -> None:
    """Set a new password (the current one is required); every other session is ended."""
    user = await user_repository.get(session, principal.user.id, for_update=True)
    assert user is not None
    if not await verify_password_in_thread(change.current_password, user.hashed_password):
        raise InvalidInput(
            "The current password is incorrect.",
            errors=[FieldError(loc=["body", "current_password"], msg="incorrect", type="password")],
        )
    user.hashed_password = await hash_password_in_thread(change.new_password)
    # Never a password or its hash: only that it changed.
    await _record(
        session, principal, AuditAction.USER_UPDATED, user, {"password": [None, "changed"]}
    )
    _bump(user)
    await credentials_repository.revoke_user_sessions(
        session,
        user_id=user.id,
        at=datetime.now(UTC),
        reason="password_changed",
        keep=principal.session_id,
    )


async def list_users(
    reads: Reads,
    *,
    principal: Principal,
    limit: int,
    cursor: str | None,
    role: UserRole | None,
    is_active: bool | None,
) -> Page[UserPublic]:
    authorize(principal.user, Action.MANAGE_USERS)
    rows = await user_repository.list_page(
        reads,
        limit=limit,
        after=decode_cursor(cursor, (datetime, UUID)),
        role=role,
        is_active=is_active,
    )
    return page_of(rows, limit=limit, key_of=lambda user: (user.created_at, user.id))


async def create_user(session: AsyncSession, *, principal: Principal, data: UserCreate) -> User:
    authorize(principal.user, Action.MANAGE_USERS)
    await _ensure_email_free(session, data.email, owner=None)
    user = User(
        email=data.email,
        full_name=data.full_name,
        role=data.role,
        hashed_password=await hash_password_in_thread(data.password),
    )
    user = await user_repository.add(session, user=user)
    await _record(session, principal, AuditAction.USER_CREATED, user, audit_service.created(user))
    return user


async def get_user(session: AsyncSession, *, principal: Principal, user_id: UUID) -> User:
    authorize(principal.user, Action.MANAGE_USERS)
    user = await user_repository.get(session, user_id)
    if user is None:
        raise NotFound("No such user.")
    return user


async def update_user(
    session: AsyncSession, *, principal: Principal, user_id: UUID, changes: UserUpdate
) -> User:
    authorize(principal.user, Action.MANAGE_USERS)
    user = await user_repository.get(session, user_id, for_update=True)
    if user is None:
        raise NotFound("No such user.")
    _check_version(user, changes.version)
    patch = changes.changes()
    if "email" in patch:
        await _ensure_email_free(session, patch["email"], owner=user.id)
    stays_admin = patch.get("role", user.role) == UserRole.ADMIN and patch.get(
        "is_active", user.is_active
    )
    if user.role == UserRole.ADMIN and user.is_active and not stays_admin:
        await _ensure_another_active_admin(session)
    user.sqlmodel_update(patch)
    await _record(session, principal, AuditAction.USER_UPDATED, user, audit_service.updated(user))
    _bump(user)
    if not user.is_active:
        await _end_sessions(session, user)
    return user


async def deactivate_user(session: AsyncSession, *, principal: Principal, user_id: UUID) -> User:
    """Deactivate an account: its tokens and API keys stop working at once."""
    authorize(principal.user, Action.MANAGE_USERS)
    user = await user_repository.get(session, user_id, for_update=True)
    if user is None:
        raise NotFound("No such user.")
    if not user.is_active:
        return user
    if user.role == UserRole.ADMIN:
        await _ensure_another_active_admin(session)
    user.is_active = False
    await _record(
        session, principal, AuditAction.USER_DEACTIVATED, user, audit_service.updated(user)
    )
    _bump(user)
    await _end_sessions(session, user)
    return user


async def _record(
    session: AsyncSession, principal: Principal, action: AuditAction, user: User, changes: Changes
) -> None:
    await audit_service.record(
        session, principal, action, object_id=user.id, lab_id=None, changes=changes
    )


async def _ensure_another_active_admin(session: AsyncSession) -> None:
    if len(await user_repository.lock_active_admins(session)) <= 1:
        raise Conflict("The last active admin cannot be demoted or deactivated.")


async def _end_sessions(session: AsyncSession, user: User) -> None:
    await credentials_repository.revoke_user_sessions(
        session, user_id=user.id, at=datetime.now(UTC), reason="deactivated"
    )
