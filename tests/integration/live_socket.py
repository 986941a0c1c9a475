"""Helpers for live-status socket tests: the app served by a real uvicorn on a free loopback port
(its lifespan runs: LISTEN connection, hub, job runner) and a real WebSocket client."""

import asyncio
import json
import socket
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import urlencode

import psycopg
import uvicorn
from fastapi import FastAPI
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from app.db.engine import libpq_url
from app.models.job import DataIngestionJob
from app.models.job_event import JobStreamMessage
from app.repositories.job import EVENTS_CHANNEL
from app.services.job_lifecycle import event_payload

WS_PATH = "/api/v1/ws/jobs"
TIMEOUT = 15


@asynccontextmanager
async def serving(app: FastAPI) -> AsyncIterator[str]:
    """Serve `app` on 127.0.0.1 until the block ends; yields the `ws://` base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, lifespan="on", log_config=None))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        async with asyncio.timeout(TIMEOUT):
            while not server.started:
                if task.done():
                    task.result()
                    raise RuntimeError("the server stopped during startup")
                await asyncio.sleep(0.01)
        yield f"ws://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task
        sock.close()


def socket_url(base: str, **query: str) -> str:
    return f"{base}{WS_PATH}" + (f"?{urlencode(query)}" if query else "")


@asynccontextmanager
async def watching(
    base: str, *, headers: dict[str, str] | None = None, **query: str
) -> AsyncIterator[ClientConnection]:
    # proxy=None: never go through a proxy from the environment to reach loopback.
    async with connect(
        socket_url(base, **query), additional_headers=headers, proxy=None, open_timeout=TIMEOUT
    ) as websocket:
        yield websocket


async def receive(websocket: ClientConnection) -> dict[str, Any]:
    """The next message, checked against the schema the spec publishes for it."""
    async with asyncio.timeout(TIMEOUT):
        text = await websocket.recv()
    message: dict[str, Any] = json.loads(text)
    JobStreamMessage.model_validate_json(text, strict=False)
    return message


async def until_ready(websocket: ClientConnection) -> list[dict[str, Any]]:
    """The replayed jobs (their `job` objects), checked against the `ready` message ending them."""
    jobs = []
    while (message := await receive(websocket))["type"] != "ready":
        assert message["type"] == "job", message
        assert message["replay"] is True, message
        jobs.append(message["job"])
    assert message == {"type": "ready", "replayed": len(jobs)}
    return jobs


async def live_jobs_until(
    websocket: ClientConnection, stop: Callable[[dict[str, Any]], bool]
) -> list[dict[str, Any]]:
    """Live `job` objects received up to and including the first for which `stop` is true."""
    jobs = []
    while True:
        message = await receive(websocket)
        assert message["type"] == "job", message
        assert message["replay"] is False, message
        jobs.append(message["job"])
        if stop(message["job"]):
            return jobs


def close_frame(closed: ConnectionClosed) -> tuple[int, str]:
    """The code and reason the server closed with (1006: the connection dropped without one)."""
    return (closed.rcvd.code, closed.rcvd.reason) if closed.rcvd is not None else (1006, "")


async def close_code(websocket: ClientConnection) -> tuple[int, str]:
    """The code and reason the server closes the socket with; nothing may arrive before."""
    try:
        async with asyncio.timeout(TIMEOUT):
            message = await websocket.recv()
    except ConnectionClosed as closed:
        return close_frame(closed)
    raise AssertionError(f"a message before the close: {message!r}")


async def notify_from_elsewhere(*jobs: DataIngestionJob) -> None:
    """Job events sent by a plain psycopg connection of its own, as another process would, in
    one transaction (delivered in this order)."""
    async with await psycopg.AsyncConnection.connect(libpq_url()) as connection:
        for job in jobs:
            await connection.execute(
                "SELECT pg_notify(%s, %s)", (EVENTS_CHANNEL, event_payload(job))
            )
        await connection.commit()
