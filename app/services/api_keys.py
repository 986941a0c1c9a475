"""API keys for scripts: created (shown once), listed, revoked — always the caller's own."""

from datetime import UTC, datetime
from uuid import UUID

from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.errors import NotFound
from app.core.security import generate_api_key
from app.models.audit import AuditAction
from app.models.auth import ApiKey, ApiKeyCreate, ApiKeyCreated
from app.repositories import credentials as credentials_repository
from app.services import audit as audit_service
from app.services.auth import Principal


async def create_api_key(
    session: AsyncSession, *, principal: Principal, data: ApiKeyCreate
) -> ApiKeyCreated:
    material = generate_api_key()
    api_key = ApiKey(
        name=data.name,
        user_id=principal.user.id,
        prefix=material.prefix,
        secret_hash=material.secret_hash,
    )
    await credentials_repository.add(session, item=api_key)
    await audit_service.record(
        session,
        principal,
        AuditAction.API_KEY_CREATED,
        object_id=api_key.id,
        lab_id=None,
        changes=audit_service.created(api_key),
    )
    return ApiKeyCreated.model_validate(api_key, update={"key": material.key})


async def list_api_keys(session: AsyncSession, *, principal: Principal) -> list[ApiKey]:
    return await credentials_repository.list_api_keys(session, user_id=principal.user.id)


async def revoke_api_key(session: AsyncSession, *, principal: Principal, key_id: UUID) -> None:
    api_key = await credentials_repository.get_api_key(
        session, key_id=key_id, user_id=principal.user.id
    )
    if api_key is None:
        raise NotFound("No such API key.")
    api_key.revoked_at = datetime.now(UTC)
    await audit_service.record(
        session,
        principal,
        AuditAction.API_KEY_REVOKED,
        object_id=api_key.id,
        lab_id=None,
        changes=audit_service.updated(api_key),
    )
