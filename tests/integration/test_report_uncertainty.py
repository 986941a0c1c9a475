"""95 % intervals of the reports (SPEC §13, docs/uncertainty.md) against an independent
computation in Python: factors independent of each other, each fully correlated over its own
entries (and labs), combined in quadrature; entries without uncertainty counted beside."""

import csv
import io
import random
from collections import defaultdict
from decimal import (
    ROUND_CEILING,
    ROUND_FLOOR,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    Decimal,
    localcontext,
)
from typing import Any, NamedTuple

import httpx
from sqlmodel.ext.asyncio.session import AsyncSession

from app.models.factor import FactorCategory
from tests.factories import Caller, make_factor, make_lab, make_user, sign_in

YEAR = 2025
MILLIGRAM = Decimal("0.000001")
HEATING, RAIL = FactorCategory.HEATING, FactorCategory.RAIL_TRAVEL


class Factor(NamedTuple):
    key: str
    category: FactorCategory
    scope: int
    kg: str
    uncertainty_pct: str | None


FACTORS = [
    Factor("electricity.grid.CH", FactorCategory.ELECTRICITY, 2, "0.128", "5"),
    Factor("electricity.grid.DE", FactorCategory.ELECTRICITY, 2, "0.381", "12.5"),
    Factor("heating.gas", FactorCategory.HEATING, 1, "0.201", "10"),
    Factor("air.short_haul", FactorCategory.AIR_TRAVEL, 3, "0.2573", "50"),
    Factor("rail.ch", FactorCategory.RAIL_TRAVEL, 3, "0.0071", None),
    Factor("purchases.lab_supplies", FactorCategory.PURCHASES, 3, "0.31", "0"),
]


def expected_interval(kg_by_factor: dict[Factor, Decimal]) -> dict[str, Any]:
    """The interval of the sum of `kg_by_factor`, as the report must give it."""
    with localcontext() as context:
        context.prec = 60
        variance = sum(
            (
                (Decimal(f.uncertainty_pct) / 100 * kg) ** 2
                for f, kg in kg_by_factor.items()
                if f.uncertainty_pct is not None
            ),
            Decimal(0),
        )
        half_width = variance.sqrt()
        central = sum(kg_by_factor.values(), Decimal(0))
        low = max((central - half_width).quantize(Decimal("0.001"), ROUND_FLOOR), Decimal(0))
        high = (central + half_width).quantize(Decimal("0.001"), ROUND_CEILING)
        relative = (
            (half_width * 100 / central).quantize(Decimal("0.1"), ROUND_HALF_EVEN)
            if central
            else None
        )
    without = [f for f in kg_by_factor if f.uncertainty_pct is None]
    return {
        "low_kg_co2e": low,
        "high_kg_co2e": high,
        "relative_pct": relative,
        "without_uncertainty_kg_co2e": sum((kg_by_factor[f] for f in without), Decimal(0)),
    }


def as_decimals(uncertainty: dict[str, Any]) -> dict[str, Any]:
    return {
        "low_kg_co2e": Decimal(uncertainty["low_kg_co2e"]),
        "high_kg_co2e": Decimal(uncertainty["high_kg_co2e"]),
        "relative_pct": None
        if uncertainty["relative_pct"] is None
        else Decimal(uncertainty["relative_pct"]),
        "without_uncertainty_kg_co2e": Decimal(uncertainty["without_uncertainty_kg_co2e"]),
    }


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


async def test_intervals_of_the_total_categories_and_scopes_match_an_independent_computation(
    client: httpx.AsyncClient, member: Caller, session: AsyncSession
) -> None:
    for f in FACTORS:
        await make_factor(
            session,
            key=f.key,
            category=f.category,
            scope=f.scope,
            kg=f.kg,
            year=YEAR,
            uncertainty_pct=f.uncertainty_pct,
        )
    lab = await make_lab(session, member.user)
    rng = random.Random(11)
    kg_by_factor: dict[Factor, Decimal] = defaultdict(Decimal)
    entries_by_factor: dict[Factor, int] = defaultdict(int)
    for _ in range(60):
        factor = rng.choice(FACTORS)
        quantity = Decimal(rng.randint(0, 10**7)) / 1000
        day = f"{YEAR}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        await _post(client, member, lab.id, factor.key, str(quantity), day)
        kg = (quantity * Decimal(factor.kg)).quantize(MILLIGRAM, rounding=ROUND_HALF_UP)
        kg_by_factor[factor] += kg
        entries_by_factor[factor] += 1
    report = await _report(client, member, lab.id)

    def expected_of(selected: list[Factor]) -> dict[str, Any]:
        return expected_interval({f: kg_by_factor[f] for f in selected if f in kg_by_factor})

    assert as_decimals(report["uncertainty"]) == expected_of(FACTORS)
    without = [f for f in FACTORS if f.uncertainty_pct is None]
    assert report["uncertainty"]["without_uncertainty_entries"] == sum(
        entries_by_factor[f] for f in without
    )
    assert len(report["by_category"]) == 5
    for row in report["by_category"]:
        selected = [f for f in FACTORS if f.category == row["category"]]
        assert as_decimals(row["uncertainty"]) == expected_of(selected), row["category"]
    assert [row["scope"] for row in report["by_scope"]] == [1, 2, 3]
    for row in report["by_scope"]:
        selected = [f for f in FACTORS if f.scope == row["scope"]]
        assert as_decimals(row["uncertainty"]) == expected_of(selected), row["scope"]
    # The central values stay exact.
    assert Decimal(report["total_kg_co2e"]) == sum(kg_by_factor.values(), Decimal(0))

    rows = list(
        csv.DictReader(
            io.StringIO(
                (
                    await client.get(
                        f"/api/v1/reports/{lab.id}",
                        params={"year": YEAR, "format": "csv"},
                        headers=member.headers,
                    )
                ).text
            )
        )
    )
    by_section = {(r["section"], r["key"]): r for r in rows}
    total = report["uncertainty"]
    assert by_section[("low_95", "total")]["kg_co2e"] == total["low_kg_co2e"]
    assert by_section[("high_95", "total")]["kg_co2e"] == total["high_kg_co2e"]
    assert by_section[("without_uncertainty", "total")]["quantity"] == str(
        total["without_uncertainty_entries"]
    )
    assert by_section[("high_95", "category/electricity")]["kg_co2e"] == next(
        c["uncertainty"]["high_kg_co2e"]
        for c in report["by_category"]
        if c["category"] == "electricity"
    )
    assert ("low_95", "scope/2") in by_section


async def test_one_factor_is_correlated_over_its_entries_and_factors_add_in_quadrature(
    client: httpx.AsyncClient, member: Caller, session: AsyncSession
) -> None:
    """Worked by hand: two entries of 100 kg on one factor at 10 % are ±20 kg, not ±14.142 kg;
    with a second factor of 15 kg ±(20 %) = ±3 kg: sqrt(20² + 3²) = 20.224 kg on 215 kg."""
    await make_factor(
        session, key="heating.gas", kg="1", uncertainty_pct="10", scope=1, category=HEATING
    )
    await make_factor(session, key="other.thing", kg="1", uncertainty_pct="20", scope=3)
    lab = await make_lab(session, member.user)
    await _post(client, member, lab.id, "heating.gas", "100", f"{YEAR}-01-10")
    await _post(client, member, lab.id, "heating.gas", "100", f"{YEAR}-07-10")
    report = await _report(client, member, lab.id)
    assert report["uncertainty"] == {
        "low_kg_co2e": "180",
        "high_kg_co2e": "220",
        "relative_pct": "10",
        "without_uncertainty_entries": 0,
        "without_uncertainty_kg_co2e": "0",
    }
    await _post(client, member, lab.id, "other.thing", "15", f"{YEAR}-03-01")
    report = await _report(client, member, lab.id)
    # 215 ∓ 20.2237484... → bounds rounded outward to the gram
    assert (report["uncertainty"]["low_kg_co2e"], report["uncertainty"]["high_kg_co2e"]) == (
        "194.776",
        "235.224",
    )
    assert report["uncertainty"]["relative_pct"] == "9.4"


async def test_a_wide_uncertainty_never_gives_a_negative_bound_and_no_entries_no_interval(
    client: httpx.AsyncClient, member: Caller, session: AsyncSession
) -> None:
    await make_factor(session, key="other.refrigerant", kg="2", uncertainty_pct="300", scope=1)
    lab = await make_lab(session, member.user)
    empty = await _report(client, member, lab.id)
    assert empty["uncertainty"] == {
        "low_kg_co2e": "0",
        "high_kg_co2e": "0",
        "relative_pct": None,
        "without_uncertainty_entries": 0,
        "without_uncertainty_kg_co2e": "0",
    }
    await _post(client, member, lab.id, "other.refrigerant", "5", f"{YEAR}-02-02")
    report = await _report(client, member, lab.id)
    assert (report["uncertainty"]["low_kg_co2e"], report["uncertainty"]["high_kg_co2e"]) == (
        "0",
        "40",
    )
    assert report["uncertainty"]["relative_pct"] == "300"


async def test_entries_without_uncertainty_are_counted_not_treated_as_exact(
    client: httpx.AsyncClient, member: Caller, session: AsyncSession
) -> None:
    await make_factor(
        session, key="heating.gas", kg="1", uncertainty_pct="10", scope=1, category=HEATING
    )
    await make_factor(
        session, key="rail.ch", kg="0.5", scope=3, category=RAIL
    )  # no published uncertainty
    lab = await make_lab(session, member.user)
    await _post(client, member, lab.id, "heating.gas", "100", f"{YEAR}-01-10")
    await _post(client, member, lab.id, "rail.ch", "40", f"{YEAR}-01-11")
    await _post(client, member, lab.id, "rail.ch", "20", f"{YEAR}-05-11")
    report = await _report(client, member, lab.id)
    assert report["total_kg_co2e"] == "130"
    assert report["uncertainty"]["without_uncertainty_entries"] == 2
    assert report["uncertainty"]["without_uncertainty_kg_co2e"] == "30"
    assert (report["uncertainty"]["low_kg_co2e"], report["uncertainty"]["high_kg_co2e"]) == (
        "120",
        "140",
    )
    scope_3 = next(s for s in report["by_scope"] if s["scope"] == 3)
    assert scope_3["uncertainty"] == {
        "low_kg_co2e": "30",
        "high_kg_co2e": "30",
        "relative_pct": "0",
        "without_uncertainty_entries": 2,
        "without_uncertainty_kg_co2e": "30",
    }


async def test_the_institution_interval_correlates_a_factor_across_labs(
    client: httpx.AsyncClient, member: Caller, admin: Caller, session: AsyncSession
) -> None:
    """100 kg and 300 kg on one factor at 10 % in two labs: ±40 kg, not ±31.623 kg."""
    await make_factor(
        session, key="heating.gas", kg="1", uncertainty_pct="10", scope=1, category=HEATING
    )
    await make_factor(session, key="rail.ch", kg="1", scope=3, category=RAIL)
    first = await make_lab(session, member.user, code="FIRST")
    other = await sign_in(client, await make_user(session))
    second = await make_lab(session, other.user, code="SECOND")
    await _post(client, member, first.id, "heating.gas", "100", f"{YEAR}-01-10")
    await _post(client, other, second.id, "heating.gas", "300", f"{YEAR}-02-10")
    await _post(client, other, second.id, "rail.ch", "7", f"{YEAR}-02-11")
    response = await client.get("/api/v1/reports", params={"year": YEAR}, headers=admin.headers)
    report = response.json()
    assert report["total_kg_co2e"] == "407"
    assert report["uncertainty"] == {
        "low_kg_co2e": "367",
        "high_kg_co2e": "447",
        "relative_pct": "9.8",
        "without_uncertainty_entries": 1,
        "without_uncertainty_kg_co2e": "7",
    }
    heating = next(c for c in report["by_category"] if c["category"] == "heating")
    assert (heating["uncertainty"]["low_kg_co2e"], heating["uncertainty"]["high_kg_co2e"]) == (
        "360",
        "440",
    )
    csv_text = (
        await client.get(
            "/api/v1/reports", params={"year": YEAR, "format": "csv"}, headers=admin.headers
        )
    ).text
    assert "low_95,total,367" in csv_text
    assert "without_uncertainty,total,7,1,entries," in csv_text
