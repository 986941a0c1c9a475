"""What one request can cost the server before the app sees it: a served process (uvicorn with
app.serving's protocol, as scripts/run and the production command serve) refuses an oversized
request head early, and an upload is refused before its body is read."""

import asyncio
import select
import socket
import time
from collections.abc import AsyncIterator
from uuid import UUID

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from app.config import settings
from tests.factories import make_lab, make_user, sign_in
from tests.processes import AppProcess

SENT_AT_MOST = 64 * 1024 * 1024
CHUNK = 64 * 1024


@pytest.fixture
async def served(database_url: str) -> AsyncIterator[AppProcess]:
    process = AppProcess(database_url)
    try:
        await asyncio.to_thread(process.wait_ready)
        yield process
    finally:
        process.stop()


def _answer_while_sending(
    port: int, head: bytes, filler: bytes, *, seconds: float = 20
) -> tuple[bytes, int]:
    """Send `head`, then `filler` chunk after chunk (up to SENT_AT_MOST bytes) until the server
    answers; return the start of the answer and how many bytes were sent by then."""
    deadline = time.monotonic() + seconds
    with socket.create_connection(("127.0.0.1", port), timeout=seconds) as connection:
        connection.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, CHUNK)
        connection.sendall(head)
        sent = len(head)
        while time.monotonic() < deadline:
            readable, writable, _ = select.select([connection], [connection], [], 0.5)
            if readable:
                return connection.recv(4096), sent
            if writable and sent < SENT_AT_MOST:
                try:
                    sent += connection.send(filler)
                except OSError:  # the server closed after answering; read what it said
                    return connection.recv(4096), sent
    raise AssertionError(f"no answer within {seconds} s after sending {sent} bytes")


async def test_an_endless_header_is_refused_with_431_after_the_limit(served: AppProcess) -> None:
    head = b"GET /api/v1/health HTTP/1.1\r\nHost: localhost\r\nX-Filler: "

    answer, sent = await asyncio.to_thread(_answer_while_sending, served.port, head, b"a" * CHUNK)

    assert answer.startswith(b"HTTP/1.1 431 "), answer[:200]
    assert b"connection: close" in answer.lower()
    # Refused within a few reads of the limit (plus what the loopback's socket buffers hold),
    # not after the 64 MiB the client would send.
    assert sent < settings.REQUEST_HEAD_MAX_BYTES + 8 * 1024 * 1024


async def test_a_head_within_the_limit_is_served(served: AppProcess) -> None:
    filler = "a" * (settings.REQUEST_HEAD_MAX_BYTES // 2)
    request = f"GET /api/v1/health HTTP/1.1\r\nHost: localhost\r\nX-Filler: {filler}\r\n\r\n"

    answer, _ = await asyncio.to_thread(_answer_while_sending, served.port, request.encode(), b"")

    assert answer.startswith(b"HTTP/1.1 200 "), answer[:200]


def _upload_head(lab_id: UUID, headers: dict[str, str]) -> bytes:
    """The head of a 99 MiB activities upload; its body is up to the sender."""
    lines = [
        f"POST /api/v1/labs/{lab_id}/imports HTTP/1.1",
        "Host: localhost",
        "Content-Type: multipart/form-data; boundary=x0x0x0",
        f"Content-Length: {99 * 1024 * 1024}",
        *(f"{name}: {value}" for name, value in headers.items()),
    ]
    part = '--x0x0x0\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\n'
    return ("\r\n".join(lines) + "\r\n\r\n" + part).encode()


@pytest.mark.parametrize("who", ["anonymous", "outsider"])
async def test_an_upload_is_refused_before_its_body_is_read(
    served: AppProcess, session: AsyncSession, client: httpx.AsyncClient, who: str
) -> None:
    manager = await make_user(session)
    lab = await make_lab(session, manager)
    headers: dict[str, str] = {}
    if who == "outsider":
        headers = (await sign_in(client, await make_user(session))).headers
    head = _upload_head(lab.id, headers)
    rows = b"2025-01-01,x,1\n" * (CHUNK // 14)

    answer, sent = await asyncio.to_thread(_answer_while_sending, served.port, head, rows)

    expected = b"401" if who == "anonymous" else b"404"
    assert answer.startswith(b"HTTP/1.1 " + expected), answer[:200]
    assert sent < 16 * 1024 * 1024  # the answer came long before the 99 MiB body


async def test_a_whole_head_over_the_limit_in_one_read_is_refused(served: AppProcess) -> None:
    filler = "a" * (settings.REQUEST_HEAD_MAX_BYTES + 1)
    request = f"GET /api/v1/health HTTP/1.1\r\nHost: localhost\r\nX-Filler: {filler}\r\n\r\n"

    answer, _ = await asyncio.to_thread(_answer_while_sending, served.port, request.encode(), b"")

    assert answer.startswith(b"HTTP/1.1 431 "), answer[:200]
