"""Emission-factor CSV imports end to end (upload → staged → job → factors), and the
recalculation queued when a factor's value changes."""

import asyncio
from decimal import Decimal
from typing import Any
from uuid import UUID

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app import database
from app.config import settings
from app.db.transaction import DriverTransaction
from app.models.entry import ActivityEntry, EntryCreate
from app.models.factor import EmissionFactor, FactorCategory
from app.models.job import DataIngestionJob, JobKind, JobState
from app.models.lab import Lab, LabRole
from app.models.staging import factor_staging
from app.models.user import UserRole
from app.repositories import factor as factor_repository
from app.services import entries as entry_service
from app.services import factors as factor_service
from app.services import recalculation as recalculation_service
from tests.factories import (
    Caller,
    add_member,
    make_factor,
    make_lab,
    make_user,
    principal_of,
    session_for,
)
from tests.integration.test_imports import csv_file, wait_for_end

HEADER = "key,category,unit,kg_co2e_per_unit,scope,year,region,source\n"
FACTORS = "/api/v1/factors"


async def upload(
    client: httpx.AsyncClient, caller: Caller, text: str | bytes, **params: str
) -> httpx.Response:
    return await client.post(
        f"{FACTORS}/imports",
        files=csv_file(text, "factors.csv"),
        params=params,
        headers=caller.headers,
    )


FactorRow = tuple[str, int, str | None, str, str, Decimal, int, str, int]


async def left_the_queue(client: httpx.AsyncClient, caller: Caller, status: str) -> None:
    """Wait (at most 30 s) until the job at `status` is no longer queued."""
    async with asyncio.timeout(30):
        while True:  # polling the API, as a client would
            if (await client.get(status, headers=caller.headers)).json()["state"] != "queued":
                return
            await asyncio.sleep(0.05)


# A session whose last statement, in its open transaction, tried the values lock exclusively
# and missed it (a change of factors polls it: app/services/factors.py).
_TRIED_THE_LOCK = text(
    "SELECT count(*) FROM pg_stat_activity WHERE state = 'idle in transaction' "
    "AND query LIKE 'SELECT pg_try_advisory_xact_lock%'"
)


async def until_the_values_lock_was_tried() -> None:
    """Return once a request or job has tried the values lock and is waiting to try again."""
    async with asyncio.timeout(30):
        while True:
            # A connection per look: pg_stat_activity is read once per transaction.
            async with database.get_engine().connect() as observer:
                if (await observer.execute(_TRIED_THE_LOCK)).scalar_one():
                    return
            await asyncio.sleep(0.02)


async def stored_factors(session: AsyncSession) -> list[FactorRow]:
    """Every factor as stored, to compare before and after."""
    query = select(EmissionFactor).execution_options(populate_existing=True)
    rows = (await session.exec(query)).all()
    return sorted(
        (
            f.key,
            f.year,
            f.region,
            f.category.value,
            f.unit,
            f.kg_co2e_per_unit,
            f.scope,
            f.source,
            f.version,
        )
        for f in rows
    )


async def jobs_of(session: AsyncSession, kind: JobKind) -> list[DataIngestionJob]:
    query = (
        select(DataIngestionJob)
        .where(DataIngestionJob.target_type == kind)
        .execution_options(populate_existing=True)
    )
    return list((await session.exec(query.order_by(col(DataIngestionJob.created_at)))).all())


async def staged_rows(session: AsyncSession) -> int:
    return int((await session.exec(select(func.count()).select_from(factor_staging))).one())


async def stored_kg(session: AsyncSession, lab: Lab) -> list[Decimal]:
    query = select(col(ActivityEntry.kg_co2e)).where(ActivityEntry.lab_id == lab.id)
    return sorted((await session.exec(query)).all())


async def add_entry(
    client: httpx.AsyncClient, caller: Caller, lab: Lab, key: str, quantity: str
) -> dict[str, Any]:
    response = await client.post(
        f"/api/v1/labs/{lab.id}/entries",
        json={"date": "2025-05-05", "factor_key": key, "quantity": quantity},
        headers=caller.headers,
    )
    assert response.status_code == 201, response.text
    entry: dict[str, Any] = response.json()
    return entry


async def report_total(client: httpx.AsyncClient, caller: Caller, lab: Lab) -> Decimal:
    response = await client.get(
        f"/api/v1/reports/{lab.id}", params={"year": 2025}, headers=caller.headers
    )
    assert response.status_code == 200, response.text
    return Decimal(response.json()["total_kg_co2e"])


@pytest.fixture
async def lab(session: AsyncSession, member: Caller) -> Lab:
    await make_factor(session, key="electricity.grid.CH", year=2025, kg="0.125", unit="kWh")
    await make_factor(
        session,
        key="rail.km",
        year=2025,
        kg="0.007",
        unit="km",
        category=FactorCategory.RAIL_TRAVEL,
        scope=3,
    )
    return await make_lab(session, member.user)


async def test_an_import_creates_and_updates_factors_and_recalculates_changed_values(
    client: httpx.AsyncClient, admin: Caller, member: Caller, lab: Lab, session: AsyncSession,
    jobs: None,
) -> None:  # fmt: skip
    await add_entry(client, member, lab, "electricity.grid.CH", "10")  # 1.25
    await add_entry(client, member, lab, "rail.km", "100")  # 0.7
    # BOM, semicolons, CRLF, header names in any case and order with spaces.
    text = (
        "\ufeff Key ;CATEGORY;unit;Kg_CO2e_per_unit;scope;year;region;Source\r\n"
        "electricity.grid.CH;electricity;kWh;0.5;2;2025;;new source\r\n"  # a new value
        "rail.km;Rail_Travel;km;0.007;3;2025;;test\r\n"  # the same as stored
        "heat.gas;heating;kWh;0.2;1;2025;CH;FOEN\r\n"  # a new, regional factor
    )
    response = await upload(client, admin, text)
    assert response.status_code == 202, response.text
    accepted = response.json()
    assert (accepted["target_type"], accepted["state"], accepted["rows_total"]) == (
        "factors",
        "queued",
        3,
    )
    assert accepted["lab_id"] is None

    job = await wait_for_end(client, admin, accepted["id"])
    assert job["state"] == "succeeded", job
    assert (job["rows_ok"], job["rows_failed"], job["row_errors"]) == (3, 0, [])
    assert "1 new, 1 changed, 1 unchanged" in job["message"]

    factors = await stored_factors(session)
    assert factors == [
        ("electricity.grid.CH", 2025, None, "electricity", "kWh", Decimal("0.5"), 2,
         "new source", 2),
        ("heat.gas", 2025, "CH", "heating", "kWh", Decimal("0.2"), 1, "FOEN", 1),
        ("rail.km", 2025, None, "rail_travel", "km", Decimal("0.007"), 3, "test", 1),
    ]  # fmt: skip
    (recalculation,) = await jobs_of(session, JobKind.RECALCULATE)
    ended = await wait_for_end(client, admin, str(recalculation.id))
    assert ended["state"] == "succeeded", ended
    assert ended["rows_total"] == 1  # the one entry of the changed factor
    assert await stored_kg(session, lab) == [Decimal("0.7"), Decimal(5)]
    assert await report_total(client, member, lab) == Decimal("5.7")
    assert await staged_rows(session) == 0


async def test_a_report_right_after_a_value_change_agrees_and_the_job_then_stores_it(
    client: httpx.AsyncClient, app: FastAPI, admin: Caller, member: Caller, lab: Lab,
    session: AsyncSession, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.setattr(recalculation_service, "BATCH_ROWS", 2)  # several batches
    monkeypatch.setattr(settings, "JOB_POLL_SECONDS", 1)
    entries = [
        await add_entry(client, member, lab, "electricity.grid.CH", q) for q in ("1", "2", "3", "4")
    ]
    rail = await add_entry(client, member, lab, "rail.km", "100")
    factor = (await client.get(FACTORS, headers=admin.headers)).json()["items"][0]
    assert factor["key"] == "electricity.grid.CH"

    # No job runner yet: the recalculation stays queued.
    changed = await client.patch(
        f"{FACTORS}/{factor['id']}",
        json={"version": factor["version"], "kg_co2e_per_unit": "2"},
        headers=admin.headers,
    )
    assert changed.status_code == 200, changed.text
    assert await report_total(client, member, lab) == Decimal("20.7")  # (1+2+3+4) x 2 + 0.7
    shown = await client.get(f"/api/v1/entries/{entries[0]['id']}", headers=member.headers)
    assert shown.json()["kg_co2e"] == "2"
    assert shown.json()["version"] == entries[0]["version"]
    (queued,) = await jobs_of(session, JobKind.RECALCULATE)
    assert queued.state is JobState.QUEUED
    assert await stored_kg(session, lab) == [
        Decimal("0.125"), Decimal("0.25"), Decimal("0.375"), Decimal("0.5"), Decimal("0.7")
    ]  # fmt: skip

    async with app.router.lifespan_context(app):
        ended = await wait_for_end(client, admin, str(queued.id))
    assert ended["state"] == "succeeded", ended
    assert (ended["rows_total"], ended["rows_processed"]) == (4, 4)
    assert "4 stored values changed" in ended["message"]
    assert await stored_kg(session, lab) == [
        Decimal("0.7"), Decimal(2), Decimal(4), Decimal(6), Decimal(8)
    ]  # fmt: skip
    assert await report_total(client, member, lab) == Decimal("20.7")
    untouched = await client.get(f"/api/v1/entries/{rail['id']}", headers=member.headers)
    assert untouched.json()["version"] == rail["version"]


async def test_a_change_that_keeps_the_value_queues_no_recalculation(
    client: httpx.AsyncClient, admin: Caller, lab: Lab, session: AsyncSession
) -> None:
    factor = (await client.get(FACTORS, headers=admin.headers)).json()["items"][0]
    response = await client.patch(
        f"{FACTORS}/{factor['id']}",
        json={"version": factor["version"], "kg_co2e_per_unit": "0.1250", "source": "same"},
        headers=admin.headers,
    )
    assert response.status_code == 200
    assert await jobs_of(session, JobKind.RECALCULATE) == []


async def test_a_recalculation_cannot_be_cancelled(
    client: httpx.AsyncClient, admin: Caller, lab: Lab, session: AsyncSession
) -> None:
    factor = (await client.get(FACTORS, headers=admin.headers)).json()["items"][0]
    await client.patch(
        f"{FACTORS}/{factor['id']}",
        json={"version": factor["version"], "kg_co2e_per_unit": "1"},
        headers=admin.headers,
    )
    (queued,) = await jobs_of(session, JobKind.RECALCULATE)
    refused = await client.post(f"/api/v1/imports/{queued.id}/cancel", headers=admin.headers)
    assert refused.status_code == 409
    assert (await jobs_of(session, JobKind.RECALCULATE))[0].state is JobState.QUEUED


BAD_ROWS = (
    "electricity.grid.CH,electricity,kWh,9,2,2025,,would change\n"  # valid, but not written
    "Bad Key,other,kg,1,3,2025,,\n"
    "other.a,nuclear,kg,1,3,2025,,\n"
    "other.b,other,,1,3,2025,,\n"
    "other.c,other,kg,-1,3,2025,,\n"
    "other.d,other,kg,1e3,4,2025,,\n"
    "other.e,other,kg,1,3,1989,,\n"
    "other.f,other,kg,1,3,2025,Switzerland,\n"
    "other.g,other,kg,1,3,2025,," + "x" * 501 + "\n"
    "other.h,other,kg,1,3,2025,DE,\n"
    "other.h,other,kg,2,3,2025,DE,\n"
    ",,kg,,,,,\n"
)
EXPECTED_ERRORS = {
    (3, "key", "expected a key like electricity.grid.CH (a lowercase first word, dot-separated "
     "parts, at most 100 characters)"),
    (4, "category", "expected one of electricity, heating, fuel, air_travel, rail_travel, "
     "road_travel, purchases, equipment, waste, other"),
    (5, "unit", "required"),
    (6, "kg_co2e_per_unit", "must be >= 0"),
    (7, "kg_co2e_per_unit", "expected a decimal number with . as separator, at most 9 digits "
     "before it and 9 after"),
    (7, "scope", "expected 1, 2 or 3"),
    (8, "year", "expected a year from 1990 to 2100"),
    (9, "region", "expected a region code such as CH or US-CA"),
    (10, "source", "at most 500 characters"),
    (11, "key", "the same key, year and region are on lines 11, 12"),
    (12, "key", "the same key, year and region are on lines 11, 12"),
    (13, "key", "required"),
    (13, "category", "required"),
    (13, "kg_co2e_per_unit", "required"),
    (13, "scope", "required"),
    (13, "year", "required"),
}  # fmt: skip


async def test_bad_rows_fail_the_import_and_nothing_stored_changes(
    client: httpx.AsyncClient, admin: Caller, lab: Lab, session: AsyncSession, jobs: None
) -> None:
    before = await stored_factors(session)
    response = await upload(client, admin, HEADER + BAD_ROWS)
    assert response.status_code == 202, response.text
    job = await wait_for_end(client, admin, response.json()["id"])
    assert job["state"] == "failed"
    assert "11 of 12 rows are invalid; nothing was imported" in job["message"]
    assert (job["rows_ok"], job["rows_failed"]) == (0, 11)
    assert {(e["row"], e["column"], e["message"]) for e in job["row_errors"]} == EXPECTED_ERRORS
    assert job["row_errors_total"] == len(EXPECTED_ERRORS)
    assert await stored_factors(session) == before
    assert await jobs_of(session, JobKind.RECALCULATE) == []
    assert await staged_rows(session) == 0


async def test_the_skip_policy_writes_the_good_rows_and_reports_the_bad(
    client: httpx.AsyncClient, admin: Caller, lab: Lab, session: AsyncSession, jobs: None
) -> None:
    response = await upload(client, admin, HEADER + BAD_ROWS, on_error="skip")
    job = await wait_for_end(client, admin, response.json()["id"])
    assert job["state"] == "succeeded", job
    assert (job["rows_ok"], job["rows_failed"]) == (1, 11)
    assert "skipped 11 invalid rows" in job["message"]
    assert len(job["row_errors"]) == len(EXPECTED_ERRORS)
    factors = {(f[0], f[5]) for f in await stored_factors(session)}
    assert factors == {("electricity.grid.CH", Decimal(9)), ("rail.km", Decimal("0.007"))}
    assert len(await jobs_of(session, JobKind.RECALCULATE)) == 1


BAD_FILES: list[tuple[str, bytes, str]] = [
    ("empty", b"", "The file is empty."),
    ("header only", HEADER.encode(), "The file has a header but no rows."),
    ("not utf-8", (HEADER + "heat.caf\xe9,heating,kWh,1,1,2025,,\n").encode("latin-1"), "UTF-8"),
    ("unknown column", b"key,category,unit,kg_co2e_per_unit,scope,year,colour\n", "'colour'"),
    ("missing columns", b"key,unit\nelectricity.x,kWh\n", "category, kg_co2e_per_unit, scope"),
    ("activities file", b"date,factor_key,quantity\n2025-01-01,k,1\n", "Unknown column(s)"),
    ("extra field", (HEADER + "a.b,other,kg,1,3,2025,,,9\n").encode(), "line 2"),
]


@pytest.mark.parametrize(
    ("content", "expected"), [c[1:] for c in BAD_FILES], ids=[c[0] for c in BAD_FILES]
)
async def test_a_bad_file_is_refused_with_a_clear_error_and_writes_nothing(
    client: httpx.AsyncClient,
    admin: Caller,
    lab: Lab,
    session: AsyncSession,
    content: bytes,
    expected: str,
) -> None:
    before = await stored_factors(session)
    response = await upload(client, admin, content)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert expected in response.json()["detail"]
    assert await jobs_of(session, JobKind.FACTORS) == []
    assert await staged_rows(session) == 0
    assert await stored_factors(session) == before


async def test_a_file_over_the_limit_gets_413_and_writes_nothing(
    client: httpx.AsyncClient,
    admin: Caller,
    session: AsyncSession,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(settings, "IMPORT_MAX_BYTES", 1000)
    response = await upload(client, admin, HEADER + "other.x,other,kg,1,3,2025,,\n" * 100)
    assert response.status_code == 413
    assert await jobs_of(session, JobKind.FACTORS) == []
    assert await staged_rows(session) == 0


async def test_non_admins_may_not_import_factors_and_nothing_is_stored(
    client: httpx.AsyncClient, member: Caller, lab: Lab, session: AsyncSession
) -> None:
    viewer = await session_for(session, await make_user(session))
    await add_member(session, lab, viewer.user, LabRole.VIEWER)
    before = await stored_factors(session)
    text = HEADER + "other.x,other,kg,1,3,2025,,\n"
    for caller in (member, viewer):  # a lab manager and a lab viewer, neither an admin
        response = await upload(client, caller, text)
        assert response.status_code == 403, response.text
    anonymous = await client.post(f"{FACTORS}/imports", files=csv_file(text))
    assert anonymous.status_code == 401
    assert await jobs_of(session, JobKind.FACTORS) == []
    assert await staged_rows(session) == 0
    assert await stored_factors(session) == before


async def test_factor_jobs_are_seen_and_cancelled_by_admins_only(
    client: httpx.AsyncClient, admin: Caller, member: Caller, session: AsyncSession
) -> None:
    job_id = (await upload(client, admin, HEADER + "other.x,other,kg,1,3,2025,,\n")).json()["id"]
    for path in (f"/api/v1/imports/{job_id}", f"/api/v1/imports/{job_id}/status"):
        assert (await client.get(path, headers=member.headers)).status_code == 404
    cancel = f"/api/v1/imports/{job_id}/cancel"
    assert (await client.post(cancel, headers=member.headers)).status_code == 404
    assert (await client.get(f"/api/v1/imports/{job_id}", headers=admin.headers)).status_code == 200
    cancelled = await client.post(cancel, headers=admin.headers)
    assert cancelled.json()["state"] == "cancelled"
    undo = await client.delete(f"/api/v1/imports/{job_id}", headers=admin.headers)
    assert undo.status_code == 409  # only activity imports can be undone


async def test_factor_imports_are_rate_limited_per_user_and_capped(
    client: httpx.AsyncClient, admin: Caller, session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = HEADER + "other.x,other,kg,1,3,2025,,\n"
    monkeypatch.setattr(settings, "IMPORT_RATE_LIMIT_PER_USER", "2/minute")
    first = [await upload(client, admin, text) for _ in range(3)]
    assert [r.status_code for r in first] == [202, 202, 429]
    assert int(first[2].headers["Retry-After"]) > 0
    assert first[2].headers["content-type"] == "application/problem+json"

    monkeypatch.setattr(settings, "IMPORT_RATE_LIMIT_PER_USER", "100/minute")
    monkeypatch.setattr(settings, "JOB_MAX_ACTIVE_PER_LAB", 3)
    other_admin = await session_for(session, await make_user(session, role=UserRole.ADMIN))
    third = await upload(client, other_admin, text)
    assert third.status_code == 202  # a third queued factor job
    capped = await upload(client, other_admin, text)
    assert capped.status_code == 429
    assert "Factor imports and syncs already has 3 jobs" in capped.json()["detail"]
    assert len(await jobs_of(session, JobKind.FACTORS)) == 3


async def test_a_value_change_is_rate_limited_like_imports(
    client: httpx.AsyncClient, admin: Caller, lab: Lab, session: AsyncSession,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.setattr(settings, "IMPORT_RATE_LIMIT_PER_USER", "1/minute")
    factor = (await client.get(FACTORS, headers=admin.headers)).json()["items"][0]
    url = f"{FACTORS}/{factor['id']}"
    ok = await client.patch(
        url, json={"version": 1, "kg_co2e_per_unit": "1"}, headers=admin.headers
    )
    assert ok.status_code == 200
    before = await stored_factors(session)
    limited = await client.patch(
        url, json={"version": 2, "kg_co2e_per_unit": "2"}, headers=admin.headers
    )
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) > 0
    assert await stored_factors(session) == before
    assert len(await jobs_of(session, JobKind.RECALCULATE)) == 1
    # A change that recalculates nothing is not limited.
    source_only = await client.patch(url, json={"version": 2, "source": "x"}, headers=admin.headers)
    assert source_only.status_code == 200


async def test_a_value_change_waits_for_entry_writers_that_read_the_old_value(
    client: httpx.AsyncClient, admin: Caller, lab: Lab, session: AsyncSession,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """An entry write in flight (it holds the values lock shared, as create_entry and the
    activities job do) makes a PATCH of a value give up with 409, changing nothing."""
    monkeypatch.setattr(factor_service, "VALUES_LOCK_WAIT_SECONDS", 0.3)
    factor = (await client.get(FACTORS, headers=admin.headers)).json()["items"][0]
    before = await stored_factors(session)
    async with database.get_session_factory()() as writer:
        await factor_repository.lock_values_shared(writer)
        busy = await client.patch(
            f"{FACTORS}/{factor['id']}",
            json={"version": factor["version"], "kg_co2e_per_unit": "3"},
            headers=admin.headers,
        )
        assert busy.status_code == 409, busy.text
        assert int(busy.headers["Retry-After"]) > 0
        assert await stored_factors(session) == before
        assert await jobs_of(session, JobKind.RECALCULATE) == []
        # A change of anything but the value does not wait.
        source = await client.patch(
            f"{FACTORS}/{factor['id']}",
            json={"version": factor["version"], "source": "s"},
            headers=admin.headers,
        )
        assert source.status_code == 200
        await writer.rollback()  # the writer ends
    done = await client.patch(
        f"{FACTORS}/{factor['id']}",
        json={"version": factor["version"] + 1, "kg_co2e_per_unit": "3"},
        headers=admin.headers,
    )
    assert done.status_code == 200, done.text
    assert len(await jobs_of(session, JobKind.RECALCULATE)) == 1


async def test_a_factor_import_job_waits_for_entry_writers_then_completes(
    client: httpx.AsyncClient, admin: Caller, lab: Lab, session: AsyncSession, jobs: None
) -> None:
    async with database.get_session_factory()() as writer:
        await factor_repository.lock_values_shared(writer)
        response = await upload(
            client, admin, HEADER + "electricity.grid.CH,electricity,kWh,4,2,2025,,\n"
        )
        job_id = response.json()["id"]
        status = f"/api/v1/imports/{job_id}/status"
        await left_the_queue(client, admin, status)
        await until_the_values_lock_was_tried()
        waiting = (await client.get(status, headers=admin.headers)).json()
        assert waiting["state"] == "running"
        assert ("electricity.grid.CH", Decimal("0.125")) in {
            (f[0], f[5]) for f in await stored_factors(session)
        }
        await writer.rollback()
    job = await wait_for_end(client, admin, job_id)
    assert job["state"] == "succeeded", job
    assert ("electricity.grid.CH", Decimal(4)) in {
        (f[0], f[5]) for f in await stored_factors(session)
    }


async def test_admins_list_the_jobs_of_no_lab_newest_first(
    client: httpx.AsyncClient, admin: Caller, member: Caller, lab: Lab, session: AsyncSession
) -> None:
    factor = (await client.get(FACTORS, headers=admin.headers)).json()["items"][0]
    await client.patch(
        f"{FACTORS}/{factor['id']}",
        json={"version": factor["version"], "kg_co2e_per_unit": "1"},
        headers=admin.headers,
    )
    imported = (await upload(client, admin, HEADER + "other.x,other,kg,1,3,2025,,\n")).json()
    await upload(client, member, HEADER + "other.y,other,kg,1,3,2025,,\n")  # refused: 403
    (recalculation,) = await jobs_of(session, JobKind.RECALCULATE)
    seen: list[tuple[str, str]] = []
    cursor = None
    while True:
        params = {"limit": "1"} | ({"cursor": cursor} if cursor else {})
        response = await client.get(f"{FACTORS}/imports", params=params, headers=admin.headers)
        assert response.status_code == 200, response.text
        page = response.json()
        seen += [(job["id"], job["target_type"]) for job in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [(imported["id"], "factors"), (str(recalculation.id), "recalculate")]
    refused = await client.get(f"{FACTORS}/imports", headers=member.headers)
    assert refused.status_code == 403


# kg_co2e is NUMERIC(24, 6): below 10^18. With 10^11 kWh, the largest 9-decimal value that fits
# is 9999999.999999999 (10^18 - 100 kg CO2e); 10^7 would make exactly 10^18.
BIG_QUANTITY = "100000000000"
AT_THE_LIMIT = "9999999.999999999"
OVER_THE_LIMIT = "10000000"


async def test_a_value_that_would_overflow_an_entry_is_refused_and_nothing_changes(
    client: httpx.AsyncClient, admin: Caller, member: Caller, lab: Lab, session: AsyncSession,
    jobs: None,
) -> None:  # fmt: skip
    for quantity in (BIG_QUANTITY, BIG_QUANTITY, "1"):
        await add_entry(client, member, lab, "electricity.grid.CH", quantity)
    factor = (await client.get(FACTORS, headers=admin.headers)).json()["items"][0]
    url = f"{FACTORS}/{factor['id']}"
    before = await stored_factors(session)
    refused = await client.patch(
        url,
        json={"version": 1, "kg_co2e_per_unit": OVER_THE_LIMIT, "source": "too much"},
        headers=admin.headers,
    )
    assert refused.status_code == 422, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    problem = refused.json()
    assert problem["type"].endswith("/invalid-input")
    assert problem["detail"] == (
        "With 10000000 kg CO2e per unit, 2 entries using this factor would weigh "
        "1000000000000000000 kg CO2e or more, more than can be stored; the largest value they "
        f"allow is {AT_THE_LIMIT}."
    )
    assert [error["loc"] for error in problem["errors"]] == [["body", "kg_co2e_per_unit"]]
    assert await stored_factors(session) == before  # value, source and version
    assert await jobs_of(session, JobKind.RECALCULATE) == []

    accepted = await client.patch(
        url, json={"version": 1, "kg_co2e_per_unit": AT_THE_LIMIT}, headers=admin.headers
    )
    assert accepted.status_code == 200, accepted.text
    assert (accepted.json()["kg_co2e_per_unit"], accepted.json()["version"]) == (AT_THE_LIMIT, 2)
    (recalculation,) = await jobs_of(session, JobKind.RECALCULATE)
    ended = await wait_for_end(client, admin, str(recalculation.id))
    assert ended["state"] == "succeeded", ended
    heaviest = Decimal("999999999999999900")  # 10^11 x 9999999.999999999
    # 1 x 9999999.999999999 rounds to 10^7 at kg_co2e's 6 decimals.
    assert await stored_kg(session, lab) == [Decimal(OVER_THE_LIMIT), heaviest, heaviest]


HEAVY_ROWS = (
    f"electricity.grid.CH,electricity,kWh,{OVER_THE_LIMIT},2,2025,,too much\n"
    "rail.km,rail_travel,km,5,3,2025,,no heavy entry\n"
)
HEAVY_ERROR = {
    "row": 2,
    "column": "kg_co2e_per_unit",
    "message": "with this value, 1 entry using this factor would weigh 1000000000000000000 kg "
    f"CO2e or more, more than can be stored; the largest value they allow is {AT_THE_LIMIT}",
}


async def test_an_import_row_that_would_overflow_an_entry_fails_the_import(
    client: httpx.AsyncClient, admin: Caller, member: Caller, lab: Lab, session: AsyncSession,
    jobs: None,
) -> None:  # fmt: skip
    await add_entry(client, member, lab, "electricity.grid.CH", BIG_QUANTITY)
    await add_entry(client, member, lab, "rail.km", BIG_QUANTITY)  # 5 x 10^11 fits
    before = await stored_factors(session)
    response = await upload(client, admin, HEADER + HEAVY_ROWS)
    assert response.status_code == 202, response.text
    job = await wait_for_end(client, admin, response.json()["id"])
    assert job["state"] == "failed", job
    assert "1 of 2 rows are invalid; nothing was imported" in job["message"]
    assert (job["rows_ok"], job["rows_failed"], job["row_errors_total"]) == (0, 1, 1)
    assert job["row_errors"] == [HEAVY_ERROR]
    assert await stored_factors(session) == before
    assert await jobs_of(session, JobKind.RECALCULATE) == []
    assert await staged_rows(session) == 0


async def test_the_skip_policy_skips_a_row_that_would_overflow_an_entry(
    client: httpx.AsyncClient, admin: Caller, member: Caller, lab: Lab, session: AsyncSession,
    jobs: None,
) -> None:  # fmt: skip
    await add_entry(client, member, lab, "electricity.grid.CH", BIG_QUANTITY)
    text = HEADER + HEAVY_ROWS + "other.x,other,kg,1,3,2025,,\nBad Key,other,kg,1,3,2025,,\n"
    job = await wait_for_end(
        client, admin, (await upload(client, admin, text, on_error="skip")).json()["id"]
    )
    assert job["state"] == "succeeded", job
    assert (job["rows_ok"], job["rows_failed"], job["row_errors_total"]) == (2, 2, 2)
    assert [error["row"] for error in job["row_errors"]] == [2, 5]  # by line
    assert job["row_errors"][0] == HEAVY_ERROR
    assert {(f[0], f[5], f[8]) for f in await stored_factors(session)} == {
        ("electricity.grid.CH", Decimal("0.125"), 1),
        ("rail.km", Decimal(5), 2),
        ("other.x", Decimal(1), 1),
    }
    (recalculation,) = await jobs_of(session, JobKind.RECALCULATE)
    params = {k: v for k, v in recalculation.params.items() if k != "request_id"}  # the audit's
    assert params == {"factor_ids": [str(await factor_id(session, "rail.km"))]}


async def factor_id(session: AsyncSession, key: str) -> UUID:
    query = select(EmissionFactor.id).where(EmissionFactor.key == key)
    return (await session.exec(query)).one()


async def test_a_recalculation_that_would_overflow_fails_clearly_without_retrying(
    client: httpx.AsyncClient, admin: Caller, member: Caller, lab: Lab, session: AsyncSession,
    jobs: None,
) -> None:  # fmt: skip
    """A value stored before the rule (written here past the service) makes the job fail at
    once with a message naming the factor, not retry a database error and say nothing."""
    await add_entry(client, member, lab, "electricity.grid.CH", BIG_QUANTITY)
    await add_entry(client, member, lab, "electricity.grid.CH", "1")
    factor = await session.get(EmissionFactor, await factor_id(session, "electricity.grid.CH"))
    assert factor is not None
    factor.kg_co2e_per_unit = Decimal(OVER_THE_LIMIT)
    job = await factor_service.queue_recalculation(
        session, factor_ids=[factor.id], created_by=admin.user.id
    )
    assert job is not None
    await session.commit()
    ended = await wait_for_end(client, admin, str(job.id))
    assert ended["state"] == "failed", ended
    assert ended["attempts"] == 1
    assert ended["message"] == (
        "With their factor's current value, some entries would weigh 1000000000000000000 kg CO2e "
        "or more, more than can be stored (electricity.grid.CH 2025: 1 entry); nothing was "
        "recomputed. Lower those values or quantities, then change the value again."
    )
    assert await stored_kg(session, lab) == [Decimal("0.125"), Decimal("12500000000")]


async def test_an_entry_written_while_an_import_waits_is_weighed_against_the_new_value(
    client: httpx.AsyncClient, admin: Caller, member: Caller, lab: Lab, session: AsyncSession,
    jobs: None,
) -> None:  # fmt: skip
    """The import's rows are checked before it takes the values lock, but its new values are
    weighed against the entries only once it holds it: a heavy entry committed by a writer it
    waited for is counted, so the recalculation cannot overflow."""
    before = await stored_factors(session)
    writer = DriverTransaction()
    try:
        await entry_service.create_entry(
            writer,
            principal=principal_of(member.user),
            lab_id=lab.id,
            data=EntryCreate.model_validate(
                {
                    "date": "2025-05-05",
                    "factor_key": "electricity.grid.CH",
                    "quantity": BIG_QUANTITY,
                }
            ),
        )  # holds the values lock shared until it commits
        job_id = (await upload(client, admin, HEADER + HEAVY_ROWS)).json()["id"]
        status = f"/api/v1/imports/{job_id}/status"
        await left_the_queue(client, admin, status)
        await until_the_values_lock_was_tried()  # the rows are checked; it waits for the lock
        assert (await client.get(status, headers=admin.headers)).json()["state"] == "running"
    finally:
        await writer.end(commit=True)
    job = await wait_for_end(client, admin, job_id)
    assert job["state"] == "failed", job
    assert job["row_errors"] == [HEAVY_ERROR]
    assert await stored_factors(session) == before
    assert await jobs_of(session, JobKind.RECALCULATE) == []


async def test_flight_bands_import_whole_or_are_row_errors(
    client: httpx.AsyncClient, admin: Caller, session: AsyncSession, jobs: None
) -> None:
    head = (
        "key,category,unit,kg_co2e_per_unit,scope,year,cabin_class,distance_min_km,"
        "distance_max_km\n"
    )
    good = (
        "flight.economy.short,air_travel,pkm,0.15,3,2024,economy,0,1500\n"
        "flight.economy.long,air_travel,pkm,0.10,3,2024,Economy,1500,\n"
    )
    bad = (
        "flight.a,air_travel,pkm,0.1,3,2024,economy,,\n"  # no lower bound
        "flight.b,air_travel,pkm,0.1,3,2024,,0,100\n"  # no cabin class
        "flight.c,air_travel,pkm,0.1,3,2024,economy,100,100\n"  # an empty band
        "flight.d,air_travel,pkm,0.1,3,2024,sleeper,0,\n"
        "flight.e,air_travel,pkm,0.1,3,2024,economy,-5,\n"
    )
    job = await wait_for_end(
        client,
        admin,
        (await upload(client, admin, head + good + bad, on_error="skip")).json()["id"],
    )
    assert (job["state"], job["rows_ok"], job["rows_failed"]) == ("succeeded", 2, 5), job
    assert {(error["row"], error["column"]) for error in job["row_errors"]} == {
        (4, "distance_min_km"),
        (5, "distance_min_km"),
        (6, "distance_min_km"),
        (7, "cabin_class"),
        (8, "distance_min_km"),
    }
    listed = (await client.get(FACTORS, params={"search": "flight"}, headers=admin.headers)).json()
    assert sorted(
        (f["key"], f["cabin_class"], f["distance_min_km"], f["distance_max_km"])
        for f in listed["items"]
    ) == [
        ("flight.economy.long", "economy", 1500, None),
        ("flight.economy.short", "economy", 0, 1500),
    ]
