"""A factor's structured source, uncertainty and scope 2 basis: through the API and the CSV
import, and refused with field errors when bad (nothing stored changes)."""

from typing import Any

import httpx
import pytest
from sqlmodel import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.models.factor import EmissionFactor
from app.models.staging import FACTOR_COLUMNS
from app.repositories import factor_import as factor_import_repository
from tests.factories import Caller
from tests.integration.test_factor_imports import upload
from tests.integration.test_imports import wait_for_end

FACTORS = "/api/v1/factors"
GRID = {
    "key": "electricity.grid",
    "category": "electricity",
    "unit": "kWh",
    "kg_co2e_per_unit": "0.034843",
    "scope": 2,
    "region": "CH",
    "year": 2023,
    "source": "Switzerland 2023",
    "source_publisher": "Our World in Data (via codecarbon)",
    "source_dataset": "global_energy_mix.json",
    "source_edition": "codecarbon 3.3.2",
    "source_url": "https://ourworldindata.org/grapher/carbon-intensity-electricity",
    "uncertainty_pct": "7.5",
    "basis": "location",
}


async def factor_count(session: AsyncSession) -> int:
    await session.rollback()
    return int((await session.exec(select(func.count()).select_from(EmissionFactor))).one())


async def test_source_uncertainty_and_basis_round_trip(
    client: httpx.AsyncClient, admin: Caller
) -> None:
    created = await client.post(FACTORS, json=GRID, headers=admin.headers)
    assert created.status_code == 201, created.text
    factor = created.json()
    assert {name: factor[name] for name in GRID} == GRID
    patched = await client.patch(
        f"{FACTORS}/{factor['id']}",
        json={"version": factor["version"], "uncertainty_pct": None, "basis": "market"},
        headers=admin.headers,
    )
    assert patched.status_code == 200, patched.text
    assert (patched.json()["uncertainty_pct"], patched.json()["basis"]) == (None, "market")
    # A client that sends only the old free-text `source` still works; the parts stay blank.
    old = {name: GRID[name] for name in ("key", "category", "unit", "scope", "year", "source")}
    plain = await client.post(
        FACTORS, json=old | {"kg_co2e_per_unit": "0.1"}, headers=admin.headers
    )
    assert plain.status_code == 201, plain.text
    assert (plain.json()["source_publisher"], plain.json()["basis"]) == ("", None)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("uncertainty_pct", "1000.01"),
        ("uncertainty_pct", 1001),
        ("uncertainty_pct", -1),
        ("uncertainty_pct", "1.234"),
        ("basis", "grid"),
        ("source_url", "ftp://example.org/x"),
        ("source_url", "https://example.org/a b"),
        ("source_publisher", "x" * 201),
        ("source_edition", "a\x00b"),
    ],
)
async def test_a_bad_value_is_a_422_on_its_field_and_nothing_is_stored(
    client: httpx.AsyncClient, admin: Caller, session: AsyncSession, field: str, value: Any
) -> None:
    response = await client.post(FACTORS, json=GRID | {field: value}, headers=admin.headers)
    assert response.status_code == 422, response.text
    assert [error["loc"] for error in response.json()["errors"]] == [["body", field]]
    assert await factor_count(session) == 0


async def test_a_basis_on_another_scope_is_refused_on_create_and_on_update(
    client: httpx.AsyncClient, admin: Caller, session: AsyncSession
) -> None:
    response = await client.post(FACTORS, json=GRID | {"scope": 1}, headers=admin.headers)
    assert response.status_code == 422, response.text
    assert [error["loc"] for error in response.json()["errors"]] == [["body", "basis"]]
    assert await factor_count(session) == 0

    factor = (await client.post(FACTORS, json=GRID, headers=admin.headers)).json()
    refused = await client.patch(
        f"{FACTORS}/{factor['id']}",
        json={"version": factor["version"], "scope": 3},
        headers=admin.headers,
    )
    assert refused.status_code == 422, refused.text
    assert [error["loc"] for error in refused.json()["errors"]] == [["body", "basis"]]
    stored = (await client.get(f"{FACTORS}/{factor['id']}", headers=admin.headers)).json()
    assert (stored["scope"], stored["version"]) == (2, factor["version"])
    # Clearing the basis with the scope change is fine.
    moved = await client.patch(
        f"{FACTORS}/{factor['id']}",
        json={"version": factor["version"], "scope": 3, "basis": None},
        headers=admin.headers,
    )
    assert moved.status_code == 200, moved.text


HEADER = (
    "key,category,unit,kg_co2e_per_unit,scope,year,region,source,source_publisher,"
    "source_dataset,source_edition,source_url,uncertainty_pct,basis\n"
)


async def test_the_csv_import_carries_the_new_columns_and_reports_bad_values(
    client: httpx.AsyncClient, admin: Caller, session: AsyncSession, jobs: None
) -> None:
    rows = (
        "electricity.grid,electricity,kWh,0.034843,2,2023,CH,Swiss grid,OWID,mix,cc 3.3.2,"
        "https://ourworldindata.org/x,7.5,Location\n"
        "gas.ar6.HFC134a,other,kg,1530,1,2026,,GWP,IPCC,7.SM.7,AR6,,,\n"
        "a.b1,other,kg,1,1,2026,,,,,,ftp://x,,\n"
        "a.b2,other,kg,1,1,2026,,,,,,,1000.5,\n"
        "a.b3,other,kg,1,2,2026,,,,,,,,grid\n"
        "a.b4,other,kg,1,1,2026,,,,,,,,market\n"
        f"a.b5,other,kg,1,1,2026,,,{'x' * 201},,,,,\n"
    )
    response = await upload(client, admin, HEADER + rows, on_error="skip")
    assert response.status_code == 202, response.text
    job = await wait_for_end(client, admin, response.json()["id"])
    assert job["state"] == "succeeded", job
    assert (job["rows_ok"], job["rows_failed"]) == (2, 5)
    assert {(e["row"], e["column"]) for e in job["row_errors"]} == {
        (4, "source_url"),
        (5, "uncertainty_pct"),
        (6, "basis"),
        (7, "basis"),
        (8, "source_publisher"),
    }
    await session.rollback()
    grid = (
        await session.exec(select(EmissionFactor).where(EmissionFactor.key == "electricity.grid"))
    ).one()
    assert (
        str(grid.uncertainty_pct),
        grid.basis,
        grid.source_publisher,
        grid.source_url,
    ) == ("7.50", "location", "OWID", "https://ourworldindata.org/x")
    gas = (
        await session.exec(select(EmissionFactor).where(EmissionFactor.key == "gas.ar6.HFC134a"))
    ).one()
    assert (gas.uncertainty_pct, gas.basis, gas.source_edition) == (None, None, "AR6")


def test_every_column_of_the_factors_csv_is_written_by_the_import() -> None:
    """The CSV's columns derive from FactorCreate, but the import's SQL names the columns it
    writes: a field added to EmissionFactorBase must be added there too, or this fails."""
    upsert = str(factor_import_repository._UPSERT)
    written = upsert[upsert.index("INSERT INTO emission_factor") :].split(")", 1)[0]
    assert {column.strip() for column in written.split("(", 1)[1].split(",")} >= set(FACTOR_COLUMNS)
