"""Emission factors: everyone reads them; admins manage them. Changing a factor's value
recomputes every entry that uses it, in the same transaction, so reports always agree."""

from datetime import UTC, datetime
from uuid import UUID

from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.errors import Conflict, NotFound
from app.core.pagination import Page, decode_cursor, page_of
from app.models.factor import EmissionFactor, FactorCategory, FactorCreate, FactorUpdate
from app.repositories import entry as entry_repository
from app.repositories import factor as factor_repository
from app.services.auth import Principal
from app.services.authz import Action, authorize


async def list_factors(
    session: AsyncSession,
    *,
    limit: int,
    cursor: str | None,
    category: FactorCategory | None,
    year: int | None,
    region: str | None,
    search: str | None,
) -> Page[EmissionFactor]:
    rows = await factor_repository.list_page(
        session,
        limit=limit,
        after=decode_cursor(cursor, (str, int, UUID)),
        category=category,
        year=year,
        region=region,
        search=search,
    )
    return page_of(rows, limit=limit, key_of=lambda factor: (factor.key, factor.year, factor.id))


async def get_factor(session: AsyncSession, *, factor_id: UUID) -> EmissionFactor:
    factor = await factor_repository.get(session, factor_id)
    if factor is None:
        raise NotFound("No such emission factor.")
    return factor


async def create_factor(
    session: AsyncSession, *, principal: Principal, data: FactorCreate
) -> EmissionFactor:
    authorize(principal.user, Action.MANAGE_FACTORS)
    if await factor_repository.find_exact(
        session, key=data.key, year=data.year, region=data.region
    ):
        raise Conflict("A factor with this key, year and region already exists.")
    factor = EmissionFactor.model_validate(data)
    try:
        async with session.begin_nested():
            return await factor_repository.add(session, factor=factor)
    except IntegrityError as error:
        raise Conflict("A factor with this key, year and region already exists.") from error


async def update_factor(
    session: AsyncSession, *, principal: Principal, factor_id: UUID, changes: FactorUpdate
) -> EmissionFactor:
    authorize(principal.user, Action.MANAGE_FACTORS)
    factor = await factor_repository.get(session, factor_id, for_update=True)
    if factor is None:
        raise NotFound("No such emission factor.")
    if factor.version != changes.version:
        raise Conflict(
            f"The factor changed since you read it (version {changes.version}, now "
            f"{factor.version}); read it again and retry."
        )
    patch = {
        name: value
        for name, value in changes.model_dump(exclude_unset=True, exclude={"version"}).items()
        if value is not None
    }
    value_changed = (
        "kg_co2e_per_unit" in patch and patch["kg_co2e_per_unit"] != factor.kg_co2e_per_unit
    )
    factor.sqlmodel_update(patch)
    factor.version += 1
    factor.updated_at = datetime.now(UTC)
    if value_changed:
        await session.flush()
        await entry_repository.recompute_for_factor(
            session, factor_id=factor.id, kg_per_unit=factor.kg_co2e_per_unit
        )
    return factor


async def delete_factor(session: AsyncSession, *, principal: Principal, factor_id: UUID) -> None:
    """Delete a factor no entry uses (entries keep their factor: 409 otherwise)."""
    authorize(principal.user, Action.MANAGE_FACTORS)
    factor = await factor_repository.get(session, factor_id, for_update=True)
    if factor is None:
        raise NotFound("No such emission factor.")
    try:
        async with session.begin_nested():
            await factor_repository.delete(session, factor=factor)
    except IntegrityError as error:
        raise Conflict("Entries use this factor; it cannot be deleted.") from error
