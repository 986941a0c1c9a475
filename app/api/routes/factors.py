"""Emission factors: read by everyone signed in, managed by admins."""

from typing import Annotated
from uuid import UUID

from fastapi import Query, status

from app.api.deps import CurrentPrincipal, PoolDep, RateLimiterDep, SessionDep
from app.api.openapi import with_retry_after
from app.api.router import Router
from app.core.errors import problem_responses
from app.core.pagination import DEFAULT_LIMIT, CursorQuery, LimitQuery
from app.models.factor import (
    FIRST_YEAR,
    LAST_YEAR,
    FactorCategory,
    FactorCreate,
    FactorPage,
    FactorPublic,
    FactorUpdate,
)
from app.models.lab import REGION_PATTERN
from app.services import factors as factor_service

router = Router(prefix="/factors", tags=["factors"], responses=problem_responses(401))
# `{factor_id:uuid}`: only a UUID matches, so `/factors/imports` and `/factors/sync` (POST only)
# answer other methods with 405, not with a 422 about a malformed factor id. The spec shows
# `{factor_id}` all the same.


@router.get("")
async def list_factors(
    principal: CurrentPrincipal,
    pool: PoolDep,
    limit: LimitQuery = DEFAULT_LIMIT,
    cursor: CursorQuery = None,
    category: FactorCategory | None = None,
    year: Annotated[int | None, Query(ge=FIRST_YEAR, le=LAST_YEAR)] = None,
    region: Annotated[str | None, Query(pattern=REGION_PATTERN, max_length=6)] = None,
    search: Annotated[str | None, Query(max_length=100, pattern=r"^[^\x00]*$")] = None,
) -> FactorPage:
    """Emission factors ordered by key and year, filtered by category, year, region and text."""
    page = await factor_service.list_factors(
        pool,
        limit=limit,
        cursor=cursor,
        category=category,
        year=year,
        region=region,
        search=search,
    )
    return FactorPage(items=page.items, next_cursor=page.next_cursor)


@router.post("", status_code=status.HTTP_201_CREATED, responses=problem_responses(403, 409))
async def create_factor(
    data: FactorCreate, principal: CurrentPrincipal, session: SessionDep
) -> FactorPublic:
    """Create an emission factor (admins)."""
    factor = await factor_service.create_factor(session, principal=principal, data=data)
    return FactorPublic.model_validate(factor)


@router.get("/{factor_id:uuid}", responses=problem_responses(404))
async def get_factor(
    factor_id: UUID, principal: CurrentPrincipal, session: SessionDep
) -> FactorPublic:
    """One emission factor."""
    return FactorPublic.model_validate(
        await factor_service.get_factor(session, factor_id=factor_id)
    )


@router.patch(
    "/{factor_id:uuid}",
    responses={
        **problem_responses(403, 404, 429),
        **with_retry_after(409, "when a new value waited in vain for running imports to end"),
    },
)
async def update_factor(
    factor_id: UUID,
    changes: FactorUpdate,
    principal: CurrentPrincipal,
    session: SessionDep,
    limiter: RateLimiterDep,
) -> FactorPublic:
    """Change a factor (admins); a new value queues the recalculation of every entry using it."""
    factor = await factor_service.update_factor(
        session, principal=principal, limiter=limiter, factor_id=factor_id, changes=changes
    )
    return FactorPublic.model_validate(factor)


@router.delete(
    "/{factor_id:uuid}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(403, 404, 409),
)
async def delete_factor(factor_id: UUID, principal: CurrentPrincipal, session: SessionDep) -> None:
    """Delete a factor that no entry uses (admins)."""
    await factor_service.delete_factor(session, principal=principal, factor_id=factor_id)
