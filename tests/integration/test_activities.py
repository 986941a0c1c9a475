"""Typed activities (flight, purchase, refrigerant): each kind against an independent
computation (a spherical great circle, the ECB rate looked up in the package directly, the
IPCC GWP table of `globalwarmingpotentials`), and the refusals of bad input, after which nothing
is stored."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import airportsdata
import globalwarmingpotentials
import httpx
import pytest
from currency_converter import CurrencyConverter
from geographiclib.geodesic import Geodesic
from sqlmodel import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.config import settings
from app.models.entry import ActivityEntry
from app.models.factor import CabinClass, FactorCategory
from tests.factories import Caller, make_factor, make_lab


def _entries(lab_id: object) -> str:
    return f"/api/v1/labs/{lab_id}/entries"


async def _count(session: AsyncSession) -> int:
    return (await session.exec(select(func.count()).select_from(ActivityEntry))).one()


def _geodesic_km(origin: str, destination: str) -> float:
    """The WGS84 geodesic (Karney's algorithm), an independent measure of the same route."""
    airports = airportsdata.load("IATA")
    a, b = airports[origin], airports[destination]
    metres: float = Geodesic.WGS84.Inverse(a["lat"], a["lon"], b["lat"], b["lon"])["s12"]
    return metres / 1000


def _kg(quantity: Decimal, value: str) -> Decimal:
    return (quantity * Decimal(value)).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)


async def _flight_bands(session: AsyncSession) -> None:
    """Three economy bands and one business band, as a publisher's table would give them."""
    for key, kg, low, high, cabin in [
        ("flight.economy.short", "0.15", 0, 1500, CabinClass.ECONOMY),
        ("flight.economy.medium", "0.12", 1500, 4000, CabinClass.ECONOMY),
        ("flight.economy.long", "0.10", 4000, None, CabinClass.ECONOMY),
        ("flight.business.long", "0.29", 4000, None, CabinClass.BUSINESS),
    ]:
        await make_factor(
            session,
            key=key,
            year=2024,
            kg=kg,
            unit="pkm",
            category=FactorCategory.AIR_TRAVEL,
            scope=3,
            cabin_class=cabin,
            distance_min_km=low,
            distance_max_km=high,
        )


async def test_a_flight_is_measured_between_its_airports_and_takes_its_band(
    client: httpx.AsyncClient, member: Caller, session: AsyncSession
) -> None:
    await _flight_bands(session)
    lab = await make_lab(session, member.user)
    body = {
        "kind": "flight",
        "date": "2024-05-02",
        "origin": "GVA",
        "destination": "JFK",
        "cabin_class": "economy",
        "round_trip": True,
        "travellers": 2,
    }
    response = await client.post(_entries(lab.id), json=body, headers=member.headers)
    assert response.status_code == 201, response.text
    entry = response.json()
    activity = entry["activity"]
    great_circle = Decimal(activity["great_circle_km"])
    # The sphere's great circle and the ellipsoid's geodesic differ by well under 0.5 %.
    geodesic = _geodesic_km("GVA", "JFK")
    assert abs(float(great_circle) - geodesic) < 0.005 * geodesic
    assert activity["uplift_km"] == str(settings.FLIGHT_UPLIFT_KM)
    distance = great_circle + settings.FLIGHT_UPLIFT_KM
    assert Decimal(activity["distance_km"]) == distance
    quantity = distance * 2 * 2 * settings.FLIGHT_RF_MULTIPLIER
    assert (entry["kind"], entry["factor_key"], entry["unit"]) == (
        "flight",
        "flight.economy.long",
        "pkm",
    )
    assert Decimal(entry["quantity"]) == quantity
    assert Decimal(entry["kg_co2e"]) == _kg(quantity, "0.10")
    # A short hop takes the short band; the stored entry reads as the response said.
    short = await client.post(
        _entries(lab.id),
        json=body | {"destination": "ZRH", "round_trip": False, "travellers": 1},
        headers=member.headers,
    )
    assert short.status_code == 201, short.text
    assert short.json()["factor_key"] == "flight.economy.short"
    stored = await client.get(f"/api/v1/entries/{short.json()['id']}", headers=member.headers)
    assert stored.json() == short.json()


async def test_a_purchase_is_converted_at_the_ecb_rate_of_its_date(
    client: httpx.AsyncClient, member: Caller, session: AsyncSession
) -> None:
    await make_factor(
        session,
        key="spend.it_equipment",
        year=2024,
        kg="0.35",
        unit="CHF",
        category=FactorCategory.PURCHASES,
        scope=3,
    )
    lab = await make_lab(session, member.user)
    body = {
        "kind": "purchase",
        "date": "2024-03-02",  # a Saturday: Friday's rates apply
        "factor_key": "spend.it_equipment",
        "amount": "1234.50",
        "currency": "USD",
    }
    response = await client.post(_entries(lab.id), json=body, headers=member.headers)
    assert response.status_code == 201, response.text
    entry = response.json()
    activity = entry["activity"]
    rates = CurrencyConverter(fallback_on_missing_rate=False)
    friday = date(2024, 3, 1)
    usd = Decimal(str(rates.convert(1, "EUR", "USD", date=friday)))
    chf = Decimal(str(rates.convert(1, "EUR", "CHF", date=friday)))
    rate = (chf / usd).quantize(Decimal("1e-10"), rounding=ROUND_HALF_UP)
    assert (activity["rate_date"], Decimal(activity["rate"])) == ("2024-03-01", rate)
    assert (activity["eur_rate_currency"], activity["eur_rate_factor_currency"]) == (
        str(usd),
        str(chf),
    )
    quantity = (Decimal("1234.50") * rate).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)
    assert Decimal(entry["quantity"]) == quantity
    assert Decimal(entry["kg_co2e"]) == _kg(quantity, "0.35")
    # An amount already in the factor's currency converts at 1.
    same = await client.post(
        _entries(lab.id), json=body | {"currency": "CHF"}, headers=member.headers
    )
    assert (same.json()["activity"]["rate"], same.json()["quantity"]) == ("1", "1234.5")


async def test_a_refrigerant_leak_weighs_its_kg_times_the_gases_gwp100(
    client: httpx.AsyncClient, member: Caller, session: AsyncSession
) -> None:
    gwps: dict[str, Any] = globalwarmingpotentials.data
    gwp = str(gwps["AR6GWP100"]["HFC134a"])
    await make_factor(
        session,
        key="gas.ar6.HFC134a",
        year=2024,
        kg=gwp,
        unit="kg",
        category=FactorCategory.OTHER,
        scope=1,
    )
    lab = await make_lab(session, member.user)
    body = {"kind": "refrigerant", "date": "2024-07-01", "gas": "HFC134a", "kg": "2.5"}
    response = await client.post(_entries(lab.id), json=body, headers=member.headers)
    assert response.status_code == 201, response.text
    entry = response.json()
    assert entry["activity"] == {
        "kind": "refrigerant",
        "gas": "HFC134a",
        "kg": "2.5",
        "assessment": "ar6",
        "gwp": format(Decimal(gwp).normalize(), "f"),
    }
    assert Decimal(entry["kg_co2e"]) == _kg(Decimal("2.5"), gwp)


@pytest.mark.parametrize(
    ("body", "location"),
    [
        ({"kind": "flight", "origin": "QQQ", "destination": "JFK"}, ["body", "origin"]),
        ({"kind": "flight", "origin": "GVA", "destination": "QQQ"}, ["body", "destination"]),
        ({"kind": "flight", "origin": "GVA", "destination": "GVA"}, ["body", "destination"]),
        ({"kind": "flight", "origin": "gva", "destination": "JFK"}, ["body", "origin"]),
        (
            {"kind": "flight", "origin": "GVA", "destination": "JFK", "cabin_class": "first"},
            ["body", "cabin_class"],  # no first-class factor
        ),
        (
            {"kind": "flight", "origin": "GVA", "destination": "JFK", "travellers": 0},
            ["body", "travellers"],
        ),
        (
            {"kind": "purchase", "factor_key": "spend.it", "amount": "10", "currency": "XYZ"},
            ["body", "currency"],
        ),
        (
            {
                "kind": "purchase",
                "factor_key": "spend.it",
                "amount": "10",
                "currency": "USD",
                "date": "1998-06-01",  # before the first ECB rate
            },
            ["body", "date"],
        ),
        (
            {
                "kind": "purchase",
                "factor_key": "electricity.grid",
                "amount": "10",
                "currency": "USD",
            },
            ["body", "factor_key"],  # per kWh, not per unit of a currency
        ),
        ({"kind": "refrigerant", "gas": "R-999", "kg": "1"}, ["body", "gas"]),
        ({"kind": "refrigerant", "gas": "HFC134a", "kg": "-1"}, ["body", "kg"]),
        ({"kind": "teleport", "factor_key": "x", "quantity": "1"}, ["body"]),
        (
            {"kind": "flight", "origin": "GVA", "destination": "JFK", "quantity": "1"},
            ["body", "quantity"],
        ),  # a flight's quantity is computed
    ],
)
async def test_bad_activities_are_refused_and_nothing_is_stored(
    client: httpx.AsyncClient,
    member: Caller,
    session: AsyncSession,
    body: dict[str, object],
    location: list[str],
) -> None:
    await _flight_bands(session)
    for year in (1998, 2024):
        await make_factor(
            session,
            key="spend.it",
            year=year,
            kg="0.3",
            unit="CHF",
            category=FactorCategory.PURCHASES,
            scope=3,
        )
    await make_factor(session, key="electricity.grid", year=2024, kg="0.1")
    lab = await make_lab(session, member.user)
    response = await client.post(
        _entries(lab.id), json={"date": "2024-05-02"} | body, headers=member.headers
    )
    assert response.status_code == 422, response.text
    assert location in [error["loc"] for error in response.json()["errors"]], response.json()
    assert await _count(session) == 0


async def test_a_computed_entry_changes_only_its_note(
    client: httpx.AsyncClient, member: Caller, session: AsyncSession
) -> None:
    await _flight_bands(session)
    lab = await make_lab(session, member.user)
    created = await client.post(
        _entries(lab.id),
        json={"kind": "flight", "date": "2024-05-02", "origin": "GVA", "destination": "LHR"},
        headers=member.headers,
    )
    entry = created.json()
    url = f"/api/v1/entries/{entry['id']}"
    refused = await client.patch(
        url, json={"version": 1, "quantity": "1", "note": "x"}, headers=member.headers
    )
    assert refused.status_code == 422
    assert [error["loc"] for error in refused.json()["errors"]] == [["body", "quantity"]]
    assert (await client.get(url, headers=member.headers)).json() == entry
    noted = await client.patch(
        url, json={"version": 1, "note": "conference"}, headers=member.headers
    )
    assert noted.status_code == 200
    assert noted.json() == entry | {
        "note": "conference",
        "version": 2,
        "updated_at": noted.json()["updated_at"],
    }
    listed = (await client.get(_entries(lab.id), headers=member.headers)).json()["items"]
    assert [item["activity"] for item in listed] == [entry["activity"]]


@pytest.mark.parametrize(
    "band",
    [
        {"cabin_class": "economy"},  # no distance_min_km
        {"distance_min_km": 0},  # no cabin class
        {"cabin_class": "economy", "distance_min_km": 1500, "distance_max_km": 1500},
        {"cabin_class": "economy", "distance_min_km": 0, "distance_max_km": 0},
        {"cabin_class": "sleeper", "distance_min_km": 0},
    ],
)
async def test_a_flight_factor_needs_a_whole_band(
    client: httpx.AsyncClient, admin: Caller, band: dict[str, object]
) -> None:
    body = {
        "key": "flight.economy.short",
        "category": "air_travel",
        "unit": "pkm",
        "kg_co2e_per_unit": "0.15",
        "scope": 3,
        "year": 2024,
    }
    refused = await client.post("/api/v1/factors", json=body | band, headers=admin.headers)
    assert refused.status_code == 422, refused.text
    created = await client.post(
        "/api/v1/factors",
        json=body | {"cabin_class": "economy", "distance_min_km": 0, "distance_max_km": 1500},
        headers=admin.headers,
    )
    assert created.status_code == 201
    factor = created.json()
    broken = await client.patch(
        f"/api/v1/factors/{factor['id']}",
        json={"version": 1, "distance_max_km": 0}
        if "cabin_class" in band
        else {"version": 1, "cabin_class": None},
        headers=admin.headers,
    )
    assert broken.status_code == 422, broken.text
    unchanged = await client.get(f"/api/v1/factors/{factor['id']}", headers=admin.headers)
    assert unchanged.json() == factor


async def test_equipment_is_spread_over_its_lifetime_with_the_purchase_years_factor(
    client: httpx.AsyncClient, member: Caller, session: AsyncSession
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
    lab = await make_lab(session, member.user)
    body = {
        "kind": "equipment",
        "date": "2024-06-15",
        "factor_key": "equipment.laptop",
        "quantity": "1",
        "lifetime_years": 3,
    }
    response = await client.post(_entries(lab.id), json=body, headers=member.headers)
    assert response.status_code == 201, response.text
    first = response.json()
    assert (first["date"], first["quantity"], first["kg_co2e"]) == (
        "2024-06-15",
        "0.333333",
        "99.9999",
    )
    listed = (
        await client.get(_entries(lab.id), params={"order": "asc"}, headers=member.headers)
    ).json()["items"]
    assert [(e["date"], e["quantity"], e["factor_year"]) for e in listed] == [
        ("2024-06-15", "0.333333", 2024),
        ("2025-01-01", "0.333333", 2024),
        ("2026-01-01", "0.333334", 2024),
    ]
    assert sum(Decimal(e["kg_co2e"]) for e in listed) == Decimal(300)  # 1 laptop x 300 kg
    series = {e["activity"]["series_id"] for e in listed}
    assert len(series) == 1
    assert [e["activity"]["year_of_lifetime"] for e in listed] == [1, 2, 3]
    report = await client.get(
        f"/api/v1/reports/{lab.id}", params={"year": 2025}, headers=member.headers
    )
    assert Decimal(report.json()["total_kg_co2e"]) == Decimal("99.9999")
    # On the purchase year's factor on purpose: not year rollover.
    assert report.json()["rollover"] == {"entries": 0, "kg_co2e": "0"}
    # One purchase: deleting any of its years deletes them all.
    gone = await client.delete(f"/api/v1/entries/{listed[1]['id']}", headers=member.headers)
    assert gone.status_code == 204
    assert await _count(session) == 0


@pytest.mark.parametrize(
    ("change", "location"),
    [
        ({"lifetime_years": 0}, ["body", "lifetime_years"]),
        ({"lifetime_years": 51}, ["body", "lifetime_years"]),
        ({"lifetime_years": "3"}, ["body", "lifetime_years"]),
        ({"factor_key": "equipment.unknown"}, ["body", "factor_key"]),
        ({"date": "2019-06-15"}, ["body", "factor_key"]),  # no factor that early
        ({"quantity": "-1"}, ["body", "quantity"]),
    ],
)
async def test_bad_equipment_is_refused_and_nothing_is_stored(
    client: httpx.AsyncClient,
    member: Caller,
    session: AsyncSession,
    change: dict[str, object],
    location: list[str],
) -> None:
    await make_factor(session, key="equipment.laptop", year=2024, kg="300", unit="item", scope=3)
    lab = await make_lab(session, member.user)
    body = {
        "kind": "equipment",
        "date": "2024-06-15",
        "factor_key": "equipment.laptop",
        "quantity": "1",
        "lifetime_years": 3,
    }
    response = await client.post(_entries(lab.id), json=body | change, headers=member.headers)
    assert response.status_code == 422, response.text
    assert location in [error["loc"] for error in response.json()["errors"]]
    assert await _count(session) == 0
