"""Liveness never touches the database; readiness follows it down and back up."""

import asyncio
import tempfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from alembic.command import upgrade

from app import database
from app.config import settings
from app.core.embedded_db import EmbeddedPostgres
from app.db import dispose as dispose_database
from app.db.pool import get_driver_pool
from app.main import create_app
from scripts.scratch_db import alembic_config
from tests.factories import make_lab, make_user, session_for


async def test_liveness_and_readiness_answer_ok(client: httpx.AsyncClient) -> None:
    for path in ("/api/v1/health", "/health", "/api/v1/health/ready"):
        response = await client.get(path)
        assert response.status_code == 200, path
        assert response.json() == {"status": "ok"}


@pytest.fixture
def own_server() -> Iterator[EmbeddedPostgres]:
    """A server this test may stop and start (never the shared one)."""
    server = EmbeddedPostgres(Path(tempfile.mkdtemp(prefix="co2h-")))
    server.start()
    try:
        yield server
    finally:
        server.destroy()


async def test_readiness_follows_the_database_down_and_back_without_restart(
    own_server: EmbeddedPostgres, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "DATABASE_URL", own_server.url())
    await dispose_database()
    app = create_app()
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            assert (await client.get("/api/v1/health/ready")).status_code == 200

            own_server.stop()
            live = await client.get("/api/v1/health")
            assert live.status_code == 200
            assert live.json() == {"status": "ok"}
            assert (await client.get("/health")).status_code == 200
            down = await client.get("/api/v1/health/ready")
            assert down.status_code == 503
            assert down.headers["content-type"] == "application/problem+json"
            assert down.json()["status"] == 503
            assert "request_id" in down.json()

            own_server.start()
            back = await client.get("/api/v1/health/ready")
            assert back.status_code == 200
            assert back.json() == {"status": "ok"}
    finally:
        await dispose_database()


async def test_after_a_database_restart_only_the_first_request_on_a_stale_connection_fails(
    own_server: EmbeddedPostgres, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The API's pool does not pre-ping: the first request after a restart may find its pooled
    connection dead, and that failure invalidates the pool, so the next requests succeed."""
    monkeypatch.setattr(settings, "DATABASE_URL", own_server.url())
    await dispose_database()
    app = create_app()
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            assert (await client.get("/api/v1/health/ready")).status_code == 200  # pooled now
            own_server.stop()
            own_server.start()
            statuses = [(await client.get("/api/v1/health/ready")).status_code for _ in range(3)]
            assert statuses[0] in {200, 503}
            assert statuses[1:] == [200, 200]
    finally:
        await dispose_database()


async def test_after_a_database_restart_a_dead_connection_of_a_lab_read_fails_once(
    own_server: EmbeddedPostgres, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The caller + lab statement runs on a connection of the driver pool (psycopg_pool, not
    SQLAlchemy's). When it meets a dead connection, the pool's idle ones are tested and the dead
    ones replaced: with two (or more) dead connections pooled, only the first request fails."""
    url = own_server.url()
    await asyncio.to_thread(upgrade, alembic_config(url), "head")  # alembic runs its own loop
    monkeypatch.setattr(settings, "DATABASE_URL", url)
    await dispose_database()
    app = create_app()
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    try:
        async with database.get_session_factory()() as session:
            user = await make_user(session)
            lab = await make_lab(session, user)
            caller = await session_for(session, user)
        path = f"/api/v1/labs/{lab.id}"
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            # Two requests at once: two connections in the pool.
            both = await asyncio.gather(*(client.get(path, headers=caller.headers) for _ in "ab"))
            assert [response.status_code for response in both] == [200, 200]
            assert (await get_driver_pool()).get_stats()["pool_size"] >= 2
            own_server.stop()
            own_server.start()
            statuses = [(await client.get(path, headers=caller.headers)).status_code for _ in "abc"]
            assert statuses[0] in {200, 503}  # a dead connection is the database's failure
            assert statuses[1:] == [200, 200]
    finally:
        await dispose_database()


async def test_with_the_database_down_requests_get_503_with_retry_after_at_once(
    own_server: EmbeddedPostgres, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not a 500 after the pools' 30 s checkout wait: a dead pooled connection fails at once,
    the driver pool then waits one second while it cannot connect, and the ORM pool's attempt
    to connect is refused."""
    url = own_server.url()
    await asyncio.to_thread(upgrade, alembic_config(url), "head")
    monkeypatch.setattr(settings, "DATABASE_URL", url)
    await dispose_database()
    transport = httpx.ASGITransport(app=create_app(), raise_app_exceptions=False)
    try:
        async with database.get_session_factory()() as session:
            user = await make_user(session)
            lab = await make_lab(session, user)
            caller = await session_for(session, user)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            lab_path = f"/api/v1/labs/{lab.id}"
            assert (await client.get(lab_path, headers=caller.headers)).status_code == 200
            own_server.stop()
            async with asyncio.timeout(10):  # four requests, well below one 30 s wait
                answers = [
                    await client.get(lab_path, headers=caller.headers),
                    await client.get(lab_path, headers=caller.headers),
                    await client.get("/api/v1/labs", headers=caller.headers),
                    await client.post(f"{lab_path}/entries", headers=caller.headers, json={}),
                ]
        for answer in answers:
            assert answer.status_code == 503, answer.text
            assert answer.headers["retry-after"] == "5"
            assert answer.json()["type"].endswith("/database-unavailable")
    finally:
        await dispose_database()
