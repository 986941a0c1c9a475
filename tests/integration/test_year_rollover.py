"""Year rollover (issue 15 item 2): an entry dated in a year without a factor of its key uses the
latest earlier year's within FACTOR_ROLLOVER_YEARS, says so (`factor_year`), the report counts
what rests on an earlier year's factor, and the recalculation job moves those entries when their
own year's factor arrives (POST /factors, a factors CSV import)."""

import asyncio
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.config import settings
from app.db.transaction import DriverTransaction
from app.models.entry import ActivityEntry, EntryCreate
from app.models.factor import FactorCategory
from app.models.job import DataIngestionJob, JobKind
from app.models.lab import Lab
from app.services import entries as entry_service
from tests.factories import Caller, make_factor, make_lab, principal_of
from tests.integration.test_factor_imports import jobs_of, until_the_values_lock_was_tried
from tests.integration.test_factor_imports import upload as upload_factors
from tests.integration.test_imports import upload as upload_activities
from tests.integration.test_imports import wait_for_end

KEY = "electricity.grid.CH"
FACTOR_BODY = {
    "key": KEY,
    "category": "electricity",
    "unit": "kWh",
    "kg_co2e_per_unit": "0.1",
    "scope": 2,
    "year": 2026,
    "source": "test",
}


@pytest.fixture
async def lab(session: AsyncSession, member: Caller) -> Lab:
    """A lab without a region; KEY has a factor for 2025 only, rail.km for 2025 and 2026."""
    await make_factor(session, key=KEY, year=2025, kg="0.125", unit="kWh")
    await make_factor(session, key="rail.km", year=2025, kg="0.007", unit="km")
    await make_factor(session, key="rail.km", year=2026, kg="0.006", unit="km")
    return await make_lab(session, member.user)


async def add(
    client: httpx.AsyncClient, caller: Caller, lab: Lab, day: str, quantity: str, key: str = KEY
) -> httpx.Response:
    return await client.post(
        f"/api/v1/labs/{lab.id}/entries",
        json={"date": day, "factor_key": key, "quantity": quantity},
        headers=caller.headers,
    )


async def stored(session: AsyncSession, lab: Lab) -> list[tuple[str, Decimal, int]]:
    """Each entry as stored: date, kg CO2e, version."""
    query = (
        select(ActivityEntry)
        .where(ActivityEntry.lab_id == lab.id)
        .order_by(col(ActivityEntry.date), col(ActivityEntry.quantity))
        .execution_options(populate_existing=True)
    )
    return [(e.date.isoformat(), e.kg_co2e, e.version) for e in (await session.exec(query)).all()]


async def report(client: httpx.AsyncClient, caller: Caller, lab: Lab, year: int) -> dict[str, Any]:
    response = await client.get(
        f"/api/v1/reports/{lab.id}", params={"year": year}, headers=caller.headers
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_an_entry_on_1_january_uses_the_previous_years_factor_and_says_so(
    client: httpx.AsyncClient, member: Caller, lab: Lab
) -> None:
    response = await add(client, member, lab, "2026-01-01", "8")
    assert response.status_code == 201, response.text
    entry = response.json()
    assert (entry["factor_year"], entry["kg_co2e"]) == (2025, "1")  # 8 x 0.125
    read = await client.get(f"/api/v1/entries/{entry['id']}", headers=member.headers)
    assert read.json()["factor_year"] == 2025
    # The year's own factor, when there is one, and the year that factor names.
    own = await add(client, member, lab, "2026-01-01", "1000", key="rail.km")
    assert (own.json()["factor_year"], own.json()["kg_co2e"]) == (2026, "6")
    listed = await client.get(f"/api/v1/labs/{lab.id}/entries", headers=member.headers)
    assert sorted(item["factor_year"] for item in listed.json()["items"]) == [2025, 2026]


async def test_the_latest_earlier_year_wins_before_the_region(
    client: httpx.AsyncClient, session: AsyncSession, member: Caller
) -> None:
    """Within the window the latest year is taken; within that year, the lab's region first."""
    await make_factor(session, key="heat.gas", year=2023, kg="0.3", unit="kWh", region="CH")
    await make_factor(session, key="heat.gas", year=2024, kg="0.2", unit="kWh")
    await make_factor(session, key="heat.gas", year=2022, kg="0.9", unit="kWh", region="CH")
    lab = await make_lab(session, member.user, region="CH")
    entry = (await add(client, member, lab, "2026-07-01", "10", key="heat.gas")).json()
    assert (entry["factor_year"], entry["kg_co2e"]) == (2024, "2")
    await make_factor(session, key="heat.gas", year=2024, kg="0.25", unit="kWh", region="CH")
    entry = (await add(client, member, lab, "2026-07-01", "10", key="heat.gas")).json()
    assert (entry["factor_year"], entry["kg_co2e"]) == (2024, "2.5")


@pytest.mark.parametrize(
    ("window", "day", "message"),
    [
        (5, "2031-01-01", "There is no emission factor 'electricity.grid.CH' for 2031 or the 5 "
         "years before."),
        (1, "2027-01-01", "There is no emission factor 'electricity.grid.CH' for 2027 or the "
         "year before."),
        (0, "2026-01-01", "There is no emission factor 'electricity.grid.CH' for 2026."),
    ],
)  # fmt: skip
async def test_outside_the_window_the_entry_is_refused_with_422_and_nothing_is_stored(
    client: httpx.AsyncClient,
    member: Caller,
    lab: Lab,
    session: AsyncSession,
    monkeypatch: pytest.MonkeyPatch,
    window: int,
    day: str,
    message: str,
) -> None:
    monkeypatch.setattr(settings, "FACTOR_ROLLOVER_YEARS", window)
    response = await add(client, member, lab, day, "8")
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["detail"] == message
    assert [(e["loc"], e["type"]) for e in problem["errors"]] == [
        (["body", "factor_key"], "factor")
    ]
    assert await stored(session, lab) == []


async def test_a_patch_to_a_later_year_rolls_over_too(
    client: httpx.AsyncClient, member: Caller, lab: Lab
) -> None:
    entry = (await add(client, member, lab, "2025-06-01", "8")).json()
    response = await client.patch(
        f"/api/v1/entries/{entry['id']}",
        json={"version": entry["version"], "date": "2027-02-01"},
        headers=member.headers,
    )
    assert response.status_code == 200, response.text
    assert (response.json()["factor_year"], response.json()["kg_co2e"]) == (2025, "1")


async def test_the_report_says_how_much_rests_on_an_earlier_years_factor(
    client: httpx.AsyncClient, member: Caller, lab: Lab
) -> None:
    for day, quantity in (("2026-01-01", "8"), ("2026-03-31", "0.000003")):
        assert (await add(client, member, lab, day, quantity)).status_code == 201
    assert (await add(client, member, lab, "2026-02-01", "1000", key="rail.km")).status_code == 201
    body = await report(client, member, lab, 2026)
    # 8 x 0.125 = 1; 0.000003 x 0.125 = 0.000000375, rounded to 0.000000 (6 places)
    assert body["rollover"] == {"entries": 2, "kg_co2e": "1"}
    assert (body["entry_count"], body["total_kg_co2e"]) == (3, "7")
    exported = await client.get(
        f"/api/v1/reports/{lab.id}", params={"year": 2026, "format": "csv"}, headers=member.headers
    )
    assert "\r\nrollover,2026,1,2,entries,\r\n" in exported.text
    assert (await report(client, member, lab, 2025))["rollover"] == {"entries": 0, "kg_co2e": "0"}


async def _only_recalculation(
    client: httpx.AsyncClient, admin: Caller, session: AsyncSession
) -> dict[str, Any]:
    queued: list[DataIngestionJob] = await jobs_of(session, JobKind.RECALCULATE)
    assert len(queued) == 1
    job = await wait_for_end(client, admin, str(queued[0].id))
    assert job["state"] == "succeeded", job
    return job


async def test_a_new_factor_for_the_year_moves_its_entries_through_the_recalculation_job(
    client: httpx.AsyncClient,
    admin: Caller,
    member: Caller,
    lab: Lab,
    session: AsyncSession,
    jobs: None,
) -> None:
    first = (await add(client, member, lab, "2026-01-01", "8")).json()
    await add(client, member, lab, "2025-12-31", "8")  # its own year's factor: stays
    await add(client, member, lab, "2027-05-01", "8")  # 2026 is closer than 2025: moves too
    response = await client.post("/api/v1/factors", json=FACTOR_BODY, headers=admin.headers)
    assert response.status_code == 201, response.text
    job = await _only_recalculation(client, admin, session)
    assert job["message"].startswith("Moved 2 entries to a later year's factor.")
    moved = (await client.get(f"/api/v1/entries/{first['id']}", headers=member.headers)).json()
    assert (moved["factor_year"], moved["factor_id"], moved["kg_co2e"], moved["version"]) == (
        2026,
        response.json()["id"],
        "0.8",
        2,
    )
    assert await stored(session, lab) == [
        ("2025-12-31", Decimal("1.000000"), 1),
        ("2026-01-01", Decimal("0.800000"), 2),
        ("2027-05-01", Decimal("0.800000"), 2),
    ]
    assert (await report(client, member, lab, 2026))["rollover"] == {"entries": 0, "kg_co2e": "0"}
    assert (await report(client, member, lab, 2027))["rollover"] == {
        "entries": 1,
        "kg_co2e": "0.8",
    }


async def test_a_factor_no_entry_waits_for_queues_nothing(
    client: httpx.AsyncClient, admin: Caller, member: Caller, lab: Lab, session: AsyncSession
) -> None:
    await add(client, member, lab, "2026-01-01", "8")
    other_region = FACTOR_BODY | {"region": "DE"}  # the lab has no region
    response = await client.post("/api/v1/factors", json=other_region, headers=admin.headers)
    assert response.status_code == 201, response.text
    earlier = FACTOR_BODY | {"year": 2024}  # older than the one the entry rests on
    assert (await client.post("/api/v1/factors", json=earlier, headers=admin.headers)).is_success
    assert await jobs_of(session, JobKind.RECALCULATE) == []


async def test_a_factors_csv_import_moves_the_entries_too(
    client: httpx.AsyncClient,
    admin: Caller,
    member: Caller,
    lab: Lab,
    session: AsyncSession,
    jobs: None,
) -> None:
    await add(client, member, lab, "2026-04-01", "8")
    csv = (
        "key,category,unit,kg_co2e_per_unit,scope,year,region,source\n"
        f"{KEY},electricity,kWh,0.2,2,2026,,test\n"
    )
    response = await upload_factors(client, admin, csv)
    assert response.status_code == 202, response.text
    imported = await wait_for_end(client, admin, response.json()["id"])
    assert imported["state"] == "succeeded", imported
    assert "moving to the new ones" in imported["message"]
    await _only_recalculation(client, admin, session)
    assert await stored(session, lab) == [("2026-04-01", Decimal("1.600000"), 2)]


async def test_an_entries_csv_import_applies_the_same_rule(
    client: httpx.AsyncClient,
    member: Caller,
    lab: Lab,
    session: AsyncSession,
    jobs: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(settings, "FACTOR_ROLLOVER_YEARS", 2)
    rows = (
        "date,factor_key,quantity,unit,note\n"
        f"2026-01-01,{KEY},8,,\n"
        f"2027-12,{KEY},16,,\n"  # a month, two years on
        f"2028-01-01,{KEY},8,,\n"  # three years on: refused
    )
    response = await upload_activities(client, member, lab, rows, on_error="skip")
    assert response.status_code == 202, response.text
    job = await wait_for_end(client, member, response.json()["id"])
    assert (job["state"], job["rows_ok"], job["rows_failed"]) == ("succeeded", 2, 1), job
    assert [(e["row"], e["column"], e["message"]) for e in job["row_errors"]] == [
        (4, "factor_key", f"no emission factor '{KEY}' for 2028")
    ]
    listed = await client.get(f"/api/v1/labs/{lab.id}/entries", headers=member.headers)
    assert [(e["date"], e["factor_year"], e["kg_co2e"]) for e in listed.json()["items"]] == [
        ("2027-12-01", 2025, "2"),
        ("2026-01-01", 2025, "1"),
    ]


async def test_an_entry_too_heavy_for_the_new_factor_stays_and_the_job_says_so(
    client: httpx.AsyncClient,
    admin: Caller,
    member: Caller,
    session: AsyncSession,
    jobs: None,
) -> None:
    await make_factor(session, key="big.thing", year=2025, kg="0.000001", unit="kg")
    lab = await make_lab(session, member.user)
    big = "999999999999"  # x 0.000001 fits; x 999999999 does not
    assert (await add(client, member, lab, "2026-01-01", big, key="big.thing")).is_success
    body = FACTOR_BODY | {"key": "big.thing", "unit": "kg", "kg_co2e_per_unit": "999999999"}
    assert (await client.post("/api/v1/factors", json=body, headers=admin.headers)).is_success
    job = await _only_recalculation(client, admin, session)
    assert job["message"].startswith(
        "Moved 0 entries to a later year's factor; 1 stay on an earlier year's factor"
    )
    assert await stored(session, lab) == [("2026-01-01", Decimal("999999.999999"), 1)]


async def test_a_new_factor_waits_for_an_entry_being_written_on_the_older_one_then_moves_it(
    client: httpx.AsyncClient,
    admin: Caller,
    member: Caller,
    lab: Lab,
    session: AsyncSession,
    jobs: None,
) -> None:
    """An entry that chose 2025's factor before 2026's was added, and commits after: the POST
    waits for it (the values lock), so its recalculation finds and moves it."""
    writer = DriverTransaction()
    try:
        written = await entry_service.create_entry(
            writer,
            principal=principal_of(member.user),
            lab_id=lab.id,
            data=EntryCreate.model_validate(
                {"date": "2026-01-01", "factor_key": KEY, "quantity": "8"}
            ),
        )  # holds the values lock shared until it commits
        assert written.factor_year == 2025
        posting = asyncio.create_task(
            client.post("/api/v1/factors", json=FACTOR_BODY, headers=admin.headers)
        )
        await until_the_values_lock_was_tried()
        assert not posting.done()  # it tries again every 0.1 s until the writer commits
    finally:
        await writer.end(commit=True)
    response = await posting
    assert response.status_code == 201, response.text
    await _only_recalculation(client, admin, session)
    assert await stored(session, lab) == [("2026-01-01", Decimal("0.800000"), 2)]


LAPTOP = {"kind": "equipment", "factor_key": "equipment.laptop", "lifetime_years": 3}


async def test_equipment_bought_on_an_earlier_years_factor_is_rollover_and_moves_whole(
    client: httpx.AsyncClient,
    admin: Caller,
    member: Caller,
    lab: Lab,
    session: AsyncSession,
    jobs: None,
) -> None:
    """A purchase of 2026 on 2025's factor: each year of its lifetime rests on an earlier year's
    factor (the report counts it), and all move together when 2026's arrives. A purchase of
    2025 keeps 2025's factor in every year of its lifetime: never rollover, never moved."""
    await make_factor(
        session,
        key="equipment.laptop",
        year=2025,
        kg="300",
        unit="item",
        category=FactorCategory.EQUIPMENT,
        scope=3,
    )
    url = f"/api/v1/labs/{lab.id}/entries"
    for day, quantity in (("2025-06-01", "1"), ("2026-06-15", "2")):
        body = LAPTOP | {"date": day, "quantity": quantity}
        response = await client.post(url, json=body, headers=member.headers)
        assert response.status_code == 201, response.text
        assert response.json()["factor_year"] == 2025
    # 2 laptops over 3 years: 0.666666, 0.666666 and 0.666668 of one a year, x 300 kg
    for year, kg in ((2026, "199.9998"), (2027, "199.9998"), (2028, "200.0004")):
        assert (await report(client, member, lab, year))["rollover"] == {
            "entries": 1,
            "kg_co2e": kg,
        }
    assert (await report(client, member, lab, 2025))["rollover"] == {"entries": 0, "kg_co2e": "0"}
    arrived = FACTOR_BODY | {
        "key": "equipment.laptop",
        "category": "equipment",
        "unit": "item",
        "kg_co2e_per_unit": "240",
        "scope": 3,
    }
    response = await client.post("/api/v1/factors", json=arrived, headers=admin.headers)
    assert response.status_code == 201, response.text
    job = await _only_recalculation(client, admin, session)
    assert job["message"].startswith("Moved 3 entries to a later year's factor.")
    listed = await client.get(url, params={"limit": 10}, headers=member.headers)
    assert sorted(
        (e["activity"]["purchase_date"], e["date"], e["factor_year"], e["kg_co2e"])
        for e in listed.json()["items"]
    ) == [
        ("2025-06-01", "2025-06-01", 2025, "99.9999"),
        ("2025-06-01", "2026-01-01", 2025, "99.9999"),
        ("2025-06-01", "2027-01-01", 2025, "100.0002"),
        ("2026-06-15", "2026-06-15", 2026, "159.99984"),
        ("2026-06-15", "2027-01-01", 2026, "159.99984"),
        ("2026-06-15", "2028-01-01", 2026, "160.00032"),
    ]
    for year in (2026, 2027, 2028):
        assert (await report(client, member, lab, year))["rollover"] == {
            "entries": 0,
            "kg_co2e": "0",
        }
