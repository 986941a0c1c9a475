"""The report rollup (issue 18 item 3, app/models/rollup.py): after every write path — an entry's
create, patch and delete, an equipment series' create and delete, a CSV import (with and without
the triggers bulk loads skip) and its undo, a recalculation after a factor's value changes, a
year-rollover move, a lab's deletion — the rollup equals a fresh aggregation of the entries, to
the gram; and the report read from it equals the report aggregated from the entries, and the
figures an independent computation in Python gives."""

import asyncio
from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

import httpx
import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.db import dispose as dispose_database
from app.models.factor import EmissionFactor, FactorCategory, Scope2Basis
from app.models.job import JobKind
from app.models.kg import compute_kg
from app.services import activity_imports
from tests.conftest import ROOT
from tests.factories import Caller, make_factor, make_lab
from tests.integration.test_factor_imports import jobs_of
from tests.integration.test_imports import csv_file, load_path, wait_for_end

__all__ = ["load_path"]  # a fixture, used by name

KEY = "electricity.grid.CH"
HEADER = "date,factor_key,quantity,unit,note\n"

# Summed over the slots (rows of a 16th of the entries each, by id), whose rows are counted.
_ROLLUP = text(
    "SELECT lab_id, year, factor_id, month, factor_for_year, sum(entries), sum(quantity), "
    "sum(kg_co2e), count(*) FILTER (WHERE entries = 0) FROM report_rollup "
    "GROUP BY lab_id, year, factor_id, month, factor_for_year"
)
_ENTRIES = text(
    "SELECT e.lab_id, e.date, e.factor_id, e.kind, e.quantity, e.kg_co2e, f.kg_co2e_per_unit, "
    "f.year, e.activity FROM activity_entry AS e JOIN emission_factor AS f ON f.id = e.factor_id"
)


def _chosen_for(day: date, kind: str, activity: dict[str, Any] | None) -> int:
    """The year an entry's factor was chosen for, from its activity as stored: an equipment's
    purchase year, else its date's."""
    if kind == "equipment":
        assert activity is not None
        return date.fromisoformat(activity["purchase_date"]).year
    return day.year


_STALE = text("SELECT factor_id FROM report_rollup_stale_factor")


async def _sql(session: AsyncSession, statement: Any, params: dict[str, Any] | None = None) -> Any:
    """A statement of text on the session's connection (in its transaction)."""
    return await (await session.connection()).execute(statement, params or {})


async def _entries(session: AsyncSession) -> list[Any]:
    return list((await _sql(session, _ENTRIES)).all())


async def assert_rollup_exact(session: AsyncSession) -> int:
    """The rollup, key for key, against the entries summed here in Python; returns the number
    of keys (so a test can tell it is not vacuous)."""
    expected: dict[tuple[Any, ...], list[Any]] = defaultdict(lambda: [0, Decimal(0), Decimal(0)])
    for lab, day, factor, kind, quantity, kg, _, _, activity in await _entries(session):
        sums = expected[(lab, day.year, factor, day.month, _chosen_for(day, kind, activity))]
        sums[0] += 1
        sums[1] += quantity
        sums[2] += kg
    rows = (await _sql(session, _ROLLUP)).all()
    actual = {tuple(row[:5]): [row[5], row[6], row[7]] for row in rows}
    assert actual == dict(expected)
    assert [row[8] for row in rows if row[8]] == []  # an emptied row is deleted
    return len(rows)


async def report(client: httpx.AsyncClient, caller: Caller, lab: UUID, year: int) -> dict[str, Any]:
    response = await client.get(
        f"/api/v1/reports/{lab}", params={"year": year}, headers=caller.headers
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def assert_report_agrees(
    client: httpx.AsyncClient, caller: Caller, session: AsyncSession, lab: UUID, year: int
) -> dict[str, Any]:
    """The report from the rollup equals the one aggregated from the entries (every factor
    marked stale, as while a recalculation is pending), and its central figures those computed
    here from the entries at their factors' current values."""
    from_rollup = await report(client, caller, lab, year)
    stale = {row[0] for row in (await _sql(session, _STALE)).all()}
    await _sql(
        session,
        text(
            "INSERT INTO report_rollup_stale_factor SELECT id FROM emission_factor "
            "ON CONFLICT DO NOTHING"
        ),
    )
    await session.commit()
    from_entries = await report(client, caller, lab, year)
    await _sql(
        session,
        text("DELETE FROM report_rollup_stale_factor WHERE NOT (factor_id = ANY(:keep))"),
        {"keep": list(stale)},
    )
    await session.commit()
    assert from_rollup == from_entries
    total, count, rollover, resting = Decimal(0), 0, Decimal(0), 0
    months: dict[int, Decimal] = defaultdict(Decimal)
    for lab_id, day, _, kind, quantity, _, value, factor_year, activity in await _entries(session):
        if lab_id == lab and day.year == year:
            kg = compute_kg(quantity, value)
            total += kg
            count += 1
            months[day.month] += kg
            if factor_year < _chosen_for(day, kind, activity):
                rollover += kg
                resting += 1
    assert (Decimal(from_rollup["total_kg_co2e"]), from_rollup["entry_count"]) == (total, count)
    assert {m["month"]: Decimal(m["kg_co2e"]) for m in from_rollup["by_month"]} == {
        m: months.get(m, Decimal(0)) for m in range(1, 13)
    }
    assert from_rollup["rollover"]["entries"] == resting
    assert Decimal(from_rollup["rollover"]["kg_co2e"]) == rollover
    return from_rollup


@pytest.fixture
async def lab(session: AsyncSession, member: Caller) -> UUID:
    """A lab's id (its ORM object would expire at the tests' commits)."""
    await make_factor(session, key=KEY, year=2024, kg="0.125", unit="kWh")
    await make_factor(session, key=KEY, year=2025, kg="0.117", unit="kWh")
    await make_factor(session, key="rail.km", year=2025, kg="0.007", unit="km")
    await make_factor(
        session,
        key="equipment.laptop",
        year=2024,
        kg="300",
        unit="item",
        category=FactorCategory.EQUIPMENT,
        scope=3,
    )
    return (await make_lab(session, member.user)).id


async def add(
    client: httpx.AsyncClient, caller: Caller, lab: UUID, day: str, quantity: str, key: str = KEY
) -> dict[str, Any]:
    response = await client.post(
        f"/api/v1/labs/{lab}/entries",
        json={"date": day, "factor_key": key, "quantity": quantity},
        headers=caller.headers,
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_the_rollup_follows_creates_patches_and_deletes_to_the_gram(
    client: httpx.AsyncClient, member: Caller, lab: UUID, session: AsyncSession
) -> None:
    first = await add(client, member, lab, "2025-01-31", "10.000001")
    await add(client, member, lab, "2025-01-02", "3.333333")
    rail = await add(client, member, lab, "2025-07-14", "120", "rail.km")
    assert await assert_rollup_exact(session) == 2
    await assert_report_agrees(client, member, session, lab, 2025)
    url = f"/api/v1/entries/{first['id']}"
    for change in (
        {"version": 1, "quantity": "7.777777"},  # same group, new sums
        {"version": 2, "date": "2025-02-01"},  # another month
        {"version": 3, "date": "2024-12-31"},  # another year (and factor)
        {"version": 4, "factor_key": "rail.km", "date": "2025-07-01"},
        {"version": 5, "note": "only the note"},  # the sums do not move
    ):
        response = await client.patch(url, json=change, headers=member.headers)
        assert response.status_code == 200, response.text
        await assert_rollup_exact(session)
    await assert_report_agrees(client, member, session, lab, 2025)
    for entry in (first, rail):
        deleted = await client.delete(f"/api/v1/entries/{entry['id']}", headers=member.headers)
        assert deleted.status_code == 204
    assert await assert_rollup_exact(session) == 1  # the emptied groups are gone
    await assert_report_agrees(client, member, session, lab, 2025)


async def test_an_equipment_series_is_rolled_up_by_its_purchase_year_and_goes_with_its_delete(
    client: httpx.AsyncClient, member: Caller, lab: UUID, session: AsyncSession
) -> None:
    """Its later years keep the purchase year's factor: year rollover only when that factor
    is itself an earlier year's (the laptop has a factor of 2024 alone)."""
    await add(client, member, lab, "2025-03-01", "8")
    body = {
        "kind": "equipment",
        "date": "2024-06-15",
        "factor_key": "equipment.laptop",
        "quantity": "1",
        "lifetime_years": 3,
    }
    response = await client.post(f"/api/v1/labs/{lab}/entries", json=body, headers=member.headers)
    assert response.status_code == 201, response.text
    assert await assert_rollup_exact(session) == 4
    for year in (2024, 2025, 2026):
        agreed = await assert_report_agrees(client, member, session, lab, year)
        assert agreed["rollover"] == {"entries": 0, "kg_co2e": "0"}
    later = body | {"date": "2025-02-01", "quantity": "2", "lifetime_years": 2}
    bought = await client.post(f"/api/v1/labs/{lab}/entries", json=later, headers=member.headers)
    assert bought.status_code == 201, bought.text
    assert bought.json()["factor_year"] == 2024
    assert await assert_rollup_exact(session) == 6
    rows = await _sql(
        session,
        text(
            "SELECT DISTINCT year, factor_for_year FROM report_rollup WHERE year <> factor_for_year"
        ),
    )
    assert sorted(rows.all()) == [(2025, 2024), (2026, 2024), (2026, 2025)]
    for year in (2025, 2026):  # 1 x 300 each year
        agreed = await assert_report_agrees(client, member, session, lab, year)
        assert agreed["rollover"] == {"entries": 1, "kg_co2e": "300"}
    for entry in (response.json(), bought.json()):
        gone = await client.delete(f"/api/v1/entries/{entry['id']}", headers=member.headers)
        assert gone.status_code == 204
    assert await assert_rollup_exact(session) == 1


@pytest.mark.usefixtures("load_path", "jobs")
async def test_an_import_and_its_undo_keep_the_rollup_exact(
    client: httpx.AsyncClient, member: Caller, lab: UUID, session: AsyncSession
) -> None:
    await add(client, member, lab, "2025-03-01", "8")
    rows = "".join(
        f"2025-{month:02d}-{day:02d},{KEY},{month}.{day:06d},,\n"
        for month in range(1, 13)
        for day in (1, 15, 28)
    )
    rows += "2025-05-05,rail.km,12.5,,\n2025-13-01,rail.km,1,,\n"  # a bad row is left out
    uploaded = await client.post(
        f"/api/v1/labs/{lab}/imports",
        files=csv_file(HEADER + rows),
        params={"on_error": "skip"},
        headers=member.headers,
    )
    assert uploaded.status_code == 202, uploaded.text
    job = await wait_for_end(client, member, uploaded.json()["id"])
    assert job["state"] == "succeeded", job
    assert await assert_rollup_exact(session) == 13
    await assert_report_agrees(client, member, session, lab, 2025)
    undone = await client.delete(f"/api/v1/imports/{job['id']}", headers=member.headers)
    assert undone.status_code == 204, undone.text
    assert await assert_rollup_exact(session) == 1
    await assert_report_agrees(client, member, session, lab, 2025)


@pytest.mark.usefixtures("load_path", "jobs")
async def test_an_import_of_typed_rows_in_several_batches_keeps_the_rollup_exact(
    client: httpx.AsyncClient,
    member: Caller,
    lab: UUID,
    session: AsyncSession,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An equipment row's years (amortised) and plain rows, checked and moved in batches of 2
    rows: the sums the job adds itself when its moves skip the rollup's trigger, or the
    trigger's, equal the entries."""
    monkeypatch.setattr(activity_imports, "TYPED_CHUNK_ROWS", 2)
    rows = "kind,date,factor_key,quantity,lifetime_years\n" + "".join(
        f",2025-{month:02d}-03,{KEY},{month}.5,\n" for month in range(1, 6)
    )
    rows += "equipment,2025-05-20,equipment.laptop,2,4\n,2024-12-31,rail.km,3,\n"
    uploaded = await client.post(
        f"/api/v1/labs/{lab}/imports",
        files=csv_file(rows),
        params={"on_error": "skip"},
        headers=member.headers,
    )
    assert uploaded.status_code == 202, uploaded.text
    job = await wait_for_end(client, member, uploaded.json()["id"])
    assert job["state"] == "succeeded", job
    assert (job["rows_ok"], job["rows_failed"]) == (6, 1), job["row_errors"]  # no 2024 rail
    assert await assert_rollup_exact(session) == 9  # 5 months, 4 equipment years
    for year in (2025, 2026):  # the laptops of 2025 rest on 2024's factor: rollover each year
        agreed = await assert_report_agrees(client, member, session, lab, year)
        assert agreed["rollover"] == {"entries": 1, "kg_co2e": "150"}


async def change_value(
    client: httpx.AsyncClient, admin: Caller, session: AsyncSession, value: str
) -> EmissionFactor:
    """A new value for KEY's 2025 factor, through the API (which queues its recalculation)."""
    query = select(EmissionFactor).where(EmissionFactor.key == KEY, EmissionFactor.year == 2025)
    factor = (await session.exec(query)).one()
    changed = await client.patch(
        f"/api/v1/factors/{factor.id}",
        json={"version": factor.version, "kg_co2e_per_unit": value},
        headers=admin.headers,
    )
    assert changed.status_code == 200, changed.text
    return factor


async def test_while_a_recalculation_is_pending_the_report_uses_the_new_value(
    client: httpx.AsyncClient, admin: Caller, member: Caller, lab: UUID, session: AsyncSession
) -> None:
    """No job runner here: the recalculation stays queued, the stored values old."""
    await add(client, member, lab, "2025-03-01", "8.000003")
    await add(client, member, lab, "2025-04-01", "120", "rail.km")
    factor = await change_value(client, admin, session, "0.333333333")
    assert [row[0] for row in (await _sql(session, _STALE)).all()] == [factor.id]
    await assert_rollup_exact(session)  # the stored values, not yet recomputed
    body = await assert_report_agrees(client, member, session, lab, 2025)
    new_kg = compute_kg(Decimal("8.000003"), Decimal("0.333333333"))  # 2.666667666...
    assert Decimal(body["total_kg_co2e"]) == new_kg + Decimal("0.84")


@pytest.mark.usefixtures("jobs")
async def test_a_recalculation_and_a_rollover_move_keep_the_rollup_exact(
    client: httpx.AsyncClient, admin: Caller, member: Caller, lab: UUID, session: AsyncSession
) -> None:
    await add(client, member, lab, "2025-03-01", "8.000003")
    await add(client, member, lab, "2026-02-01", "5")  # rests on the 2025 factor
    await add(client, member, lab, "2026-02-01", "5", "rail.km")
    await change_value(client, admin, session, "0.333333333")
    await _one_recalculation(client, admin, session)
    assert (await _sql(session, _STALE)).all() == []  # recomputed: the rollup is read again
    assert await assert_rollup_exact(session) == 3
    await assert_report_agrees(client, member, session, lab, 2026)
    # Both 2026 entries rest on a 2025 factor.
    assert (await report(client, member, lab, 2026))["rollover"]["entries"] == 2
    arrived = await client.post(
        "/api/v1/factors",
        json={
            "key": KEY,
            "category": "electricity",
            "unit": "kWh",
            "kg_co2e_per_unit": "0.09",
            "scope": 2,
            "year": 2026,
            "source": "test",
        },
        headers=admin.headers,
    )
    assert arrived.status_code == 201, arrived.text
    await _one_recalculation(client, admin, session, done=1)
    assert await assert_rollup_exact(session) == 3
    moved = await assert_report_agrees(client, member, session, lab, 2026)
    assert moved["rollover"] == {"entries": 1, "kg_co2e": "0.035"}  # rail.km has no 2026 one
    assert moved["total_kg_co2e"] == "0.485"  # 5 x 0.09 + 5 x 0.007


async def _one_recalculation(
    client: httpx.AsyncClient, admin: Caller, session: AsyncSession, done: int = 0
) -> None:
    queued = await jobs_of(session, JobKind.RECALCULATE)
    assert len(queued) == done + 1
    job = await wait_for_end(client, admin, str(queued[-1].id))
    assert job["state"] == "succeeded", job


async def test_a_labs_deletion_empties_its_rollup(
    client: httpx.AsyncClient, admin: Caller, member: Caller, lab: UUID, session: AsyncSession
) -> None:
    await add(client, member, lab, "2025-03-01", "8")
    other = (await make_lab(session, member.user, code="OTHER-1")).id
    await add(client, member, other, "2025-03-01", "9")
    assert await assert_rollup_exact(session) == 2
    deleted = await client.delete(f"/api/v1/labs/{lab}", headers=admin.headers)
    assert deleted.status_code == 204, deleted.text
    assert await assert_rollup_exact(session) == 1


async def test_an_entry_stored_off_its_factors_value_marks_the_factor_stale(
    client: httpx.AsyncClient, member: Caller, lab: UUID, session: AsyncSession
) -> None:
    """As when a value changed between an entry's computation and its insert: the report then
    counts the factor's entries at the current value (from the entries), not the stored sum."""
    entry = await add(client, member, lab, "2025-03-01", "8")
    assert (await _sql(session, _STALE)).all() == []
    await _sql(
        session,
        text("UPDATE activity_entry SET kg_co2e = kg_co2e + 1 WHERE id = :id"),
        {"id": entry["id"]},
    )
    await session.commit()
    assert len((await _sql(session, _STALE)).all()) == 1
    await assert_rollup_exact(session)
    body = await assert_report_agrees(client, member, session, lab, 2025)
    assert body["total_kg_co2e"] == "0.936"  # 8 x 0.117, not the stored 1.936


async def test_the_institution_report_from_the_rollup_equals_the_one_from_the_entries(
    client: httpx.AsyncClient, admin: Caller, member: Caller, lab: UUID, session: AsyncSession
) -> None:
    await make_factor(
        session,
        key="electricity.contract.X",
        year=2025,
        kg="0.02",
        unit="kWh",
        uncertainty_pct="12.5",
        basis=Scope2Basis.MARKET,
    )
    await make_factor(
        session, key="electricity.grid.DE", year=2025, kg="0.3", basis=Scope2Basis.LOCATION
    )
    other = (await make_lab(session, member.user, code="OTHER-2")).id
    await add(client, member, lab, "2025-03-01", "8.000001")
    await add(client, member, lab, "2025-03-01", "8", "electricity.contract.X")  # not counted
    await add(client, member, lab, "2025-03-02", "10", "electricity.grid.DE")
    await add(client, member, lab, "2025-05-01", "40", "rail.km")
    await add(client, member, other, "2025-06-01", "9", "electricity.contract.X")  # counted
    await add(client, member, other, "2024-06-01", "9")  # another year
    url, params = "/api/v1/reports", {"year": 2025}
    from_rollup = await client.get(url, params=params, headers=admin.headers)
    assert from_rollup.status_code == 200, from_rollup.text
    await _sql(
        session, text("INSERT INTO report_rollup_stale_factor SELECT id FROM emission_factor")
    )
    await session.commit()
    from_entries = await client.get(url, params=params, headers=admin.headers)
    assert from_rollup.json() == from_entries.json()
    # 8.000001 x 0.117 + 10 x 0.3 + 40 x 0.007 + 9 x 0.02 (the other lab's only scope 2 basis)
    assert from_rollup.json()["total_kg_co2e"] == "4.396"


def _migrate(url: str, to: str, *, down: bool = False) -> None:
    config = Config(toml_file=str(ROOT / "pyproject.toml"))
    config.attributes["url"] = url
    (command.downgrade if down else command.upgrade)(config, to)


async def test_the_factor_for_year_migration_rekeys_the_rollup_from_the_entries(
    client: httpx.AsyncClient,
    member: Caller,
    lab: UUID,
    session: AsyncSession,
    database_url: str,
) -> None:
    """Migration 20261205_1400: down, the rollup keyed by `amortised` again; up, keyed by
    `factor_for_year` and refilled from the entries (a purchase of 2025 on 2024's factor among
    them), to the gram."""
    await add(client, member, lab, "2025-03-01", "8")
    for day in ("2024-06-15", "2025-02-01"):
        body: dict[str, Any] = {"kind": "equipment", "date": day, "quantity": "1"}
        body |= {"factor_key": "equipment.laptop", "lifetime_years": 3}
        response = await client.post(
            f"/api/v1/labs/{lab}/entries", json=body, headers=member.headers
        )
        assert response.status_code == 201, response.text
    keys = await assert_rollup_exact(session)
    await session.commit()
    await dispose_database()  # no connection of the app's pool in the way of the ALTERs
    await asyncio.to_thread(_migrate, database_url, "5d1f0c3a9e27", down=True)
    amortised = await _sql(
        session,
        text("SELECT year, sum(entries) FROM report_rollup WHERE amortised GROUP BY 1 ORDER BY 1"),
    )
    assert amortised.all() == [(2024, 1), (2025, 2), (2026, 2), (2027, 1)]
    await session.commit()
    await asyncio.to_thread(_migrate, database_url, "head")
    assert await assert_rollup_exact(session) == keys
    await assert_report_agrees(client, member, session, lab, 2025)
