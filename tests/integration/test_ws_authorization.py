"""Who sees what on `WS /api/v1/ws/jobs`: actor → jobs seen (replayed and live), or refused.

The HTTP matrix (test_authorization_matrix.py) walks the API routes; this is its counterpart for
the socket. Jobs of a lab go to its members (any role) and to admins; jobs of no lab (factor
imports) to admins only; a caller without valid credentials is closed with 1008.
"""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import httpx
import pytest
from fastapi import FastAPI
from sqlmodel.ext.asyncio.session import AsyncSession
from websockets.exceptions import ConnectionClosed

from app.config import settings
from app.core.security import TokenType, decode_token, encode_token
from app.models.job import DataIngestionJob, ErrorPolicy, JobKind, JobState
from app.models.lab import Lab, LabRole
from app.models.user import User, UserRole
from app.repositories import job as job_repository
from tests.factories import Caller, add_member, make_lab, make_user, session_for
from tests.integration.live_socket import (
    close_frame,
    live_jobs_until,
    notify_from_elsewhere,
    serving,
    until_ready,
    watching,
)

LAB, OTHER_LAB, NO_LAB = "lab", "other_lab", "no_lab"
REFUSED = "refused (1008)"
EXPECTED: dict[str, frozenset[str] | str] = {
    "admin": frozenset({LAB, OTHER_LAB, NO_LAB}),
    "manager": frozenset({LAB}),
    "contributor": frozenset({LAB}),
    "viewer": frozenset({LAB}),
    "non_member": frozenset(),
    "viewer_api_key": frozenset({LAB}),
    "anonymous": REFUSED,
}


@dataclass
class World:
    callers: dict[str, Caller]
    viewer_key: str
    labs: dict[str, Lab | None]
    marker_lab: Lab  # every signed-in actor is a member: its event ends a live read

    def credentials(self, actor: str) -> tuple[dict[str, str], dict[str, str]]:
        """(headers, query) — each actor uses another way of presenting credentials."""
        if actor == "anonymous":
            return {}, {}
        if actor == "viewer_api_key":
            return {"X-API-Key": self.viewer_key}, {}
        token = self.callers[actor].access_token
        if actor in {"manager", "non_member"}:
            return {"Authorization": f"Bearer {token}"}, {}
        return {}, {"token": token}


def _job(lab: Lab | None) -> DataIngestionJob:
    return DataIngestionJob(
        target_type=JobKind.ACTIVITIES if lab else JobKind.FACTORS,
        lab_id=lab.id if lab else None,
        on_error=ErrorPolicy.FAIL,
        state=JobState.SUCCEEDED,
    )


@pytest.fixture
async def world(client: httpx.AsyncClient, session: AsyncSession) -> World:
    users: dict[str, User] = {"admin": await make_user(session, role=UserRole.ADMIN)}
    for name in ("manager", "contributor", "viewer", "non_member"):
        users[name] = await make_user(session)
    lab = await make_lab(session, users["manager"])
    await add_member(session, lab, users["contributor"], LabRole.CONTRIBUTOR)
    await add_member(session, lab, users["viewer"], LabRole.VIEWER)
    other_lab = await make_lab(session, await make_user(session))
    marker_lab = await make_lab(session, users["admin"])
    for name in ("manager", "contributor", "viewer", "non_member"):
        await add_member(session, marker_lab, users[name], LabRole.VIEWER)
    labs: dict[str, Lab | None] = {LAB: lab, OTHER_LAB: other_lab, NO_LAB: None}
    for owner in labs.values():  # one recent job each, for the replay
        await job_repository.add(session, job=_job(owner))
    await session.commit()
    callers = {name: await session_for(session, user) for name, user in users.items()}
    key = await client.post(
        "/api/v1/users/me/api-keys", json={"name": "ws"}, headers=callers["viewer"].headers
    )
    assert key.status_code == 201, key.text
    return World(callers=callers, viewer_key=key.json()["key"], labs=labs, marker_lab=marker_lab)


@pytest.fixture
async def live(app: FastAPI) -> AsyncIterator[str]:
    async with serving(app) as base:
        yield base


async def observe(
    live: str, world: World, headers: dict[str, str], query: dict[str, str]
) -> frozenset[str] | str:
    """Which labs' jobs a socket opened with these credentials gets (replayed, then live), or
    REFUSED."""
    lab_of = {str(lab.id) if lab else None: name for name, lab in world.labs.items()}
    async with watching(live, headers=headers, **query) as websocket:
        try:
            replayed = await until_ready(websocket)
        except ConnectionClosed as closed:
            code, _ = close_frame(closed)
            return REFUSED if code == 1008 else f"closed with {code}"
        marker = _job(world.marker_lab)
        await notify_from_elsewhere(*(_job(lab) for lab in world.labs.values()), marker)
        received = await live_jobs_until(websocket, lambda job: job["id"] == str(marker.id))
    seen_replayed = frozenset(lab_of[job["lab_id"]] for job in replayed)
    seen_live = frozenset(lab_of[job["lab_id"]] for job in received[:-1])
    assert seen_replayed == seen_live, (seen_replayed, seen_live)
    return seen_live


async def test_ws_role_matrix(live: str, world: World) -> None:
    answers = {}
    for actor in EXPECTED:
        headers, query = world.credentials(actor)
        answers[actor] = await observe(live, world, headers, query)
    assert answers == EXPECTED


async def test_every_way_of_presenting_credentials_works(live: str, world: World) -> None:
    token, key = world.callers["viewer"].access_token, world.viewer_key
    ways = {
        "token in query": ({}, {"token": token}),
        "bearer header": ({"Authorization": f"Bearer {token}"}, {}),
        "api key in query": ({}, {"token": key}),
        "api key header": ({"X-API-Key": key}, {}),
        "api key as bearer": ({"Authorization": f"Bearer {key}"}, {}),
        "expired token": ({}, {"token": _expired(token)}),
        "tampered api key": ({"X-API-Key": key[:-4] + "0000"}, {}),
        "refresh token": ({}, {"token": world.callers["viewer"].refresh_token}),
    }
    answers = {way: await observe(live, world, *credentials) for way, credentials in ways.items()}
    refused = {"expired token", "tampered api key", "refresh token"}
    assert answers == {way: REFUSED if way in refused else frozenset({LAB}) for way in ways}


def _expired(token: str) -> str:
    """The same session's access token, expired an hour ago."""
    secret = settings.JWT_SECRET.get_secret_value()
    claims = decode_token(token, secret=secret, expected_type=TokenType.ACCESS)
    return encode_token(
        secret=secret,
        token_type=TokenType.ACCESS,
        subject=claims.subject,
        session_id=claims.session_id,
        token_id=uuid4(),
        lifetime=timedelta(minutes=5),
        now=datetime.now(UTC) - timedelta(hours=1),
    )
