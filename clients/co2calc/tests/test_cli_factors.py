"""`co2calc factors list|import|sync` against live servers (sync: one whose source we control)."""

import http.server
import os
import secrets
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cli_support import (
    FACTORS_HEADER,
    Lab,
    Live,
    Run,
    api_key_with,
    co2calc,
    error_line,
    factors_like,
    key_of_new_member,
    sign_in,
    write_csv,
)
from co2calculator_client import AuthenticatedClient
from co2calculator_client.api.factors import create_factor
from co2calculator_client.models import FactorCategory, FactorCreate, FactorPublic, LabRole


@pytest.fixture
def factor_tag(admin_client: AuthenticatedClient) -> str:
    """Three factors whose keys share a fresh tag: two electricity (2024, 2025), one heating."""
    tag = secrets.token_hex(4)
    for key, category, year, region in (
        (f"test.list{tag}.grid", FactorCategory.ELECTRICITY, 2024, "CH"),
        (f"test.list{tag}.grid", FactorCategory.ELECTRICITY, 2025, "CH"),
        (f"test.list{tag}.gas", FactorCategory.HEATING, 2025, None),
    ):
        body = FactorCreate(
            key=key,
            category=category,
            unit="kWh",
            kg_co2e_per_unit="0.125",
            scope=2,
            year=year,
            region=region,
        )
        assert isinstance(create_factor.sync(client=admin_client, body=body), FactorPublic)
    return tag


def listed_keys(run: Run, tag: str) -> list[tuple[str, str]]:
    """(key, year) of each table row."""
    found = []
    for line in run.out.splitlines():
        cells = [cell.strip() for cell in line.strip("│ ").split("│")]
        if cells and tag in cells[0]:
            found.append((cells[0], cells[5]))
    return found


def test_factors_list_with_filters(live: Live, admin_key: str, factor_tag: str) -> None:
    tag = factor_tag
    every = co2calc(live, "factors", "list", "--search", tag, key=admin_key)
    electricity = co2calc(
        live, "factors", "list", "--search", tag, "--category", "electricity", key=admin_key
    )
    of_2025 = co2calc(live, "factors", "list", "--search", tag, "--year", "2025", key=admin_key)
    swiss = co2calc(live, "factors", "list", "--search", tag, "--region", "CH", key=admin_key)
    one = co2calc(live, "factors", "list", "--search", tag, "--limit", "1", key=admin_key)

    gas, grid = f"test.list{tag}.gas", f"test.list{tag}.grid"
    assert every.code == 0, every.err
    assert listed_keys(every, tag) == [(gas, "2025"), (grid, "2024"), (grid, "2025")]
    assert "3 factors" in every.err
    assert listed_keys(electricity, tag) == [(grid, "2024"), (grid, "2025")]
    assert listed_keys(of_2025, tag) == [(gas, "2025"), (grid, "2025")]
    assert listed_keys(swiss, tag) == [(grid, "2024"), (grid, "2025")]
    assert listed_keys(one, tag) == [(gas, "2025")]
    assert "0.125" in every.out


def test_factors_list_without_a_match_and_with_bad_filters(live: Live, admin_key: str) -> None:
    nothing = co2calc(live, "factors", "list", "--search", secrets.token_hex(8), key=admin_key)
    bad_category = co2calc(live, "factors", "list", "--category", "plutonium", key=admin_key)
    bad_year = co2calc(live, "factors", "list", "--year", "3000", key=admin_key)

    assert nothing.code == 0
    assert "No factors match." in nothing.err
    assert bad_category.code == 2  # refused before any request
    assert "plutonium" in bad_category.err
    assert bad_year.code == 1
    assert "(422)" in error_line(bad_year)


def test_factors_import_waits_for_the_job(
    live: Live, admin_key: str, admin_client: AuthenticatedClient, tmp_path: Path
) -> None:
    tag = secrets.token_hex(4)
    text = FACTORS_HEADER + (
        f"test.imp{tag}.grid,electricity,kWh,0.1,2,2025,CH,ours\n"
        f"test.imp{tag}.train,rail_travel,km,0.007,3,2025,,ours\n"
    )
    path = write_csv(tmp_path, text, "factors.csv")

    run = co2calc(live, "factors", "import", str(path), key=admin_key)

    assert run.code == 0, run.err
    assert "Factor import " in run.out
    assert "succeeded: 2 of 2 rows imported" in run.out
    assert factors_like(admin_client, f"test.imp{tag}") == [
        (f"test.imp{tag}.grid", "0.1", 2025),
        (f"test.imp{tag}.train", "0.007", 2025),
    ]


def test_a_failed_factors_import_lists_its_rows_and_writes_nothing(
    live: Live, admin_key: str, admin_client: AuthenticatedClient, tmp_path: Path
) -> None:
    tag = secrets.token_hex(4)
    text = FACTORS_HEADER + (
        f"test.bad{tag}.ok,electricity,kWh,0.1,2,2025,,\n"
        f"test.bad{tag}.scope,electricity,kWh,0.1,7,2025,,\n"
        f"test.bad{tag}.cat,plutonium,kg,1,3,2025,,\n"
    )
    path = write_csv(tmp_path, text, "factors.csv")

    run = co2calc(live, "factors", "import", str(path), key=admin_key)

    assert run.code == 3, run.err
    table_rows = [line for line in run.out.splitlines() if line.startswith("│")]
    assert any("3" in r and "scope" in r for r in table_rows), run.out
    assert any("4" in r and "category" in r for r in table_rows), run.out
    assert error_line(run).startswith("co2calc: factor import ")
    assert " failed: " in error_line(run)
    assert factors_like(admin_client, f"test.bad{tag}") == []  # not even the good row


def test_factors_import_refusals(
    live: Live, admin_key: str, admin_client: AuthenticatedClient, lab: Lab, tmp_path: Path
) -> None:
    bad_header = write_csv(tmp_path, "key,colour\nx,red\n", "bad.csv")
    tag = secrets.token_hex(4)
    good = write_csv(
        tmp_path, FACTORS_HEADER + f"test.no{tag},other,kg,1,3,2025,,\n", "factors.csv"
    )
    member_key = key_of_new_member(live, admin_client, lab, LabRole.MANAGER)

    refused = co2calc(live, "factors", "import", str(bad_header), key=admin_key)
    not_admin = co2calc(live, "factors", "import", str(good), key=member_key)

    assert refused.code == 1
    assert "(422)" in error_line(refused)
    assert "colour" in error_line(refused)
    assert not_admin.code == 1
    assert "Forbidden (403)" in error_line(not_admin)
    assert factors_like(admin_client, f"test.no{tag}") == []


def test_factors_sync_on_a_server_without_a_source(live: Live, admin_key: str) -> None:
    run = co2calc(live, "factors", "sync", key=admin_key)

    assert run.code == 1
    assert error_line(run) == (
        "co2calc: Not configured (409): "
        "Factor sync is not configured on this server: set FACTOR_SYNC_URL."
    )


class _Source(http.server.BaseHTTPRequestHandler):
    """The factor-sync source: serves whatever `server.answer` holds at /factors.csv."""

    def do_GET(self) -> None:
        status, body = self.server.answer  # type: ignore[attr-defined]
        self.send_response(status)
        self.send_header("Content-Type", "text/csv")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@dataclass
class SyncServer:
    """A second live server whose FACTOR_SYNC_URL is our loopback source."""

    live: Live
    key: str
    source: http.server.ThreadingHTTPServer

    def serve(self, status: int, body: str) -> None:
        self.source.answer = (status, body.encode())  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def sync_server() -> Iterator[SyncServer]:
    from scripts.live_server import live_server

    source = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Source)
    source.answer = (404, b"")  # type: ignore[attr-defined]
    thread = threading.Thread(target=source.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{source.server_address[1]}/factors.csv"
    before = os.environ.get("FACTOR_SYNC_URL")
    os.environ["FACTOR_SYNC_URL"] = url  # the server process copies the environment
    try:
        with live_server() as server:
            restore(before)
            live = Live(server.base_url, server.admin.email, server.admin.password)
            admin = sign_in(live, live.admin_email, live.admin_password)
            yield SyncServer(live=live, key=api_key_with(live, admin), source=source)
    finally:
        restore(before)
        source.shutdown()
        source.server_close()


def restore(before: str | None) -> None:
    if before is None:
        os.environ.pop("FACTOR_SYNC_URL", None)
    else:
        os.environ["FACTOR_SYNC_URL"] = before


def test_factors_sync_imports_what_the_source_serves(sync_server: SyncServer) -> None:
    tag = secrets.token_hex(4)
    sync_server.serve(200, FACTORS_HEADER + f"test.sync{tag},heating,kWh,0.2,1,2025,,feed\n")

    run = co2calc(sync_server.live, "factors", "sync", key=sync_server.key)

    assert run.code == 0, run.err
    assert "Factor sync " in run.out
    assert "succeeded: 1 of 1 rows imported" in run.out
    with AuthenticatedClient(
        base_url=sync_server.live.base_url,
        token=sync_server.key,
        prefix="",
        auth_header_name="X-API-Key",
    ) as client:
        assert factors_like(client, f"test.sync{tag}") == [(f"test.sync{tag}", "0.2", 2025)]


def test_a_failed_sync_exits_3_with_the_jobs_reason(sync_server: SyncServer) -> None:
    sync_server.serve(404, "")

    run = co2calc(sync_server.live, "factors", "sync", key=sync_server.key)

    assert run.code == 3, run.err
    assert error_line(run).startswith("co2calc: factor sync ")
    assert "404" in error_line(run)
