"""The hot-path statements on the session's psycopg connection (app/repositories/_driver.py):
they stay in the request's transaction, and leave the pooled connection as they found it."""

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import uuid4

import psycopg
import pytest
from psycopg.pq import TransactionStatus
from sqlmodel import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app import database
from app.config import settings
from app.models.auth import AuthSession
from app.models.entry import KG_CO2E_LIMIT, ActivityEntry
from app.models.lab import LabRole
from app.repositories import credentials as credentials_repository
from app.repositories import entry as entry_repository
from tests.factories import make_factor, make_lab, make_user


async def _driver(session: AsyncSession) -> psycopg.AsyncConnection[Any]:
    connection = await session.connection()
    driver = (await connection.get_raw_connection()).driver_connection
    assert isinstance(driver, psycopg.AsyncConnection)
    return driver


async def _entries(session: AsyncSession) -> int:
    return (await session.exec(select(func.count()).select_from(ActivityEntry))).one()


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
        added = await entry_repository.add_computed(
            session,
            entry={"lab_id": lab.id, "date": date(2025, 3, 1), "quantity": Decimal(8)},
            key="electricity.grid.CH",
            year=2025,
            region=None,
            unit=None,
            kg_limit=KG_CO2E_LIMIT,
        )
        assert added is not None
        assert added[1] is not None
        assert added[1].kg_co2e == Decimal("1.000000")
        assert (await _driver(session)).info.transaction_status == TransactionStatus.INTRANS
        assert await _entries(session) == 1  # inside the same transaction
        await session.rollback()
    async with factory() as session:
        assert await _entries(session) == 0


async def test_a_refused_entry_inserts_nothing_and_says_why(one_connection: None) -> None:
    factory = database.get_session_factory()
    async with factory() as session:
        user = await make_user(session)
        lab = await make_lab(session, user)
        await make_factor(session, kg="2")
    values = {"lab_id": lab.id, "date": date(2025, 3, 1), "quantity": Decimal(5)}
    async with factory() as session:
        # (key, year, unit, kg limit): no factor, no factor that year, another unit, too heavy
        refusals = [
            ("no.such.key", 2025, None, KG_CO2E_LIMIT),
            ("electricity.grid.CH", 2024, None, KG_CO2E_LIMIT),
            ("electricity.grid.CH", 2025, "MWh", KG_CO2E_LIMIT),
            ("electricity.grid.CH", 2025, None, Decimal(10)),
        ]
        found = [
            await entry_repository.add_computed(
                session, entry=values, key=key, year=year, region=None, unit=unit, kg_limit=limit
            )
            for key, year, unit, limit in refusals
        ]
        assert found[:2] == [None, None]  # no such factor
        for factor_and_entry in found[2:]:  # the factor, and no entry
            assert factor_and_entry is not None
            assert (factor_and_entry[0].unit, factor_and_entry[1]) == ("kWh", None)
        assert await _entries(session) == 0
        await session.commit()
    async with factory() as session:
        assert await _entries(session) == 0


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
        # Plain reads, each its own statement: no transaction was begun.
        driver = await _driver(session)
        assert (driver.info.transaction_status, driver.autocommit) == (
            TransactionStatus.IDLE,
            False,
        )
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
