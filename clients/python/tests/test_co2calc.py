"""The `co2calc` command line (scripts/examples/co2calc.py) against a live server.

Each test runs the command as its own process, as a user would, and checks its exit status, what
it printed, that an error is one line without a traceback, and through the generated client what
the server holds afterwards.
"""

import csv
import http.server
import io
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from uuid import UUID

import pytest
from co2calculator_client import AuthenticatedClient, Client
from co2calculator_client.api.auth import login
from co2calculator_client.api.entries import list_lab_entries
from co2calculator_client.api.factors import create_factor, list_factors
from co2calculator_client.api.imports import list_lab_imports, upload_activities
from co2calculator_client.api.labs import add_lab_member, create_lab
from co2calculator_client.api.reports import get_lab_report
from co2calculator_client.api.users import create_my_api_key, create_user
from co2calculator_client.models import (
    ApiKeyCreate,
    ApiKeyCreated,
    BodyUploadActivities,
    EntryPage,
    FactorCategory,
    FactorCreate,
    FactorPage,
    FactorPublic,
    JobPage,
    JobPublic,
    JobState,
    JobStatus,
    LabCreate,
    LabPublic,
    LabReport,
    LabRole,
    LoginForm,
    MemberCreate,
    MemberPublic,
    TokenPair,
    UserCreate,
    UserPublic,
)
from co2calculator_client.types import File

from .conftest import Live

REPOSITORY = Path(__file__).resolve().parents[3]
CLI = REPOSITORY / "scripts" / "examples" / "co2calc.py"
WRAPPER = REPOSITORY / "scripts" / "examples" / "co2calc"  # the checkout's command (uv run)
CLIENT_PACKAGE = REPOSITORY / "clients" / "python"
MISSING = "00000000-0000-4000-8000-000000000000"  # an id nothing has


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


def co2calc(
    live: Live,
    *args: str,
    key: str | None,
    base_url: str | None = None,
    stdin: str = "",
    env: dict[str, str] | None = None,
    wrapper: bool = False,
    cwd: Path | None = None,
) -> Run:
    """Run the command line in its own process; an error must be one line, never a traceback."""
    environment = cli_environment(base_url or live.base_url, key, env)
    done = subprocess.run(  # noqa: S603 (our own script, fixed arguments)
        [str(WRAPPER), *args] if wrapper else [sys.executable, str(CLI), *args],
        env=environment,
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "Traceback" not in done.stderr, done.stderr
    return Run(done.returncode, done.stdout, done.stderr)


def cli_environment(
    base_url: str, key: str | None, extra: dict[str, str] | None = None
) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CO2CALC_")}
    environment["PYTHONPATH"] = str(CLIENT_PACKAGE)
    environment["CO2CALC_BASE_URL"] = base_url
    environment["COLUMNS"] = "200"  # rich tables: one line per row
    if key is not None:
        environment["CO2CALC_API_KEY"] = key
    environment.update(extra or {})
    return environment


def error_line(run: Run) -> str:
    """The one `co2calc: …` line of a failed run."""
    lines = [line for line in run.err.splitlines() if line.startswith("co2calc: ")]
    assert len(lines) == 1, run.err
    return lines[0]


# -- fixtures ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def admin_key(live: Live, admin_tokens: TokenPair) -> str:
    with AuthenticatedClient(base_url=live.base_url, token=admin_tokens.access_token) as client:
        created = create_my_api_key.sync(client=client, body=ApiKeyCreate(name="co2calc tests"))
    assert isinstance(created, ApiKeyCreated), created
    return created.key


@dataclass(frozen=True)
class Lab:
    id: UUID
    code: str
    factor_key: str


@pytest.fixture
def lab(admin_client: AuthenticatedClient) -> Lab:
    """A new lab and a factor of its own (0.5 kg CO2e per kg, 2025)."""
    tag = secrets.token_hex(4)
    key = f"test.cli{tag}"
    factor = FactorCreate(
        key=key,
        category=FactorCategory.OTHER,
        unit="kg",
        kg_co2e_per_unit="0.5",
        scope=3,
        year=2025,
    )
    assert isinstance(create_factor.sync(client=admin_client, body=factor), FactorPublic)
    created = create_lab.sync(
        client=admin_client, body=LabCreate(name=f"CLI {tag}", code=f"CLI-{tag.upper()}")
    )
    assert isinstance(created, LabPublic)
    return Lab(id=created.id, code=created.code, factor_key=key)


def entries_of(client: AuthenticatedClient, lab: Lab) -> list[str]:
    page = list_lab_entries.sync(lab.id, client=client, limit=200)
    assert isinstance(page, EntryPage)
    return sorted(entry.kg_co2e for entry in page.items)


def imports_of_lab(client: AuthenticatedClient, lab: Lab) -> list[JobStatus]:
    page = list_lab_imports.sync(lab.id, client=client)
    assert isinstance(page, JobPage)
    return page.items


def imports_of(client: AuthenticatedClient, lab: Lab) -> int:
    return len(imports_of_lab(client, lab))


def write_csv(tmp_path: Path, text: str, name: str = "activities.csv") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


# -- upload --------------------------------------------------------------------------------------


def test_upload_waits_for_the_job_and_reports_success(
    live: Live, admin_key: str, admin_client: AuthenticatedClient, lab: Lab, tmp_path: Path
) -> None:
    k = lab.factor_key
    path = write_csv(tmp_path, f"date,factor_key,quantity\n2025-01-01,{k},4\n2025-02,{k},2.5\n")

    run = co2calc(live, "upload", lab.code, str(path), key=admin_key)  # by code

    assert run.code == 0, run.err
    assert "succeeded: 2 of 2 rows imported" in run.out
    assert "Row errors" not in run.out
    assert "Importing activities.csv" in run.err  # the progress bar
    assert entries_of(admin_client, lab) == ["1.25", "2"]


def test_the_checkout_command_takes_paths_from_where_it_is_run(
    live: Live, admin_key: str, admin_client: AuthenticatedClient, lab: Lab, tmp_path: Path
) -> None:
    write_csv(tmp_path, f"date,factor_key,quantity\n2025-04-01,{lab.factor_key},8\n")

    run = co2calc(
        live, "upload", lab.code, "activities.csv", key=admin_key, wrapper=True, cwd=tmp_path
    )

    assert run.code == 0, run.err
    assert "succeeded: 1 of 1 rows imported" in run.out
    assert entries_of(admin_client, lab) == ["4"]


def test_ctrl_c_while_waiting_leaves_the_job_running(
    live: Live, admin_key: str, admin_client: AuthenticatedClient, lab: Lab, tmp_path: Path
) -> None:
    rows = 200_000  # takes the server seconds: the job is still going when Ctrl-C comes
    line = f"2025-05-01,{lab.factor_key},2\n"
    path = write_csv(tmp_path, "date,factor_key,quantity\n" + line * rows)
    process = subprocess.Popen(  # noqa: S603 (our own script, fixed arguments)
        [sys.executable, str(CLI), "upload", lab.code, str(path)],
        env=cli_environment(live.base_url, admin_key),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not (jobs := imports_of_lab(admin_client, lab)):  # the upload was accepted
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "the upload was not accepted"
            time.sleep(0.05)
        time.sleep(0.5)  # the command has its 202 and polls; the job has seconds to go
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    finally:
        process.kill()
    job = jobs[0]

    assert "Traceback" not in err, err
    assert process.returncode == 130, (out, err)
    assert f"stopped waiting; import {job.id} goes on on the server" in err
    assert f"co2calc watch {job.id}" in err
    assert job.state in (JobState.QUEUED, JobState.RUNNING)
    watched = co2calc(live, "watch", str(job.id), key=admin_key)  # the job went on, and ends
    assert watched.code == 0, watched.err
    assert f"succeeded: {rows} of {rows} rows imported" in watched.out


def test_a_failed_job_prints_its_row_errors_and_exits_3(
    live: Live, admin_key: str, admin_client: AuthenticatedClient, lab: Lab, tmp_path: Path
) -> None:
    k = lab.factor_key
    good, negative = f"2025-01-01,{k},1", f"2025-01-02,{k},-1"
    text = f"date,factor_key,quantity\n{good}\n{negative}\n2025-13-01,{k},2\n2025-01-03,nope,2\n"
    path = write_csv(tmp_path, text)

    run = co2calc(live, "upload", str(lab.id), str(path), key=admin_key)  # by id

    assert run.code == 3, run.err
    assert "Row errors (" in run.out
    table_rows = [line for line in run.out.splitlines() if line.startswith("│")]
    assert any("3" in r and "quantity" in r and "must be >= 0" in r for r in table_rows), run.out
    assert any("4" in r and "date" in r for r in table_rows), run.out
    assert any("5" in r and "factor_key" in r for r in table_rows), run.out
    assert "Row errors (3 of 3)" in run.out
    assert "failed" in error_line(run)
    assert "nothing was imported" in error_line(run)
    assert entries_of(admin_client, lab) == []  # all or nothing: the good row was not written


def test_skip_imports_the_good_rows_and_lists_the_skipped_ones(
    live: Live, admin_key: str, admin_client: AuthenticatedClient, lab: Lab, tmp_path: Path
) -> None:
    k = lab.factor_key
    path = write_csv(tmp_path, f"date,factor_key,quantity\n2025-01-01,{k},2\n2025-01-02,{k},-1\n")

    run = co2calc(live, "upload", lab.code, str(path), "--on-error", "skip", key=admin_key)

    assert run.code == 0, run.err
    assert "succeeded: 1 of 2 rows imported, 1 skipped" in run.out
    assert "must be >= 0" in run.out
    assert entries_of(admin_client, lab) == ["1"]


def test_a_file_refused_at_upload_is_one_line_and_stores_nothing(
    live: Live, admin_key: str, admin_client: AuthenticatedClient, lab: Lab, tmp_path: Path
) -> None:
    path = write_csv(tmp_path, "date,colour\n2025-01-01,red\n")

    run = co2calc(live, "upload", lab.code, str(path), key=admin_key)

    assert run.code == 1
    line = error_line(run)
    assert "(422)" in line
    assert "Unknown column(s): 'colour'" in line
    assert imports_of(admin_client, lab) == 0


def test_upload_to_a_lab_that_does_not_exist(
    live: Live, admin_key: str, lab: Lab, tmp_path: Path
) -> None:
    path = write_csv(tmp_path, f"date,factor_key,quantity\n2025-01-01,{lab.factor_key},1\n")

    by_code = co2calc(live, "upload", "NO-SUCH-LAB", str(path), key=admin_key)
    by_id = co2calc(live, "upload", MISSING, str(path), key=admin_key)

    assert by_code.code == 1
    assert "no lab with the code 'NO-SUCH-LAB'" in error_line(by_code)
    assert by_id.code == 1
    assert "(404)" in error_line(by_id)


def test_a_viewer_may_not_upload(
    live: Live, admin_client: AuthenticatedClient, lab: Lab, tmp_path: Path
) -> None:
    viewer_key = key_of_new_member(live, admin_client, lab, LabRole.VIEWER)
    path = write_csv(tmp_path, f"date,factor_key,quantity\n2025-01-01,{lab.factor_key},1\n")

    run = co2calc(live, "upload", lab.code, str(path), key=viewer_key)

    assert run.code == 1
    assert "Forbidden (403)" in error_line(run)
    assert imports_of(admin_client, lab) == 0
    assert entries_of(admin_client, lab) == []


def test_a_rate_limited_upload_says_when_to_retry(
    live: Live, admin_client: AuthenticatedClient, lab: Lab, tmp_path: Path
) -> None:
    key = key_of_new_member(live, admin_client, lab, LabRole.CONTRIBUTOR)
    with AuthenticatedClient(
        base_url=live.base_url, token=key, prefix="", auth_header_name="X-API-Key"
    ) as contributor:
        for _ in range(30):  # IMPORT_RATE_LIMIT_PER_USER: 30/minute, refused files count too
            refused = upload_activities.sync(
                lab.id,
                client=contributor,
                body=BodyUploadActivities(file=File(payload=io.BytesIO(b"x\n"), file_name="x")),
            )
            assert getattr(refused, "status", None) == 422, refused
    path = write_csv(tmp_path, f"date,factor_key,quantity\n2025-01-01,{lab.factor_key},1\n")

    run = co2calc(live, "upload", lab.code, str(path), key=key)

    assert run.code == 1
    line = error_line(run)
    assert "Too many requests (429)" in line
    assert re.search(r"\(retry after \d+ s\)$", line), line
    assert imports_of(admin_client, lab) == 0


def test_a_missing_file_is_a_usage_error(live: Live, admin_key: str, lab: Lab) -> None:
    run = co2calc(live, "upload", lab.code, "/nonexistent/activities.csv", key=admin_key)

    assert run.code == 2
    assert "does not exist" in run.err


def test_watch_follows_an_import_started_elsewhere(
    live: Live, admin_key: str, admin_client: AuthenticatedClient, lab: Lab
) -> None:
    text = f"date,factor_key,quantity\n2025-03-01,{lab.factor_key},6\n"
    body = BodyUploadActivities(file=File(payload=io.BytesIO(text.encode()), file_name="a.csv"))
    job = upload_activities.sync(lab.id, client=admin_client, body=body)
    assert isinstance(job, JobPublic), job

    run = co2calc(live, "watch", str(job.id), key=admin_key)
    unknown = co2calc(live, "watch", MISSING, key=admin_key)

    assert run.code == 0, run.err
    assert f"Import {job.id} succeeded: 1 of 1 rows imported" in run.out
    assert unknown.code == 1
    assert "(404)" in error_line(unknown)


# -- report --------------------------------------------------------------------------------------


def test_report_exports_the_csv_of_the_yearly_report(
    live: Live, admin_key: str, admin_client: AuthenticatedClient, lab: Lab, tmp_path: Path
) -> None:
    k = lab.factor_key
    path = write_csv(tmp_path, f"date,factor_key,quantity\n2025-01-05,{k},4\n2025-03,{k},10\n")
    assert co2calc(live, "upload", lab.code, str(path), key=admin_key).code == 0
    output = tmp_path / "report.csv"

    to_file = co2calc(live, "report", lab.code, "--year", "2025", "-o", str(output), key=admin_key)
    to_stdout = co2calc(live, "report", str(lab.id), "--year", "2025", key=admin_key)

    assert to_file.code == 0, to_file.err
    assert f"Wrote {output}" in to_file.err
    rows = list(csv.DictReader(io.StringIO(output.read_text())))
    assert rows[0]["section"] == "total"
    # The same numbers as the typed JSON report of the generated client.
    typed = get_lab_report.sync(lab.id, client=admin_client, year=2025)
    assert isinstance(typed, LabReport)
    assert Decimal(rows[0]["kg_co2e"]) == Decimal(typed.total_kg_co2e) == Decimal(7)
    months = {r["key"]: Decimal(r["kg_co2e"]) for r in rows if r["section"] == "month"}
    assert months["2025-01"] == 2
    assert months["2025-03"] == 5
    assert to_stdout.code == 0, to_stdout.err
    assert to_stdout.out.replace("\r\n", "\n") == output.read_text().replace("\r\n", "\n")


def test_report_errors_are_one_line_and_write_no_file(
    live: Live, admin_key: str, lab: Lab, tmp_path: Path
) -> None:
    output = tmp_path / "report.csv"

    unknown = co2calc(live, "report", MISSING, "-o", str(output), key=admin_key)
    bad_year = co2calc(live, "report", lab.code, "--year", "1800", "-o", str(output), key=admin_key)

    assert unknown.code == 1
    assert "(404)" in error_line(unknown)
    assert bad_year.code == 1
    assert "(422)" in error_line(bad_year)
    assert "year" in error_line(bad_year)
    assert not output.exists()


# -- factors -------------------------------------------------------------------------------------


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


# -- credentials and connection errors -----------------------------------------------------------


def test_without_a_key_nothing_is_sent(live: Live, lab: Lab) -> None:
    run = co2calc(live, "factors", "list", key=None)
    blank = co2calc(live, "report", lab.code, key="  ")

    for each in (run, blank):
        assert each.code == 1
        assert "CO2CALC_API_KEY is not set" in error_line(each)


def test_a_wrong_key_is_a_401(live: Live) -> None:
    run = co2calc(live, "factors", "list", key="co2k_" + secrets.token_urlsafe(24))

    assert run.code == 1
    assert "(401)" in error_line(run)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_server_that_is_not_there(live: Live, admin_key: str) -> None:
    url = f"http://127.0.0.1:{_free_port()}"
    refused = co2calc(live, "factors", "list", key=admin_key, base_url=url)
    not_a_url = co2calc(live, "factors", "list", key=admin_key, base_url="localhost:8000")

    assert refused.code == 1
    assert f"cannot reach {url}" in error_line(refused)
    assert "refused" in error_line(refused).lower()
    assert not_a_url.code == 2
    assert "not an http:// or https:// URL" in not_a_url.err


class _Proxy(http.server.BaseHTTPRequestHandler):
    """What a gateway in front of the API may answer: an HTML 502, or a JSON 503 of its own."""

    def do_GET(self) -> None:
        if self.path.startswith("/json/"):
            status, kind, body = 503, "application/json", b'{"message": "upstream unavailable"}'
        else:
            status, kind, body = 502, "text/html", b"<html><body>Bad gateway</body></html>"
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def proxy() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Proxy)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_an_answer_that_is_not_the_api(live: Live, admin_key: str, proxy: str) -> None:
    run = co2calc(live, "factors", "list", key=admin_key, base_url=proxy)
    undeclared = co2calc(live, "factors", "list", key=admin_key, base_url=proxy + "/json")

    assert undeclared.code == 1
    assert error_line(undeclared) == "co2calc: unexpected answer HTTP 503 Service Unavailable"
    assert run.code == 1
    assert "HTTP 502 Bad Gateway, which is not an answer of the co2calculator API" in error_line(
        run
    )


# -- API keys ------------------------------------------------------------------------------------


def new_password() -> str:
    """Random, and always valid: all letters (1 in ~100 draws) would be refused."""
    return secrets.token_urlsafe(16) + "-7"


def key_of_new_member(
    live: Live, admin_client: AuthenticatedClient, lab: Lab, role: LabRole
) -> str:
    """A new account with `role` in the lab, and an API key of its own."""
    email = f"cli-{secrets.token_hex(4)}@example.com"
    password = new_password()
    user = create_user.sync(client=admin_client, body=UserCreate(email=email, password=password))
    assert isinstance(user, UserPublic), user
    member = MemberCreate(email=email, role=role)
    assert isinstance(add_lab_member.sync(lab.id, client=admin_client, body=member), MemberPublic)
    with Client(base_url=live.base_url) as anonymous:
        tokens = login.sync(client=anonymous, body=LoginForm(username=email, password=password))
    assert isinstance(tokens, TokenPair), tokens
    with AuthenticatedClient(base_url=live.base_url, token=tokens.access_token) as client:
        created = create_my_api_key.sync(client=client, body=ApiKeyCreate(name="viewer"))
    assert isinstance(created, ApiKeyCreated)
    return created.key


def test_api_key_create_signs_in_and_prints_a_working_key(
    live: Live, admin_client: AuthenticatedClient
) -> None:
    email = f"cli-{secrets.token_hex(4)}@example.com"
    password = new_password()
    user = create_user.sync(client=admin_client, body=UserCreate(email=email, password=password))
    assert isinstance(user, UserPublic), user

    created = co2calc(live, "api-key", "create", "--email", email, key=None, stdin=password + "\n")
    wrong = co2calc(
        live,
        *("api-key", "create", "--email", email),
        key=None,
        env={"CO2CALC_PASSWORD": "not-the-password"},
    )

    assert created.code == 0, created.err
    new_key = created.out.strip()  # only the key on stdout
    assert new_key.startswith("co2k_")
    assert "Warning" not in created.err
    assert password not in created.out + created.err
    assert co2calc(live, "factors", "list", "--limit", "1", key=new_key).code == 0
    assert wrong.code == 1
    assert "(401)" in error_line(wrong)


# -- factor imports and sync ---------------------------------------------------------------------

FACTORS_HEADER = "key,category,unit,kg_co2e_per_unit,scope,year,region,source\n"


def factors_like(client: AuthenticatedClient, text: str) -> list[tuple[str, str, int]]:
    page = list_factors.sync(client=client, search=text, limit=200)
    assert isinstance(page, FactorPage), page
    return sorted((f.key, f.kg_co2e_per_unit, f.year) for f in page.items)


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
            yield SyncServer(live=live, key=admin_key_on(live), source=source)
    finally:
        restore(before)
        source.shutdown()
        source.server_close()


def restore(before: str | None) -> None:
    if before is None:
        os.environ.pop("FACTOR_SYNC_URL", None)
    else:
        os.environ["FACTOR_SYNC_URL"] = before


def admin_key_on(live: Live) -> str:
    with Client(base_url=live.base_url) as anonymous:
        form = LoginForm(username=live.admin_email, password=live.admin_password)
        tokens = login.sync(client=anonymous, body=form)
    assert isinstance(tokens, TokenPair), tokens
    with AuthenticatedClient(base_url=live.base_url, token=tokens.access_token) as client:
        created = create_my_api_key.sync(client=client, body=ApiKeyCreate(name="sync tests"))
    assert isinstance(created, ApiKeyCreated), created
    return created.key


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
