"""The shipped factor library loads by itself, through the factors import, once per version."""

import csv
import tomllib
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import globalwarmingpotentials
import httpx
import pytest
from sqlmodel import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.config import Settings, settings
from app.core.errors import InvalidInput
from app.models.factor import (
    FLIGHT_BAND_NEEDS_CABIN,
    FLIGHT_BAND_ORDER,
    EmissionFactor,
    Scope2Basis,
)
from app.models.factor_library import FactorLibraryLoad
from app.models.job import DataIngestionJob, JobKind, JobState
from app.services import factor_library as factor_library_service
from scripts import serve
from scripts.build_factor_library import render_csv, render_version, row
from scripts.ngc_factors import PACKAGE_URL
from tests.factories import Caller, make_lab
from tests.integration.test_factor_imports import (
    add_entry,
    jobs_of,
    staged_rows,
    stored_kg,
)
from tests.integration.test_imports import wait_for_end


def write_library(directory: Path, version: int, rows: list[dict[str, str]]) -> Path:
    """A library as scripts/build-factor-library writes one."""
    directory.mkdir(parents=True, exist_ok=True)
    text = render_csv(rows)
    (directory / "factors.csv").write_text(text)
    (directory / "library.toml").write_text(render_version(version, text, len(rows)))
    return directory


def grid_ch(kg: str, *, edition: str = "test 1") -> dict[str, str]:
    return row(
        key="electricity.grid",
        category="electricity",
        unit="kWh",
        kg_co2e_per_unit=kg,
        scope="2",
        region="CH",
        year="2025",
        source="test grid",
        source_publisher="Test publisher",
        source_dataset="Test table",
        source_edition=edition,
        source_url="https://example.org/grid",
        uncertainty_pct="12.5",
        basis="location",
    )


async def counts(session: AsyncSession) -> tuple[int, int, int, int]:
    """Factors, jobs, staged rows and recorded loads."""
    await session.rollback()  # a fresh snapshot
    factors = (await session.exec(select(func.count()).select_from(EmissionFactor))).one()
    jobs = (await session.exec(select(func.count()).select_from(DataIngestionJob))).one()
    loads = (await session.exec(select(func.count()).select_from(FactorLibraryLoad))).one()
    return int(factors), int(jobs), await staged_rows(session), int(loads)


async def load(session: AsyncSession, directory: Path) -> factor_library_service.LibraryLoad:
    result = await factor_library_service.load_factor_library(session, directory=directory)
    await session.commit()
    return result


def settings_for(database_url: str, **values: Any) -> Settings:
    return Settings(_env_file=None, DATABASE_URL=database_url, JWT_SECRET="x" * 32, **values)


async def test_the_shipped_library_loads_on_a_fresh_database_and_a_second_start_is_a_no_op(
    client: httpx.AsyncClient,
    admin: Caller,
    member: Caller,
    session: AsyncSession,
    database_url: str,
    jobs: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    shipped = tomllib.loads((factor_library_service.LIBRARY_DIR / "library.toml").read_text())
    await serve._load_factor_library(settings_for(database_url))
    assert f"Factor library version {shipped['version']}" in capsys.readouterr().out
    (job,) = await jobs_of(session, JobKind.FACTORS)
    assert (job.filename, job.created_by) == (f"factor-library-v{shipped['version']}.csv", None)
    ended = await wait_for_end(client, admin, str(job.id))
    assert ended["state"] == "succeeded", ended
    assert ended["rows_ok"] == shipped["rows"]

    response = await client.get(
        "/api/v1/factors",
        params={"region": "CH", "category": "electricity", "year": 2023},
        headers=admin.headers,
    )
    assert response.status_code == 200, response.text
    (swiss,) = [f for f in response.json()["items"] if f["key"] == "electricity.grid"]
    # codecarbon 3.3.2: Switzerland, 34.843 g CO2e/kWh in 2023.
    assert (swiss["kg_co2e_per_unit"], swiss["year"], swiss["scope"]) == ("0.034843", 2023, 2)
    assert (swiss["basis"], swiss["uncertainty_pct"]) == ("location", None)
    assert "codecarbon" in swiss["source_publisher"]
    assert swiss["source_edition"] == "codecarbon 3.3.2, data year 2023"
    gas = (
        await session.exec(
            select(EmissionFactor).where(
                EmissionFactor.key == "gas.ar6.HFC134a", EmissionFactor.year == 2026
            )
        )
    ).one()
    assert gas.kg_co2e_per_unit == Decimal(1530)  # globalwarmingpotentials: AR6GWP100
    assert (gas.source_edition, gas.scope, gas.basis) == (
        "AR6; globalwarmingpotentials 0.13.2",
        1,
        None,
    )
    await _a_refrigerant_blend_weighs_kg_times_its_mass_weighted_gwp(client, member, session)
    before = await counts(session)

    await serve._load_factor_library(settings_for(database_url))
    assert "is loaded" in capsys.readouterr().out
    assert await counts(session) == before  # no job, no rows, no load recorded


async def _a_refrigerant_blend_weighs_kg_times_its_mass_weighted_gwp(
    client: httpx.AsyncClient, member: Caller, session: AsyncSession
) -> None:
    """A lab enters the blend as the library names it (`R410A`); its GWP, computed here from
    globalwarmingpotentials itself and R-410A's composition (R-32/125, 50/50 by mass), is the
    shipped factor's."""
    gwps: dict[str, Any] = globalwarmingpotentials.data
    lab = await make_lab(session, member.user)
    entries = f"/api/v1/labs/{lab.id}/entries"
    for assessment, column in (("ar6", "AR6GWP100"), ("ar5", "AR5GWP100")):
        half = Decimal("0.5")
        gwp = half * Decimal(str(gwps[column]["HFC32"])) + half * Decimal(
            str(gwps[column]["HFC125"])
        )
        body = {
            "kind": "refrigerant",
            "date": "2025-03-01",
            "gas": "R410A",
            "kg": "2.5",
            "assessment": assessment,
        }
        response = await client.post(entries, json=body, headers=member.headers)
        assert response.status_code == 201, response.text
        entry = response.json()
        assert (entry["factor_key"], entry["factor_year"]) == (f"gas.{assessment}.R410A", 2025)
        assert Decimal(entry["activity"]["gwp"]) == gwp
        kg = (Decimal("2.5") * gwp).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)
        assert Decimal(entry["kg_co2e"]) == kg
    assert Decimal(entry["kg_co2e"]) == Decimal("4808.75")  # AR5: 2.5 x 1923.5
    # R-454B's R-1234yf has no GWP in the package: left out of the library, so refused.
    refused = await client.post(
        entries, json=body | {"gas": "R454B", "assessment": "ar6"}, headers=member.headers
    )
    assert refused.status_code == 422, refused.text
    assert refused.json()["errors"][0]["loc"] == ["body", "gas"]


async def test_a_newer_version_upgrades_through_the_import_and_recalculates_entries(
    client: httpx.AsyncClient,
    admin: Caller,
    member: Caller,
    session: AsyncSession,
    tmp_path: Path,
    jobs: None,
) -> None:
    first = await load(session, write_library(tmp_path / "v1", 1, [grid_ch("0.1")]))
    assert first.job_id is not None
    assert (await wait_for_end(client, admin, str(first.job_id)))["state"] == "succeeded"
    lab = await make_lab(session, member.user, region="CH")
    await add_entry(client, member, lab, "electricity.grid", "10")
    assert await stored_kg(session, lab) == [Decimal(1)]

    newer = write_library(tmp_path / "v2", 2, [grid_ch("0.2", edition="test 2")])
    second = await load(session, newer)
    assert second.job_id is not None
    assert "was version 1" in second.message
    assert (await wait_for_end(client, admin, str(second.job_id)))["state"] == "succeeded"
    (recalculation,) = await jobs_of(session, JobKind.RECALCULATE)
    assert (await wait_for_end(client, admin, str(recalculation.id)))["state"] == "succeeded"
    assert await stored_kg(session, lab) == [Decimal(2)]
    factor = (await session.exec(select(EmissionFactor))).one()
    assert (factor.kg_co2e_per_unit, factor.source_edition, factor.version) == (
        Decimal("0.2"),
        "test 2",
        2,
    )
    assert (factor.uncertainty_pct, factor.basis) == (Decimal("12.5"), Scope2Basis.LOCATION)

    before = await counts(session)
    assert (await load(session, newer)).job_id is None  # the same version again
    assert (await load(session, tmp_path / "v1")).job_id is None  # an older one
    assert await counts(session) == before


async def test_a_load_whose_import_failed_is_queued_again(
    session: AsyncSession, tmp_path: Path
) -> None:
    directory = write_library(tmp_path / "lib", 1, [grid_ch("0.1")])
    first = await load(session, directory)
    job = await session.get(DataIngestionJob, first.job_id)
    assert job is not None
    job.state = JobState.CANCELLED
    await session.commit()
    again = await load(session, directory)
    assert again.job_id not in {None, first.job_id}


async def test_with_the_setting_off_nothing_is_loaded(
    session: AsyncSession, database_url: str
) -> None:
    await serve._load_factor_library(settings_for(database_url, FACTOR_LIBRARY_AUTOLOAD=False))
    assert await counts(session) == (0, 0, 0, 0)


def shipped_row(key: str, year: str) -> dict[str, str]:
    with (factor_library_service.LIBRARY_DIR / "factors.csv").open(newline="") as file:
        (found,) = [r for r in csv.DictReader(file) if (r["key"], r["year"]) == (key, year)]
    return found


async def test_a_flight_from_airports_takes_the_shipped_factor_of_its_band(
    client: httpx.AsyncClient,
    admin: Caller,
    member: Caller,
    session: AsyncSession,
    jobs: None,
) -> None:
    loaded = await load(session, factor_library_service.LIBRARY_DIR)
    assert loaded.job_id is not None
    assert (await wait_for_end(client, admin, str(loaded.job_id)))["state"] == "succeeded"
    lab = await make_lab(session, member.user)  # no region: flights are region-less
    entries = f"/api/v1/labs/{lab.id}/entries"
    flight = {"kind": "flight", "date": "2024-05-02", "origin": "GVA", "destination": "JFK"}

    response = await client.post(entries, json=flight, headers=member.headers)
    assert response.status_code == 201, response.text
    entry = response.json()
    # ADEME, Base Empreinte 2023 "Avion passagers/>220 sièges, >5000 kms" (nosgestesclimat
    # 4.10.2): 0.15 kg CO2e per passenger-km, shipped as economy, band [5000, no bound).
    shipped = shipped_row("flight.ademe.economy.from-5000km", "2023")
    assert (shipped["kg_co2e_per_unit"], shipped["cabin_class"]) == ("0.15", "economy")
    assert (shipped["distance_min_km"], shipped["distance_max_km"]) == ("5000", "")
    assert (entry["factor_key"], entry["unit"], entry["factor_year"]) == (
        "flight.ademe.economy.from-5000km",
        "pkm",
        2023,  # the 2024 flight rests on the 2023 factor (year rollover)
    )
    distance = Decimal(entry["activity"]["distance_km"])
    assert distance > 5000
    assert Decimal(entry["quantity"]) == distance * settings.FLIGHT_RF_MULTIPLIER
    kg = Decimal(entry["quantity"]) * Decimal("0.15")
    assert Decimal(entry["kg_co2e"]) == kg.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)
    # Another band: Geneva to Lisbon is between 1000 and 2000 km.
    lisbon = await client.post(
        entries, json=flight | {"destination": "LIS"}, headers=member.headers
    )
    assert lisbon.status_code == 201, lisbon.text
    assert lisbon.json()["factor_key"] == "flight.ademe.economy.1000-2000km"

    # A laptop bought in 2024 takes Base Carbone's (156 kg CO2e, valid 2018-2021: the 2021 row
    # by rollover), spread over its 4 years; office devices are region-less as flights are.
    laptop = {
        "kind": "equipment",
        "date": "2024-02-01",
        "factor_key": "equipment.ademe.laptop",
        "quantity": "2",
        "lifetime_years": 4,
    }
    bought = await client.post(entries, json=laptop, headers=member.headers)
    assert bought.status_code == 201, bought.text
    assert (bought.json()["factor_year"], bought.json()["kg_co2e"]) == (2021, "78")  # 2 x 156 / 4
    # No source has cabin classes, and the one band under 500 km (Base Carbone's, 2018) is out of
    # a 2024 flight's window (2019-2024): those flights find no factor.
    for refused in ({"cabin_class": "business"}, {"destination": "ZRH"}):
        response = await client.post(entries, json=flight | refused, headers=member.headers)
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["loc"] == ["body", "cabin_class"]
    # A flight of 2019 (a usual baseline year) under 500 km takes it: Base Carbone v22.0,
    # element 28116, 0.305 kg CO2e per passenger-km, ±70 %, band [0, 500).
    short = await client.post(
        entries,
        json=flight | {"date": "2019-03-04", "destination": "ZRH"},
        headers=member.headers,
    )
    assert short.status_code == 201, short.text
    assert (short.json()["factor_key"], short.json()["factor_year"]) == (
        "flight.ademe.economy.under-500km",
        2018,
    )
    kg = Decimal(short.json()["quantity"]) * Decimal("0.305")
    assert Decimal(short.json()["kg_co2e"]) == kg.quantize(Decimal("0.000001"), ROUND_HALF_UP)
    listed = await client.get(
        "/api/v1/factors",
        params={"category": "air_travel", "year": 2018},
        headers=member.headers,
    )
    assert listed.status_code == 200, listed.text
    (under_500,) = [f for f in listed.json()["items"] if f["key"].endswith("under-500km")]
    assert (under_500["uncertainty_pct"], under_500["distance_max_km"]) == ("70", 500)

    # The French rail factors are France's: a French lab's 2025 train ride uses 2022's TGV factor.
    tgv = shipped_row("rail.ademe.tgv", "2022")
    assert (tgv["kg_co2e_per_unit"], tgv["region"], tgv["source_url"]) == (
        "0.00293",
        "FR",
        PACKAGE_URL,
    )
    french = await make_lab(session, member.user, region="FR")
    ride = await add_entry(client, member, french, "rail.ademe.tgv", "1000")
    assert (Decimal(ride["kg_co2e"]), ride["factor_year"]) == (Decimal("2.93"), 2022)
    # And its 2021 car trips Base Carbone's French fleet of 2018 (0.136 kg CO2e per passenger-km);
    # a lab of another region finds no such factor.
    trip = {
        "date": "2021-09-10",
        "factor_key": "road.ademe.car.average.passenger",
        "quantity": "250",
    }
    by_car = await client.post(
        f"/api/v1/labs/{french.id}/entries", json=trip, headers=member.headers
    )
    assert by_car.status_code == 201, by_car.text
    assert (Decimal(by_car.json()["kg_co2e"]), by_car.json()["factor_year"]) == (
        Decimal("34"),
        2018,
    )
    # Base Carbone's elements that name no year are filed under each year of their validity:
    # wood pellets 2022-2025 (0.0113 kg CO2e per kWh), the spend-based ratio of research and
    # development 2016-2018 (250 kg CO2e per k€), which a 2019 purchase reaches by rollover.
    pellets = await add_entry(client, member, french, "heating.ademe.wood_pellets", "1000")
    assert (Decimal(pellets["kg_co2e"]), pellets["factor_year"]) == (Decimal("11.3"), 2025)
    purchase = {
        "kind": "purchase",
        "date": "2019-11-20",
        "factor_key": "purchase.ademe.research-and-development",
        "amount": "4000",
        "currency": "EUR",
    }
    bought = await client.post(
        f"/api/v1/labs/{french.id}/entries", json=purchase, headers=member.headers
    )
    assert bought.status_code == 201, bought.text
    assert (Decimal(bought.json()["kg_co2e"]), bought.json()["factor_year"]) == (
        Decimal("1000"),
        2018,
    )
    swiss_lab = await make_lab(session, member.user, region="CH")
    elsewhere = await client.post(
        f"/api/v1/labs/{swiss_lab.id}/entries", json=trip, headers=member.headers
    )
    assert elsewhere.status_code == 422, elsewhere.text


async def test_a_library_with_a_bad_row_fails_clearly_and_leaves_nothing(
    session: AsyncSession, database_url: str, tmp_path: Path
) -> None:
    bad = grid_ch("0.1") | {"region": "DE", "kg_co2e_per_unit": "-1", "basis": "market"}
    gas = grid_ch("3") | {"key": "gas.ar6.X", "scope": "1", "region": "", "basis": "location"}
    directory = write_library(tmp_path / "bad", 1, [grid_ch("0.1"), bad, gas])

    with pytest.raises(InvalidInput) as raised:
        await load(session, directory)
    await session.rollback()
    assert "has 2 bad rows" in str(raised.value.detail)
    assert "line 3, kg_co2e_per_unit: must be >= 0" in str(raised.value.detail)
    assert "line 4, basis: a basis (location or market) is for scope 2" in str(raised.value.detail)
    assert await counts(session) == (0, 0, 0, 0)

    with pytest.raises(SystemExit) as exited:
        await serve._load_factor_library(settings_for(database_url), directory)
    assert "FACTOR_LIBRARY_AUTOLOAD=false" in str(exited.value.code)
    assert await counts(session) == (0, 0, 0, 0)


async def test_a_new_version_with_a_bad_flight_band_is_refused_and_changes_nothing(
    client: httpx.AsyncClient, admin: Caller, session: AsyncSession, tmp_path: Path, jobs: None
) -> None:
    band = row(
        key="flight.test.economy.0-1000km",
        category="air_travel",
        unit="pkm",
        kg_co2e_per_unit="0.2",
        scope="3",
        year="2024",
        source="test flight",
        cabin_class="economy",
        distance_min_km="0",
        distance_max_km="1000",
    )
    first = await load(session, write_library(tmp_path / "v1", 1, [band]))
    assert first.job_id is not None
    assert (await wait_for_end(client, admin, str(first.job_id)))["state"] == "succeeded"
    before = await counts(session)

    no_lower_bound = band | {"key": "flight.test.economy.open", "distance_min_km": ""}
    upside_down = band | {"key": "flight.test.economy.upside-down", "distance_min_km": "2000"}
    changed = band | {"kg_co2e_per_unit": "0.9"}
    newer = write_library(tmp_path / "v2", 2, [changed, no_lower_bound, upside_down])
    with pytest.raises(InvalidInput) as raised:
        await load(session, newer)
    await session.rollback()
    detail = str(raised.value.detail)
    assert f"{newer / 'factors.csv'} has 2 bad rows" in detail
    assert f"line 3, distance_min_km: {FLIGHT_BAND_NEEDS_CABIN}" in detail
    assert f"line 4, distance_min_km: {FLIGHT_BAND_ORDER}" in detail
    assert await counts(session) == before  # no job, no staged row, no recorded version
    factor = (await session.exec(select(EmissionFactor))).one()
    assert (factor.kg_co2e_per_unit, factor.version) == (Decimal("0.2"), 1)


@pytest.mark.parametrize("damage", ["edited", "no version file", "bad header"])
async def test_a_damaged_library_is_refused_before_anything_is_written(
    session: AsyncSession, tmp_path: Path, damage: str
) -> None:
    directory = write_library(tmp_path / "lib", 1, [grid_ch("0.1")])
    csv_file, version_file = directory / "factors.csv", directory / "library.toml"
    if damage == "edited":
        csv_file.write_text(csv_file.read_text().replace("0.1", "0.2"))
    elif damage == "no version file":
        version_file.unlink()
    else:
        text = "key,category,colour\nelectricity.grid,electricity,blue\n"
        csv_file.write_text(text)
        version_file.write_text(render_version(1, text, 1))
    with pytest.raises(InvalidInput) as raised:
        await load(session, directory)
    await session.rollback()
    expected = {"edited": "does not match the SHA-256", "no version file": "cannot be read"}
    assert expected.get(damage, "colour") in str(raised.value.detail)
    assert await counts(session) == (0, 0, 0, 0)


async def test_the_shipped_library_file_matches_its_version_file() -> None:
    library = factor_library_service.read_library(factor_library_service.LIBRARY_DIR)
    lines = library.csv_path.read_text().splitlines()
    assert len(lines) - 1 == library.rows
    assert library.version >= 1
