"""Scope 2 both ways (SPEC §13, docs/scope2.md): the report shows location- and market-based
scope 2 where the data exist, says which basis the headline uses, and never counts the same
electricity twice."""

import csv
import io
from typing import Any

import httpx
from sqlmodel.ext.asyncio.session import AsyncSession

from app.models.factor import FactorCategory, Scope2Basis
from tests.factories import Caller, make_factor, make_lab, make_user, sign_in

YEAR = 2025
GRID, CONTRACT, UNSTATED = "electricity.grid.CH", "electricity.contract", "electricity.other"


async def _factors(session: AsyncSession, year: int = YEAR) -> None:
    """The same kWh on the grid average (0.128, ±5 %) and on the lab's contract (0.02, ±10 %);
    a scope 2 factor that states no basis; heating (scope 1)."""
    await make_factor(
        session, key=GRID, kg="0.128", year=year, uncertainty_pct="5", basis=Scope2Basis.LOCATION
    )
    await make_factor(
        session, key=CONTRACT, kg="0.02", year=year, uncertainty_pct="10", basis=Scope2Basis.MARKET
    )
    await make_factor(session, key=UNSTATED, kg="0.1", year=year)
    await make_factor(
        session, key="heating.gas", kg="0.2", year=year, scope=1, category=FactorCategory.HEATING
    )


async def _post(
    client: httpx.AsyncClient, caller: Caller, lab_id: object, key: str, quantity: str, day: str
) -> None:
    response = await client.post(
        f"/api/v1/labs/{lab_id}/entries",
        json={"date": day, "factor_key": key, "quantity": quantity},
        headers=caller.headers,
    )
    assert response.status_code == 201, response.text


async def _report(client: httpx.AsyncClient, caller: Caller, lab_id: object) -> Any:
    response = await client.get(
        f"/api/v1/reports/{lab_id}", params={"year": YEAR}, headers=caller.headers
    )
    assert response.status_code == 200, response.text
    return response.json()


def _bases(report: Any) -> list[tuple[str | None, bool, int, str]]:
    return [
        (b["basis"], b["in_headline"], b["entry_count"], b["kg_co2e"])
        for b in report["scope2_by_basis"]
    ]


async def test_both_bases_are_shown_and_the_headline_counts_the_location_basis_once(
    client: httpx.AsyncClient, member: Caller, session: AsyncSession
) -> None:
    await _factors(session, YEAR - 1)
    await _factors(session)
    lab = await make_lab(session, member.user)
    # 1,000 kWh in March, recorded on both bases; heating 100 kWh. The year before: the same.
    for year in (YEAR - 1, YEAR):
        await _post(client, member, lab.id, GRID, "1000", f"{year}-03-31")
        await _post(client, member, lab.id, CONTRACT, "1000", f"{year}-03-31")
        await _post(client, member, lab.id, "heating.gas", "100", f"{year}-03-15")
    report = await _report(client, member, lab.id)

    assert report["scope2_headline_basis"] == "location"
    assert _bases(report) == [("location", True, 1, "128"), ("market", False, 1, "20")]
    assert report["total_kg_co2e"] == "148"  # 128 + 20 of heating, not 128 + 20 + 20
    assert report["entry_count"] == 2
    assert [(s["scope"], s["kg_co2e"]) for s in report["by_scope"]] == [(1, "20"), (2, "128")]
    assert [(c["category"], c["kg_co2e"]) for c in report["by_category"]] == [
        ("electricity", "128"),
        ("heating", "20"),
    ]
    assert report["by_month"][2]["kg_co2e"] == "148"
    assert {f["factor_key"] for f in report["top_factors"]} == {GRID, "heating.gas"}
    assert report["previous_year_total_kg_co2e"] == "148"
    assert report["change_kg_co2e"] == "0"
    # The total's interval holds the location factor only (±6.4 kg), heating has none.
    assert (report["uncertainty"]["low_kg_co2e"], report["uncertainty"]["high_kg_co2e"]) == (
        "141.6",
        "154.4",
    )
    market = report["scope2_by_basis"][1]["uncertainty"]
    assert (market["low_kg_co2e"], market["high_kg_co2e"]) == ("18", "22")

    response = await client.get(
        f"/api/v1/reports/{lab.id}", params={"year": YEAR, "format": "csv"}, headers=member.headers
    )
    rows = {(r["section"], r["key"]): r for r in csv.DictReader(io.StringIO(response.text))}
    assert ("scope2_headline_basis", "location") in rows
    market_row = rows[("scope2_basis", "market")]
    assert (market_row["kg_co2e"], market_row["quantity"]) == ("20", "1")
    assert rows[("high_95", "scope2/market")]["kg_co2e"] == "22"


async def test_a_year_with_only_market_based_data_counts_it_and_says_so(
    client: httpx.AsyncClient, member: Caller, session: AsyncSession
) -> None:
    await _factors(session)
    lab = await make_lab(session, member.user)
    await _post(client, member, lab.id, CONTRACT, "1000", f"{YEAR}-05-01")
    await _post(client, member, lab.id, UNSTATED, "10", f"{YEAR}-05-02")
    report = await _report(client, member, lab.id)
    assert report["scope2_headline_basis"] == "market"
    assert _bases(report) == [("market", True, 1, "20"), (None, True, 1, "1")]
    assert report["total_kg_co2e"] == "21"


async def test_scope_2_without_a_basis_always_counts_beside_the_location_basis(
    client: httpx.AsyncClient, member: Caller, session: AsyncSession
) -> None:
    await _factors(session)
    lab = await make_lab(session, member.user)
    await _post(client, member, lab.id, GRID, "100", f"{YEAR}-05-01")
    await _post(client, member, lab.id, CONTRACT, "100", f"{YEAR}-05-01")
    await _post(client, member, lab.id, UNSTATED, "10", f"{YEAR}-05-02")
    report = await _report(client, member, lab.id)
    assert report["scope2_headline_basis"] == "location"
    assert _bases(report) == [
        ("location", True, 1, "12.8"),
        ("market", False, 1, "2"),
        (None, True, 1, "1"),
    ]
    assert report["total_kg_co2e"] == "13.8"


async def test_a_year_without_scope_2_has_no_basis_rows(
    client: httpx.AsyncClient, member: Caller, session: AsyncSession
) -> None:
    await _factors(session)
    lab = await make_lab(session, member.user)
    await _post(client, member, lab.id, "heating.gas", "10", f"{YEAR}-05-01")
    report = await _report(client, member, lab.id)
    assert (report["scope2_headline_basis"], report["scope2_by_basis"]) == ("location", [])
    assert report["total_kg_co2e"] == "2"


async def test_the_institution_sums_each_labs_headline_without_double_counting(
    client: httpx.AsyncClient, member: Caller, admin: Caller, session: AsyncSession
) -> None:
    """Lab A records both bases (its location figure counts); lab B only its contract (counted,
    or its electricity would vanish). The contract factor's interval holds lab B's kg only."""
    await _factors(session)
    first = await make_lab(session, member.user, code="A-LAB")
    other = await sign_in(client, await make_user(session))
    second = await make_lab(session, other.user, code="B-LAB")
    await _post(client, member, first.id, GRID, "1000", f"{YEAR}-03-01")
    await _post(client, member, first.id, CONTRACT, "1000", f"{YEAR}-03-01")
    await _post(client, other, second.id, CONTRACT, "500", f"{YEAR}-03-01")
    response = await client.get("/api/v1/reports", params={"year": YEAR}, headers=admin.headers)
    report = response.json()
    assert report["total_kg_co2e"] == "138"  # 128 (A, location) + 10 (B, market)
    assert [(r["lab_code"], r["kg_co2e"]) for r in report["by_lab_and_category"]] == [
        ("A-LAB", "128"),
        ("B-LAB", "10"),
    ]
    assert [(r["lab_code"], r["total_kg_co2e"]) for r in report["per_fte"]] == [
        ("A-LAB", "128"),
        ("B-LAB", "10"),
    ]
    # ±6.4 (A's grid kWh at 5 %) and ±1 (B's 10 kg at 10 %), in quadrature: ±6.4777 kg
    assert (report["uncertainty"]["low_kg_co2e"], report["uncertainty"]["high_kg_co2e"]) == (
        "131.522",
        "144.478",
    )
