"""The database seam (app/db): plain reads on the driver pool, a request's own transaction on
a driver connection, and the rule that a route takes a session or a driver transaction, never
both."""

import asyncio
from collections.abc import AsyncGenerator
from datetime import date
from decimal import Decimal
from uuid import UUID, uuid4

import httpx
import psycopg
import pytest
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import iter_route_contexts
from psycopg.pq import TransactionStatus
from sqlalchemy import event, text
from sqlalchemy import func as sql_func
from sqlalchemy import select as core_select
from sqlalchemy.pool import QueuePool
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app import database
from app.api.deps import (
    DriverTransactionDep,
    SessionDep,
    refuse_two_transactions,
    routes_with_two_transactions,
    uses,
)
from app.config import settings
from app.core.errors import Conflict
from app.db import dispose as dispose_database
from app.db.pool import POOL, get_driver_pool
from app.db.request import get_db, get_driver_transaction
from app.db.statements import compile_once
from app.db.transaction import DriverTransaction
from app.main import app as the_app
from app.models.audit import AuditEvent
from app.models.auth import AuthSession
from app.models.entry import ActivityEntry, EntryBase
from app.models.factor import EmissionFactor
from app.models.lab import LabRole
from app.repositories import audit as audit_repository
from app.repositories import credentials as credentials_repository
from app.repositories import entry as entry_repository
from tests.factories import make_factor, make_lab, make_user, session_for

_COUNT_ENTRIES = compile_once(
    core_select(sql_func.count()).select_from(ActivityEntry), values=frozenset()
)


async def _entries_in(transaction: DriverTransaction) -> int:
    rows = await transaction.fetch(_COUNT_ENTRIES, {})
    return int(rows[0][0])


async def _entries_committed() -> int:
    async with database.get_session_factory()() as session:
        return (await session.exec(select(func.count()).select_from(ActivityEntry))).one()


async def _add_eight_kwh(
    transaction: DriverTransaction, lab_id: UUID
) -> tuple[EmissionFactor, ActivityEntry | None] | None:
    """8 kWh of the seeded electricity factor on 2025-03-01, past the ORM."""
    return await entry_repository.add_computed(
        transaction,
        entry=EntryBase(date=date(2025, 3, 1), quantity=Decimal(8)),
        lab_id=lab_id,
        created_by=None,
        key="electricity.grid.CH",
        year=2025,
        earliest=2025,
        region=None,
        unit=None,
    )


async def _a_lab_with_a_factor() -> UUID:
    async with database.get_session_factory()() as session:
        user = await make_user(session)
        lab = await make_lab(session, user)
        await make_factor(session)
        return lab.id


@pytest.fixture
async def one_connection(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The API's pool with a single connection: every session below gets the same one."""
    monkeypatch.setattr(settings, "DB_POOL_SIZE", 1)
    monkeypatch.setattr(settings, "DB_MAX_OVERFLOW", 0)
    await dispose_database()


async def test_an_entry_added_in_a_driver_transaction_is_rolled_back_with_it(
    database_url: str,
) -> None:
    lab_id = await _a_lab_with_a_factor()
    transaction = DriverTransaction()
    assert not transaction.begun  # no connection until the first statement
    added = await _add_eight_kwh(transaction, lab_id)
    assert added is not None
    assert added[1] is not None
    assert added[1].kg_co2e == Decimal("1.000000")
    assert await _entries_in(transaction) == 1  # inside the same transaction
    assert await _entries_committed() == 0  # not visible outside it
    await transaction.end(commit=False)
    assert await _entries_committed() == 0
    await _driver_pool_is_clean()


async def test_a_refused_entry_inserts_nothing_and_says_why(database_url: str) -> None:
    async with database.get_session_factory()() as session:
        user = await make_user(session)
        lab = await make_lab(session, user)
        await make_factor(session, kg="999999999")
    five, heavy = (EntryBase(date=date(2025, 3, 1), quantity=Decimal(q)) for q in ("5", "1e11"))
    transaction = DriverTransaction()
    # (key, year, unit, entry): no factor, no factor that year, another unit, too heavy
    refusals = [
        ("no.such.key", 2025, None, five),
        ("electricity.grid.CH", 2024, None, five),
        ("electricity.grid.CH", 2025, "MWh", five),
        ("electricity.grid.CH", 2025, None, heavy),  # 10^11 x 999999999 >= 10^18
    ]
    found = [
        await entry_repository.add_computed(
            transaction,
            entry=entry,
            lab_id=lab.id,
            created_by=None,
            key=key,
            year=year,
            earliest=year,
            region=None,
            unit=unit,
        )
        for key, year, unit, entry in refusals
    ]
    assert found[:2] == [None, None]  # no such factor
    for factor_and_entry in found[2:]:  # the factor, and no entry
        assert factor_and_entry is not None
        assert (factor_and_entry[0].unit, factor_and_entry[1]) == ("kWh", None)
    assert await _entries_in(transaction) == 0
    await transaction.end(commit=True)
    assert await _entries_committed() == 0


async def test_the_caller_lookup_runs_before_the_transaction_and_reads_the_lab(
    one_connection: None,
) -> None:
    factory = database.get_session_factory()
    async with factory() as session:
        manager = await make_user(session)
        outsider = await make_user(session)
        lab = await make_lab(session, manager)
        logins = [AuthSession(user_id=manager.id), AuthSession(user_id=outsider.id)]
        for login in logins:
            await credentials_repository.add(session, item=login)
        await session.commit()
    missing = uuid4()
    looked_up = [
        await credentials_repository.get_caller(
            POOL, user_id=user.id, session_id=login.id, lab_id=lab_id
        )
        for user, login, lab_id in [
            (manager, logins[0], lab.id),
            (outsider, logins[1], lab.id),
            (manager, logins[0], missing),
            (manager, logins[0], None),
            (manager, logins[1], lab.id),  # another user's login session
        ]
    ]
    # Plain reads, each its own statement on the driver pool: no session connection.
    pool = database.get_engine().pool
    assert isinstance(pool, QueuePool)
    assert pool.checkedout() == 0
    mine, theirs, nowhere, no_lab, wrong = looked_up
    assert mine is not None
    assert mine.lab is not None
    assert (mine.user.id, mine.user.email, mine.session_revoked) == (
        manager.id,
        manager.email,
        False,
    )
    assert (mine.lab.id, mine.lab.code, mine.lab_role) == (lab.id, lab.code, LabRole.MANAGER)
    assert theirs is not None
    assert theirs.lab is not None
    assert (theirs.user.id, theirs.lab.id, theirs.lab_role) == (outsider.id, lab.id, None)
    assert nowhere is not None
    assert (nowhere.lab, nowhere.lab_role) == (None, None)
    assert no_lab is not None
    assert no_lab.lab is None
    assert wrong is None


async def test_reading_a_lab_and_adding_an_entry_take_no_session_connection(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    user = await make_user(session)
    lab = await make_lab(session, user)
    await make_factor(session)
    caller = await session_for(session, user)
    await session.close()  # the fixture's own connection goes back to the pool
    checkouts: list[object] = []

    def count(*_: object) -> None:
        checkouts.append(1)

    pool = database.get_engine().sync_engine.pool
    event.listen(pool, "checkout", count)
    try:
        read = await client.get(f"/api/v1/labs/{lab.id}", headers=caller.headers)
        assert read.status_code == 200
        assert checkouts == []
        assert (await get_driver_pool()).get_stats()["requests_num"] >= 1
        written = await client.post(
            f"/api/v1/labs/{lab.id}/entries",
            json={"date": "2025-03-01", "factor_key": "electricity.grid.CH", "quantity": "2"},
            headers=caller.headers,
        )
        assert written.status_code == 201, written.text
        assert checkouts == []  # its own transaction, on a driver connection
    finally:
        event.remove(pool, "checkout", count)
    listed = await client.get(f"/api/v1/labs/{lab.id}/entries", headers=caller.headers)
    assert [item["id"] for item in listed.json()["items"]] == [written.json()["id"]]


async def _driver_pool_is_clean() -> None:
    """Every driver connection is back in the pool, and none is left in a transaction. (The
    pool may still be adding a connection it decided to grow by: wait for that, bounded.)"""
    pool = await get_driver_pool()
    deadline = asyncio.get_running_loop().time() + 5
    while (stats := pool.get_stats())["pool_available"] != stats["pool_size"]:
        assert asyncio.get_running_loop().time() < deadline, stats
        await asyncio.sleep(0.01)
    async with pool.connection() as connection:
        assert connection.info.transaction_status == TransactionStatus.IDLE
        cursor = await connection.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND state LIKE 'idle in transaction%'"
        )
        assert await cursor.fetchone() == (0,)


def _event_of(lab_id: UUID) -> audit_repository.NewEvent:
    return audit_repository.NewEvent(
        actor_id=None,
        api_key_id=None,
        request_id="at-commit",
        action="entry.created",
        object_type="entry",
        object_id=str(uuid4()),
        lab_id=lab_id,
        changes={"quantity": [None, "8"]},
    )


async def _events_committed() -> int:
    """The events of `_event_of` that committed."""
    query = select(func.count()).where(col(AuditEvent.request_id) == "at-commit")
    async with database.get_session_factory()() as session:
        return (await session.exec(query)).one()


async def test_a_write_at_commit_is_sent_with_the_commit_and_lands_with_it(
    database_url: str,
) -> None:
    lab_id = await _a_lab_with_a_factor()
    transaction = DriverTransaction()
    with pytest.raises(RuntimeError, match="has begun"):  # nothing to commit it with yet
        audit_repository.add_at_commit(transaction, event=_event_of(lab_id))
    assert await _add_eight_kwh(transaction, lab_id) is not None
    audit_repository.add_at_commit(transaction, event=_event_of(lab_id))
    assert await _events_committed() == 0
    await transaction.end(commit=True)
    assert (await _entries_committed(), await _events_committed()) == (1, 1)
    await _driver_pool_is_clean()


async def test_a_rollback_drops_the_writes_at_commit(database_url: str) -> None:
    lab_id = await _a_lab_with_a_factor()
    transaction = DriverTransaction()
    assert await _add_eight_kwh(transaction, lab_id) is not None
    audit_repository.add_at_commit(transaction, event=_event_of(lab_id))
    await transaction.end(commit=False)
    assert (await _entries_committed(), await _events_committed()) == (0, 0)
    await _driver_pool_is_clean()


async def test_a_failed_write_at_commit_fails_the_commit_and_nothing_is_kept(
    database_url: str,
) -> None:
    lab_id = await _a_lab_with_a_factor()
    request = get_driver_transaction()
    transaction = await anext(request)
    assert await _add_eight_kwh(transaction, lab_id) is not None
    audit_repository.add_at_commit(transaction, event=_event_of(lab_id))
    transaction.write_at_commit(compile_once(text("SELECT 1 / 0"), values=frozenset()), {})
    with pytest.raises(psycopg.errors.DivisionByZero):
        await anext(request)  # the handler returned: the dependency commits
    assert (await _entries_committed(), await _events_committed()) == (0, 0)
    await _driver_pool_is_clean()


async def _request_transaction_adding_an_entry() -> AsyncGenerator[DriverTransaction]:
    """A request's driver transaction (the dependency, driven by hand) that added an entry."""
    lab_id = await _a_lab_with_a_factor()
    request = get_driver_transaction()
    transaction = await anext(request)
    added = await _add_eight_kwh(transaction, lab_id)
    assert added is not None
    assert added[1] is not None
    return request


async def test_a_requests_own_transaction_commits_when_the_handler_succeeds(
    database_url: str,
) -> None:
    request = await _request_transaction_adding_an_entry()
    assert await _entries_committed() == 0  # not before the end of the request
    with pytest.raises(StopAsyncIteration):
        await anext(request)
    assert await _entries_committed() == 1
    await _driver_pool_is_clean()


async def test_a_requests_own_transaction_rolls_back_when_the_handler_fails(
    database_url: str,
) -> None:
    request = await _request_transaction_adding_an_entry()
    with pytest.raises(ValueError, match="handler failed"):
        await request.athrow(ValueError("handler failed"))
    assert await _entries_committed() == 0
    await _driver_pool_is_clean()


async def test_a_requests_own_transaction_keeps_what_an_error_says_to_keep(
    database_url: str,
) -> None:
    class Kept(Conflict):
        keeps_changes = True

    request = await _request_transaction_adding_an_entry()
    with pytest.raises(Kept):
        await request.athrow(Kept("kept"))
    assert await _entries_committed() == 1
    await _driver_pool_is_clean()


def test_no_route_of_the_app_takes_both_a_session_and_a_driver_transaction() -> None:
    assert routes_with_two_transactions(the_app.routes) == []
    # Not vacuous: the app has routes of each kind, and the check sees a mixed one.
    dependants = [
        context.dependant
        for context in iter_route_contexts(the_app.routes)
        if isinstance(getattr(context, "dependant", None), Dependant)
    ]
    for dependency in (get_db, get_driver_transaction):
        assert any(uses(dependant, dependency) for dependant in dependants)
    app = FastAPI()

    @app.post("/mixed")
    async def mixed(session: SessionDep, transaction: DriverTransactionDep) -> None:
        """Would commit its two transactions apart."""

    @app.post("/driver")
    async def driver(transaction: DriverTransactionDep) -> None:
        """Fine alone."""

    assert routes_with_two_transactions(app.routes) == ["['POST'] /mixed"]
    with pytest.raises(RuntimeError, match="both a session and a driver transaction"):
        refuse_two_transactions(app.routes)


async def test_concurrent_first_requests_share_one_driver_pool(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    user = await make_user(session)
    lab = await make_lab(session, user)
    caller = await session_for(session, user)
    await dispose_database()  # no driver pool yet: the requests below race to open it
    responses = await asyncio.gather(
        *(client.get(f"/api/v1/labs/{lab.id}", headers=caller.headers) for _ in range(20))
    )
    assert [response.status_code for response in responses] == [200] * 20
    pool = await get_driver_pool()
    assert pool.get_stats()["requests_num"] >= 20
