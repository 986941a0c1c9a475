"""The hot-path statements (app/repositories/_driver.py): plain reads on the driver pool, the
rest on the session's psycopg connection, in the request's transaction."""

import asyncio
from collections.abc import AsyncGenerator
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import httpx
import psycopg
import pytest
from psycopg.pq import TransactionStatus
from sqlalchemy import event
from sqlalchemy.pool import QueuePool
from sqlmodel import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app import database
from app.config import settings
from app.models.auth import AuthSession
from app.models.entry import ActivityEntry, EntryBase
from app.models.factor import EmissionFactor
from app.models.lab import LabRole
from app.models.user import User
from app.repositories import credentials as credentials_repository
from app.repositories import entry as entry_repository
from tests.factories import make_factor, make_lab, make_user, session_for


async def _driver(session: AsyncSession) -> psycopg.AsyncConnection[Any]:
    connection = await session.connection()
    driver = (await connection.get_raw_connection()).driver_connection
    assert isinstance(driver, psycopg.AsyncConnection)
    return driver


async def _entries(session: AsyncSession) -> int:
    return (await session.exec(select(func.count()).select_from(ActivityEntry))).one()


async def _entries_committed() -> int:
    async with database.get_session_factory()() as session:
        return await _entries(session)


async def _add_eight_kwh(
    session: AsyncSession, lab_id: UUID
) -> tuple[EmissionFactor, ActivityEntry | None] | None:
    """8 kWh of the seeded electricity factor on 2025-03-01, past the ORM."""
    return await entry_repository.add_computed(
        session,
        entry=EntryBase(date=date(2025, 3, 1), quantity=Decimal(8)),
        lab_id=lab_id,
        created_by=None,
        key="electricity.grid.CH",
        year=2025,
        region=None,
        unit=None,
    )


@pytest.fixture
async def one_connection(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The API's pool with a single connection: every session below gets the same one."""
    monkeypatch.setattr(settings, "DB_POOL_SIZE", 1)
    monkeypatch.setattr(settings, "DB_MAX_OVERFLOW", 0)
    await database.dispose_engine()


async def test_an_entry_added_in_a_pipeline_is_rolled_back_with_its_session(
    one_connection: None,
) -> None:
    factory = database.get_session_factory()
    async with factory() as session:
        user = await make_user(session)
        lab = await make_lab(session, user)
        await make_factor(session)
    async with factory() as session:
        added = await _add_eight_kwh(session, lab.id)
        assert added is not None
        assert added[1] is not None
        assert added[1].kg_co2e == Decimal("1.000000")
        assert (await _driver(session)).info.transaction_status == TransactionStatus.INTRANS
        assert await _entries(session) == 1  # inside the same transaction
        await session.rollback()
    assert await _entries_committed() == 0


async def test_a_refused_entry_inserts_nothing_and_says_why(one_connection: None) -> None:
    factory = database.get_session_factory()
    async with factory() as session:
        user = await make_user(session)
        lab = await make_lab(session, user)
        await make_factor(session, kg="999999999")
    five, heavy = (EntryBase(date=date(2025, 3, 1), quantity=Decimal(q)) for q in ("5", "1e11"))
    async with factory() as session:
        # (key, year, unit, entry): no factor, no factor that year, another unit, too heavy
        refusals = [
            ("no.such.key", 2025, None, five),
            ("electricity.grid.CH", 2024, None, five),
            ("electricity.grid.CH", 2025, "MWh", five),
            ("electricity.grid.CH", 2025, None, heavy),  # 10^11 x 999999999 >= 10^18
        ]
        found = [
            await entry_repository.add_computed(
                session,
                entry=entry,
                lab_id=lab.id,
                created_by=None,
                key=key,
                year=year,
                region=None,
                unit=unit,
            )
            for key, year, unit, entry in refusals
        ]
        assert found[:2] == [None, None]  # no such factor
        for factor_and_entry in found[2:]:  # the factor, and no entry
            assert factor_and_entry is not None
            assert (factor_and_entry[0].unit, factor_and_entry[1]) == ("kWh", None)
        assert await _entries(session) == 0
        await session.commit()
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
    async with factory() as session:
        looked_up = [
            await credentials_repository.get_caller(
                session, user_id=user.id, session_id=login.id, lab_id=lab_id
            )
            for user, login, lab_id in [
                (manager, logins[0], lab.id),
                (outsider, logins[1], lab.id),
                (manager, logins[0], missing),
                (manager, logins[0], None),
                (manager, logins[1], lab.id),  # another user's login session
            ]
        ]
        # Plain reads, each its own statement on the driver pool: the session began nothing and
        # took no connection of its own.
        assert not session.in_transaction()
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
        assert (await database.get_driver_pool()).get_stats()["requests_num"] >= 1
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


async def _request_session_adding_an_entry() -> tuple[AsyncGenerator[AsyncSession], AsyncSession]:
    """A request's session (get_db, driven by hand) that added an entry past the ORM."""
    factory = database.get_session_factory()
    async with factory() as setup:
        user = await make_user(setup)
        lab = await make_lab(setup, user)
        await make_factor(setup)
    request = database.get_db()
    session = await anext(request)
    added = await _add_eight_kwh(session, lab.id)
    assert added is not None
    assert added[1] is not None
    assert not session.in_transaction()  # the entry is in the request's own transaction
    return request, session


async def _driver_pool_is_clean() -> None:
    """Every driver connection is back in the pool, outside any transaction."""
    pool = await database.get_driver_pool()
    stats = pool.get_stats()
    assert stats["pool_available"] == stats["pool_size"]
    async with pool.connection() as connection:
        assert connection.info.transaction_status == TransactionStatus.IDLE


async def test_a_requests_own_transaction_commits_when_the_handler_succeeds(
    database_url: str,
) -> None:
    request, _ = await _request_session_adding_an_entry()
    assert await _entries_committed() == 0  # not before the end of the request
    with pytest.raises(StopAsyncIteration):
        await anext(request)
    assert await _entries_committed() == 1
    await _driver_pool_is_clean()


async def test_a_requests_own_transaction_rolls_back_when_the_handler_fails(
    database_url: str,
) -> None:
    request, _ = await _request_session_adding_an_entry()
    with pytest.raises(ValueError, match="handler failed"):
        await request.athrow(ValueError("handler failed"))
    assert await _entries_committed() == 0
    await _driver_pool_is_clean()


async def test_a_request_writing_through_both_its_session_and_its_own_transaction_fails_whole(
    database_url: str,
) -> None:
    request, session = await _request_session_adding_an_entry()
    with pytest.raises(RuntimeError, match="its session and its own transaction") as refused:
        await make_user(session)  # an ORM write: the session would begin its own transaction
    with pytest.raises(RuntimeError):  # the handler fails with it: nothing is committed
        await request.athrow(refused.value)
    assert await _entries_committed() == 0
    async with database.get_session_factory()() as check:
        users = (await check.exec(select(func.count()).select_from(User))).one()
    assert users == 1  # the one made before the request
    await _driver_pool_is_clean()


async def test_an_orm_object_left_unflushed_after_the_own_transaction_fails_the_request(
    database_url: str,
) -> None:
    request, session = await _request_session_adding_an_entry()
    session.add(User(email="late@lab.example", full_name="Late", hashed_password="x"))
    with pytest.raises(RuntimeError, match="its session and its own transaction"):
        await anext(request)
    assert await _entries_committed() == 0
    await _driver_pool_is_clean()


async def test_concurrent_first_requests_share_one_driver_pool(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    user = await make_user(session)
    lab = await make_lab(session, user)
    caller = await session_for(session, user)
    await database.dispose_engine()  # no driver pool yet: the requests below race to open it
    responses = await asyncio.gather(
        *(client.get(f"/api/v1/labs/{lab.id}", headers=caller.headers) for _ in range(20))
    )
    assert [response.status_code for response in responses] == [200] * 20
    pool = await database.get_driver_pool()
    assert pool.get_stats()["requests_num"] >= 20
