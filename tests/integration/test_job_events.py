"""`WS /api/v1/ws/jobs` end to end: a real uvicorn serving the app (its lifespan: LISTEN
connection, hub, job runner) on the test database, and a real WebSocket client."""

import asyncio
import itertools
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession
from websockets.asyncio.client import ClientConnection

from app.config import Settings, settings
from app.main import create_app
from app.models.job import DataIngestionJob, ErrorPolicy, JobKind, JobState
from app.models.lab import Lab, LabRole
from app.models.user import UserRole
from app.repositories import job as job_repository
from app.services import job_events as job_event_service
from tests.factories import (
    Caller,
    add_member,
    make_factor,
    make_lab,
    make_user,
    session_for,
)
from tests.integration.live_socket import (
    close_code,
    live_jobs_until,
    notify_from_elsewhere,
    receive,
    serving,
    until_ready,
    watching,
)


@pytest.fixture
async def live(app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[str]:
    monkeypatch.setattr(settings, "JOB_POLL_SECONDS", 1)
    async with serving(app) as base:
        yield base


@pytest.fixture
async def lab(session: AsyncSession, member: Caller) -> Lab:
    return await make_lab(session, member.user)


@pytest.fixture
async def other_lab(session: AsyncSession) -> Lab:
    return await make_lab(session, await make_user(session))


async def make_job(
    session: AsyncSession,
    lab: Lab | None,
    *,
    age: timedelta = timedelta(minutes=1),
    state: JobState = JobState.SUCCEEDED,
) -> DataIngestionJob:
    """A job of `lab` (of no lab: a factor import) last updated `age` ago."""
    at = datetime.now(UTC) - age
    job = DataIngestionJob(
        target_type=JobKind.ACTIVITIES if lab else JobKind.FACTORS,
        lab_id=lab.id if lab else None,
        on_error=ErrorPolicy.FAIL,
        state=state,
        created_at=at - timedelta(minutes=5),
        updated_at=at,
    )
    await job_repository.add(session, job=job)
    await session.commit()
    return job


def unsaved_job(lab: Lab | None) -> DataIngestionJob:
    """A job event's subject that needs no row: events are trusted as NOTIFYed."""
    return DataIngestionJob(
        target_type=JobKind.ACTIVITIES if lab else JobKind.FACTORS,
        lab_id=lab.id if lab else None,
        on_error=ErrorPolicy.FAIL,
        state=JobState.RUNNING,
        rows_total=10,
        rows_processed=4,
    )


@pytest.mark.parametrize(
    ("headers", "query"),
    [
        ({}, {}),
        ({"Authorization": "Bearer not-a-token"}, {}),
        ({}, {"token": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"}),
        ({"X-API-Key": "co2k_nosuchkey_0123456789abcdef"}, {}),
        ({"Authorization": "Basic dXNlcjpwYXNz"}, {}),
    ],
    ids=["none", "malformed-bearer", "forged-jwt-in-query", "unknown-api-key", "basic-auth"],
)
async def test_a_socket_without_valid_credentials_is_closed_with_1008_and_sent_nothing(
    live: str, lab: Lab, session: AsyncSession, headers: dict[str, str], query: dict[str, str]
) -> None:
    await make_job(session, lab)
    await make_job(session, None)
    async with watching(live, headers=headers, **query) as websocket:
        code, reason = await close_code(websocket)
    assert code == 1008
    assert reason  # says why, e.g. "Authentication required."


async def test_replay_sends_the_recent_jobs_of_the_callers_labs_and_nothing_else(
    live: str,
    client: httpx.AsyncClient,
    member: Caller,
    lab: Lab,
    other_lab: Lab,
    session: AsyncSession,
) -> None:
    older = await make_job(session, lab, age=timedelta(minutes=20), state=JobState.FAILED)
    newer = await make_job(session, lab, age=timedelta(minutes=2))
    await make_job(session, other_lab)
    await make_job(session, None)

    async with watching(live, token=member.access_token) as websocket:
        replayed = await until_ready(websocket)

    assert [job["id"] for job in replayed] == [str(older.id), str(newer.id)]  # oldest first
    # The same shape as the status endpoint's answer.
    status = await client.get(f"/api/v1/imports/{newer.id}/status", headers=member.headers)
    assert replayed[1] == status.json()


async def test_an_import_is_followed_live_from_queued_to_succeeded(
    live: str, client: httpx.AsyncClient, member: Caller, lab: Lab, session: AsyncSession
) -> None:
    await make_factor(session, key="electricity.grid.CH", year=2025, kg="0.125", unit="kWh")
    csv = "date,factor_key,quantity\n" + "2025-03-01,electricity.grid.CH,10\n" * 3
    async with watching(live, headers=member.headers) as websocket:
        assert await until_ready(websocket) == []
        response = await client.post(
            f"/api/v1/labs/{lab.id}/imports",
            files={"file": ("a.csv", csv.encode(), "text/csv")},
            headers=member.headers,
        )
        assert response.status_code == 202, response.text
        events = await live_jobs_until(websocket, lambda job: job["state"] == "succeeded")

    assert {event["id"] for event in events} == {response.json()["id"]}
    assert {event["lab_id"] for event in events} == {str(lab.id)}
    states = [event["state"] for event in events]
    assert states[0] == "queued"
    assert "running" in states
    assert states == sorted(states, key=["queued", "running", "succeeded"].index)
    progress = [event["rows_processed"] for event in events if event["state"] == "running"]
    assert progress == sorted(progress)
    assert progress[-1] == 3  # published between batches, before the end
    last = events[-1]
    assert (last["rows_total"], last["rows_processed"], last["rows_ok"], last["rows_failed"]) == (
        3,
        3,
        3,
        0,
    )
    assert last["finished_at"] is not None
    updates = [event["updated_at"] for event in events]
    assert updates == sorted(updates)


async def test_an_event_notified_by_another_database_connection_reaches_the_socket(
    live: str, member: Caller, lab: Lab, other_lab: Lab
) -> None:
    """The cross-process path: the event comes from a connection this app does not own, as
    from a job run by another replica, and only PostgreSQL carries it here."""
    hidden, shown = unsaved_job(other_lab), unsaved_job(lab)
    async with watching(live, token=member.access_token) as websocket:
        await until_ready(websocket)
        await notify_from_elsewhere(hidden, shown)
        message = await receive(websocket)
    assert message["type"] == "job"
    assert message["replay"] is False
    assert message["job"]["id"] == str(shown.id)  # the other lab's event never came
    assert (message["job"]["state"], message["job"]["rows_processed"]) == ("running", 4)


async def test_a_job_run_by_another_app_instance_reaches_this_instances_sockets(
    app: FastAPI,
    client: httpx.AsyncClient,
    member: Caller,
    lab: Lab,
    session: AsyncSession,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Two app instances sharing only the database: the socket is held by one that runs no
    jobs (`JOB_WORKERS=0`); the upload and the job run in the other."""
    await make_factor(session, key="rail.km", year=2025, kg="0.007", unit="km")
    monkeypatch.setattr(settings, "JOB_POLL_SECONDS", 1)
    monkeypatch.setattr(settings, "JOB_WORKERS", 0)
    async with serving(create_app()) as api_only:
        monkeypatch.setattr(settings, "JOB_WORKERS", 2)
        async with serving(app), watching(api_only, token=member.access_token) as websocket:
            await until_ready(websocket)
            response = await client.post(
                f"/api/v1/labs/{lab.id}/imports",
                files={"file": ("a.csv", b"date,factor_key,quantity\n2025-01-01,rail.km,5\n")},
                headers=member.headers,
            )
            assert response.status_code == 202, response.text
            events = await live_jobs_until(websocket, lambda job: job["state"] == "succeeded")
    assert events[-1]["id"] == response.json()["id"]
    assert events[-1]["rows_ok"] == 1


async def test_the_replay_covers_ws_initial_hours(
    live: str, member: Caller, lab: Lab, session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    recent = await make_job(session, lab, age=timedelta(minutes=50))
    two_hours_old = await make_job(session, lab, age=timedelta(hours=2))
    default_hours = Settings.model_fields["WS_INITIAL_HOURS"].default
    assert default_hours == 1
    monkeypatch.setattr(settings, "WS_INITIAL_HOURS", default_hours)
    async with watching(live, token=member.access_token) as websocket:
        assert [job["id"] for job in await until_ready(websocket)] == [str(recent.id)]

    monkeypatch.setattr(settings, "WS_INITIAL_HOURS", 3)
    async with watching(live, token=member.access_token) as websocket:
        replayed = [job["id"] for job in await until_ready(websocket)]
    assert replayed == [str(two_hours_old.id), str(recent.id)]

    monkeypatch.setattr(settings, "WS_INITIAL_HOURS", 0)
    async with watching(live, token=member.access_token) as websocket:
        assert await until_ready(websocket) == []


async def test_a_revoked_session_ends_the_socket_at_the_next_check(
    live: str, client: httpx.AsyncClient, member: Caller, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(job_event_service, "RECHECK_SECONDS", 0.2)
    async with watching(live, token=member.access_token) as websocket:
        await until_ready(websocket)
        logout = await client.post("/api/v1/auth/logout", headers=member.headers)
        assert logout.status_code == 204
        code, reason = await close_code(websocket)
    assert code == 1008
    assert "reconnect" in reason


async def _lab_events_reach(websocket: ClientConnection, lab: Lab, marker_lab: Lab) -> bool:
    probe, marker = unsaved_job(lab), unsaved_job(marker_lab)
    await notify_from_elsewhere(probe, marker)
    received = await live_jobs_until(websocket, lambda job: job["id"] == str(marker.id))
    return str(probe.id) in {job["id"] for job in received}


async def _until_lab_events(
    websocket: ClientConnection, lab: Lab, marker_lab: Lab, *, reach: bool
) -> None:
    async with asyncio.timeout(10):
        for attempt in itertools.count():
            if await _lab_events_reach(websocket, lab, marker_lab) is reach:
                return
            await asyncio.sleep(0.05 * min(attempt, 4))


async def test_membership_changes_reach_open_sockets_at_the_next_check(
    live: str,
    client: httpx.AsyncClient,
    lab: Lab,
    member: Caller,
    admin: Caller,
    session: AsyncSession,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(job_event_service, "RECHECK_SECONDS", 0.2)
    newcomer = await session_for(session, await make_user(session))
    own_lab = await make_lab(session, newcomer.user)  # its events mark the end of a probe
    async with watching(live, token=newcomer.access_token) as websocket:
        await until_ready(websocket)
        assert not await _lab_events_reach(websocket, lab, own_lab)

        added = await client.post(
            f"/api/v1/labs/{lab.id}/members",
            json={"email": newcomer.user.email, "role": "viewer"},
            headers=admin.headers,
        )
        assert added.status_code == 201, added.text
        await _until_lab_events(websocket, lab, own_lab, reach=True)

        removed = await client.delete(
            f"/api/v1/labs/{lab.id}/members/{newcomer.user.id}", headers=member.headers
        )
        assert removed.status_code == 204, removed.text
        await _until_lab_events(websocket, lab, own_lab, reach=False)


async def test_a_removed_member_stops_receiving_the_labs_events_within_seconds(
    live: str, client: httpx.AsyncClient, lab: Lab, member: Caller, session: AsyncSession
) -> None:
    """Without waiting for the periodic re-check (RECHECK_SECONDS, 60 s): the removal's
    transaction NOTIFYs the sockets' processes."""
    assert job_event_service.RECHECK_SECONDS >= 60
    leaver = await session_for(session, await make_user(session))
    await add_member(session, lab, leaver.user, LabRole.VIEWER)
    own_lab = await make_lab(session, leaver.user)
    async with watching(live, token=leaver.access_token) as websocket:
        await until_ready(websocket)
        assert await _lab_events_reach(websocket, lab, own_lab)
        removed = await client.delete(
            f"/api/v1/labs/{lab.id}/members/{leaver.user.id}", headers=member.headers
        )
        assert removed.status_code == 204, removed.text
        started = asyncio.get_running_loop().time()
        await _until_lab_events(websocket, lab, own_lab, reach=False)
        assert asyncio.get_running_loop().time() - started < 5


async def test_an_accepted_invitation_opens_the_labs_events_to_the_socket_at_once(
    live: str, client: httpx.AsyncClient, lab: Lab, member: Caller, session: AsyncSession
) -> None:
    newcomer = await session_for(session, await make_user(session))
    own_lab = await make_lab(session, newcomer.user)
    async with watching(live, token=newcomer.access_token) as websocket:
        await until_ready(websocket)
        invited = await client.post(
            f"/api/v1/labs/{lab.id}/invitations",
            json={"email": newcomer.user.email},
            headers=member.headers,
        )
        assert invited.status_code == 201, invited.text
        assert not await _lab_events_reach(websocket, lab, own_lab)  # not before accepting
        accepted = await client.post(
            f"/api/v1/users/me/invitations/{invited.json()['id']}/accept",
            headers=newcomer.headers,
        )
        assert accepted.status_code == 200, accepted.text
        started = asyncio.get_running_loop().time()
        await _until_lab_events(websocket, lab, own_lab, reach=True)
        assert asyncio.get_running_loop().time() - started < 5


async def test_the_token_in_the_query_string_is_never_logged(
    live: str, member: Caller, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        async with watching(live, token=member.access_token) as websocket:
            await until_ready(websocket)
    socket_lines = [r.getMessage() for r in caplog.records if "/ws/jobs" in r.getMessage()]
    assert socket_lines, "uvicorn logs each socket"
    assert all("token=[redacted]" in line for line in socket_lines), socket_lines
    assert not any(member.access_token in r.getMessage() for r in caplog.records)


async def test_an_admin_sees_every_labs_jobs_and_the_jobs_of_no_lab(
    live: str, lab: Lab, other_lab: Lab, session: AsyncSession
) -> None:
    admin = await session_for(session, await make_user(session, role=UserRole.ADMIN))
    jobs = [await make_job(session, owner) for owner in (lab, other_lab, None)]
    async with watching(live, token=admin.access_token) as websocket:
        assert [job["id"] for job in await until_ready(websocket)] == [str(j.id) for j in jobs]
        live_jobs = [unsaved_job(owner) for owner in (None, other_lab, lab)]
        await notify_from_elsewhere(*live_jobs)
        received = [(await receive(websocket))["job"]["id"] for _ in live_jobs]
    assert received == [str(job.id) for job in live_jobs]


async def test_sockets_are_told_to_resync_when_the_listen_connection_was_lost(
    live: str, member: Caller, lab: Lab, session: AsyncSession
) -> None:
    async with watching(live, token=member.access_token) as websocket:
        await until_ready(websocket)
        connection = await session.connection()
        result = await connection.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND query LIKE 'LISTEN%'"
            )
        )
        assert result.all() == [(True,)]
        assert await receive(websocket) == {"type": "resync"}
        after = unsaved_job(lab)  # and live events flow again
        await notify_from_elsewhere(after)
        assert (await receive(websocket))["job"]["id"] == str(after.id)


async def test_an_unexpected_error_closes_the_socket_with_1011(
    live: str, member: Caller, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*_: object, **__: object) -> None:
        raise RuntimeError("the replay query failed")

    monkeypatch.setattr(job_event_service, "recent_jobs", broken)
    async with watching(live, token=member.access_token) as websocket:
        assert await close_code(websocket) == (1011, "Internal error; reconnect later.")
