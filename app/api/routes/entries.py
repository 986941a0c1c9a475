"""Activity entries of a lab."""

from typing import Annotated, Literal
from uuid import UUID

from fastapi import Query, status

from app.api.deps import CurrentPrincipal, DriverTransactionDep, PoolDep, SessionDep
from app.api.router import Router
from app.core.errors import problem_responses
from app.core.pagination import DEFAULT_LIMIT, CursorQuery, LimitQuery
from app.models.base import IsoDate
from app.models.entry import EntryPage, EntryPublic, EntryUpdate, NewEntry
from app.models.factor import FACTOR_KEY_PATTERN, FactorCategory
from app.services import entries as entry_service

router = Router(tags=["entries"], responses=problem_responses(401, 403, 404))


@router.get("/labs/{lab_id}/entries")
async def list_lab_entries(
    lab_id: UUID,
    principal: CurrentPrincipal,
    pool: PoolDep,
    limit: LimitQuery = DEFAULT_LIMIT,
    cursor: CursorQuery = None,
    order: Literal["asc", "desc"] = "desc",
    date_from: Annotated[IsoDate | None, Query(description="Inclusive")] = None,
    date_to: Annotated[IsoDate | None, Query(description="Inclusive")] = None,
    category: FactorCategory | None = None,
    factor_key: Annotated[str | None, Query(pattern=FACTOR_KEY_PATTERN, max_length=100)] = None,
) -> EntryPage:
    """A lab's entries by date (newest first unless `order=asc`), with filters."""
    page = await entry_service.list_entries(
        pool,
        principal=principal,
        lab_id=lab_id,
        limit=limit,
        cursor=cursor,
        order=order,
        date_from=date_from,
        date_to=date_to,
        category=category,
        factor_key=factor_key,
    )
    return EntryPage(items=page.items, next_cursor=page.next_cursor)


@router.post(
    "/labs/{lab_id}/entries", status_code=status.HTTP_201_CREATED, responses=problem_responses(409)
)
async def create_entry(
    lab_id: UUID, data: NewEntry, principal: CurrentPrincipal, transaction: DriverTransactionDep
) -> EntryPublic:
    """Record an activity (contributors, managers): a plain quantity of a factor's unit, or a
    typed activity (`kind`: flight, purchase, refrigerant) from which the server computes the
    quantity and picks the factor; kg CO2e is computed by the server."""
    return await entry_service.create_entry(
        transaction, principal=principal, lab_id=lab_id, data=data
    )


@router.get("/entries/{entry_id}")
async def get_entry(
    entry_id: UUID, principal: CurrentPrincipal, session: SessionDep
) -> EntryPublic:
    """One entry."""
    return await entry_service.get_entry(session, principal=principal, entry_id=entry_id)


@router.patch("/entries/{entry_id}", responses=problem_responses(409))
async def update_entry(
    entry_id: UUID, changes: EntryUpdate, principal: CurrentPrincipal, session: SessionDep
) -> EntryPublic:
    """Change an entry (contributors, managers); `version` must be the one you read."""
    return await entry_service.update_entry(
        session, principal=principal, entry_id=entry_id, changes=changes
    )


@router.delete(
    "/entries/{entry_id}", status_code=status.HTTP_204_NO_CONTENT, responses=problem_responses(409)
)
async def delete_entry(entry_id: UUID, principal: CurrentPrincipal, session: SessionDep) -> None:
    """Delete an entry (contributors, managers)."""
    await entry_service.delete_entry(session, principal=principal, entry_id=entry_id)
