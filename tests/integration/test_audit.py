"""The audit trail: one event per change, in the change's transaction (a failed change records
nothing), with who, when, which object, the changed fields before/after and the request id;
append-only in the database; read by a lab's managers and admins with cursor pages and filters;
one event per import, undo, cancel and recalculation run."""

import base64
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
import psycopg
import pytest
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.models.audit import AuditEvent
from app.models.factor import FactorCategory
from app.models.job import JobKind
from app.models.lab import Lab, LabRole
from tests.conftest import libpq_url
from tests.factories import Caller, add_member, make_factor, make_lab, make_user, session_for
from tests.integration.test_factor_imports import jobs_of
from tests.integration.test_imports import HEADER, upload, wait_for_end

KEY = "electricity.grid.CH"


@pytest.fixture
async def lab(session: AsyncSession, member: Caller) -> Lab:
    """A lab managed by `member`, with a factor of 2025."""
    await make_factor(session, key=KEY, year=2025, kg="0.125", unit="kWh")
    return await make_lab(session, member.user)


async def events(session: AsyncSession, **where: object) -> list[AuditEvent]:
    """The stored events (oldest first), those matching `where` (column = value)."""
    query = select(AuditEvent).execution_options(populate_existing=True)
    for name, value in where.items():
        query = query.where(getattr(AuditEvent, name) == value)
    return list((await session.exec(query.order_by(col(AuditEvent.id)))).all())


async def event_count(session: AsyncSession) -> int:
    return int((await session.exec(select(func.count()).select_from(AuditEvent))).one())


async def trail(
    client: httpx.AsyncClient, caller: Caller, lab: Lab | None = None, **params: Any
) -> httpx.Response:
    path = "/api/v1/audit" if lab is None else f"/api/v1/labs/{lab.id}/audit"
    return await client.get(path, params=params, headers=caller.headers)


def _entries(lab: Lab) -> str:
    return f"/api/v1/labs/{lab.id}/entries"


# --- Bad inputs ---------------------------------------------------------------------------


def _cursor(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    ("params", "location"),
    [
        ({"cursor": "not-a-cursor"}, ["query", "cursor"]),
        ({"cursor": _cursor('["x"]')}, ["query", "cursor"]),  # not an id
        ({"cursor": _cursor("[1,2]")}, ["query", "cursor"]),  # wrong shape
        ({"cursor": _cursor("[0]")}, ["query", "cursor"]),  # never an id we return
        ({"cursor": _cursor("[-5]")}, ["query", "cursor"]),
        ({"cursor": _cursor(f"[{2**63}]")}, ["query", "cursor"]),  # beyond bigint
        ({"cursor": "a/b"}, ["query", "cursor"]),  # not URL-safe base64
        ({"object_type": "planet"}, ["query", "object_type"]),
        ({"action": "entry.exploded"}, ["query", "action"]),
        ({"actor_id": "someone"}, ["query", "actor_id"]),
        ({"object_id": ""}, ["query", "object_id"]),
        ({"object_id": "a\x00b"}, ["query", "object_id"]),
        ({"since": "2026-01-01T00:00:00"}, ["query", "since"]),  # no time zone
        ({"until": "yesterday"}, ["query", "until"]),
        ({"until": "0.5"}, ["query", "until"]),  # not a Unix timestamp
        ({"since": "1764835200"}, ["query", "since"]),
        ({"limit": 0}, ["query", "limit"]),
        ({"limit": 201}, ["query", "limit"]),
        ({"colour": "red"}, ["query", "colour"]),  # undeclared
    ],
)
@pytest.mark.parametrize("scope", ["lab", "global"])
async def test_a_bad_cursor_or_filter_is_a_422_problem_and_changes_nothing(
    client: httpx.AsyncClient,
    admin: Caller,
    lab: Lab,
    session: AsyncSession,
    params: dict[str, Any],
    location: list[str],
    scope: str,
) -> None:
    before = await event_count(session)
    response = await trail(client, admin, lab if scope == "lab" else None, **params)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert location in [error["loc"] for error in response.json()["errors"]]
    assert await event_count(session) == before


@pytest.mark.parametrize("since", ["2026-02-01T00:00:00Z", "2026-01-01T00:00:00Z"])
async def test_since_not_before_until_is_an_empty_range_not_an_error(
    client: httpx.AsyncClient, admin: Caller, lab: Lab, since: str
) -> None:
    assert (await trail(client, admin, until="2100-01-01T00:00:00Z")).json()["items"]
    response = await trail(client, admin, since=since, until="2026-01-01T00:00:00Z")
    assert response.status_code == 200, response.text
    assert response.json() == {"items": [], "next_cursor": None}


async def test_a_lab_filter_on_the_lab_route_is_refused(
    client: httpx.AsyncClient, admin: Caller, lab: Lab
) -> None:
    response = await trail(client, admin, lab, lab_id=str(lab.id))
    assert response.status_code == 422


# --- Authorization -------------------------------------------------------------------------


async def test_only_the_labs_managers_and_admins_read_its_trail(
    client: httpx.AsyncClient, session: AsyncSession, admin: Caller, member: Caller, lab: Lab
) -> None:
    callers = {role: await session_for(session, await make_user(session)) for role in LabRole}
    for role, caller in callers.items():
        await add_member(session, lab, caller.user, role)
    outsider = await session_for(session, await make_user(session))
    assert (await trail(client, member, lab)).status_code == 200  # the lab's creator, manager
    assert (await trail(client, callers[LabRole.MANAGER], lab)).status_code == 200
    assert (await trail(client, admin, lab)).status_code == 200
    assert (await trail(client, callers[LabRole.CONTRIBUTOR], lab)).status_code == 403
    assert (await trail(client, callers[LabRole.VIEWER], lab)).status_code == 403
    assert (await trail(client, outsider, lab)).status_code == 404  # lab ids are not probed
    anonymous = await client.get(f"/api/v1/labs/{lab.id}/audit")
    assert anonymous.status_code == 401
    assert (await trail(client, admin)).status_code == 200
    assert (await trail(client, member)).status_code == 403  # the whole trail: admins only
    assert (await client.get("/api/v1/audit")).status_code == 401


# --- What is recorded ----------------------------------------------------------------------


async def test_a_lab_change_records_who_what_before_after_and_the_request_id(
    client: httpx.AsyncClient, member: Caller, lab: Lab, session: AsyncSession
) -> None:
    (created,) = await events(session, action="lab.created")
    assert (created.actor_id, created.lab_id, created.object_id) == (
        member.user.id,
        lab.id,
        str(lab.id),
    )
    assert created.changes["code"] == [None, lab.code]
    response = await client.patch(
        f"/api/v1/labs/{lab.id}",
        json={"version": lab.version, "description": "Cells", "name": lab.name},
        headers=member.headers | {"X-Request-ID": "audit-test-1"},
    )
    assert response.status_code == 200, response.text
    (updated,) = await events(session, action="lab.updated")
    # Only the changed fields: the name was sent unchanged.
    assert updated.changes == {"description": ["", "Cells"]}
    assert updated.request_id == "audit-test-1"
    assert updated.actor_id == member.user.id
    assert updated.at <= datetime.now(UTC)
    body = (await trail(client, member, lab, action="lab.updated")).json()
    assert body["items"][0]["changes"] == {"description": ["", "Cells"]}
    assert body["items"][0]["request_id"] == "audit-test-1"


async def test_an_entry_records_decimals_exactly_and_a_failed_change_records_nothing(
    client: httpx.AsyncClient, member: Caller, lab: Lab, session: AsyncSession
) -> None:
    added = await client.post(
        _entries(lab),
        json={"date": "2025-03-01", "factor_key": KEY, "quantity": "8.50", "note": "n"},
        headers=member.headers | {"X-Request-ID": "add-1"},
    )
    assert added.status_code == 201, added.text
    entry = added.json()
    (created,) = await events(session, action="entry.created")
    assert created.object_id == entry["id"]
    assert created.request_id == "add-1"
    assert created.changes["quantity"] == [None, "8.5"]  # as the API writes it
    assert created.changes["kg_co2e"][1] == entry["kg_co2e"]
    assert Decimal(created.changes["kg_co2e"][1]) == Decimal("1.0625")
    before = await event_count(session)
    # Refused changes: a stale version, a factor that does not exist, a bad quantity.
    stale = await client.patch(
        f"/api/v1/entries/{entry['id']}",
        json={"version": entry["version"] + 1, "quantity": "9"},
        headers=member.headers,
    )
    assert stale.status_code == 409
    unknown = await client.post(
        _entries(lab),
        json={"date": "2025-03-01", "factor_key": "no.such", "quantity": "1"},
        headers=member.headers,
    )
    assert unknown.status_code == 422
    negative = await client.patch(
        f"/api/v1/entries/{entry['id']}",
        json={"version": entry["version"], "quantity": "-1"},
        headers=member.headers,
    )
    assert negative.status_code == 422
    assert await event_count(session) == before
    changed = await client.patch(
        f"/api/v1/entries/{entry['id']}",
        json={"version": entry["version"], "quantity": "0.1"},
        headers=member.headers,
    )
    assert changed.status_code == 200, changed.text
    (updated,) = await events(session, action="entry.updated")
    assert updated.changes == {"quantity": ["8.5", "0.1"], "kg_co2e": ["1.0625", "0.0125"]}
    deleted = await client.delete(f"/api/v1/entries/{entry['id']}", headers=member.headers)
    assert deleted.status_code == 204
    (gone,) = await events(session, action="entry.deleted")
    assert gone.changes["quantity"] == ["0.1", None]
    assert gone.object_id == entry["id"]


async def test_a_failed_commit_records_nothing(
    client: httpx.AsyncClient, member: Caller, lab: Lab, session: AsyncSession
) -> None:
    """A lab deleted while an import of it is queued is refused (409): neither the delete nor
    its event is kept."""
    assert (await upload(client, member, lab, HEADER + f"2025-01-01,{KEY},1,kWh,\n")).is_success
    before = await event_count(session)
    refused = await client.delete(f"/api/v1/labs/{lab.id}", headers=member.headers)
    assert refused.status_code == 409
    assert await event_count(session) == before
    assert await events(session, action="lab.deleted") == []


async def test_an_equipment_purchase_is_one_event_added_and_one_deleted(
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
    response = await client.post(_entries(lab), json=body, headers=member.headers)
    assert response.status_code == 201, response.text
    listed = (await client.get(_entries(lab), headers=member.headers)).json()["items"]
    assert len(listed) == 3
    (created,) = await events(session, action="entry.created")
    assert created.object_id == response.json()["id"]
    assert created.changes["activity"][1]["lifetime_years"] == 3
    gone = await client.delete(f"/api/v1/entries/{listed[0]['id']}", headers=member.headers)
    assert gone.status_code == 204
    (deleted,) = await events(session, action="entry.deleted")
    series = deleted.changes["activity"][0]["series_id"]
    assert series == created.changes["activity"][1]["series_id"]


async def test_members_headcount_target_and_sign_off_are_recorded(
    client: httpx.AsyncClient, admin: Caller, member: Caller, lab: Lab, session: AsyncSession
) -> None:
    other = await make_user(session)
    added = await client.post(
        f"/api/v1/labs/{lab.id}/members",
        json={"email": other.email, "role": "viewer"},
        headers=admin.headers,
    )
    assert added.status_code == 201, added.text
    role = await client.patch(
        f"/api/v1/labs/{lab.id}/members/{other.id}",
        json={"role": "contributor"},
        headers=member.headers,
    )
    assert role.status_code == 200, role.text
    removed = await client.delete(
        f"/api/v1/labs/{lab.id}/members/{other.id}", headers=member.headers
    )
    assert removed.status_code == 204
    year = f"/api/v1/labs/{lab.id}/headcount/2025"
    put = {"categories": [{"category": "researchers", "fte": "2.50"}]}
    assert (await client.put(year, json=put, headers=member.headers)).status_code == 200
    put = {"categories": [{"category": "researchers", "fte": "3"}]}
    assert (await client.put(year, json=put, headers=member.headers)).status_code == 200
    assert (await client.delete(year, headers=member.headers)).status_code == 204
    assert (await client.delete(year, headers=member.headers)).status_code == 204  # no change
    target = {"baseline_year": 2020, "target_year": 2030, "reduction_pct": "50"}
    path = f"/api/v1/labs/{lab.id}/target"
    assert (await client.put(path, json=target, headers=member.headers)).status_code == 200
    submitted = await client.post(
        f"/api/v1/labs/{lab.id}/years/2025/submit", json={"version": 0}, headers=member.headers
    )
    assert submitted.status_code == 200, submitted.text
    sent_back = await client.post(
        f"/api/v1/labs/{lab.id}/years/2025/send-back",
        json={"version": 1, "reason": "FTE missing"},
        headers=admin.headers,
    )
    assert sent_back.status_code == 200, sent_back.text

    recorded = [(e.action, e.object_id, e.changes) for e in await events(session, lab_id=lab.id)]
    assert recorded[1:] == [
        ("member.added", str(other.id), {"lab_id": [None, str(lab.id)], "role": [None, "viewer"],
                                         "user_id": [None, str(other.id)]}),
        ("member.updated", str(other.id), {"role": ["viewer", "contributor"]}),
        ("member.removed", str(other.id), {"lab_id": [str(lab.id), None],
                                           "role": ["contributor", None],
                                           "user_id": [str(other.id), None]}),
        ("headcount.replaced", "2025", {"researchers": [None, "2.5"]}),
        ("headcount.replaced", "2025", {"researchers": ["2.5", "3"]}),
        ("headcount.deleted", "2025", {"researchers": ["3", None]}),
        ("target.replaced", str(lab.id), {"lab_id": [None, str(lab.id)],
                                          "baseline_year": [None, 2020],
                                          "target_year": [None, 2030],
                                          "reduction_pct": [None, "50"]}),
        ("year.submitted", "2025", {"state": ["open", "submitted"]}),
        ("year.sent_back", "2025", {"state": ["submitted", "open"],
                                    "reason": [None, "FTE missing"]}),
    ]  # fmt: skip


# --- Imports, undo, cancel, recalculation: one event each ---------------------------------


async def test_an_import_is_one_event_and_its_undo_another(
    client: httpx.AsyncClient, member: Caller, lab: Lab, session: AsyncSession, jobs: None
) -> None:
    rows = "".join(f"2025-01-{day:02d},{KEY},8,kWh,row {day}\n" for day in range(1, 21))
    response = await upload(client, member, lab, HEADER + rows)
    assert response.status_code == 202, response.text
    job_id = response.json()["id"]
    assert (await wait_for_end(client, member, job_id))["state"] == "succeeded"
    (imported,) = await events(session, object_type="import")
    assert imported.action == "import.succeeded"
    assert imported.object_id == job_id
    assert imported.actor_id == member.user.id
    assert imported.request_id is not None  # the upload's
    assert imported.changes["rows_ok"] == [None, 20]
    assert imported.changes["entries"] == [None, 20]
    assert Decimal(imported.changes["kg_co2e"][1]) == Decimal(20)  # 20 x 8 kWh x 0.125
    assert await events(session, object_type="entry") == []  # never one per row
    undone = await client.delete(f"/api/v1/imports/{job_id}", headers=member.headers)
    assert undone.status_code == 204, undone.text
    (undo,) = await events(session, action="import.undone")
    assert undo.changes["entries"] == [20, None]
    assert Decimal(undo.changes["kg_co2e"][0]) == Decimal(20)


async def test_a_cancelled_import_is_one_event(
    client: httpx.AsyncClient, member: Caller, lab: Lab, session: AsyncSession
) -> None:
    response = await upload(client, member, lab, HEADER + f"2025-01-01,{KEY},1,kWh,\n")
    job_id = response.json()["id"]
    cancelled = await client.post(f"/api/v1/imports/{job_id}/cancel", headers=member.headers)
    assert cancelled.status_code == 200, cancelled.text
    (event,) = await events(session, object_type="import")
    assert (event.action, event.object_id) == ("import.cancelled", job_id)
    assert event.changes["state"] == ["queued", "cancelled"]
    again = await client.post(f"/api/v1/imports/{job_id}/cancel", headers=member.headers)
    assert again.status_code == 409
    assert len(await events(session, object_type="import")) == 1


async def test_a_factor_change_and_its_recalculation_are_one_event_each(
    client: httpx.AsyncClient, admin: Caller, member: Caller, lab: Lab, session: AsyncSession,
    jobs: None,
) -> None:  # fmt: skip
    assert (
        await client.post(
            _entries(lab),
            json={"date": "2025-03-01", "factor_key": KEY, "quantity": "8"},
            headers=member.headers,
        )
    ).status_code == 201
    factors = await client.get("/api/v1/factors", params={"year": 2025}, headers=admin.headers)
    factor = next(f for f in factors.json()["items"] if f["key"] == KEY)
    changed = await client.patch(
        f"/api/v1/factors/{factor['id']}",
        json={"version": factor["version"], "kg_co2e_per_unit": "0.50"},
        headers=admin.headers | {"X-Request-ID": "factor-change"},
    )
    assert changed.status_code == 200, changed.text
    (recalculation,) = await jobs_of(session, JobKind.RECALCULATE)
    assert (await wait_for_end(client, admin, str(recalculation.id)))["state"] == "succeeded"
    (update,) = await events(session, action="factor.updated")
    assert update.changes == {"kg_co2e_per_unit": ["0.125", "0.5"]}
    assert update.lab_id is None
    (run,) = await events(session, action="recalculation.succeeded")
    assert run.object_id == str(recalculation.id)
    assert run.request_id == "factor-change"  # the request that queued it
    assert run.actor_id == admin.user.id
    assert run.changes["factor_ids"] == [None, [factor["id"]]]
    listed = (await trail(client, admin, object_type="recalculation")).json()["items"]
    assert [item["id"] for item in listed] == [run.id]


async def test_users_and_api_keys_are_recorded_without_secrets(
    client: httpx.AsyncClient, admin: Caller, member: Caller, session: AsyncSession
) -> None:
    created = await client.post(
        "/api/v1/users",
        json={"email": "new@lab.example", "password": "another-horse-42", "full_name": "N"},
        headers=admin.headers,
    )
    assert created.status_code == 201, created.text
    key = await client.post(
        "/api/v1/users/me/api-keys", json={"name": "ci"}, headers=member.headers
    )
    assert key.status_code == 201, key.text
    changed = await client.post(
        "/api/v1/users/me/password",
        json={"current_password": "correct-horse-42", "new_password": "brand-new-horse-7"},
        headers=member.headers,
    )
    assert changed.status_code in {200, 204}, changed.text
    recorded = {e.action: e for e in await events(session)}
    assert recorded["user.created"].changes["email"] == [None, "new@lab.example"]
    assert recorded["api_key.created"].changes["name"] == [None, "ci"]
    assert recorded["user.updated"].changes == {"password": [None, "changed"]}
    stored = str([e.changes for e in recorded.values()])
    assert "hash" not in stored
    assert key.json()["key"] not in stored
    assert "brand-new-horse-7" not in stored


# --- Pages and filters --------------------------------------------------------------------


async def test_pages_follow_the_cursor_newest_first_and_filters_apply(
    client: httpx.AsyncClient, admin: Caller, member: Caller, lab: Lab, session: AsyncSession
) -> None:
    for day in range(1, 6):
        added = await client.post(
            _entries(lab),
            json={"date": f"2025-03-0{day}", "factor_key": KEY, "quantity": str(day)},
            headers=member.headers,
        )
        assert added.status_code == 201
    ids: list[int] = []
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"limit": 2, "object_type": "entry"}
        if cursor:
            params["cursor"] = cursor
        page = (await trail(client, member, lab, **params)).json()
        ids += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    stored = [e.id or 0 for e in await events(session, object_type="entry")]
    assert ids == sorted(stored, reverse=True)
    assert len(ids) == 5
    everything = (await trail(client, admin, lab_id=str(lab.id))).json()["items"]
    assert {item["action"] for item in everything} == {"lab.created", "entry.created"}
    by_actor = (await trail(client, admin, actor_id=str(admin.user.id))).json()["items"]
    assert by_actor == []
    one = (await trail(client, member, lab, object_id=str(lab.id))).json()["items"]
    assert [item["action"] for item in one] == ["lab.created"]
    later = datetime.now(UTC) + timedelta(minutes=1)
    assert (await trail(client, admin, since=later.isoformat())).json()["items"] == []
    until_now = (await trail(client, admin, until=later.isoformat(), limit=200)).json()
    assert len(until_now["items"]) == len(await events(session))


# --- Append-only --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_event SET action = 'lab.deleted'",
        "DELETE FROM audit_event",
        "TRUNCATE audit_event",
    ],
)
@pytest.mark.parametrize("replica", [False, True], ids=["origin", "replica-role"])
async def test_the_database_refuses_to_change_or_remove_events(
    lab: Lab, session: AsyncSession, database_url: str, statement: str, replica: bool
) -> None:
    before = [(e.id, e.action, e.changes) for e in await events(session)]
    assert before
    await session.commit()  # a TRUNCATE waits for every open transaction that read the table
    with psycopg.connect(libpq_url(database_url)) as connection:
        connection.execute("SET lock_timeout = '10s'")
        if replica:  # how bulk loads skip ordinary triggers: not these
            connection.execute("SET session_replication_role = replica")
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
            connection.execute(statement)
    assert [(e.id, e.action, e.changes) for e in await events(session)] == before
