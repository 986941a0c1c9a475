"""Headcount per lab-year (SPEC §13): FTE by staff category, replaced a year at a time; the lab
report's per-FTE figures and the institution report's ranking per FTE."""

import asyncio
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from app.models.factor import FactorCategory
from app.models.lab import Lab, LabRole
from tests.factories import Caller, add_member, make_factor, make_lab, make_user, sign_in

YEAR = 2025
FULL: dict[str, list[dict[str, Any]]] = {
    "categories": [
        {"category": "professors", "fte": "2"},
        {"category": "researchers", "fte": "5.5"},
        {"category": "phd_students", "fte": 8},
        {"category": "technical_administrative", "fte": "1.25"},
        {"category": "students", "fte": "3.25"},
    ]
}


def _url(lab: Lab, year: int | str = YEAR) -> str:
    return f"/api/v1/labs/{lab.id}/headcount/{year}"


async def _put(
    client: httpx.AsyncClient, caller: Caller, lab: Lab, body: Any, year: int | str = YEAR
) -> httpx.Response:
    return await client.put(_url(lab, year), json=body, headers=caller.headers)


async def _stored(client: httpx.AsyncClient, caller: Caller, lab: Lab) -> Any:
    response = await client.get(f"/api/v1/labs/{lab.id}/headcount", headers=caller.headers)
    assert response.status_code == 200, response.text
    return response.json()


def _fte(year_body: Any) -> dict[str, str]:
    return {row["category"]: row["fte"] for row in year_body["categories"]}


@pytest.fixture
async def lab(session: AsyncSession, member: Caller) -> Lab:
    return await make_lab(session, member.user, code="HC-LAB")


async def test_a_put_stores_the_year_and_a_get_reads_it_back(
    client: httpx.AsyncClient, member: Caller, lab: Lab
) -> None:
    response = await _put(client, member, lab, FULL)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["year"] == YEAR
    assert body["lab_id"] == str(lab.id)
    assert body["total_fte"] == "20"
    # In the order of the categories, whatever the order sent; exact decimals out.
    assert [row["category"] for row in body["categories"]] == [
        "professors",
        "researchers",
        "phd_students",
        "technical_administrative",
        "students",
    ]
    assert _fte(body) == {
        "professors": "2",
        "researchers": "5.5",
        "phd_students": "8",
        "technical_administrative": "1.25",
        "students": "3.25",
    }
    assert await _stored(client, member, lab) == [body]
    one_year = await client.get(
        f"/api/v1/labs/{lab.id}/headcount", params={"year": YEAR}, headers=member.headers
    )
    assert one_year.json() == [body]
    other_year = await client.get(
        f"/api/v1/labs/{lab.id}/headcount", params={"year": 2024}, headers=member.headers
    )
    assert other_year.json() == []
    assert (await client.get(_url(lab), headers=member.headers)).json() == body
    missing = await client.get(_url(lab, 2024), headers=member.headers)
    assert missing.status_code == 404


async def test_a_put_replaces_the_whole_year_and_leaves_other_years_alone(
    client: httpx.AsyncClient, member: Caller, lab: Lab
) -> None:
    assert (await _put(client, member, lab, FULL, year=2024)).status_code == 200
    assert (await _put(client, member, lab, FULL)).status_code == 200
    smaller = {"categories": [{"category": "researchers", "fte": "4"}]}
    response = await _put(client, member, lab, smaller)
    assert response.status_code == 200, response.text
    assert _fte(response.json()) == {"researchers": "4"}
    years = await _stored(client, member, lab)
    assert [y["year"] for y in years] == [2024, 2025]
    assert _fte(years[0]) == {row["category"]: str(row["fte"]) for row in FULL["categories"]}
    assert years[0]["total_fte"] == "20"
    assert years[1]["total_fte"] == "4"


async def test_the_same_put_twice_changes_nothing(
    client: httpx.AsyncClient, member: Caller, lab: Lab
) -> None:
    first = (await _put(client, member, lab, FULL)).json()
    second = await _put(client, member, lab, FULL)
    assert second.status_code == 200
    assert second.json() == first  # updated_at included: an unchanged row is not rewritten


async def test_concurrent_puts_leave_the_year_as_one_of_them_left_it(
    client: httpx.AsyncClient, member: Caller, lab: Lab
) -> None:
    bodies = [
        {
            "categories": [
                {"category": "professors", "fte": "1"},
                {"category": "students", "fte": 2},
            ]
        },
        {"categories": [{"category": "researchers", "fte": "3"}]},
        FULL,
    ]
    answers = await asyncio.gather(*(_put(client, member, lab, body) for body in bodies))
    assert [answer.status_code for answer in answers] == [200, 200, 200]
    (stored,) = await _stored(client, member, lab)
    assert _fte(stored) in [_fte(answer.json()) for answer in answers]


async def test_a_delete_removes_the_year_and_is_idempotent(
    client: httpx.AsyncClient, member: Caller, lab: Lab
) -> None:
    await _put(client, member, lab, FULL, year=2024)
    await _put(client, member, lab, FULL)
    for _ in range(2):
        response = await client.delete(_url(lab), headers=member.headers)
        assert response.status_code == 204
    assert [y["year"] for y in await _stored(client, member, lab)] == [2024]


BAD_PUTS: list[tuple[str, Any, list[Any]]] = [
    (
        "negative",
        {"categories": [{"category": "professors", "fte": "-1"}]},
        ["body", "categories", 0, "fte"],
    ),
    (
        "negative_number",
        {"categories": [{"category": "professors", "fte": -0.5}]},
        ["body", "categories", 0, "fte"],
    ),
    (
        "too_large",
        {"categories": [{"category": "students", "fte": "10000.01"}]},
        ["body", "categories", 0, "fte"],
    ),
    (
        "three_decimals",
        {"categories": [{"category": "students", "fte": "1.005"}]},
        ["body", "categories", 0, "fte"],
    ),
    (
        "unknown_category",
        {"categories": [{"category": "postdocs", "fte": "1"}]},
        ["body", "categories", 0, "category"],
    ),
    (
        "duplicated_category",
        {
            "categories": [
                {"category": "researchers", "fte": "1"},
                {"category": "professors", "fte": "1"},
                {"category": "researchers", "fte": "2"},
            ]
        },
        ["body", "categories", 2, "category"],
    ),
    ("empty", {"categories": []}, ["body", "categories"]),
    (
        "unknown_field",
        {"categories": [{"category": "students", "fte": "1", "people": 3}]},
        ["body", "categories", 0, "people"],
    ),
]


@pytest.mark.parametrize(("name", "body", "loc"), BAD_PUTS, ids=[b[0] for b in BAD_PUTS])
async def test_a_bad_put_is_a_422_with_field_errors_and_the_year_stays_as_it_was(
    client: httpx.AsyncClient, member: Caller, lab: Lab, name: str, body: Any, loc: list[Any]
) -> None:
    before = (await _put(client, member, lab, FULL)).json()
    response = await _put(client, member, lab, body)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert loc in [error["loc"] for error in response.json()["errors"]]
    assert await _stored(client, member, lab) == [before]


@pytest.mark.parametrize("year", [1989, 2101, "twenty"])
async def test_a_year_outside_the_factor_years_is_a_422_and_stores_nothing(
    client: httpx.AsyncClient, member: Caller, lab: Lab, year: int | str
) -> None:
    before = (await _put(client, member, lab, FULL)).json()
    response = await _put(client, member, lab, FULL, year=year)
    assert response.status_code == 422, response.text
    assert ["path", "year"] in [error["loc"] for error in response.json()["errors"]]
    deleted = await client.delete(_url(lab, year), headers=member.headers)
    assert deleted.status_code == 422
    assert await _stored(client, member, lab) == [before]


async def test_a_contributor_may_not_write_and_nothing_changes(
    client: httpx.AsyncClient, member: Caller, lab: Lab, session: AsyncSession
) -> None:
    before = (await _put(client, member, lab, FULL)).json()
    contributor = await sign_in(client, await make_user(session))
    await add_member(session, lab, contributor.user, LabRole.CONTRIBUTOR)
    smaller = {"categories": [{"category": "researchers", "fte": "4"}]}
    assert (await _put(client, contributor, lab, smaller)).status_code == 403
    assert (await client.delete(_url(lab), headers=contributor.headers)).status_code == 403
    assert await _stored(client, contributor, lab) == [before]


async def _entry(client: httpx.AsyncClient, caller: Caller, lab: Lab, key: str, qty: str) -> None:
    response = await client.post(
        f"/api/v1/labs/{lab.id}/entries",
        json={"date": f"{YEAR}-03-01", "factor_key": key, "quantity": qty},
        headers=caller.headers,
    )
    assert response.status_code == 201, response.text


async def test_the_lab_report_gives_t_co2e_per_fte_and_the_staff_shares(
    client: httpx.AsyncClient, member: Caller, lab: Lab, session: AsyncSession
) -> None:
    await make_factor(session, key="electricity.grid.CH", year=YEAR, kg="0.128")
    await make_factor(
        session, key="heating.gas", category=FactorCategory.HEATING, scope=1, year=YEAR, kg="0.2"
    )
    await _entry(client, member, lab, "electricity.grid.CH", "12345.678")  # 1580.246784 kg
    await _entry(client, member, lab, "heating.gas", "30000")  # 6000 kg
    report_url = f"/api/v1/reports/{lab.id}"
    without = (await client.get(report_url, params={"year": YEAR}, headers=member.headers)).json()
    assert without["headcount"] is None

    await _put(client, member, lab, FULL)  # 20 FTE
    report = (await client.get(report_url, params={"year": YEAR}, headers=member.headers)).json()
    figures = report["headcount"]
    total_kg = Decimal(report["total_kg_co2e"])
    assert total_kg == Decimal("7580.246784")
    expected = (total_kg / 1000 / 20).quantize(Decimal("0.001"), rounding=ROUND_HALF_EVEN)
    assert figures["total_fte"] == "20"
    assert Decimal(figures["t_co2e_per_fte"]) == expected == Decimal("0.379")
    assert figures["by_staff_category"] == [
        {"category": "professors", "fte": "2", "share": "0.1"},
        {"category": "researchers", "fte": "5.5", "share": "0.275"},
        {"category": "phd_students", "fte": "8", "share": "0.4"},
        {"category": "technical_administrative", "fte": "1.25", "share": "0.0625"},
        {"category": "students", "fte": "3.25", "share": "0.1625"},
    ]
    assert figures["by_category"] == [
        {"category": "electricity", "t_co2e_per_fte": "0.079"},  # 0.0790123392
        {"category": "heating", "t_co2e_per_fte": "0.3"},
    ]
    csv_text = (
        await client.get(report_url, params={"year": YEAR, "format": "csv"}, headers=member.headers)
    ).text
    assert "fte,researchers,,5.5,FTE,0.275\r\n" in csv_text
    assert "per_fte,total,379,20,FTE,\r\n" in csv_text  # kg CO2e per FTE
    assert "per_fte,heating,300,,,\r\n" in csv_text
    # The headcount of another year does not count for this one.
    other = (await client.get(report_url, params={"year": 2024}, headers=member.headers)).json()
    assert other["headcount"] is None


async def test_a_year_of_zero_fte_has_no_per_fte_figure_rather_than_a_division_by_zero(
    client: httpx.AsyncClient, member: Caller, lab: Lab, session: AsyncSession
) -> None:
    await make_factor(session, year=YEAR, kg="1")
    await _entry(client, member, lab, "electricity.grid.CH", "10")
    await _put(client, member, lab, {"categories": [{"category": "students", "fte": "0"}]})
    report = (
        await client.get(f"/api/v1/reports/{lab.id}", params={"year": YEAR}, headers=member.headers)
    ).json()
    assert report["headcount"] == {
        "total_fte": "0",
        "t_co2e_per_fte": None,
        "by_staff_category": [{"category": "students", "fte": "0", "share": None}],
        "by_category": [{"category": "electricity", "t_co2e_per_fte": None}],
    }


async def test_the_institution_report_ranks_labs_per_fte_with_labs_without_headcount_last(
    client: httpx.AsyncClient, member: Caller, admin: Caller, session: AsyncSession
) -> None:
    await make_factor(session, year=YEAR, kg="1")
    labs = {
        code: await make_lab(session, member.user, code=code)
        for code in ("LA", "LB", "LC", "LD", "LE")
    }
    # LA: 10 t over 10 FTE; LB: 30 t over 10; LC: 10 t, no headcount; LD: no entries, 5 FTE;
    # LE: 10 t over 10 FTE (ties with LA).
    for code, kg in (("LA", "10000"), ("LB", "30000"), ("LC", "10000"), ("LE", "10000")):
        await _entry(client, member, labs[code], "electricity.grid.CH", kg)
    for code, fte in (("LA", "10"), ("LB", "10"), ("LD", "5"), ("LE", "10")):
        body = {"categories": [{"category": "researchers", "fte": fte}]}
        assert (await _put(client, member, labs[code], body)).status_code == 200
    report = (
        await client.get("/api/v1/reports", params={"year": YEAR}, headers=admin.headers)
    ).json()
    assert [
        (r["rank"], r["lab_code"], r["total_kg_co2e"], r["total_fte"], r["t_co2e_per_fte"])
        for r in report["per_fte"]
    ] == [
        (1, "LB", "30000", "10", "3"),
        (2, "LA", "10000", "10", "1"),
        (2, "LE", "10000", "10", "1"),
        (4, "LD", "0", "5", "0"),
        (None, "LC", "10000", None, None),
    ]
    empty = await client.get("/api/v1/reports", params={"year": 2024}, headers=admin.headers)
    assert empty.json()["per_fte"] == []


async def test_deleting_a_lab_deletes_its_headcount(
    client: httpx.AsyncClient, member: Caller, admin: Caller, lab: Lab
) -> None:
    await _put(client, member, lab, FULL)
    assert (
        await client.delete(f"/api/v1/labs/{lab.id}", headers=member.headers)
    ).status_code == 204
    report = (
        await client.get("/api/v1/reports", params={"year": YEAR}, headers=admin.headers)
    ).json()
    assert report["per_fte"] == []


async def _import(
    client: httpx.AsyncClient, caller: Caller, lab: Lab, content: bytes
) -> httpx.Response:
    return await client.post(
        f"/api/v1/labs/{lab.id}/headcount",
        files={"file": ("headcount.csv", content, "text/csv")},
        headers=caller.headers,
    )


async def test_a_csv_replaces_the_years_it_names_as_a_put_would_and_leaves_the_others(
    client: httpx.AsyncClient, member: Caller, lab: Lab
) -> None:
    assert (await _put(client, member, lab, FULL, year=2023)).status_code == 200
    assert (await _put(client, member, lab, FULL, year=2024)).status_code == 200
    content = (
        "\ufeffYear;Category;FTE\r\n"
        "2024;Researchers;4.5\r\n"
        "2024;professors;1\r\n"
        "2025;phd_students;7.25\r\n"
    ).encode()
    response = await _import(client, member, lab, content)
    assert response.status_code == 200, response.text
    assert [(y["year"], y["total_fte"]) for y in response.json()] == [(2024, "5.5"), (2025, "7.25")]
    # What a PUT of the same year would have stored.
    put = await _put(
        client, member, lab, {"categories": [{"category": "phd_students", "fte": "7.25"}]}
    )
    assert put.json()["categories"][0]["fte"] == response.json()[1]["categories"][0]["fte"]
    stored = {year["year"]: _fte(year) for year in await _stored(client, member, lab)}
    assert stored[2023] == _fte((await _put(client, member, lab, FULL, year=2022)).json())
    assert stored[2024] == {"professors": "1", "researchers": "4.5"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"year,category\n2025,professors\n", "line 1, header: expected the columns"),
        (b"year,category,fte\n2025,professors,-1\n", "line 2, fte:"),
        (b"year,category,fte\n2025,wizards,1\n", "line 2, category:"),
        (b"year,category,fte\n1989,professors,1\n", "line 2, year: expected a year"),
        (b"year,category,fte\n2025,professors,1\n2025,Professors,2\n", "line 3, category:"),
        (b"year,category,fte\n2025,professors,10000.5\n", "line 2, fte:"),
        (b"year,category,fte\n2025,professors\n", "line 2, row: expected 3 fields"),
        (b"year,category,fte\n", "line 2, row: no rows"),
        (b"year,category,fte\n2025,professors,\xff\n", "line 1, file: not UTF-8 text"),
    ],
)
async def test_a_bad_csv_is_a_422_naming_the_line_and_nothing_changes(
    client: httpx.AsyncClient, member: Caller, lab: Lab, content: bytes, message: str
) -> None:
    before = (await _put(client, member, lab, FULL)).json()
    good_row = b"2024,students,3\n"
    response = await _import(
        client, member, lab, content + (good_row if b"\n2" in content else b"")
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert any(message in error["msg"] for error in response.json()["errors"]), response.text
    assert await _stored(client, member, lab) == [before]


async def test_a_csv_naming_a_signed_off_year_is_a_409_and_changes_no_year(
    client: httpx.AsyncClient, member: Caller, lab: Lab
) -> None:
    before = (await _put(client, member, lab, FULL)).json()
    submitted = await client.post(
        f"/api/v1/labs/{lab.id}/years/{YEAR}/submit", json={"version": 0}, headers=member.headers
    )
    assert submitted.status_code == 200, submitted.text
    content = f"year,category,fte\n2024,students,3\n{YEAR},students,9\n".encode()
    response = await _import(client, member, lab, content)
    assert response.status_code == 409, response.text
    assert await _stored(client, member, lab) == [before]  # 2024 was not written either


async def test_a_csv_too_large_is_a_413_and_a_contributor_may_not_import(
    client: httpx.AsyncClient, member: Caller, lab: Lab, session: AsyncSession
) -> None:
    big = b"year,category,fte\n" + b"2025,students,1\n" * 5000
    response = await _import(client, member, lab, big)
    assert response.status_code == 413, response.text
    contributor = await sign_in(client, await make_user(session))
    await add_member(session, lab, contributor.user, LabRole.CONTRIBUTOR)
    refused = await _import(client, contributor, lab, b"year,category,fte\n2025,students,1\n")
    assert refused.status_code == 403
    assert await _stored(client, member, lab) == []
