"""Factors and entries: server-side kg CO2e, regional factors, recalculation, refusals."""

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal, localcontext

import httpx
import pytest
from sqlmodel import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.models.entry import ActivityEntry
from app.models.factor import EmissionFactor, FactorCategory
from app.models.kg import KG_CO2E_LIMIT
from app.models.lab import LabRole
from app.repositories import entry as entry_repository
from tests.factories import Caller, add_member, make_factor, make_lab, make_user, sign_in

FACTORS = "/api/v1/factors"
FACTOR_BODY = {
    "key": "heating.gas",
    "category": "heating",
    "unit": "kWh",
    "kg_co2e_per_unit": "0.201",
    "scope": 1,
    "year": 2025,
    "source": "BAFU 2025",
}


async def _count(session: AsyncSession, model: type[ActivityEntry] | type[EmissionFactor]) -> int:
    return (await session.exec(select(func.count()).select_from(model))).one()


async def test_admins_create_factors_and_everyone_reads_them(
    client: httpx.AsyncClient, admin: Caller, member: Caller
) -> None:
    created = await client.post(FACTORS, json=FACTOR_BODY, headers=admin.headers)
    assert created.status_code == 201
    assert created.json()["kg_co2e_per_unit"] == "0.201"
    assert (
        await client.post(FACTORS, json=FACTOR_BODY | {"year": 2024}, headers=member.headers)
    ).status_code == 403
    listed = (
        await client.get(FACTORS, params={"category": "heating"}, headers=member.headers)
    ).json()
    assert [item["key"] for item in listed["items"]] == ["heating.gas"]


@pytest.mark.parametrize(
    "body",
    [
        FACTOR_BODY,  # duplicate (key, year, no region) → 409
        FACTOR_BODY | {"scope": 4},
        FACTOR_BODY | {"kg_co2e_per_unit": "-1"},
        FACTOR_BODY | {"year": 1800},
        FACTOR_BODY | {"category": "teleportation"},
        FACTOR_BODY | {"key": "Bad Key!"},
        FACTOR_BODY | {"unit": ""},
        FACTOR_BODY | {"year": "2026"},  # JSON integers only
        FACTOR_BODY | {"year": 2026, "scope": True},
    ],
)
async def test_bad_factors_are_refused_and_nothing_is_stored(
    client: httpx.AsyncClient, admin: Caller, session: AsyncSession, body: dict[str, object]
) -> None:
    await make_factor(session, key="heating.gas", year=2025, kg="0.2")
    response = await client.post(FACTORS, json=body, headers=admin.headers)
    assert response.status_code == (409 if body is FACTOR_BODY else 422)
    assert await _count(session, EmissionFactor) == 1


async def test_regional_duplicates_are_allowed_but_not_twice(
    client: httpx.AsyncClient, admin: Caller
) -> None:
    assert (await client.post(FACTORS, json=FACTOR_BODY, headers=admin.headers)).status_code == 201
    regional = FACTOR_BODY | {"region": "DE"}
    assert (await client.post(FACTORS, json=regional, headers=admin.headers)).status_code == 201
    assert (await client.post(FACTORS, json=regional, headers=admin.headers)).status_code == 409


async def test_entries_get_their_kg_from_the_factor_of_their_year_and_region(
    client: httpx.AsyncClient, member: Caller, session: AsyncSession
) -> None:
    await make_factor(session, year=2024, kg="0.100")
    await make_factor(session, year=2025, kg="0.125")
    await make_factor(session, year=2025, kg="0.400", region="DE")
    swiss = await make_lab(session, member.user)
    german = await make_lab(session, member.user, region="DE")

    async def post(lab_id: object, body: Mapping[str, str]) -> dict[str, object]:
        url = f"/api/v1/labs/{lab_id}/entries"
        response = await client.post(url, json=dict(body), headers=member.headers)
        assert response.status_code == 201, response.text
        result: dict[str, object] = response.json()
        return result

    body = {"date": "2025-03-14", "factor_key": "electricity.grid.CH", "quantity": "1000"}
    first = await post(swiss.id, body)
    assert (first["kg_co2e"], first["unit"], first["scope"], first["category"]) == (
        "125",
        "kWh",
        2,
        "electricity",
    )
    older = await post(swiss.id, body | {"date": "2024-12"})
    assert (older["date"], older["kg_co2e"]) == ("2024-12-01", "100")
    regional = await post(german.id, body)
    assert regional["kg_co2e"] == "400"


@pytest.mark.parametrize(
    ("body", "location"),
    [
        ({"factor_key": "no.such.factor"}, ["body", "factor_key"]),
        ({"quantity": "-1"}, ["body", "quantity"]),
        ({"date": "2019-05-01"}, ["body", "factor_key"]),  # no factor for that year
        ({"unit": "MWh"}, ["body", "unit"]),
        ({"date": "2025-13-01"}, ["body", "date"]),
        ({"quantity": "abc"}, ["body", "quantity"]),
        ({"quantity": ""}, ["body", "quantity"]),  # found by schemathesis
        ({"quantity": "1.1234567"}, ["body", "quantity"]),
        ({"quantity": 1e12}, ["body", "quantity"]),  # the column would overflow
        ({"date": 0}, ["body", "date"]),  # not 1970-01-01
        ({"date": "2025-01-10T00:00:00"}, ["body", "date"]),
        ({"note": "x" * 1001}, ["body", "note"]),
        ({"kg_co2e": "0"}, ["body", "kg_co2e"]),  # the server computes it
    ],
)
async def test_bad_entries_are_refused_and_nothing_is_stored(
    client: httpx.AsyncClient,
    member: Caller,
    session: AsyncSession,
    body: dict[str, object],
    location: list[str],
) -> None:
    await make_factor(session)
    lab = await make_lab(session, member.user)
    valid = {
        "date": "2025-01-10",
        "factor_key": "electricity.grid.CH",
        "quantity": "5",
        "unit": "kWh",
    }
    response = await client.post(
        f"/api/v1/labs/{lab.id}/entries", json=valid | body, headers=member.headers
    )
    assert response.status_code == 422
    assert location in [error["loc"] for error in response.json()["errors"]]
    assert await _count(session, ActivityEntry) == 0


async def test_identical_entries_are_both_kept(
    client: httpx.AsyncClient, member: Caller, session: AsyncSession
) -> None:
    await make_factor(session)
    lab = await make_lab(session, member.user)
    body = {"date": "2025-02-01", "factor_key": "electricity.grid.CH", "quantity": "10"}
    for _ in range(2):
        assert (
            await client.post(f"/api/v1/labs/{lab.id}/entries", json=body, headers=member.headers)
        ).status_code == 201
    assert await _count(session, ActivityEntry) == 2


async def test_updating_an_entry_recomputes_it_and_checks_the_version(
    client: httpx.AsyncClient, member: Caller, session: AsyncSession
) -> None:
    await make_factor(session, year=2025, kg="0.125")
    await make_factor(session, year=2024, kg="0.100")
    lab = await make_lab(session, member.user)
    entry = (
        await client.post(
            f"/api/v1/labs/{lab.id}/entries",
            json={"date": "2025-02-01", "factor_key": "electricity.grid.CH", "quantity": "10"},
            headers=member.headers,
        )
    ).json()
    url = f"/api/v1/entries/{entry['id']}"
    moved = await client.patch(
        url, json={"version": 1, "date": "2024-06-01", "quantity": "20"}, headers=member.headers
    )
    assert moved.status_code == 200
    assert (moved.json()["kg_co2e"], moved.json()["version"]) == ("2", 2)
    stale = await client.patch(url, json={"version": 1, "quantity": "1"}, headers=member.headers)
    assert stale.status_code == 409
    nowhere = await client.patch(
        url, json={"version": 2, "date": "2019-01-01"}, headers=member.headers
    )
    assert nowhere.status_code == 422
    assert (await client.get(url, headers=member.headers)).json()["kg_co2e"] == "2"
    assert (await client.delete(url, headers=member.headers)).status_code == 204
    assert (await client.get(url, headers=member.headers)).status_code == 404


async def test_changing_a_factor_value_recomputes_every_entry_using_it(
    client: httpx.AsyncClient, admin: Caller, member: Caller, session: AsyncSession
) -> None:
    factor = await make_factor(session, kg="0.125")
    lab = await make_lab(session, member.user)
    for quantity in ("10", "30"):
        await client.post(
            f"/api/v1/labs/{lab.id}/entries",
            json={"date": "2025-05-05", "factor_key": factor.key, "quantity": quantity},
            headers=member.headers,
        )
    changed = await client.patch(
        f"{FACTORS}/{factor.id}",
        json={"version": 1, "kg_co2e_per_unit": "0.5"},
        headers=admin.headers,
    )
    assert changed.status_code == 200
    report = (
        await client.get(f"/api/v1/reports/{lab.id}", params={"year": 2025}, headers=member.headers)
    ).json()
    assert Decimal(report["total_kg_co2e"]) == Decimal("20")
    in_use = await client.delete(f"{FACTORS}/{factor.id}", headers=admin.headers)
    assert in_use.status_code == 409
    assert await _count(session, EmissionFactor) == 1


async def test_entries_list_pages_orders_and_filters(
    client: httpx.AsyncClient, member: Caller, session: AsyncSession
) -> None:
    await make_factor(session)
    await make_factor(
        session, key="rail.ch", unit="km", kg="0.007", category=FactorCategory.RAIL_TRAVEL, scope=3
    )
    lab = await make_lab(session, member.user)
    url = f"/api/v1/labs/{lab.id}/entries"
    for month in range(1, 7):
        key = "rail.ch" if month % 2 else "electricity.grid.CH"
        await client.post(
            url,
            json={"date": f"2025-{month:02d}-15", "factor_key": key, "quantity": "1"},
            headers=member.headers,
        )
    dates, cursor = [], None
    while True:
        page = (
            await client.get(
                url,
                params={"limit": 4} | ({"cursor": cursor} if cursor else {}),
                headers=member.headers,
            )
        ).json()
        dates += [item["date"] for item in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert dates == [f"2025-{m:02d}-15" for m in range(6, 0, -1)]
    rail = (
        await client.get(
            url, params={"category": "rail_travel", "order": "asc"}, headers=member.headers
        )
    ).json()
    assert [item["date"] for item in rail["items"]] == ["2025-01-15", "2025-03-15", "2025-05-15"]
    window = (
        await client.get(
            url, params={"date_from": "2025-02-01", "date_to": "2025-03-31"}, headers=member.headers
        )
    ).json()
    assert len(window["items"]) == 2


async def test_viewers_read_but_do_not_write_entries(
    client: httpx.AsyncClient, member: Caller, session: AsyncSession
) -> None:
    await make_factor(session)
    lab = await make_lab(session, member.user)
    viewer_user = await make_user(session)
    await add_member(session, lab, viewer_user, LabRole.VIEWER)
    viewer = await sign_in(client, viewer_user)
    url = f"/api/v1/labs/{lab.id}/entries"
    body = {"date": "2025-02-01", "factor_key": "electricity.grid.CH", "quantity": "10"}
    assert (await client.post(url, json=body, headers=viewer.headers)).status_code == 403
    assert (await client.get(url, headers=viewer.headers)).status_code == 200
    assert await _count(session, ActivityEntry) == 0


async def test_an_entry_too_heavy_to_store_is_refused_and_nothing_is_stored(
    client: httpx.AsyncClient, member: Caller, session: AsyncSession
) -> None:
    """quantity < 10^12 and factor < 10^9 fit their columns, but their product can exceed the
    kg_co2e column (NUMERIC(24, 6)): that was a database error, a 500."""
    factor = await make_factor(session, kg="999999999")
    lab = await make_lab(session, member.user)
    response = await client.post(
        f"/api/v1/labs/{lab.id}/entries",
        json={"date": "2025-01-10", "factor_key": factor.key, "quantity": "999999999999"},
        headers=member.headers,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "quantity"]
    assert await _count(session, ActivityEntry) == 0


async def test_a_new_entry_is_stored_as_its_response_says(
    client: httpx.AsyncClient, member: Caller, session: AsyncSession
) -> None:
    """The INSERT computes factor and kg CO2e in SQL; what it stored is what the ORM reads."""
    plain = await make_factor(session, year=2025, kg="0.333333")
    await make_factor(session, year=2025, kg="0.9", region="DE")
    lab = await make_lab(session, member.user, region="FR")  # no FR factor: the plain one
    body = {
        "date": "2025-07",
        "factor_key": plain.key,
        "quantity": "1.5",
        "unit": "kWh",
        "note": "half up: 0.4999995",
    }
    response = await client.post(
        f"/api/v1/labs/{lab.id}/entries", json=body, headers=member.headers
    )
    assert response.status_code == 201, response.text
    created = response.json()
    stored = await session.get(ActivityEntry, created["id"])
    assert stored is not None
    assert stored.factor_id == plain.id
    assert stored.kg_co2e == Decimal("0.500000")  # 1.5 x 0.333333 = 0.4999995, half up
    assert created["kg_co2e"] == "0.5"
    assert (stored.lab_id, stored.created_by, stored.import_id) == (lab.id, member.user.id, None)
    assert (stored.quantity, stored.note, stored.version) == (Decimal("1.5"), body["note"], 1)
    assert stored.date.isoformat() == created["date"] == "2025-07-01"
    assert stored.created_at.isoformat().replace("+00:00", "Z") == created["created_at"]
    assert (created["factor_id"], created["unit"]) == (str(plain.id), "kWh")
    listed = await client.get(f"/api/v1/entries/{created['id']}", headers=member.headers)
    assert listed.json() == created


QUANTITIES = [
    "100000000000",  # 9999999.999999999: 10^18 - 100 kg
    "999999999999.999999",  # the largest quantity
    "1000000000.000001",
    "123456789.123457",
    "333333333333.333333",  # the product's 7th decimal decides the rounding
    "3",
    "1000000000",  # any value the factor's column holds fits
    "0.000001",
]


async def test_the_largest_value_a_factors_entries_allow_is_exact(
    client: httpx.AsyncClient, member: Caller, session: AsyncSession
) -> None:
    """SQL's answer against exact decimal arithmetic: with it every entry still fits kg_co2e
    (below 10^18 once rounded half up to 6 decimals), with one step (10^-9) more one would not,
    unless it is already the most the column can hold."""
    lab = await make_lab(session, member.user)
    column_max = Decimal("999999999.999999999")
    step = Decimal("0.000000001")

    def fits(quantity: Decimal, value: Decimal) -> bool:
        with localcontext() as exact:
            exact.prec = 80
            kg = (quantity * value).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)
            return kg < KG_CO2E_LIMIT

    for number, text in enumerate(QUANTITIES):
        factor = await make_factor(session, key=f"other.q{number}", kg="1", unit="kg")
        response = await client.post(
            f"/api/v1/labs/{lab.id}/entries",
            json={"date": "2025-01-10", "factor_key": factor.key, "quantity": text},
            headers=member.headers,
        )
        assert response.status_code == 201, response.text
        quantity = Decimal(text)
        largest = (
            await entry_repository.weigh_value(session, factor_id=factor.id, value=column_max)
        ).largest_value
        assert fits(quantity, largest), (text, largest)
        assert largest == column_max or not fits(quantity, largest + step), (text, largest)
        over = await entry_repository.weigh_value(
            session, factor_id=factor.id, value=min(largest + step, column_max)
        )
        assert over.heavy == (0 if largest == column_max else 1), text
    unused = await make_factor(session, key="other.unused", kg="1", unit="kg")
    assert await entry_repository.weigh_value(
        session, factor_id=unused.id, value=column_max
    ) == entry_repository.Weight(0, column_max)
