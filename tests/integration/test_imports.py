"""Activity imports end to end: upload → staged → background job → entries, with the runner of
the app's lifespan claiming jobs from the real database."""

import asyncio
import contextlib
from decimal import Decimal
from typing import Any
from uuid import UUID

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text, update
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app import database
from app.config import settings
from app.db.engine import get_job_session_factory
from app.jobs.context import JobContext
from app.jobs.runner import JobRunner
from app.models.entry import ActivityEntry
from app.models.factor import CabinClass, FactorCategory
from app.models.job import DataIngestionJob, JobState
from app.models.lab import Lab
from app.models.staging import activity_checked, activity_computed, activity_staging
from app.services import activity_imports
from tests.factories import Caller, make_factor, make_lab

HEADER = "date,factor_key,quantity,unit,note\n"


@pytest.fixture
async def lab(session: AsyncSession, member: Caller) -> Lab:
    await make_factor(session, key="electricity.grid.CH", year=2025, kg="0.125", unit="kWh")
    await make_factor(session, key="electricity.grid.CH", year=2024, kg="0.2", unit="kWh")
    await make_factor(session, key="rail.km", year=2025, kg="0.007", unit="km")
    return await make_lab(session, member.user)


@pytest.fixture(params=[True, False], ids=["triggers-skipped", "triggers-on"])
def load_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Both ways the job writes entries: without foreign-key triggers (the embedded superuser),
    and with them (a role without the privilege; see bulk_load)."""
    monkeypatch.setattr(activity_imports, "SKIP_TRIGGERS", request.param)


def csv_file(text: str | bytes, name: str = "activities.csv") -> dict[str, Any]:
    data = text.encode() if isinstance(text, str) else text
    return {"file": (name, data, "text/csv")}


async def upload(
    client: httpx.AsyncClient, caller: Caller, lab: Lab, text: str | bytes, **params: str
) -> httpx.Response:
    return await client.post(
        f"/api/v1/labs/{lab.id}/imports",
        files=csv_file(text),
        params=params,
        headers=caller.headers,
    )


async def wait_for_end(
    client: httpx.AsyncClient, caller: Caller, job_id: str, seconds: float = 30
) -> dict[str, Any]:
    async with asyncio.timeout(seconds):
        while True:
            response = await client.get(f"/api/v1/imports/{job_id}", headers=caller.headers)
            assert response.status_code == 200, response.text
            job: dict[str, Any] = response.json()
            if job["state"] not in {"queued", "running"}:
                return job
            await asyncio.sleep(0.05)


async def entry_count(session: AsyncSession, lab: Lab) -> int:
    query = select(func.count()).select_from(ActivityEntry).where(ActivityEntry.lab_id == lab.id)
    return int((await session.exec(query)).one())


async def staged_rows(session: AsyncSession) -> int:
    """The rows staged by uploads, computed for their typed rows, and checked for the job's
    transaction to move, still waiting."""
    counts = [
        (await session.exec(select(func.count()).select_from(table))).one()
        for table in (activity_staging, activity_computed, activity_checked)
    ]
    return sum(counts)


async def assert_no_staged_rows(session: AsyncSession, seconds: float = 30) -> None:
    """None left: an ended job's staged rows are deleted by the job runner right after the
    job's own commit (or in it, for a failed or cancelled one)."""
    left = await staged_rows(session)
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(seconds):
            while left:
                await asyncio.sleep(0.05)
                left = await staged_rows(session)
    assert left == 0, f"{left} staged rows left {seconds} s after the job ended"


async def test_upload_is_imported_in_the_background_with_server_computed_kg(
    client: httpx.AsyncClient,
    member: Caller,
    lab: Lab,
    session: AsyncSession,
    jobs: None,
    load_path: None,
) -> None:
    # BOM, semicolons, CRLF, headers in any case and order with spaces, a quoted note holding the
    # delimiter and a newline, a month-only date, trailing blank lines.
    text = (
        "\ufeff Quantity ;DATE; factor_KEY ;Note\r\n"
        '12.5;2025-03-01;electricity.grid.CH;"meter; main\r\nbuilding"\r\n'
        "100;2025-04;rail.km;\r\n"
        "3;2024-12-31;electricity.grid.CH;last year\r\n\r\n\r\n"
    )
    response = await upload(client, member, lab, text)
    assert response.status_code == 202, response.text
    accepted = response.json()
    assert accepted["state"] == "queued"
    assert accepted["rows_total"] == 3
    assert accepted["filename"] == "activities.csv"

    job = await wait_for_end(client, member, accepted["id"])
    assert job["state"] == "succeeded", job
    assert (job["rows_processed"], job["rows_ok"], job["rows_failed"]) == (3, 3, 0)
    assert job["row_errors"] == []

    entries = (
        await client.get(
            f"/api/v1/labs/{lab.id}/entries", params={"order": "asc"}, headers=member.headers
        )
    ).json()["items"]
    got = {(e["date"], e["factor_key"], e["quantity"], e["kg_co2e"], e["note"]) for e in entries}
    assert got == {
        ("2024-12-31", "electricity.grid.CH", "3", "0.6", "last year"),
        ("2025-03-01", "electricity.grid.CH", "12.5", "1.5625", "meter; main\r\nbuilding"),
        ("2025-04-01", "rail.km", "100", "0.7", ""),
    }
    assert {e["import_id"] for e in entries} == {accepted["id"]}
    await assert_no_staged_rows(session)


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """A plain import's batches of 1, then 2 rows (growing by a tenth, rounded up, to 2)."""
    monkeypatch.setattr(activity_imports, "BATCH_ROWS", 2)
    monkeypatch.setattr(activity_imports, "FIRST_BATCH_ROWS", 1)


@pytest.mark.usefixtures("small_batches")
async def test_an_import_in_several_batches_writes_each_row_once(
    client: httpx.AsyncClient,
    member: Caller,
    lab: Lab,
    session: AsyncSession,
    jobs: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Batches of 1, 2, 2 and 2 rows: each checked beside the job's transaction while it moves
    # the one before, and forgotten once moved.
    progress: list[int] = []
    report_progress = JobContext.report_progress

    async def recorded(context: JobContext, **counts: Any) -> None:
        progress.append(counts["rows_processed"])
        await report_progress(context, **counts)

    monkeypatch.setattr(JobContext, "report_progress", recorded)
    rows = [f"2025-01-{day:02d},rail.km,{day},,\n" for day in range(1, 8)]
    response = await upload(client, member, lab, HEADER + "".join(rows))
    job = await wait_for_end(client, member, response.json()["id"])
    assert (job["state"], job["rows_processed"], job["rows_ok"]) == ("succeeded", 7, 7)
    assert progress == [1, 3, 5, 7]
    entries = (
        await session.exec(select(ActivityEntry).where(ActivityEntry.lab_id == lab.id))
    ).all()
    assert sorted(int(entry.quantity) for entry in entries) == list(range(1, 8))
    await assert_no_staged_rows(session)


@pytest.mark.usefixtures("small_batches", "jobs")
async def test_a_bad_row_in_a_middle_batch_fails_the_import_with_nothing_written(
    client: httpx.AsyncClient, member: Caller, lab: Lab, session: AsyncSession
) -> None:
    """The job's transaction stops at the batch with the bad row while the side session may be
    checking the next: that check is cancelled, every moved batch rolled back, and what was
    checked is gone with the job's staged rows."""
    rows = [f"2025-01-{day:02d},rail.km,{day},,\n" for day in range(1, 10)]
    rows[3] = "2025-01-04,rail.km,-4,,\n"  # line 5, in the third batch (rows 4-5)
    response = await upload(client, member, lab, HEADER + "".join(rows))
    job = await wait_for_end(client, member, response.json()["id"])
    assert job["state"] == "failed", job
    assert job["row_errors"] == [{"row": 5, "column": "quantity", "message": "must be >= 0"}]
    assert await entry_count(session, lab) == 0
    await assert_no_staged_rows(session)


async def test_rows_that_look_alike_are_all_imported(
    client: httpx.AsyncClient, member: Caller, lab: Lab, session: AsyncSession, jobs: None
) -> None:
    row = "2025-05-01,electricity.grid.CH,10,kWh,same\n"
    response = await upload(client, member, lab, HEADER + row * 3)
    job = await wait_for_end(client, member, response.json()["id"])
    assert job["rows_ok"] == 3
    assert await entry_count(session, lab) == 3


async def test_a_file_whose_rows_are_all_invalid_changes_nothing_and_the_last_import_stays(
    client: httpx.AsyncClient,
    member: Caller,
    lab: Lab,
    session: AsyncSession,
    jobs: None,
    load_path: None,
) -> None:
    good = await upload(client, member, lab, HEADER + "2025-01-01,electricity.grid.CH,8,,\n")
    first = await wait_for_end(client, member, good.json()["id"])
    assert first["state"] == "succeeded"

    bad_rows = (
        "2025-02-30,electricity.grid.CH,1,,\n"  # not a date
        ",electricity.grid.CH,1,,\n"  # missing date
        "2025-01-01,electricity.grid.CH,-4,,\n"  # negative
        "2025-01-01,electricity.grid.CH,1.5e3,,\n"  # not a plain decimal
        "2025-01-01,no.such.factor,1,,\n"  # unknown factor
        "2031-01-01,electricity.grid.CH,1,,\n"  # no factor for that year or the 5 before
        "2025-01-01,electricity.grid.CH,1,km,\n"  # wrong unit
        "2025-01-01,electricity.grid.CH,,," + "x" * 1001 + "\n"  # no quantity, long note
        "2024-06-01,rail.km,1,,\n"  # a year between the factors' years, none for this key
        " 2025-00 ,rail.km,1,,\n"  # month 0
    )
    response = await upload(client, member, lab, HEADER + bad_rows)
    assert response.status_code == 202, response.text
    job = await wait_for_end(client, member, response.json()["id"])
    assert job["state"] == "failed"
    assert job["rows_ok"] == 0
    assert job["rows_failed"] == 10
    assert "nothing was imported" in job["message"]
    errors = {(e["row"], e["column"], e["message"]) for e in job["row_errors"]}
    assert errors == {
        (2, "date", "expected a real date as YYYY-MM-DD or YYYY-MM"),
        (3, "date", "required"),
        (4, "quantity", "must be >= 0"),
        (
            5,
            "quantity",
            "expected a decimal number with . as separator, at most 12 digits before it and 6 "
            "after",
        ),
        (6, "factor_key", "no emission factor 'no.such.factor' for 2025"),
        (7, "factor_key", "no emission factor 'electricity.grid.CH' for 2031"),
        (8, "unit", "expected kWh, the unit of the factor"),
        (9, "quantity", "required"),
        (9, "note", "at most 1000 characters"),
        (10, "factor_key", "no emission factor 'rail.km' for 2024"),
        (11, "date", "expected a real date as YYYY-MM-DD or YYYY-MM"),
    }
    assert job["row_errors_total"] == 11

    # The earlier import's entry and summary are untouched.
    assert await entry_count(session, lab) == 1
    again = await wait_for_end(client, member, first["id"])
    assert again == first
    await assert_no_staged_rows(session)


async def test_skip_policy_imports_the_good_rows_and_reports_the_bad(
    client: httpx.AsyncClient,
    member: Caller,
    lab: Lab,
    session: AsyncSession,
    jobs: None,
    load_path: None,
) -> None:
    text = HEADER + "2025-01-01,electricity.grid.CH,1,,\n2025-13-01,rail.km,1,,\n"
    response = await upload(client, member, lab, text, on_error="skip")
    job = await wait_for_end(client, member, response.json()["id"])
    assert job["state"] == "succeeded"
    assert (job["rows_ok"], job["rows_failed"]) == (1, 1)
    assert job["row_errors"] == [
        {"row": 3, "column": "date", "message": "expected a real date as YYYY-MM-DD or YYYY-MM"}
    ]
    assert await entry_count(session, lab) == 1


async def test_quantities_are_plain_decimals_that_fit_the_column(
    client: httpx.AsyncClient, member: Caller, lab: Lab, jobs: None
) -> None:
    good = ["123456789012.123456", "0", "0.5", " 7 "]
    bad = ["1234567890123", "1.1234567", ".5", "5.", "+1", "1e3", "1.2.3", "٣", '"1,5"']
    rows = [f"2025-01-01,rail.km,{quantity},,\n" for quantity in good + bad]
    response = await upload(client, member, lab, HEADER + "".join(rows), on_error="skip")
    job = await wait_for_end(client, member, response.json()["id"])
    assert (job["rows_ok"], job["rows_failed"]) == (len(good), len(bad)), job["row_errors"]
    bad_lines = {error["row"] for error in job["row_errors"] if error["column"] == "quantity"}
    assert bad_lines == set(range(len(good) + 2, len(good) + len(bad) + 2))


async def test_a_row_too_heavy_to_store_is_reported_not_a_crash(
    client: httpx.AsyncClient, member: Caller, lab: Lab, session: AsyncSession, jobs: None
) -> None:
    """kg_co2e is NUMERIC(24, 6): quantity times factor must stay below 10^18 (as for one entry)."""
    await make_factor(session, key="heavy.stuff", year=2025, kg="10000000", unit="t")
    text = HEADER + "2025-01-01,heavy.stuff,999999999999,,\n2025-01-02,heavy.stuff,1,,\n"
    job = await wait_for_end(client, member, (await upload(client, member, lab, text)).json()["id"])
    assert job["state"] == "failed", job
    assert job["row_errors"] == [
        {
            "row": 2,
            "column": "quantity",
            "message": "the entry would weigh 9999999999990000000.000000 kg CO2e; "
            "less than 1000000000000000000 can be stored",
        }
    ]
    assert await entry_count(session, lab) == 0


async def test_entries_of_an_import_get_time_ordered_ids_in_file_order(
    client: httpx.AsyncClient, member: Caller, lab: Lab, session: AsyncSession, jobs: None
) -> None:
    rows = [f"2025-01-{day:02d},rail.km,{day},,\n" for day in (5, 1, 9, 3)]
    response = await upload(client, member, lab, HEADER + "".join(rows))
    job = await wait_for_end(client, member, response.json()["id"])
    assert job["state"] == "succeeded", job
    query = select(ActivityEntry).where(ActivityEntry.lab_id == lab.id)
    entries = sorted((await session.exec(query)).all(), key=lambda entry: entry.id)
    assert {entry.id.version for entry in entries} == {7}
    assert UUID(job["id"]).version == 7  # jobs too: their staged rows append to the staging key
    # Sorted by id, they come in the file's order (the row's seq is the id's counter).
    assert [int(entry.quantity) for entry in entries] == [5, 1, 9, 3]


async def test_row_errors_are_capped_but_counted(
    client: httpx.AsyncClient, member: Caller, lab: Lab, jobs: None
) -> None:
    text = HEADER + "2025-01-01,electricity.grid.CH,oops,,\n" * 150
    job = await wait_for_end(client, member, (await upload(client, member, lab, text)).json()["id"])
    assert len(job["row_errors"]) == 100, job["message"]
    assert job["row_errors_total"] == 150
    assert [e["row"] for e in job["row_errors"]] == list(range(2, 102))


async def test_a_regional_lab_uses_its_regional_factor(
    client: httpx.AsyncClient, member: Caller, session: AsyncSession, jobs: None
) -> None:
    await make_factor(session, key="heat.gas", year=2025, kg="0.2", unit="kWh")
    await make_factor(session, key="heat.gas", year=2025, kg="0.3", unit="kWh", region="CH")
    swiss = await make_lab(session, member.user, region="CH")
    text = "date,factor_key,quantity\n2025-01-01,heat.gas,10\n"
    job = await wait_for_end(
        client, member, (await upload(client, member, swiss, text)).json()["id"]
    )
    assert job["state"] == "succeeded"
    entries = (await client.get(f"/api/v1/labs/{swiss.id}/entries", headers=member.headers)).json()[
        "items"
    ]
    assert [Decimal(e["kg_co2e"]) for e in entries] == [Decimal(3)]


async def test_undo_removes_exactly_the_entries_of_that_import(
    client: httpx.AsyncClient, member: Caller, lab: Lab, session: AsyncSession, jobs: None
) -> None:
    manual = await client.post(
        f"/api/v1/labs/{lab.id}/entries",
        json={"date": "2025-01-01", "factor_key": "electricity.grid.CH", "quantity": "1"},
        headers=member.headers,
    )
    assert manual.status_code == 201
    other = await upload(client, member, lab, HEADER + "2025-02-01,rail.km,5,,\n")
    await wait_for_end(client, member, other.json()["id"])
    undone = await upload(client, member, lab, HEADER + "2025-03-01,rail.km,7,,\n" * 2)
    await wait_for_end(client, member, undone.json()["id"])
    assert await entry_count(session, lab) == 4

    response = await client.delete(f"/api/v1/imports/{undone.json()['id']}", headers=member.headers)
    assert response.status_code == 204
    assert await entry_count(session, lab) == 2
    gone = await client.get(f"/api/v1/imports/{undone.json()['id']}", headers=member.headers)
    assert gone.status_code == 404
    remaining = (await client.get(f"/api/v1/labs/{lab.id}/entries", headers=member.headers)).json()
    assert {e["import_id"] for e in remaining["items"]} == {None, other.json()["id"]}


async def test_lab_imports_are_listed_newest_first_with_cursor_pages(
    client: httpx.AsyncClient, member: Caller, lab: Lab
) -> None:
    ids = []
    for n in range(3):
        response = await upload(client, member, lab, HEADER + f"2025-01-0{n + 1},rail.km,1,,\n")
        ids.append(response.json()["id"])
        if n == 1:
            await client.post(f"/api/v1/imports/{ids[0]}/cancel", headers=member.headers)
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": "2"} | ({"cursor": cursor} if cursor else {})
        page = (
            await client.get(
                f"/api/v1/labs/{lab.id}/imports", params=params, headers=member.headers
            )
        ).json()
        seen += [job["id"] for job in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == ids[::-1]


async def test_a_queued_import_can_be_cancelled_once(
    client: httpx.AsyncClient, member: Caller, lab: Lab, session: AsyncSession
) -> None:
    # No runner here (no lifespan): the job stays queued.
    job_id = (await upload(client, member, lab, HEADER + "2025-01-01,rail.km,1,,\n")).json()["id"]
    refused = await client.delete(f"/api/v1/imports/{job_id}", headers=member.headers)
    assert refused.status_code == 409
    cancelled = await client.post(f"/api/v1/imports/{job_id}/cancel", headers=member.headers)
    assert cancelled.status_code == 200
    assert cancelled.json()["state"] == "cancelled"
    again = await client.post(f"/api/v1/imports/{job_id}/cancel", headers=member.headers)
    assert again.status_code == 409
    assert again.headers["content-type"] == "application/problem+json"
    status = (await client.get(f"/api/v1/imports/{job_id}/status", headers=member.headers)).json()
    assert status["state"] == "cancelled"
    assert await entry_count(session, lab) == 0


async def test_a_lab_with_too_many_active_jobs_gets_429(
    client: httpx.AsyncClient, member: Caller, lab: Lab
) -> None:
    text = HEADER + "2025-01-01,rail.km,1,,\n"
    for _ in range(settings.JOB_MAX_ACTIVE_PER_LAB):
        assert (await upload(client, member, lab, text)).status_code == 202
    refused = await upload(client, member, lab, text)
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    listed = (await client.get(f"/api/v1/labs/{lab.id}/imports", headers=member.headers)).json()
    assert len(listed["items"]) == settings.JOB_MAX_ACTIVE_PER_LAB


async def test_uploads_are_rate_limited_per_user(
    client: httpx.AsyncClient, member: Caller, lab: Lab, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "IMPORT_RATE_LIMIT_PER_USER", "2/minute")
    monkeypatch.setattr(settings, "JOB_MAX_ACTIVE_PER_LAB", 10)
    text = HEADER + "2025-01-01,rail.km,1,,\n"
    statuses = [(await upload(client, member, lab, text)).status_code for _ in range(3)]
    assert statuses == [202, 202, 429]


BAD_FILES: list[tuple[str, bytes, str]] = [
    ("empty", b"", "The file is empty."),
    ("blank", b"\r\n  \n", "The file is empty."),
    ("header only", b"date,factor_key,quantity\r\n", "The file has a header but no rows."),
    ("not utf-8", "date,factor_key,quantity\n2025-01-01,caf\xe9,1\n".encode("latin-1"), "UTF-8"),
    ("nul byte", b"date,factor_key,quantity\n2025-01-01,a\x00b,1\n", "NUL"),
    ("unknown column", b"date,factor_key,quantity,colour\n", "Unknown column(s): 'colour'"),
    ("missing column", b"date,quantity\n2025-01-01,1\n", "Missing required column(s): factor_key"),
    ("twice", b"date,factor_key,quantity,DATE\n", "Column(s) named twice: date"),
    ("extra field", b"date,factor_key,quantity\n2025-01-01,k,1\n2025-01-01,k,1,9\n", "line 3"),
    ("short row", b"date,factor_key,quantity\n2025-01-01,k\n", "line 2"),
    ("bad quoting", b'date,factor_key,quantity\n2025-01-01,"k,1\n', "not valid CSV"),
]


@pytest.mark.parametrize(
    ("content", "expected"), [c[1:] for c in BAD_FILES], ids=[c[0] for c in BAD_FILES]
)
async def test_a_bad_file_is_refused_with_a_clear_error_and_writes_nothing(
    client: httpx.AsyncClient,
    member: Caller,
    lab: Lab,
    session: AsyncSession,
    content: bytes,
    expected: str,
) -> None:
    response = await upload(client, member, lab, content)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert expected in response.json()["detail"]
    listed = (await client.get(f"/api/v1/labs/{lab.id}/imports", headers=member.headers)).json()
    assert listed["items"] == []
    await assert_no_staged_rows(session)


async def test_a_file_over_the_limit_gets_413_and_writes_nothing(
    client: httpx.AsyncClient,
    member: Caller,
    lab: Lab,
    session: AsyncSession,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(settings, "IMPORT_MAX_BYTES", 1000)
    response = await upload(client, member, lab, HEADER + "2025-01-01,rail.km,1,,\n" * 100)
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    listed = (await client.get(f"/api/v1/labs/{lab.id}/imports", headers=member.headers)).json()
    assert listed["items"] == []
    await assert_no_staged_rows(session)


async def test_an_unknown_policy_is_a_validation_error(
    client: httpx.AsyncClient, member: Caller, lab: Lab
) -> None:
    response = await upload(client, member, lab, HEADER, on_error="ignore")
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["query", "on_error"]


async def test_imports_of_another_lab_are_invisible(
    client: httpx.AsyncClient, member: Caller, admin: Caller, lab: Lab, session: AsyncSession
) -> None:
    other_lab = await make_lab(session, admin.user)
    job_id = (await upload(client, admin, other_lab, HEADER + "2025-01-01,rail.km,1,,\n")).json()[
        "id"
    ]
    for path in (f"/api/v1/imports/{job_id}", f"/api/v1/imports/{job_id}/status"):
        assert (await client.get(path, headers=member.headers)).status_code == 404
    assert UUID(job_id)


async def test_a_lab_with_a_queued_import_is_not_deleted_until_it_ends(
    client: httpx.AsyncClient, member: Caller, lab: Lab, session: AsyncSession
) -> None:
    """Deleting a lab under a running import was a deadlock with the runner (a 500)."""
    queued = await upload(client, member, lab, HEADER + "2025-01-10,electricity.grid.CH,1,kWh,\n")
    assert queued.status_code == 202  # no runner in this test: it stays queued
    refused = await client.delete(f"/api/v1/labs/{lab.id}", headers=member.headers)
    assert refused.status_code == 409
    assert (await client.get(f"/api/v1/labs/{lab.id}", headers=member.headers)).status_code == 200
    job_url = f"/api/v1/imports/{queued.json()['id']}"
    assert (await client.get(job_url, headers=member.headers)).json()["state"] == "queued"
    cancelled = await client.post(f"{job_url}/cancel", headers=member.headers)
    assert cancelled.json()["state"] == "cancelled"
    assert (
        await client.delete(f"/api/v1/labs/{lab.id}", headers=member.headers)
    ).status_code == 204
    assert (await client.get(job_url, headers=member.headers)).status_code == 404


async def test_an_import_whose_factor_is_deleted_while_it_runs_writes_nothing(
    client: httpx.AsyncClient, member: Caller, lab: Lab, session: AsyncSession, jobs: None
) -> None:
    """Without foreign-key triggers, the job's own lock on the factors it used is what catches a
    delete that committed without seeing its uncommitted entries."""
    factor_id = (await make_factor(session, key="race.gas", year=2025, unit="kWh")).id
    await session.commit()
    waiting_for_lock = text(
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE wait_event_type = 'Lock' AND query LIKE '%emission_factor%FOR KEY SHARE%'"
    )
    async with database.get_engine().connect() as deleter:
        # Deleted first, committed later: the import still sees the factor and uses it, then
        # waits on this row lock to take its own.
        await deleter.execute(text("DELETE FROM emission_factor WHERE id = :id"), {"id": factor_id})
        response = await upload(client, member, lab, HEADER + "2025-01-01,race.gas,3,,\n")
        assert response.status_code == 202, response.text
        async with asyncio.timeout(30):
            while True:
                # A connection per look: pg_stat_activity is read once per transaction.
                async with database.get_engine().connect() as observer:
                    if (await observer.execute(waiting_for_lock)).scalar_one():
                        break
                await asyncio.sleep(0.05)
        await deleter.commit()
    job = await wait_for_end(client, member, response.json()["id"])
    assert job["state"] == "failed", job
    assert job["message"] == (
        "An emission factor this import uses was deleted while it ran; nothing was imported. "
        "Upload the file again."
    )
    assert await entry_count(session, lab) == 0


# The file's 10 typed rows in one chunk, in chunks of 3 (the last one short) and of 5 (the last
# one full, so an empty chunk ends the pipeline).
@pytest.mark.parametrize("chunk_rows", [activity_imports.TYPED_CHUNK_ROWS, 3, 5])
async def test_typed_rows_import_as_the_api_computes_them_and_bad_ones_are_row_errors(
    client: httpx.AsyncClient,
    member: Caller,
    lab: Lab,
    session: AsyncSession,
    jobs: None,
    monkeypatch: pytest.MonkeyPatch,
    chunk_rows: int,
) -> None:
    monkeypatch.setattr(activity_imports, "TYPED_CHUNK_ROWS", chunk_rows)
    for key, kg, unit, cabin, low in [
        ("flight.economy", "0.1", "pkm", CabinClass.ECONOMY, 0),
        ("spend.it", "0.3", "CHF", None, None),
        ("gas.ar6.HFC32", "771", "kg", None, None),
    ]:
        await make_factor(
            session,
            key=key,
            year=2025,
            kg=kg,
            unit=unit,
            category=FactorCategory.OTHER,
            scope=3,
            cabin_class=cabin,
            distance_min_km=low,
        )
    text = (
        "kind,date,factor_key,quantity,origin,destination,cabin_class,round_trip,travellers,"
        "amount,currency,gas,kg,note\n"
        ",2025-01-01,electricity.grid.CH,1,,,,,,,,,,plain\n"
        "flight,2025-02-03,,,gva,LHR,Economy,yes,2,,,,,a flight\n"
        "purchase,2025-03-01,spend.it,,,,,,,250.40,usd,,,\n"
        "refrigerant,2025-04-01,,,,,,,,,,HFC32,0.8,\n"
        "flight,2025-02-03,,,GVA,GVA,,,,,,,,\n"
        "flight,2025-02-03,,,GVA,QQQ,,,,,,,,\n"
        "flight,2025-02-03,,,GVA,LHR,,maybe,,,,,,\n"
        "purchase,2025-03-01,spend.it,,,,,,,10,XYZ,,,\n"
        "refrigerant,2025-04-01,,,,,,,,,,R999,1,\n"
        "boat,2025-04-01,,,,,,,,,,,,\n"
        "flight,2025-02-03,,5,GVA,LHR,,,,,,,,\n"
    )
    response = await upload(client, member, lab, text, on_error="skip")
    assert response.status_code == 202, response.text
    job = await wait_for_end(client, member, response.json()["id"])
    assert (job["state"], job["rows_ok"], job["rows_failed"]) == ("succeeded", 4, 7), job
    assert [(error["row"], error["column"]) for error in job["row_errors"]] == [
        (6, "destination"),
        (7, "destination"),
        (8, "round_trip"),
        (9, "currency"),
        (10, "gas"),
        (11, "kind"),
        (12, "quantity"),
    ]
    imported = (
        await client.get(f"/api/v1/labs/{lab.id}/entries?order=asc", headers=member.headers)
    ).json()["items"]
    by_kind = {entry["kind"]: entry for entry in imported}
    assert sorted(by_kind) == ["flight", "purchase", "quantity", "refrigerant"]
    # The same activities through the API: the same figures.
    bodies: list[dict[str, Any]] = [
        {"kind": "flight", "date": "2025-02-03", "origin": "GVA", "destination": "LHR",
         "cabin_class": "economy", "round_trip": True, "travellers": 2, "note": "a flight"},
        {"kind": "purchase", "date": "2025-03-01", "factor_key": "spend.it", "amount": "250.40",
         "currency": "USD"},
        {"kind": "refrigerant", "date": "2025-04-01", "gas": "HFC32", "kg": "0.8"},
    ]  # fmt: skip
    for body in bodies:
        posted = await client.post(
            f"/api/v1/labs/{lab.id}/entries", json=body, headers=member.headers
        )
        assert posted.status_code == 201, posted.text
        same = by_kind[body["kind"]]
        for name in ("factor_key", "quantity", "kg_co2e", "activity", "note", "unit"):
            assert posted.json()[name] == same[name], name
    await assert_no_staged_rows(session)
    undone = await client.delete(f"/api/v1/imports/{job['id']}", headers=member.headers)
    assert undone.status_code == 204, undone.text
    assert await entry_count(session, lab) == 3  # the API's three stay


async def test_a_failed_import_reports_its_typed_rows_problems_and_stores_nothing(
    client: httpx.AsyncClient, member: Caller, lab: Lab, session: AsyncSession, jobs: None
) -> None:
    await make_factor(
        session,
        key="flight.economy",
        year=2025,
        kg="0.1",
        unit="pkm",
        category=FactorCategory.AIR_TRAVEL,
        scope=3,
        cabin_class=CabinClass.ECONOMY,
        distance_min_km=0,
    )
    text = (
        "kind,date,origin,destination\n"
        "flight,2025-02-03,GVA,LHR\n"
        "flight,2025-02-03,GVA,QQQ\n"
        "flight,2025-13-03,GVA,LHR\n"
    )
    job = await wait_for_end(client, member, (await upload(client, member, lab, text)).json()["id"])
    assert job["state"] == "failed", job
    assert [(error["row"], error["column"]) for error in job["row_errors"]] == [
        (3, "destination"),
        (4, "date"),
    ]
    assert await entry_count(session, lab) == 0
    await assert_no_staged_rows(session)


async def test_equipment_rows_import_as_the_api_adds_equipment_one_entry_a_year(
    client: httpx.AsyncClient, member: Caller, lab: Lab, session: AsyncSession, jobs: None
) -> None:
    await make_factor(
        session,
        key="equipment.laptop",
        year=2024,
        kg="300",
        unit="item",
        category=FactorCategory.EQUIPMENT,
        scope=3,
    )
    text = (
        "kind,date,factor_key,quantity,lifetime_years,note\n"
        "equipment,2024-06-15,equipment.laptop,1,3,three years\n"
        "equipment,2024-06-15,equipment.laptop,1,0,\n"
        "equipment,2019-06-15,equipment.laptop,1,2,\n"
        "equipment,2024-06-15,equipment.laptop,2,,\n"
    )
    response = await upload(client, member, lab, text, on_error="skip")
    job = await wait_for_end(client, member, response.json()["id"])
    assert (job["state"], job["rows_ok"], job["rows_failed"]) == ("succeeded", 1, 3), job
    assert [(error["row"], error["column"]) for error in job["row_errors"]] == [
        (3, "lifetime_years"),
        (4, "factor_key"),  # no factor of 2019, the purchase year: none of its years imports
        (5, "lifetime_years"),  # required
    ]
    imported = (
        await client.get(f"/api/v1/labs/{lab.id}/entries?order=asc", headers=member.headers)
    ).json()["items"]
    # The same purchase through the API: the same entries, but for the series that ties them.
    body = {
        "kind": "equipment",
        "date": "2024-06-15",
        "factor_key": "equipment.laptop",
        "quantity": "1",
        "lifetime_years": 3,
        "note": "three years",
    }
    posted = await client.post(f"/api/v1/labs/{lab.id}/entries", json=body, headers=member.headers)
    assert posted.status_code == 201, posted.text
    through_api = [
        entry
        for entry in (
            await client.get(f"/api/v1/labs/{lab.id}/entries?order=asc", headers=member.headers)
        ).json()["items"]
        if entry["import_id"] is None
    ]

    def figures(entries: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
        return [
            (
                e["date"],
                e["quantity"],
                e["kg_co2e"],
                e["factor_year"],
                e["note"],
                {k: v for k, v in e["activity"].items() if k != "series_id"},
            )
            for e in entries
        ]

    assert len(imported) == 3
    assert figures(imported) == figures(through_api)
    assert len({e["activity"]["series_id"] for e in imported}) == 1
    await assert_no_staged_rows(session)
    undone = await client.delete(f"/api/v1/imports/{job['id']}", headers=member.headers)
    assert undone.status_code == 204, undone.text
    assert await entry_count(session, lab) == 3  # the API's purchase stays


async def test_an_equipment_row_with_a_signed_off_year_in_its_lifetime_imports_none_of_them(
    client: httpx.AsyncClient,
    admin: Caller,
    member: Caller,
    lab: Lab,
    session: AsyncSession,
    jobs: None,
) -> None:
    await make_factor(
        session,
        key="equipment.laptop",
        year=2024,
        kg="300",
        unit="item",
        category=FactorCategory.EQUIPMENT,
        scope=3,
    )
    year = f"/api/v1/labs/{lab.id}/years/2025"
    submitted = await client.post(f"{year}/submit", json={"version": 0}, headers=member.headers)
    assert submitted.status_code == 200, submitted.text
    text = (
        "kind,date,factor_key,quantity,lifetime_years\nequipment,2024-06-15,equipment.laptop,1,3\n"
    )
    response = await upload(client, member, lab, text, on_error="skip")
    job = await wait_for_end(client, member, response.json()["id"])
    assert (job["rows_ok"], job["rows_failed"]) == (0, 1), job
    assert job["row_errors"] == [
        {
            "row": 2,
            "column": "date",
            "message": "the year 2025 is signed off (submitted or validated): "
            "reopen it to import into it",
        }
    ]
    assert await entry_count(session, lab) == 0


async def test_a_typed_import_cancelled_while_it_runs_writes_nothing_and_ends_cancelled(
    client: httpx.AsyncClient,
    member: Caller,
    lab: Lab,
    session: AsyncSession,
    app: FastAPI,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The computation of typed rows runs beside the insert: a cancellation seen by the insert
    ends both, and the job ends cancelled (not failed, not retried)."""
    monkeypatch.setattr(activity_imports, "TYPED_CHUNK_ROWS", 2)
    await make_factor(
        session, key="flight.economy", year=2025, kg="0.1", unit="pkm",
        category=FactorCategory.AIR_TRAVEL, scope=3, cabin_class=CabinClass.ECONOMY,
        distance_min_km=0,
    )  # fmt: skip
    text_ = "kind,date,origin,destination\n" + "flight,2025-02-03,GVA,LHR\n" * 6
    response = await upload(client, member, lab, text_)  # no job runner yet: it stays queued
    assert response.status_code == 202, response.text
    job_id = response.json()["id"]
    # As `POST /imports/{id}/cancel` marks a running job: seen after the first batch.
    marked = update(DataIngestionJob).where(col(DataIngestionJob.id) == UUID(job_id))
    await session.exec(marked.values(cancel_requested=True))
    await session.commit()
    monkeypatch.setattr(settings, "JOB_POLL_SECONDS", 1)
    async with app.router.lifespan_context(app):
        job = await wait_for_end(client, member, job_id)
    assert job["state"] == "cancelled", job
    assert await entry_count(session, lab) == 0
    await assert_no_staged_rows(session)


async def test_an_import_whose_staged_rows_were_lost_fails_and_asks_for_the_file_again(
    client: httpx.AsyncClient,
    member: Caller,
    lab: Lab,
    session: AsyncSession,
    app: FastAPI,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The staging tables are UNLOGGED: an unclean shutdown of PostgreSQL empties them. A queued
    import whose rows are gone fails with a message saying so, and writes nothing."""
    first = await upload(client, member, lab, HEADER + "2025-01-01,electricity.grid.CH,8,,\n")
    response = await upload(client, member, lab, HEADER + "2025-01-02,electricity.grid.CH,1,,\n")
    assert response.status_code == 202, response.text  # no job runner yet: both stay queued
    connection = await session.connection()
    persistence = text("SELECT relpersistence FROM pg_class WHERE relname = 'import_activity_row'")
    assert (await connection.execute(persistence)).scalar_one() == "u"  # unlogged
    await connection.execute(text("TRUNCATE import_activity_row"))  # as crash recovery does
    await session.commit()
    monkeypatch.setattr(settings, "JOB_POLL_SECONDS", 1)
    async with app.router.lifespan_context(app):
        jobs = [await wait_for_end(client, member, r.json()["id"]) for r in (first, response)]
    for job in jobs:  # both end before the runner stops
        assert job["state"] == "failed", job
        assert "Only 0 of the 1 uploaded rows were found" in job["message"]
    assert await entry_count(session, lab) == 0


async def test_a_runner_starting_deletes_what_ended_jobs_left_staged_and_keeps_queued_rows(
    client: httpx.AsyncClient, member: Caller, lab: Lab, session: AsyncSession
) -> None:
    """A server stopped between an import's commit and the delete of its staged rows (which
    follows it) leaves them: the next runner to start deletes them. A queued job keeps its
    rows."""
    ended = await upload(client, member, lab, HEADER + "2025-01-01,electricity.grid.CH,8,,\n")
    queued = await upload(client, member, lab, HEADER + "2025-01-02,electricity.grid.CH,1,,\n")
    assert queued.status_code == 202, queued.text  # no job runner yet: both stay queued
    ended_id, queued_id = UUID(ended.json()["id"]), UUID(queued.json()["id"])
    as_if_ended = update(DataIngestionJob).where(col(DataIngestionJob.id) == ended_id)
    await session.exec(as_if_ended.values(state=JobState.SUCCEEDED))
    await session.commit()

    async def staged_of(job_id: UUID) -> int:
        query = select(func.count()).select_from(activity_staging)
        return int((await session.exec(query.where(activity_staging.c.job_id == job_id))).one())

    assert (await staged_of(ended_id), await staged_of(queued_id)) == (1, 1)
    # No worker: it claims nothing, so the queued job stays queued with its rows.
    runner = JobRunner(
        get_job_session_factory(), workers=0, poll_seconds=30, lease_seconds=60, max_attempts=3
    )
    runner.start()
    try:
        async with asyncio.timeout(30):
            while True:
                if await staged_of(ended_id) == 0:
                    break
                await asyncio.sleep(0.05)
    finally:
        await runner.stop()
    assert await staged_of(queued_id) == 1
    job = await client.get(f"/api/v1/imports/{queued_id}", headers=member.headers)
    assert job.json()["state"] == "queued"
