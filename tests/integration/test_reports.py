"""Reports equal an independent computation, to the gram; CSV carries the same numbers."""

import csv
import io
import random
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

import httpx
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.models.factor import EmissionFactor, FactorCategory
from tests.factories import Caller, make_factor, make_lab, make_user, sign_in

GRAM = Decimal("0.001")

FACTORS = [
    ("electricity.grid.CH", FactorCategory.ELECTRICITY, 2, "kWh", "0.128"),
    ("heating.gas", FactorCategory.HEATING, 1, "kWh", "0.201"),
    ("air.short_haul", FactorCategory.AIR_TRAVEL, 3, "km", "0.2573"),
    ("rail.ch", FactorCategory.RAIL_TRAVEL, 3, "km", "0.0071"),
    ("purchases.lab_supplies", FactorCategory.PURCHASES, 3, "CHF", "0.31"),
]


class Recorded(NamedTuple):
    year: int
    month: int
    key: str
    quantity: Decimal


class Expected(NamedTuple):
    total: Decimal
    by_category: dict[str, Decimal]
    by_scope: dict[int, Decimal]
    by_month: dict[int, Decimal]


async def _seed(
    client: httpx.AsyncClient,
    caller: Caller,
    session: AsyncSession,
    lab_id: object,
    *,
    count: int,
    seed: int,
) -> list[Recorded]:
    """Entries over two years through the API; returns (year, key, quantity) as recorded."""
    for year in (2024, 2025):
        for key, category, scope, unit, kg in FACTORS:
            per_year = Decimal(kg) * (Decimal("0.9") if year == 2024 else 1)
            await make_factor(
                session,
                key=key,
                category=category,
                scope=scope,
                unit=unit,
                kg=str(per_year),
                year=year,
            )
    rng = random.Random(seed)
    recorded = []
    for _ in range(count):
        year = rng.choice((2024, 2025))
        key = rng.choice(FACTORS)[0]
        quantity = Decimal(rng.randint(0, 10**7)) / 1000
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        body = {
            "date": f"{year}-{month:02d}-{day:02d}",
            "factor_key": key,
            "quantity": str(quantity),
        }
        response = await client.post(
            f"/api/v1/labs/{lab_id}/entries", json=body, headers=caller.headers
        )
        assert response.status_code == 201, response.text
        recorded.append(Recorded(year, month, key, quantity))
    return recorded


def _expected(
    recorded: list[Recorded], factors: dict[tuple[str, int], EmissionFactor], year: int
) -> Expected:
    """The report recomputed in Python from what was posted, entry by entry."""
    expected = Expected(
        Decimal(0), defaultdict(Decimal), defaultdict(Decimal), defaultdict(Decimal)
    )
    total = Decimal(0)
    for entry in recorded:
        if entry.year != year:
            continue
        factor = factors[(entry.key, year)]
        kg = (entry.quantity * factor.kg_co2e_per_unit).quantize(
            Decimal("0.000001"), rounding=ROUND_HALF_UP
        )
        total += kg
        expected.by_category[factor.category.value] += kg
        expected.by_scope[factor.scope] += kg
        expected.by_month[entry.month] += kg
    return expected._replace(total=total)


def grams(value: object) -> Decimal:
    return Decimal(str(value)).quantize(GRAM)


async def test_report_matches_an_independent_computation_to_the_gram(
    client: httpx.AsyncClient, member: Caller, session: AsyncSession
) -> None:
    lab = await make_lab(session, member.user)
    recorded = await _seed(client, member, session, lab.id, count=150, seed=7)
    factors = {(f.key, f.year): f for f in (await session.exec(select(EmissionFactor))).all()}
    expected = _expected(recorded, factors, 2025)
    previous = _expected(recorded, factors, 2024).total

    url = f"/api/v1/reports/{lab.id}"
    report = (await client.get(url, params={"year": 2025}, headers=member.headers)).json()

    assert grams(report["total_kg_co2e"]) == grams(expected.total)
    categories = {c["category"]: grams(c["kg_co2e"]) for c in report["by_category"]}
    assert categories == {k: grams(v) for k, v in expected.by_category.items()}
    scopes = {s["scope"]: grams(s["kg_co2e"]) for s in report["by_scope"]}
    assert scopes == {k: grams(v) for k, v in expected.by_scope.items()}
    assert [m["month"] for m in report["by_month"]] == list(range(1, 13))
    months = {m["month"]: grams(m["kg_co2e"]) for m in report["by_month"]}
    assert months == {m: grams(expected.by_month.get(m, Decimal(0))) for m in range(1, 13)}
    assert grams(report["previous_year_total_kg_co2e"]) == grams(previous)
    assert grams(report["change_kg_co2e"]) == grams(expected.total - previous)
    percent = ((expected.total - previous) * 100 / previous).quantize(Decimal("0.01"))
    assert Decimal(report["change_percent"]) == percent
    top = report["top_factors"]
    assert [grams(t["kg_co2e"]) for t in top] == sorted(
        (grams(t["kg_co2e"]) for t in top), reverse=True
    )
    # Each share is rounded to 4 places: together they are 1 within that rounding.
    share_sum = sum((Decimal(t["share"]) for t in top), Decimal(0))
    assert abs(share_sum - 1) <= Decimal("0.0001") * len(top)
    assert report["entry_count"] == sum(1 for entry in recorded if entry.year == 2025)


async def test_the_csv_export_has_the_same_numbers(
    client: httpx.AsyncClient, member: Caller, session: AsyncSession
) -> None:
    lab = await make_lab(session, member.user)
    await _seed(client, member, session, lab.id, count=20, seed=3)
    url = f"/api/v1/reports/{lab.id}"
    as_json = (await client.get(url, params={"year": 2025}, headers=member.headers)).json()
    for response in (
        await client.get(url, params={"year": 2025, "format": "csv"}, headers=member.headers),
        await client.get(
            url, params={"year": 2025}, headers=member.headers | {"Accept": "text/csv"}
        ),
    ):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(response.text)))
        assert rows[0] == {
            "section": "total",
            "key": "2025",
            "kg_co2e": rows[0]["kg_co2e"],
            "quantity": "",
            "unit": "",
            "share": "",
        }
        assert Decimal(rows[0]["kg_co2e"]) == Decimal(as_json["total_kg_co2e"])
        categories = {r["key"]: Decimal(r["kg_co2e"]) for r in rows if r["section"] == "category"}
        assert categories == {c["category"]: Decimal(c["kg_co2e"]) for c in as_json["by_category"]}
        assert len([r for r in rows if r["section"] == "month"]) == 12


async def test_an_empty_year_is_all_zeros(
    client: httpx.AsyncClient, member: Caller, session: AsyncSession
) -> None:
    lab = await make_lab(session, member.user)
    report = (
        await client.get(f"/api/v1/reports/{lab.id}", params={"year": 2031}, headers=member.headers)
    ).json()
    assert (report["total_kg_co2e"], report["entry_count"], report["change_percent"]) == (
        "0",
        0,
        None,
    )
    assert {m["kg_co2e"] for m in report["by_month"]} == {"0"}


async def test_the_institution_report_is_for_admins_and_sums_every_lab(
    client: httpx.AsyncClient, member: Caller, admin: Caller, session: AsyncSession
) -> None:
    first = await make_lab(session, member.user, code="FIRST")
    other_user = await sign_in(client, await make_user(session))
    second = await make_lab(session, other_user.user, code="SECOND")
    await make_factor(session, year=2025, kg="0.5")
    for lab, caller, quantity in ((first, member, "10"), (second, other_user, "30")):
        await client.post(
            f"/api/v1/labs/{lab.id}/entries",
            json={"date": "2025-04-01", "factor_key": "electricity.grid.CH", "quantity": quantity},
            headers=caller.headers,
        )
    assert (
        await client.get("/api/v1/reports", params={"year": 2025}, headers=member.headers)
    ).status_code == 403
    report = (
        await client.get("/api/v1/reports", params={"year": 2025}, headers=admin.headers)
    ).json()
    assert report["total_kg_co2e"] == "20"
    assert [(r["lab_code"], r["kg_co2e"]) for r in report["by_lab_and_category"]] == [
        ("FIRST", "5"),
        ("SECOND", "15"),
    ]
    csv_text = (
        await client.get(
            "/api/v1/reports", params={"year": 2025, "format": "csv"}, headers=admin.headers
        )
    ).text
    assert "lab_category,SECOND/electricity,15" in csv_text
