"""Year sign-off: open → submitted → validated, send back and reopen with a reason, the history,
the 409 `year-locked` of every write path into a signed-off year, concurrent transitions, and what
a factor change does to a validated year."""

import asyncio
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app import database
from app.models.entry import ActivityEntry
from app.models.factor import FactorCategory
from app.models.job import JobKind
from app.models.lab import Lab
from app.models.signoff import LabYearTransition
from app.repositories import signoff as signoff_repository
from tests.factories import Caller, make_factor, make_lab
from tests.integration.test_factor_imports import jobs_of
from tests.integration.test_imports import HEADER, upload, wait_for_end

KEY = "electricity.grid.CH"


@pytest.fixture
async def lab(session: AsyncSession, member: Caller) -> Lab:
    """A lab managed by `member`, with factors of 2024 and 2025."""
    await make_factor(session, key=KEY, year=2025, kg="0.125", unit="kWh")
    await make_factor(session, key=KEY, year=2024, kg="0.2", unit="kWh")
    return await make_lab(session, member.user)


def _year(lab: Lab, year: int) -> str:
    return f"/api/v1/labs/{lab.id}/years/{year}"


async def status(client: httpx.AsyncClient, caller: Caller, lab: Lab, year: int) -> dict[str, Any]:
    response = await client.get(f"{_year(lab, year)}/status", headers=caller.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def move(
    client: httpx.AsyncClient,
    caller: Caller,
    lab: Lab,
    year: int,
    action: str,
    *,
    version: int | None = None,
    reason: str | None = None,
) -> httpx.Response:
    if version is None:
        version = (await status(client, caller, lab, year))["version"]
    body: dict[str, Any] = {"version": version}
    if reason is not None:
        body["reason"] = reason
    return await client.post(f"{_year(lab, year)}/{action}", json=body, headers=caller.headers)


async def add(
    client: httpx.AsyncClient, caller: Caller, lab: Lab, day: str, quantity: str
) -> httpx.Response:
    return await client.post(
        f"/api/v1/labs/{lab.id}/entries",
        json={"date": day, "factor_key": KEY, "quantity": quantity},
        headers=caller.headers,
    )


async def validated(
    client: httpx.AsyncClient, admin: Caller, member: Caller, lab: Lab, year: int
) -> dict[str, Any]:
    assert (await move(client, member, lab, year, "submit")).status_code == 200
    response = await move(client, admin, lab, year, "validate")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def stored(session: AsyncSession, lab: Lab) -> list[tuple[str, Decimal, int, str]]:
    query = (
        select(ActivityEntry)
        .where(ActivityEntry.lab_id == lab.id)
        .order_by(col(ActivityEntry.date), col(ActivityEntry.id))
        .execution_options(populate_existing=True)
    )
    rows = (await session.exec(query)).all()
    return [(e.date.isoformat(), e.kg_co2e, e.version, e.note) for e in rows]


async def transitions(session: AsyncSession, lab: Lab) -> int:
    query = select(func.count()).select_from(LabYearTransition)
    return int((await session.exec(query.where(LabYearTransition.lab_id == lab.id))).one())


def assert_locked(response: httpx.Response) -> None:
    assert response.status_code == 409, response.text
    problem = response.json()
    assert problem["type"].endswith("/year-locked")
    assert problem["title"] == "Year signed off"


async def test_a_year_goes_open_submitted_validated_and_each_step_is_recorded(
    client: httpx.AsyncClient, admin: Caller, member: Caller, lab: Lab
) -> None:
    assert (await add(client, member, lab, "2025-03-01", "8")).status_code == 201  # 1 kg
    first = await status(client, member, lab, 2025)
    assert (first["state"], first["version"], first["signed"], first["history"]) == (
        "open",
        0,
        None,
        [],
    )
    submitted = await move(client, member, lab, 2025, "submit", version=0)
    assert submitted.status_code == 200, submitted.text
    assert (submitted.json()["state"], submitted.json()["version"]) == ("submitted", 1)

    body = (await move(client, admin, lab, 2025, "validate", version=1, reason="Checked")).json()
    assert (body["state"], body["version"]) == ("validated", 2)
    assert body["signed"] | {"validated_at": None} == {
        "validated_at": None,
        "total_kg_co2e": "1",
        "entry_count": 1,
        "by_category": [{"category": "electricity", "kg_co2e": "1"}],
        "by_scope": [{"scope": 2, "kg_co2e": "1"}],
        "current_total_kg_co2e": "1",
        "difference_kg_co2e": "0",
    }
    steps = [
        (h["action"], h["from_state"], h["to_state"], h["actor_email"], h["reason"])
        for h in body["history"]
    ]
    assert steps == [
        ("submit", "open", "submitted", member.user.email, None),
        ("validate", "submitted", "validated", admin.user.email, "Checked"),
    ]
    assert [h["signed_kg_co2e"] for h in body["history"]] == [None, "1"]
    assert body["signed"]["validated_at"] == body["history"][1]["at"]
    assert body == await status(client, member, lab, 2025)
    # Other years stay open.
    assert (await status(client, member, lab, 2024))["state"] == "open"
    assert (await add(client, member, lab, "2024-03-01", "1")).status_code == 201


async def test_send_back_needs_a_reason_and_opens_the_year_again(
    client: httpx.AsyncClient, admin: Caller, member: Caller, lab: Lab, session: AsyncSession
) -> None:
    assert (await move(client, member, lab, 2025, "submit")).status_code == 200
    before = await status(client, admin, lab, 2025)
    for reason in (None, "", "   "):
        response = await move(client, admin, lab, 2025, "send-back", version=1, reason=reason)
        assert response.status_code == 422, response.text
        assert [e["loc"] for e in response.json()["errors"]] == [["body", "reason"]]
    assert await status(client, admin, lab, 2025) == before
    assert await transitions(session, lab) == 1

    back = await move(client, admin, lab, 2025, "send-back", version=1, reason="Heating missing")
    assert back.status_code == 200, back.text
    assert (back.json()["state"], back.json()["version"]) == ("open", 2)
    assert back.json()["history"][-1]["reason"] == "Heating missing"
    assert (await add(client, member, lab, "2025-03-01", "8")).status_code == 201


async def test_validating_twice_or_submitting_a_validated_year_is_a_409_that_changes_nothing(
    client: httpx.AsyncClient, admin: Caller, member: Caller, lab: Lab, session: AsyncSession
) -> None:
    await validated(client, admin, member, lab, 2025)
    before = await status(client, admin, lab, 2025)
    refusals = [
        await move(client, admin, lab, 2025, "validate"),
        await move(client, member, lab, 2025, "submit"),
        await move(client, admin, lab, 2025, "send-back", reason="late"),
        # an open year cannot be validated, sent back or reopened
        await move(client, admin, lab, 2024, "validate"),
        await move(client, admin, lab, 2024, "reopen", reason="why not"),
    ]
    for response in refusals:
        assert response.status_code == 409, response.text
        assert response.json()["type"].endswith("/conflict")
    assert "only a submitted year can be validated" in refusals[0].json()["detail"]
    assert await status(client, admin, lab, 2025) == before
    assert await transitions(session, lab) == 2


async def test_a_stale_version_is_a_409(
    client: httpx.AsyncClient, admin: Caller, member: Caller, lab: Lab
) -> None:
    assert (await move(client, member, lab, 2025, "submit", version=0)).status_code == 200
    stale = await move(client, admin, lab, 2025, "validate", version=0)
    assert stale.status_code == 409
    assert "changed since you read it" in stale.json()["detail"]
    assert (await status(client, admin, lab, 2025))["state"] == "submitted"


async def test_reopening_is_explicit_with_a_reason_and_recorded(
    client: httpx.AsyncClient, admin: Caller, member: Caller, lab: Lab
) -> None:
    assert (await add(client, member, lab, "2025-03-01", "8")).status_code == 201
    await validated(client, admin, member, lab, 2025)
    assert (await move(client, admin, lab, 2025, "reopen")).status_code == 422
    # Only admins reopen; the lab's manager cannot even with a reason.
    assert (await move(client, member, lab, 2025, "reopen", reason="typo")).status_code == 403
    reopened = await move(client, admin, lab, 2025, "reopen", reason="Invoice corrected")
    assert reopened.status_code == 200, reopened.text
    body = reopened.json()
    assert (body["state"], body["version"], body["signed"]) == ("open", 3, None)
    assert [(h["action"], h["reason"]) for h in body["history"]][-1] == (
        "reopen",
        "Invoice corrected",
    )
    assert body["history"][1]["signed_kg_co2e"] == "1"  # the validation's total stays recorded
    assert (await add(client, member, lab, "2025-04-01", "8")).status_code == 201
    report = await client.get(
        f"/api/v1/reports/{lab.id}", params={"year": 2025}, headers=member.headers
    )
    assert report.json()["sign_off"] == {
        "state": "open",
        "signed_total_kg_co2e": None,
        "difference_kg_co2e": None,
    }


@pytest.mark.parametrize("state", ["submitted", "validated"])
async def test_entry_and_headcount_writes_into_a_signed_off_year_are_409_and_change_nothing(
    client: httpx.AsyncClient,
    admin: Caller,
    member: Caller,
    lab: Lab,
    session: AsyncSession,
    state: str,
) -> None:
    await make_factor(
        session,
        key="gas.ar6.HFC134a",
        year=2025,
        kg="1530",
        unit="kg",
        category=FactorCategory.OTHER,
        scope=1,
    )
    in_2025 = (await add(client, member, lab, "2025-03-01", "8")).json()
    in_2024 = (await add(client, member, lab, "2024-03-01", "5")).json()
    headcount = {"categories": [{"category": "researchers", "fte": "2.5"}]}
    put = await client.put(
        f"/api/v1/labs/{lab.id}/headcount/2025", json=headcount, headers=member.headers
    )
    assert put.status_code == 200
    assert (await move(client, member, lab, 2025, "submit")).status_code == 200
    if state == "validated":
        assert (await move(client, admin, lab, 2025, "validate")).status_code == 200
    before = await stored(session, lab)

    refrigerant = {"kind": "refrigerant", "date": "2025-07-01", "gas": "HFC134a", "kg": "2.5"}
    for caller in (member, admin):  # admins too: the year must be reopened first
        assert_locked(await add(client, caller, lab, "2025-12-31", "1"))
        assert_locked(  # a typed activity, resolved before its insert refuses it
            await client.post(
                f"/api/v1/labs/{lab.id}/entries", json=refrigerant, headers=caller.headers
            )
        )
        assert_locked(
            await client.patch(
                f"/api/v1/entries/{in_2025['id']}",
                json={"version": 1, "note": "changed"},
                headers=caller.headers,
            )
        )
        # An entry of an open year may not move into the signed-off one, nor one out of it.
        assert_locked(
            await client.patch(
                f"/api/v1/entries/{in_2024['id']}",
                json={"version": 1, "date": "2025-01-15"},
                headers=caller.headers,
            )
        )
        assert_locked(
            await client.patch(
                f"/api/v1/entries/{in_2025['id']}",
                json={"version": 1, "date": "2024-01-15"},
                headers=caller.headers,
            )
        )
        assert_locked(
            await client.delete(f"/api/v1/entries/{in_2025['id']}", headers=caller.headers)
        )
        assert_locked(
            await client.put(
                f"/api/v1/labs/{lab.id}/headcount/2025", json=headcount, headers=caller.headers
            )
        )
        assert_locked(
            await client.delete(f"/api/v1/labs/{lab.id}/headcount/2025", headers=caller.headers)
        )
    assert await stored(session, lab) == before
    fte = await client.get(f"/api/v1/labs/{lab.id}/headcount/2025", headers=member.headers)
    assert fte.json()["total_fte"] == "2.5"
    # The open year next to it takes writes.
    patched = await client.patch(
        f"/api/v1/entries/{in_2024['id']}",
        json={"version": 1, "note": "ok"},
        headers=member.headers,
    )
    assert patched.status_code == 200, patched.text


@pytest.mark.parametrize("policy", ["fail", "skip"])
async def test_an_import_with_rows_in_a_signed_off_year_reports_them_as_row_errors(
    client: httpx.AsyncClient,
    admin: Caller,
    member: Caller,
    lab: Lab,
    session: AsyncSession,
    jobs: None,
    policy: str,
) -> None:
    await validated(client, admin, member, lab, 2025)
    text = HEADER + f"2024-05-01,{KEY},5,,\n2025-05-01,{KEY},8,,\n2025-06,{KEY},1,,\n"
    response = await upload(client, member, lab, text, on_error=policy)
    assert response.status_code == 202, response.text
    job = await wait_for_end(client, member, response.json()["id"])
    message = "the year 2025 is signed off (submitted or validated): reopen it to import into it"
    assert job["row_errors"] == [
        {"row": 3, "column": "date", "message": message},
        {"row": 4, "column": "date", "message": message},
    ]
    if policy == "fail":
        assert job["state"] == "failed"
        assert await stored(session, lab) == []
    else:
        assert (job["state"], job["rows_ok"], job["rows_failed"]) == ("succeeded", 1, 2)
        assert [row[0] for row in await stored(session, lab)] == ["2024-05-01"]


async def test_undoing_an_import_with_entries_in_a_validated_year_is_409_and_keeps_them(
    client: httpx.AsyncClient,
    admin: Caller,
    member: Caller,
    lab: Lab,
    session: AsyncSession,
    jobs: None,
) -> None:
    text = HEADER + f"2024-05-01,{KEY},5,,\n2025-05-01,{KEY},8,,\n"
    job_id = (await upload(client, member, lab, text)).json()["id"]
    assert (await wait_for_end(client, member, job_id))["state"] == "succeeded"
    await validated(client, admin, member, lab, 2025)
    before = await stored(session, lab)
    for caller in (member, admin):
        assert_locked(await client.delete(f"/api/v1/imports/{job_id}", headers=caller.headers))
    assert await stored(session, lab) == before
    assert (
        await client.get(f"/api/v1/imports/{job_id}", headers=member.headers)
    ).status_code == 200
    # Once reopened, the undo goes through.
    reason = "Wrong file"
    assert (await move(client, admin, lab, 2025, "reopen", reason=reason)).status_code == 200
    assert (
        await client.delete(f"/api/v1/imports/{job_id}", headers=member.headers)
    ).status_code == 204
    assert await stored(session, lab) == []


async def test_a_factor_change_after_validation_keeps_the_signed_figures_and_shows_the_difference(
    client: httpx.AsyncClient,
    admin: Caller,
    member: Caller,
    lab: Lab,
    session: AsyncSession,
    jobs: None,
) -> None:
    assert (await add(client, member, lab, "2025-03-01", "8")).status_code == 201  # 1 kg
    assert (await add(client, member, lab, "2025-04-01", "16")).status_code == 201  # 2 kg
    await validated(client, admin, member, lab, 2025)
    factors = await client.get("/api/v1/factors", params={"year": 2025}, headers=admin.headers)
    factor = next(f for f in factors.json()["items"] if f["key"] == KEY)
    changed = await client.patch(
        f"/api/v1/factors/{factor['id']}",
        json={"version": factor["version"], "kg_co2e_per_unit": "0.5"},
        headers=admin.headers,
    )
    assert changed.status_code == 200, changed.text
    (recalculation,) = await jobs_of(session, JobKind.RECALCULATE)
    assert (await wait_for_end(client, admin, str(recalculation.id)))["state"] == "succeeded"

    body = await status(client, member, lab, 2025)
    assert body["state"] == "validated"
    signed = body["signed"]
    assert (signed["total_kg_co2e"], signed["by_scope"]) == ("3", [{"scope": 2, "kg_co2e": "3"}])
    assert (signed["current_total_kg_co2e"], signed["difference_kg_co2e"]) == ("12", "9")
    report = await client.get(
        f"/api/v1/reports/{lab.id}", params={"year": 2025}, headers=member.headers
    )
    assert report.json()["total_kg_co2e"] == "12"
    assert report.json()["sign_off"] == {
        "state": "validated",
        "signed_total_kg_co2e": "3",
        "difference_kg_co2e": "9",
    }
    exported = await client.get(
        f"/api/v1/reports/{lab.id}", params={"year": 2025, "format": "csv"}, headers=member.headers
    )
    assert exported.text.splitlines()[-2:] == ["signed,2025,3,,,", "signed_difference,2025,9,,,"]
    # The entries follow the factors like every other (the recalculation stored their new kg);
    # the year stays validated and still refuses writes.
    assert [row[1] for row in await stored(session, lab)] == [Decimal(4), Decimal(8)]
    assert_locked(await add(client, member, lab, "2025-05-01", "1"))


async def test_two_concurrent_transitions_cannot_both_succeed(
    client: httpx.AsyncClient, admin: Caller, member: Caller, lab: Lab, session: AsyncSession
) -> None:
    submits = await asyncio.gather(
        *(move(client, member, lab, 2025, "submit", version=0) for _ in range(4))
    )
    assert sorted(r.status_code for r in submits) == [200, 409, 409, 409]
    refused = [r.json()["detail"] for r in submits if r.status_code == 409]
    assert all(detail.startswith("The year 2025 is submitted") for detail in refused), refused
    decisions = await asyncio.gather(
        move(client, admin, lab, 2025, "validate", version=1),
        move(client, admin, lab, 2025, "send-back", version=1, reason="No"),
    )
    assert sorted(r.status_code for r in decisions) == [200, 409]
    state = (await status(client, admin, lab, 2025))["state"]
    winner = "validate" if state == "validated" else "send_back"
    assert [h["action"] for h in (await status(client, admin, lab, 2025))["history"]] == [
        "submit",
        winner,
    ]
    assert await transitions(session, lab) == 2


async def test_a_submission_is_refused_while_an_import_of_the_lab_holds_its_entries(
    client: httpx.AsyncClient, member: Caller, lab: Lab, session: AsyncSession
) -> None:
    async with database.get_session_factory()() as importing:
        await signoff_repository.hold_lab_shared(importing, lab_id=lab.id)  # as an import does
        refused = await move(client, member, lab, 2025, "submit", version=0)
        assert refused.status_code == 409
        assert "import" in refused.json()["detail"]
        await importing.rollback()
    assert (await status(client, member, lab, 2025))["state"] == "open"
    assert await transitions(session, lab) == 0
    assert (await move(client, member, lab, 2025, "submit", version=0)).status_code == 200


async def test_a_submission_waits_for_an_entry_write_in_progress_and_then_freezes_it(
    client: httpx.AsyncClient, admin: Caller, member: Caller, lab: Lab, session: AsyncSession
) -> None:
    async with database.get_session_factory()() as writing:
        # A write of the year that has passed its check but not committed yet.
        await signoff_repository.lock_years_shared(writing, lab_id=lab.id, years={2025})
        submit = asyncio.create_task(move(client, member, lab, 2025, "submit", version=0))
        async with asyncio.timeout(10):
            while True:  # until the submission waits for the writer's lock
                if await _waits_for_advisory_lock(session):
                    break
                await asyncio.sleep(0.02)
        assert not submit.done()
        await writing.commit()
    assert (await submit).status_code == 200
    assert_locked(await add(client, member, lab, "2025-03-01", "8"))


async def _waits_for_advisory_lock(session: AsyncSession) -> bool:
    query = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
    connection = await session.connection()
    waiting = (await connection.execute(text(query))).scalar_one()
    await session.commit()
    return int(waiting) > 0


async def test_equipment_spread_into_a_signed_off_year_is_refused_on_create_and_delete(
    client: httpx.AsyncClient, admin: Caller, member: Caller, lab: Lab, session: AsyncSession
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
    body = {
        "kind": "equipment",
        "date": "2024-06-15",
        "factor_key": "equipment.laptop",
        "quantity": "1",
        "lifetime_years": 3,
    }
    url = f"/api/v1/labs/{lab.id}/entries"
    created = await client.post(url, json=body, headers=member.headers)
    assert created.status_code == 201, created.text
    await validated(client, admin, member, lab, 2025)  # the purchase's second year
    before = await stored(session, lab)
    assert [row[0][:4] for row in before] == ["2024", "2025", "2026"]

    # Its first year is open, but deleting it deletes the whole purchase, 2025 included.
    assert_locked(
        await client.delete(f"/api/v1/entries/{created.json()['id']}", headers=member.headers)
    )
    # A new purchase in 2024 (open) would put its second year's share into 2025.
    assert_locked(await client.post(url, json=body, headers=member.headers))
    assert await stored(session, lab) == before
    later = body | {"date": "2026-01-10", "lifetime_years": 1}
    assert (await client.post(url, json=later, headers=member.headers)).status_code == 201
