"""`POST /factors/sync` against a loopback HTTP server started here: what it serves is imported
like an uploaded factors CSV; each way the source can fail fails the job and writes nothing."""

import logging
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from uuid import UUID

import httpx
import pytest
from pydantic import SecretStr
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.config import settings
from app.models.factor import EmissionFactor
from app.models.job import DataIngestionJob, JobKind
from tests.factories import Caller, make_factor, make_lab
from tests.integration.test_imports import wait_for_end

TOKEN = "ghp_test-token-never-logged-0123456789"
GOOD_CSV = (
    b"key,category,unit,kg_co2e_per_unit,scope,year,region,source\n"
    b"electricity.grid.CH,electricity,kWh,0.5,2,2025,,synced\n"
    b"heat.gas,heating,kWh,0.2,1,2025,CH,synced\n"
)


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    delay: float = 0.0  # seconds before answering
    stall_after: int | None = None  # bytes of the body sent before a 3 s stall
    content_type: str = "text/csv"


@dataclass
class Source:
    """A loopback HTTP server: its routes, and the headers of every request it received."""

    base_url: str
    routes: dict[str, Route]
    requests: list[dict[str, str]] = field(default_factory=list)


@pytest.fixture
def source() -> Iterator[Source]:
    routes = {
        "/factors.csv": Route(body=GOOD_CSV),
        "/missing.csv": Route(status=404, body=b"Not Found"),
        "/slow.csv": Route(body=GOOD_CSV, delay=3),
        "/stalling.csv": Route(body=GOOD_CSV, stall_after=len(GOOD_CSV) - 20),  # mid-COPY
        "/image.csv": Route(body=b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe" * 20),
        "/page.csv": Route(body=b"<!DOCTYPE html>\n<html><body>Sign in</body></html>\n"),
        "/latin1.csv": Route(
            body="key,category,unit,kg_co2e_per_unit,scope,year\nheat.caf\xe9,heating,kWh,1,1,2025\n".encode(
                "latin-1"
            )
        ),
        "/big.csv": Route(body=GOOD_CSV + b"other.x,other,kg,1,3,2025,,\n" * 100),
        "/header.csv": Route(body=b"key,category,unit,kg_co2e_per_unit,scope,year\n"),
    }
    state = Source(base_url="", routes=routes)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.requests.append(dict(self.headers.items()))
            route = routes.get(self.path.split("?")[0], Route(status=404))
            time.sleep(route.delay)
            try:
                self.send_response(route.status)
                self.send_header("Content-Type", route.content_type)
                self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                cut = len(route.body) if route.stall_after is None else route.stall_after
                self.wfile.write(route.body[:cut])
                self.wfile.flush()
                if cut < len(route.body):
                    time.sleep(3)
                    self.wfile.write(route.body[cut:])
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout test)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
async def existing(session: AsyncSession) -> EmissionFactor:
    return await make_factor(session, key="electricity.grid.CH", year=2025, kg="0.125")


def use_source(monkeypatch: pytest.MonkeyPatch, source: Source, path: str) -> None:
    monkeypatch.setattr(settings, "FACTOR_SYNC_URL", source.base_url + path)


async def sync(client: httpx.AsyncClient, caller: Caller) -> httpx.Response:
    return await client.post("/api/v1/factors/sync", headers=caller.headers)


async def stored(session: AsyncSession) -> list[tuple[str, str | None, Decimal, str, int]]:
    query = select(EmissionFactor).execution_options(populate_existing=True)
    rows = (await session.exec(query)).all()
    return sorted((f.key, f.region, f.kg_co2e_per_unit, f.source, f.version) for f in rows)


async def test_a_sync_imports_what_the_source_serves_sending_the_token(
    client: httpx.AsyncClient,
    admin: Caller,
    session: AsyncSession,
    existing: EmissionFactor,
    source: Source,
    jobs: None,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    use_source(monkeypatch, source, "/factors.csv?ref=main")
    monkeypatch.setattr(settings, "GITHUB_TOKEN", SecretStr(TOKEN))
    response = await sync(client, admin)
    assert response.status_code == 202, response.text
    accepted = response.json()
    assert (accepted["target_type"], accepted["filename"]) == ("factor_sync", "factors.csv")

    job = await wait_for_end(client, admin, accepted["id"])
    assert job["state"] == "succeeded", job
    assert (job["rows_total"], job["rows_ok"]) == (2, 2)
    assert "1 new, 1 changed" in job["message"]
    assert await stored(session) == [
        ("electricity.grid.CH", None, Decimal("0.5"), "synced", 2),
        ("heat.gas", "CH", Decimal("0.2"), "synced", 1),
    ]
    (request,) = source.requests
    assert request["Authorization"] == f"Bearer {TOKEN}"
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "HTTP Request: GET" in logged  # the HTTP client's own logs were captured too
    assert TOKEN not in logged
    row = await session.get(DataIngestionJob, UUID(job["id"]))
    assert row is not None
    assert TOKEN not in row.model_dump_json()


async def test_without_a_token_no_authorization_is_sent(
    client: httpx.AsyncClient, admin: Caller, source: Source, jobs: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    use_source(monkeypatch, source, "/factors.csv")
    monkeypatch.setattr(settings, "GITHUB_TOKEN", None)
    job = await wait_for_end(client, admin, (await sync(client, admin)).json()["id"])
    assert job["state"] == "succeeded", job
    (request,) = source.requests
    assert "Authorization" not in request


FAILURES = [
    ("404", "/missing.csv", "answered HTTP 404 (Not Found)"),
    ("timeout", "/slow.csv", "did not answer in full within 1 s"),
    ("stalls mid-file", "/stalling.csv", "did not answer in full within 1 s"),
    ("binary garbage", "/image.csv", "not UTF-8"),
    ("an HTML page", "/page.csv", "Unknown column(s): '<!doctype html>'"),
    ("not UTF-8", "/latin1.csv", "not UTF-8"),
    ("too large", "/big.csv", "larger than 1000 bytes"),
    ("header only", "/header.csv", "a header but no rows"),
]


@pytest.mark.parametrize(
    ("path", "expected"), [f[1:] for f in FAILURES], ids=[f[0] for f in FAILURES]
)
async def test_a_failing_source_fails_the_job_and_nothing_changes(
    client: httpx.AsyncClient,
    admin: Caller,
    session: AsyncSession,
    existing: EmissionFactor,
    source: Source,
    jobs: None,
    monkeypatch: pytest.MonkeyPatch,
    path: str,
    expected: str,
) -> None:
    use_source(monkeypatch, source, path)
    # Short only where it is the point: a busy machine may take longer than that to stage a file.
    monkeypatch.setattr(
        settings, "FACTOR_SYNC_TIMEOUT_SECONDS", 1 if "within 1 s" in expected else 30
    )
    monkeypatch.setattr(settings, "IMPORT_MAX_BYTES", 1000)
    before = await stored(session)
    response = await sync(client, admin)
    assert response.status_code == 202, response.text
    job = await wait_for_end(client, admin, response.json()["id"])
    assert job["state"] == "failed", job
    assert expected in job["message"]
    assert job["attempts"] == 1  # a source's failure is not retried
    assert await stored(session) == before


async def test_a_synced_value_that_would_overflow_an_entry_fails_the_sync(
    client: httpx.AsyncClient, admin: Caller, member: Caller, session: AsyncSession,
    existing: EmissionFactor, source: Source, jobs: None, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """A sync is an import: a new value with which an entry would weigh 10^18 kg CO2e or more
    (too much for kg_co2e) is a bad row, and nothing is written."""
    lab = await make_lab(session, member.user)
    entry = await client.post(
        f"/api/v1/labs/{lab.id}/entries",
        json={"date": "2025-03-01", "factor_key": existing.key, "quantity": "100000000000"},
        headers=member.headers,
    )
    assert entry.status_code == 201, entry.text
    source.routes["/heavy.csv"] = Route(body=GOOD_CSV.replace(b",0.5,", b",10000000,"))
    use_source(monkeypatch, source, "/heavy.csv")
    before = await stored(session)
    job = await wait_for_end(client, admin, (await sync(client, admin)).json()["id"])
    assert job["state"] == "failed", job
    assert "1 of 2 rows are invalid; nothing was imported" in job["message"]
    assert [(e["row"], e["column"]) for e in job["row_errors"]] == [(2, "kg_co2e_per_unit")]
    assert "the largest value they allow is 9999999.999999999" in job["row_errors"][0]["message"]
    assert await stored(session) == before
    recalculations = select(DataIngestionJob).where(
        DataIngestionJob.target_type == JobKind.RECALCULATE
    )
    assert (await session.exec(recalculations)).all() == []


async def test_without_a_configured_url_sync_is_a_409_and_queues_nothing(
    client: httpx.AsyncClient, admin: Caller, monkeypatch: pytest.MonkeyPatch,
    session: AsyncSession,
) -> None:  # fmt: skip
    monkeypatch.setattr(settings, "FACTOR_SYNC_URL", None)
    response = await sync(client, admin)
    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"].endswith("/not-configured")
    assert "FACTOR_SYNC_URL" in response.json()["detail"]
    assert (await session.exec(select(DataIngestionJob))).all() == []


async def test_sync_is_for_admins_and_rate_limited(
    client: httpx.AsyncClient, admin: Caller, member: Caller, source: Source,
    session: AsyncSession, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    use_source(monkeypatch, source, "/factors.csv")
    monkeypatch.setattr(settings, "IMPORT_RATE_LIMIT_PER_USER", "1/minute")
    assert (await sync(client, member)).status_code == 403
    assert (await sync(client, admin)).status_code == 202
    limited = await sync(client, admin)
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) > 0
    assert len((await session.exec(select(DataIngestionJob))).all()) == 1
    assert source.requests == []  # no runner here: nothing was fetched
