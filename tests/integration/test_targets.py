"""Reduction targets (SPEC §13, docs/targets.md): one per lab, set and removed by its managers;
progress is a linear path from the baseline year's total and the actual total of every year."""

from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from typing import Any

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from app.models.factor import Scope2Basis
from app.models.lab import Lab
from tests.factories import Caller, make_factor, make_lab

TARGET = {"baseline_year": 2020, "target_year": 2024, "reduction_pct": "40"}


def _url(lab: Lab, tail: str = "") -> str:
    return f"/api/v1/labs/{lab.id}/target{tail}"


@pytest.fixture
async def lab(session: AsyncSession, member: Caller) -> Lab:
    for year in range(2019, 2026):
        await make_factor(session, key="heating.gas", kg="1", year=year, scope=1)
    return await make_lab(session, member.user, code="TARGET-LAB")


async def _post(client: httpx.AsyncClient, caller: Caller, lab: Lab, day: str, kg: str) -> None:
    response = await client.post(
        f"/api/v1/labs/{lab.id}/entries",
        json={"date": day, "factor_key": "heating.gas", "quantity": kg},
        headers=caller.headers,
    )
    assert response.status_code == 201, response.text


async def _progress(client: httpx.AsyncClient, caller: Caller, lab: Lab) -> Any:
    response = await client.get(_url(lab, "/progress"), headers=caller.headers)
    assert response.status_code == 200, response.text
    return response.json()


async def test_a_put_sets_the_target_a_second_replaces_it_and_a_delete_removes_it(
    client: httpx.AsyncClient, member: Caller, lab: Lab
) -> None:
    assert (await client.get(_url(lab), headers=member.headers)).status_code == 404
    first = await client.put(_url(lab), json=TARGET, headers=member.headers)
    assert first.status_code == 200, first.text
    body = first.json()
    assert (body["baseline_year"], body["target_year"], body["reduction_pct"]) == (2020, 2024, "40")
    assert body["lab_id"] == str(lab.id)
    assert (await client.get(_url(lab), headers=member.headers)).json() == body

    second = {"baseline_year": 2019, "target_year": 2030, "reduction_pct": 55.5}
    replaced = (await client.put(_url(lab), json=second, headers=member.headers)).json()
    assert (replaced["baseline_year"], replaced["target_year"], replaced["reduction_pct"]) == (
        2019,
        2030,
        "55.5",
    )
    assert (await client.get(_url(lab), headers=member.headers)).json() == replaced

    assert (await client.delete(_url(lab), headers=member.headers)).status_code == 204
    assert (await client.get(_url(lab), headers=member.headers)).status_code == 404
    without = await client.get(_url(lab, "/progress"), headers=member.headers)
    assert (without.status_code, without.json()["target"], without.json()["years"]) == (
        200,
        None,
        [],
    )
    assert (await client.delete(_url(lab), headers=member.headers)).status_code == 204


@pytest.mark.parametrize(
    ("change", "location"),
    [
        ({"target_year": 2020}, ["body", "target_year"]),  # the baseline year itself
        ({"target_year": 2015}, ["body", "target_year"]),  # before it
        ({"reduction_pct": "-1"}, ["body", "reduction_pct"]),
        ({"reduction_pct": "100.01"}, ["body", "reduction_pct"]),
        ({"reduction_pct": "12.345"}, ["body", "reduction_pct"]),
        ({"reduction_pct": True}, ["body", "reduction_pct"]),
        ({"baseline_year": 1989}, ["body", "baseline_year"]),
        ({"target_year": 2101}, ["body", "target_year"]),
        ({"baseline_year": "2020"}, ["body", "baseline_year"]),
        ({"ambition": "high"}, ["body", "ambition"]),
    ],
)
async def test_bad_input_is_a_422_naming_the_field_and_the_stored_target_stays(
    client: httpx.AsyncClient,
    member: Caller,
    lab: Lab,
    change: dict[str, Any],
    location: list[str],
) -> None:
    stored = (await client.put(_url(lab), json=TARGET, headers=member.headers)).json()
    response = await client.put(_url(lab), json=TARGET | change, headers=member.headers)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert location in [error["loc"] for error in response.json()["errors"]]
    assert (await client.get(_url(lab), headers=member.headers)).json() == stored


async def test_a_bad_first_target_stores_nothing(
    client: httpx.AsyncClient, member: Caller, lab: Lab
) -> None:
    bad = TARGET | {"target_year": 2019}
    response = await client.put(_url(lab), json=bad, headers=member.headers)
    assert response.status_code == 422
    assert "after the baseline year" in response.text
    assert (await client.get(_url(lab), headers=member.headers)).status_code == 404


async def test_progress_is_a_linear_path_with_the_actual_total_of_every_year(
    client: httpx.AsyncClient, member: Caller, lab: Lab
) -> None:
    """Baseline 2020: 1,000 kg; -40 % by 2024, so 100 kg less a year. 2021 and 2024 have no
    entries; 2019 and 2025 are outside the target's years."""
    for day, kg in (
        ("2019-06-01", "5000"),
        ("2020-01-01", "400"),
        ("2020-12-31", "600"),
        ("2022-03-01", "700"),
        ("2023-03-01", "900"),
        ("2025-01-01", "1"),
    ):
        await _post(client, member, lab, day, kg)
    await client.put(_url(lab), json=TARGET, headers=member.headers)
    progress = await _progress(client, member, lab)
    assert progress["path"] == "linear"
    assert (progress["baseline_kg_co2e"], progress["target_kg_co2e"]) == ("1000", "600")
    assert progress["target"]["reduction_pct"] == "40"
    assert [
        (y["year"], y["path_kg_co2e"], y["actual_kg_co2e"], y["entry_count"], y["gap_kg_co2e"])
        for y in progress["years"]
    ] == [
        (2020, "1000", "1000", 2, "0"),
        (2021, "900", None, 0, None),
        (2022, "800", "700", 1, "-100"),
        (2023, "700", "900", 1, "200"),
        (2024, "600", None, 0, None),
    ]
    assert [y["on_track"] for y in progress["years"]] == [True, None, True, False, None]


async def test_the_path_is_rounded_half_even_to_the_gram_against_an_exact_computation(
    client: httpx.AsyncClient, member: Caller, lab: Lab
) -> None:
    await _post(client, member, lab, "2019-05-05", "123.457")
    target = {"baseline_year": 2019, "target_year": 2025, "reduction_pct": "33.33"}
    await client.put(_url(lab), json=target, headers=member.headers)
    progress = await _progress(client, member, lab)
    baseline, reduction = Fraction("123.457"), Fraction("33.33")
    for row in progress["years"]:
        exact = baseline * (1 - reduction / 100 * Fraction(row["year"] - 2019, 6))
        expected = (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(
            Decimal("0.001"), rounding=ROUND_HALF_EVEN
        )
        assert Decimal(row["path_kg_co2e"]) == expected, row
    assert len(progress["years"]) == 7


async def test_without_baseline_data_there_is_no_path_but_the_actuals_are_shown(
    client: httpx.AsyncClient, member: Caller, lab: Lab
) -> None:
    await _post(client, member, lab, "2022-03-01", "700")
    await client.put(_url(lab), json=TARGET, headers=member.headers)
    progress = await _progress(client, member, lab)
    assert (progress["baseline_kg_co2e"], progress["target_kg_co2e"]) == (None, None)
    assert [(y["year"], y["path_kg_co2e"], y["actual_kg_co2e"]) for y in progress["years"]] == [
        (2020, None, None),
        (2021, None, None),
        (2022, None, "700"),
        (2023, None, None),
        (2024, None, None),
    ]
    assert {y["on_track"] for y in progress["years"]} == {None}


async def test_the_actuals_are_the_reports_headline_totals(
    client: httpx.AsyncClient, member: Caller, lab: Lab, session: AsyncSession
) -> None:
    """Scope 2 on both bases counts once (location), as in the report; a year with only a
    market-based record counts that."""
    for year in (2020, 2021):
        await make_factor(session, key="el.grid", kg="0.1", year=year, basis=Scope2Basis.LOCATION)
        await make_factor(session, key="el.green", kg="0.01", year=year, basis=Scope2Basis.MARKET)
    for key in ("el.grid", "el.green"):
        response = await client.post(
            f"/api/v1/labs/{lab.id}/entries",
            json={"date": "2020-04-01", "factor_key": key, "quantity": "1000"},
            headers=member.headers,
        )
        assert response.status_code == 201
    response = await client.post(
        f"/api/v1/labs/{lab.id}/entries",
        json={"date": "2021-04-01", "factor_key": "el.green", "quantity": "1000"},
        headers=member.headers,
    )
    assert response.status_code == 201
    await client.put(_url(lab), json=TARGET, headers=member.headers)
    progress = await _progress(client, member, lab)
    assert [(y["year"], y["actual_kg_co2e"]) for y in progress["years"][:2]] == [
        (2020, "100"),
        (2021, "10"),
    ]
    for year in (2020, 2021):
        report = await client.get(
            f"/api/v1/reports/{lab.id}", params={"year": year}, headers=member.headers
        )
        assert report.json()["total_kg_co2e"] == progress["years"][year - 2020]["actual_kg_co2e"]


async def test_the_institution_has_one_target_of_its_own_for_admins(
    client: httpx.AsyncClient, member: Caller, admin: Caller, lab: Lab
) -> None:
    url = "/api/v1/institution/target"
    assert (await client.get(url, headers=admin.headers)).status_code == 404
    assert (await client.put(url, json=TARGET, headers=member.headers)).status_code == 403
    first = await client.put(url, json=TARGET, headers=admin.headers)
    assert first.status_code == 200, first.text
    assert "lab_id" not in first.json()
    second = TARGET | {"reduction_pct": "45"}
    replaced = (await client.put(url, json=second, headers=admin.headers)).json()
    assert replaced["reduction_pct"] == "45"
    assert (await client.get(url, headers=admin.headers)).json() == replaced
    # A lab's target is another row; the institution's stays when a bad body is refused.
    assert (await client.put(_url(lab), json=TARGET, headers=member.headers)).status_code == 200
    bad = await client.put(url, json=TARGET | {"target_year": 2020}, headers=admin.headers)
    assert bad.status_code == 422
    assert (await client.get(url, headers=admin.headers)).json() == replaced
    assert (await client.get(_url(lab), headers=member.headers)).json()["reduction_pct"] == "40"
    assert (await client.delete(url, headers=admin.headers)).status_code == 204
    assert (await client.get(url, headers=admin.headers)).status_code == 404
    assert (await client.get(_url(lab), headers=member.headers)).status_code == 200


async def test_the_institution_progress_sums_every_labs_headline(
    client: httpx.AsyncClient, member: Caller, admin: Caller, lab: Lab, session: AsyncSession
) -> None:
    """Two labs; the second records its electricity only on a contract in 2020 (counted), the
    first on both bases (its location figure counts)."""
    other = await make_lab(session, member.user, code="OTHER-LAB")
    await make_factor(session, key="el.grid", kg="0.1", year=2020, basis=Scope2Basis.LOCATION)
    await make_factor(session, key="el.green", kg="0.01", year=2020, basis=Scope2Basis.MARKET)
    for target_lab, key, quantity in (
        (lab, "el.grid", "1000"),
        (lab, "el.green", "1000"),
        (other, "el.green", "2000"),
        (other, "heating.gas", "50"),
    ):
        response = await client.post(
            f"/api/v1/labs/{target_lab.id}/entries",
            json={"date": "2020-06-01", "factor_key": key, "quantity": quantity},
            headers=member.headers,
        )
        assert response.status_code == 201, response.text
    await _post(client, member, other, "2023-01-01", "90")
    await client.put("/api/v1/institution/target", json=TARGET, headers=admin.headers)
    response = await client.get("/api/v1/institution/target/progress", headers=admin.headers)
    assert response.status_code == 200, response.text
    progress = response.json()
    # 100 (lab, location) + 20 (other, market) + 50 (other, heating)
    assert progress["baseline_kg_co2e"] == "170"
    assert [(y["year"], y["actual_kg_co2e"], y["path_kg_co2e"]) for y in progress["years"]] == [
        (2020, "170", "170"),
        (2021, None, "153"),
        (2022, None, "136"),
        (2023, "90", "119"),
        (2024, None, "102"),
    ]
    assert progress["years"][0]["entry_count"] == 3
    forbidden = await client.get("/api/v1/institution/target/progress", headers=member.headers)
    assert forbidden.status_code == 403
