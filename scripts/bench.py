"""Benchmark: 100 labs and 1,000,000 entries on the embedded database, one uvicorn worker.

Measures, in one run: req/s, p50 and p99 at concurrency 32 (wrk) and the API process's CPU time per
request for `GET /labs/{id}`, `GET /labs?limit=50`, `POST /labs/{id}/entries` and
`GET /reports/{lab_id}`; the first page of a lab's entries against a page 100,000 entries deep;
and a yearly report over one lab with 100,000 entries. Prints a markdown table.

    scripts/bench [--entries 1000000] [--duration 10] [--connections 32]
    scripts/bench --entries 20000 --compare-only --only entries,labs? --baseline /tmp/base

Every page load (entries, labs, factors, accounts, imports: 50 each) and the two hot operations
are also measured against the lean reference in alternating rounds; `--baseline` adds another
checkout of the code to those rounds (old against new in one run). The sessions PostgreSQL
opened during each run show connection churn.
"""

import argparse
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import psutil
import psycopg
from sqlalchemy.engine import make_url

os.environ.setdefault("JWT_SECRET", "benchmark-secret-not-for-production-0123")
ROOT = Path(__file__).resolve().parent.parent

from app.core.pagination import encode_cursor  # noqa: E402
from app.core.security import hash_password  # noqa: E402
from app.serving import HTTP_PROTOCOL  # noqa: E402
from scripts.scratch_db import scratch_database  # noqa: E402

LABS = 100
BIG_LAB_ENTRIES = 100_000  # in YEAR: the yearly report's lab, and the deep page's
BIG_LAB_PREVIOUS_YEAR = 10_000  # so the report's change against the previous year has data
YEAR = 2025
PASSWORD = "bench-password-1"  # noqa: S105 - throwaway benchmark account
ADMIN_EMAIL = "bench-admin@lab.example"
FACTOR_KEYS = [f"bench.factor{n}" for n in range(20)]
FACTOR_YEARS = range(YEAR - 4, YEAR + 1)  # entries use the last two; the rest fill factor pages
PAGE_ROWS = 60  # accounts and imports beyond the benchmark's own: more than a page of 50


def _libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def seed(url: str, entries: int) -> dict[str, Any]:
    """Users, labs, factors and entries through COPY (the fastest way in)."""
    rng = random.Random(42)  # noqa: S311 - reproducible data, not security
    user_id = uuid.uuid4()
    lab_ids = [uuid.uuid4() for _ in range(LABS)]
    factors = {
        (key, year): (uuid.uuid4(), Decimal(rng.randint(1, 900)) / 1000)
        for key in FACTOR_KEYS
        for year in FACTOR_YEARS
    }
    big_year, big_previous = _big_lab_entries(entries)
    started = time.perf_counter()
    hashed = hash_password(PASSWORD)
    with psycopg.connect(_libpq(url)) as connection:
        with connection.cursor().copy(
            'COPY "user" (id, email, full_name, is_active, role, hashed_password, version) '
            "FROM STDIN"
        ) as copy:
            copy.write_row((user_id, "bench@lab.example", "Bench", True, "user", hashed, 1))
            copy.write_row((uuid.uuid4(), ADMIN_EMAIL, "Bench admin", True, "admin", hashed, 1))
            for n in range(PAGE_ROWS):
                email = f"member{n:03d}@lab.example"
                copy.write_row((uuid.uuid4(), email, f"Member {n}", True, "user", hashed, 1))
        with connection.cursor().copy(
            "COPY emission_factor (id, key, category, unit, kg_co2e_per_unit, scope, year, source, "
            "source_publisher, source_dataset, source_edition, source_url, version) FROM STDIN"
        ) as copy:
            for (key, year), (factor_id, kg) in factors.items():
                copy.write_row(
                    (factor_id, key, "other", "kWh", kg, 2, year, "bench", "", "", "", "", 1)
                )
        with connection.cursor().copy(
            "COPY lab (id, name, code, institution, description, version) FROM STDIN"
        ) as copy:
            for n, lab_id in enumerate(lab_ids):
                copy.write_row((lab_id, f"Lab {n:03d}", f"BENCH-{n:03d}", "Bench U", "", 1))
        with connection.cursor().copy(
            "COPY lab_membership (lab_id, user_id, role) FROM STDIN"
        ) as copy:
            for lab_id in lab_ids:
                copy.write_row((lab_id, user_id, "manager"))
        with connection.cursor().copy(
            "COPY data_ingestion_jobs (id, target_type, lab_id, created_by, filename, state, "
            "on_error, params, rows_total, rows_processed, rows_ok, rows_failed, row_errors, "
            "row_errors_total, cancel_requested, attempts, started_at, finished_at) FROM STDIN"
        ) as copy:
            for n in range(PAGE_ROWS):  # finished imports of the lab the loads use
                rows, at = 100 + n, datetime.now(UTC)
                job = (uuid.uuid4(), "activities", lab_ids[1], user_id, f"import-{n}.csv")
                done = ("succeeded", "fail", "{}", rows, rows, rows, 0, "[]", 0, False, 1, at, at)
                copy.write_row((*job, *done))
        with connection.cursor().copy(
            "COPY activity_entry (id, lab_id, factor_id, date, quantity, kg_co2e, note, version) "
            "FROM STDIN"
        ) as copy:
            for n in range(entries):
                lab_id, year = _lab_and_year(n, lab_ids, big_year, big_previous, rng)
                day = date(year, 1, 1) + timedelta(days=rng.randrange(365))
                factor_id, kg = factors[(rng.choice(FACTOR_KEYS), year)]
                quantity = Decimal(rng.randrange(1, 10**6)) / 100
                copy.write_row(
                    (
                        uuid.uuid4(),
                        lab_id,
                        factor_id,
                        day,
                        quantity,
                        (quantity * kg).quantize(Decimal("0.000001")),
                        "",
                        1,
                    )
                )
        connection.commit()
    with psycopg.connect(_libpq(url), autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")
        # Write the seed's dirty pages now, not in a checkpoint spread over the measurements.
        connection.execute("CHECKPOINT")
        # The cursor after the 100,000th entry (newest first): the next page starts that deep.
        deep = connection.execute(
            "SELECT date, id FROM activity_entry WHERE lab_id = %s "
            "ORDER BY date DESC, id DESC OFFSET %s LIMIT 1",
            (lab_ids[0], big_year - 1),
        ).fetchone()
    assert deep is not None
    return {
        "user_id": user_id,
        "lab_ids": lab_ids,
        "big_lab": lab_ids[0],
        "deep_cursor": encode_cursor((deep[0], deep[1])),
        "seconds": time.perf_counter() - started,
    }


def _big_lab_entries(entries: int) -> tuple[int, int]:
    """The big lab's entries in YEAR and in the year before (scaled down for small runs)."""
    return min(BIG_LAB_ENTRIES, entries // 2), min(BIG_LAB_PREVIOUS_YEAR, entries // 20)


def _lab_and_year(
    n: int, lab_ids: list[uuid.UUID], big_year: int, big_previous: int, rng: random.Random
) -> tuple[uuid.UUID, int]:
    """The first lab gets `big_year` entries in YEAR and `big_previous` in the year before; the
    rest spread over the other labs and both years."""
    if n < big_year:
        return lab_ids[0], YEAR
    if n < big_year + big_previous:
        return lab_ids[0], YEAR - 1
    return lab_ids[1 + n % (LABS - 1)], rng.choice((YEAR - 1, YEAR))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def api_server(
    url: str,
    pool_size: int = 32,
    max_overflow: int = 0,
    application: str = "app.main:app",
    ready_path: str = "/api/v1/health/ready",
    cwd: Path = ROOT,
    extra_env: dict[str, str] | None = None,
) -> Iterator[tuple[str, psutil.Process]]:
    """A uvicorn server of `application` on a free port, once `ready_path` answers below 500;
    `cwd` is the checkout it runs from (another one: `--baseline`)."""
    port = _free_port()
    env = (
        os.environ
        | {
            "DATABASE_URL": url,
            "LOG_LEVEL": "WARNING",
            "ENV": "development",
            # A pool as large as the load's concurrency: with fewer, connections beyond the pool are
            # opened and closed per request (overflow churn), which measures PostgreSQL's fork.
            "DB_POOL_SIZE": str(pool_size),
            "DB_MAX_OVERFLOW": str(max_overflow),
            "PYTHONPATH": str(cwd),
        }
        | (extra_env or {})
    )
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            application,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "1",
            "--no-access-log",
            "--log-level",
            "warning",
            # Our API is served as in production; the lean reference by stock uvicorn.
            *(["--http", HTTP_PROTOCOL] if application == "app.main:app" else []),
        ],
        cwd=cwd,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"the API server exited with {process.returncode}")
            try:
                if httpx.get(f"{base}{ready_path}", timeout=1).status_code < 500:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        yield base, psutil.Process(process.pid)
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)


def _cpu_seconds(process: psutil.Process) -> float:
    times = process.cpu_times()
    return float(times.user + times.system)


LUA_POST = """
wrk.method = "POST"
wrk.body = '{"date": "2025-06-01", "factor_key": "bench.factor3", "quantity": "12.5"}'
wrk.headers["Content-Type"] = "application/json"
"""


def wrk(
    url: str, token: str, process: psutil.Process, args: argparse.Namespace, lua: str | None = None
) -> dict[str, float]:
    """Run wrk against `url`; return req/s, p50, p99 (ms) and server CPU ms per request."""
    command = [
        "wrk",
        "-t1",  # one load-generator thread: the API gets the other core
        f"-c{args.connections}",
        f"-d{args.duration}s",
        "--latency",
        "-H",
        f"Authorization: Bearer {token}",
    ]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write((lua or "") + LUA_REPORT)
    command += ["-s", script.name, url]
    cpu_before = _cpu_seconds(process)
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    cpu = _cpu_seconds(process) - cpu_before
    Path(script.name).unlink()
    stats = json.loads(output.strip().splitlines()[-1])
    requests = stats["requests"]
    return {
        "rps": requests / stats["seconds"],
        "p50": stats["p50"] / 1000,
        "p99": stats["p99"] / 1000,
        "cpu_ms": cpu * 1000 / requests if requests else float("nan"),
        "errors": stats["errors"],
        "requests": requests,
    }


LUA_REPORT = """
done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout
  io.write(string.format(
    '{"requests": %d, "seconds": %f, "p50": %f, "p99": %f, "errors": %d}\\n',
    summary.requests, summary.duration / 1e6,
    latency:percentile(50), latency:percentile(99), errors))
end
"""


def median_ms(client: httpx.Client, url: str, headers: dict[str, str], runs: int) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url, headers=headers)
        timings.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
    return statistics.median(timings)


@dataclass(frozen=True)
class Load:
    name: str
    path: str
    lua: str | None = None
    cpu_target_ms: float | None = None
    admin: bool = False  # signed in as the admin (the accounts page), else the lab manager
    compared: bool = True  # measured against the lean reference (which serves the same path)


def _loads(lab: str) -> list[Load]:
    return [
        Load("GET /labs/{id}", f"/api/v1/labs/{lab}", cpu_target_ms=1.4),
        Load("GET /labs?limit=50", "/api/v1/labs?limit=50"),
        Load("POST /labs/{id}/entries", f"/api/v1/labs/{lab}/entries", LUA_POST, 2.0),
        Load("GET /labs/{id}/entries?limit=50", f"/api/v1/labs/{lab}/entries?limit=50"),
        Load("GET /factors?limit=50", "/api/v1/factors?limit=50"),
        Load("GET /users?limit=50", "/api/v1/users?limit=50", admin=True),
        Load("GET /labs/{id}/imports?limit=50", f"/api/v1/labs/{lab}/imports?limit=50"),
        Load("GET /reports/{lab_id}?year=", f"/api/v1/reports/{lab}?year={YEAR}", compared=False),
    ]


def _selected(loads: list[Load], only: str | None) -> list[Load]:
    """The loads whose name contains one of the comma-separated words of `--only`."""
    if not only:
        return loads
    words = [word.strip() for word in only.split(",") if word.strip()]
    return [load for load in loads if any(word in load.name for word in words)]


class Sessions:
    """PostgreSQL sessions opened on the benchmark's database (`pg_stat_database.sessions`,
    PostgreSQL 14+), read on one connection of its own that stays open: a pool that opens and
    closes connections under load (churn) shows here."""

    def __init__(self, url: str) -> None:
        self._connection = psycopg.connect(_libpq(url), autocommit=True)

    def opened(self) -> int:
        # Each backend reports its own connection with its statistics, flushed at most once a
        # second while it is busy: clear the snapshot and read the counter as it is now.
        self._connection.execute("SELECT pg_stat_clear_snapshot()")
        row = self._connection.execute(
            "SELECT sessions FROM pg_stat_database WHERE datname = current_database()"
        ).fetchone()
        assert row is not None
        return int(row[0])

    def close(self) -> None:
        self._connection.close()


def compare(
    servers: dict[str, tuple[str, psutil.Process]],
    tokens: tuple[str, str],
    loads: list[Load],
    args: argparse.Namespace,
    sessions: Sessions,
) -> tuple[dict[tuple[str, str], list[float]], dict[str, int]]:
    """CPU ms per request of each load on each server, in `args.rounds` rounds whose order
    alternates (ABC, CBA, ...), so all see the same machine; warm-up unmeasured. Also the
    PostgreSQL sessions opened while each server was measured (after its warm-up)."""
    short = argparse.Namespace(connections=args.connections, duration=args.round_seconds)
    warmup = argparse.Namespace(connections=args.connections, duration=args.warmup)
    for base, process in servers.values():
        for load in loads:
            wrk(base + load.path, tokens[load.admin], process, warmup, load.lua)
    figures: dict[tuple[str, str], list[float]] = {}
    opened = dict.fromkeys(servers, 0)
    for round_number in range(args.rounds):
        order = list(servers) if round_number % 2 == 0 else list(servers)[::-1]
        for load in loads:
            for name in order:
                base, process = servers[name]
                before = sessions.opened()
                cpu = wrk(base + load.path, tokens[load.admin], process, short, load.lua)["cpu_ms"]
                opened[name] += sessions.opened() - before
                figures.setdefault((load.name, name), []).append(cpu)
    return figures, opened


def _check_same_bodies(
    ours: str, baseline: str, tokens: tuple[str, str], loads: list[Load]
) -> None:
    """Each GET load answers the same bytes on our code and on the baseline (same database):
    a faster page must not be a different one."""
    for load in loads:
        if load.lua is not None:
            continue
        headers = {"Authorization": f"Bearer {tokens[load.admin]}"}
        bodies = [httpx.get(base + load.path, headers=headers).content for base in (ours, baseline)]
        same = "same bytes" if bodies[0] == bodies[1] else "DIFFERENT BODIES"
        print(f"{load.name}: {same} as the baseline ({len(bodies[0]):,} bytes)", flush=True)


def _verdict(value: float, target: float | None) -> str:
    if target is None:
        return ""
    return f"≤ {target:g}: {'met' if value <= target else 'MISSED'}"


def _login(base: str, email: str) -> str:
    response = httpx.post(
        f"{base}/api/v1/auth/login", data={"username": email, "password": PASSWORD}
    )
    response.raise_for_status()
    return str(response.json()["access_token"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--warmup", type=int, default=3, help="unmeasured seconds per endpoint")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--runs", type=int, default=100, help="sequential requests per median")
    parser.add_argument("--rounds", type=int, default=4, help="rounds against the reference")
    parser.add_argument("--round-seconds", type=int, default=4, help="seconds per wrk run there")
    parser.add_argument(
        "--only",
        help="comma-separated words: only the loads whose name contains one (e.g. entries,labs?)",
    )
    parser.add_argument(
        "--compare-only",
        action="store_true",
        help="skip the wrk table and the sequential timings: only the alternating rounds",
    )
    parser.add_argument(
        "--baseline",
        type=Path,
        help="a checkout of other code (`git worktree add /tmp/base main`) measured in the same "
        "alternating rounds, on the same database",
    )
    parser.add_argument(
        "--fastapi-floor",
        action="store_true",
        help="add the reference's handlers served by FastAPI (scripts/bench_reference_fastapi.py) "
        "to the alternating rounds: what FastAPI's request handling costs at the least",
    )
    parser.add_argument(
        "--profile",
        type=Path,
        help="a directory: py-spy (on PATH; e.g. `uv tool install py-spy`) samples our API during "
        "each run of the wrk table; writes collapsed stacks there and prints a summary",
    )
    parser.add_argument(
        "--pool-size",
        type=int,
        help="the API's DB_POOL_SIZE (default: --connections)",
    )
    parser.add_argument(
        "--max-overflow",
        type=int,
        default=0,
        help="the API's DB_MAX_OVERFLOW (production's default is 10)",
    )
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        print("wrk is missing: apt-get install -y wrk", file=sys.stderr)
        return 2

    # Each API process may hold its session pool and its driver pool full (2 x DB_POOL_SIZE),
    # and up to three servers run side by side.
    with scratch_database(settings={"max_connections": "400"}) as url:
        print(f"seeding {LABS} labs and {args.entries:,} entries ...", flush=True)
        data = seed(url, args.entries)
        print(f"seeded in {data['seconds']:.1f} s", flush=True)
        sessions = Sessions(url)
        pool_size = args.pool_size or args.connections
        with ExitStack() as stack:
            base, process = stack.enter_context(api_server(url, pool_size, args.max_overflow))
            tokens = (_login(base, "bench@lab.example"), _login(base, ADMIN_EMAIL))
            loads = _selected(_loads(str(data["lab_ids"][1])), args.only)
            rows: list[tuple[Load, dict[str, float]]] = []
            load_before = os.getloadavg()[0]
            if not args.compare_only:
                # Unmeasured: opens the pool's connections and warms every statement cache.
                warmup = argparse.Namespace(connections=args.connections, duration=args.warmup)
                for load in loads:
                    wrk(base + load.path, tokens[load.admin], process, warmup, load.lua)
                load_before = os.getloadavg()[0]
                for load in loads:
                    opened = sessions.opened()
                    with _profiled(process, load, args):
                        stats = wrk(base + load.path, tokens[load.admin], process, args, load.lua)
                    stats["sessions"] = sessions.opened() - opened
                    rows.append((load, stats))
            load_after = os.getloadavg()[0]
            sequential = None if args.compare_only else _sequential(base, data, tokens[0], args)
            servers = {"ours": (base, process)}
            compared_loads = [load for load in loads if load.compared] if args.rounds else []
            if args.baseline is not None and compared_loads:
                servers["baseline"] = stack.enter_context(
                    api_server(url, pool_size, args.max_overflow, cwd=args.baseline.resolve())
                )
            if "baseline" in servers:
                _check_same_bodies(base, servers["baseline"][0], tokens, compared_loads)
            references = {"reference": "scripts.bench_reference:app"}
            if args.fastapi_floor:
                references["fastapi-floor"] = "scripts.bench_reference_fastapi:app"
            ready_path = f"/api/v1/labs/{data['lab_ids'][1]}"
            reference_env = {"BENCH_USER_ID": str(data["user_id"])}
            for name, application in references.items() if compared_loads else []:
                servers[name] = stack.enter_context(
                    api_server(
                        url,
                        pool_size=args.connections,
                        application=application,
                        ready_path=ready_path,
                        extra_env=reference_env,
                    )
                )
            compared_started = time.monotonic()
            figures, compared_sessions = compare(servers, tokens, compared_loads, args, sessions)
            compared_minutes = (time.monotonic() - compared_started) / 60
            compare_load = os.getloadavg()[0]
        sessions.close()

    print()
    print(
        f"{args.entries:,} entries in {LABS} labs; wrk c={args.connections}, {args.duration} s "
        f"per endpoint after {args.warmup} s of warm-up; 1 uvicorn worker, DB_POOL_SIZE "
        f"{pool_size}, DB_MAX_OVERFLOW {args.max_overflow}; 1-minute load average of the "
        f"machine {load_before:.1f} before the wrk runs, {load_after:.1f} after, "
        f"{compare_load:.1f} after the alternating rounds "
        f"({os.cpu_count()} CPUs); {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
    )
    if rows:
        print()
        print(
            "| endpoint | req/s | p50 ms | p99 ms | API CPU ms/request | target | errors "
            "| sessions opened |"
        )
        print("|---|---:|---:|---:|---:|---|---:|---:|")
        for load, stats in rows:
            cells = [f"{stats['rps']:.0f}", f"{stats['p50']:.1f}", f"{stats['p99']:.1f}"]
            cells += [f"{stats['cpu_ms']:.2f}", _verdict(stats["cpu_ms"], load.cpu_target_ms)]
            cells += [f"{stats['errors']:.0f}", f"{stats['sessions']:.0f}"]
            print(f"| {load.name} | {' | '.join(cells)} |")
    if compared_loads:
        _print_comparison(figures, compared_loads, list(servers), args)
        print(
            f"PostgreSQL sessions opened while each server was measured in the alternating "
            f"rounds ({compared_minutes:.1f} min in all): "
            + ", ".join(f"{name} {count}" for name, count in compared_sessions.items())
        )
    if sequential is not None:
        _print_sequential(sequential, args)
    return 0


@contextmanager
def _profiled(process: psutil.Process, load: Load, args: argparse.Namespace) -> Iterator[None]:
    """With `--profile`: py-spy samples the API process while the block runs (its idle frames
    left out), then a summary of where the samples were is printed."""
    if args.profile is None:
        yield
        return
    args.profile.mkdir(parents=True, exist_ok=True)
    slug = "".join(c if c.isalnum() else "_" for c in load.name).strip("_")
    output = args.profile / f"{slug}.txt"
    command = ["py-spy", "record", "--pid", str(process.pid), "--rate", "200", "--format", "raw"]
    command += ["--output", str(output), "--nonblocking"]
    sampler = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield
    finally:
        sampler.send_signal(signal.SIGINT)  # py-spy writes its file and exits: only this run
        sampler.wait(timeout=30)
    if output.exists():
        print(f"\nprofile of {load.name} ({output}):\n{profile_summary(output)}", flush=True)


def _package(frame: str) -> str:
    """The top-level package of a py-spy frame, `name (path/file.py)`."""
    path = frame.rpartition("(")[2].rstrip(")")
    top = path.split("/", 1)[0] if "/" in path else path
    return top if top.isidentifier() else "(stdlib)"


def profile_summary(collapsed: Path, top: int = 12) -> str:
    """Where the samples were (py-spy's collapsed stacks): the share of each package in the
    samples' innermost frames (its own code and the system calls it makes), the functions with
    the largest such share, and our own functions (`app/`) by inclusive share."""
    inclusive: dict[str, int] = {}
    own: dict[str, int] = {}
    packages: dict[str, int] = {}
    total = 0
    for line in collapsed.read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack:
            continue
        count = int(count_text)
        frames = [re.sub(r":\d+\)$", ")", frame) for frame in stack.split(";")]
        total += count
        for frame in set(frames):
            inclusive[frame] = inclusive.get(frame, 0) + count
        own[frames[-1]] = own.get(frames[-1], 0) + count
        packages[_package(frames[-1])] = packages.get(_package(frames[-1]), 0) + count

    def share(count: int) -> str:
        return f"{100 * count / total:5.1f} %"

    lines = [f"{total} samples; by package (innermost frame):"]
    for name, count in sorted(packages.items(), key=lambda item: -item[1])[:top]:
        lines.append(f"  {share(count)}  {name}")
    lines.append("by function (innermost frame):")
    for frame, count in sorted(own.items(), key=lambda item: -item[1])[:top]:
        lines.append(f"  {share(count)}  {frame}")
    lines.append("our code (app/), inclusive, below the middlewares:")
    ours = [
        (frame, count)
        for frame, count in inclusive.items()
        if "(app/" in frame and "__call__" not in frame and count < total / 2
    ]
    for frame, count in sorted(ours, key=lambda item: -item[1])[:top]:
        lines.append(f"  {share(count)}  {frame}")
    return "\n".join(lines)


def _sequential(
    base: str, data: dict[str, Any], token: str, args: argparse.Namespace
) -> tuple[float, float, float]:
    """One request at a time: the first page of the big lab's entries, a page 100,000 entries
    deep, the big lab's yearly report (median ms of each)."""
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(timeout=30) as client:
        entries_url = f"{base}/api/v1/labs/{data['big_lab']}/entries?limit=50"
        deep_url = f"{entries_url}&cursor={data['deep_cursor']}"
        assert len(client.get(deep_url, headers=headers).json()["items"]) == 50
        first = median_ms(client, entries_url, headers, args.runs)
        deep = median_ms(client, deep_url, headers, args.runs)
        report = median_ms(
            client,
            f"{base}/api/v1/reports/{data['big_lab']}?year={YEAR}",
            headers,
            max(20, args.runs // 5),
        )
    return first, deep, report


def _print_comparison(
    figures: dict[tuple[str, str], list[float]],
    loads: list[Load],
    names: list[str],
    args: argparse.Namespace,
) -> None:
    print()
    print(
        "Against the lean reference (scripts/bench_reference.py: Starlette + psycopg, no auth), "
        f"same database, median of {args.rounds} alternating rounds of {args.round_seconds} s "
        "(API CPU ms per request):"
    )
    print()
    ours = [name for name in names if name != "reference"]
    header = [*names, *(f"{name} / reference" for name in ours)]
    print(f"| endpoint | {' | '.join(header)} |")
    print(f"|---|{'---:|' * len(header)}")
    for load in loads:
        medians = {name: statistics.median(figures[(load.name, name)]) for name in names}
        cells = [f"{medians[name]:.2f}" for name in names]
        cells += [f"{medians[name] / medians['reference']:.2f}" for name in ours]
        print(f"| {load.name} | {' | '.join(cells)} |")
    print()


def _print_sequential(sequential: tuple[float, float, float], args: argparse.Namespace) -> None:
    first, deep, report = sequential
    big_year, big_previous = _big_lab_entries(args.entries)
    ratio = deep / first
    print()
    print("| sequential, one at a time | median ms | target |")
    print("|---|---:|---|")
    print(f"| entries, page 1 (limit 50) | {first:.2f} | |")
    print(
        f"| entries, page {big_year:,} entries deep | {deep:.2f} | "
        f"≤ 2x page 1: x{ratio:.2f}, {'met' if ratio <= 2 else 'MISSED'} |"
    )
    print(
        f"| yearly report, one lab with {big_year:,} entries that year "
        f"({big_previous:,} the year before) | {report:.1f} | "
        f"< 100: {'met' if report < 100 else 'MISSED'} |"
    )


if __name__ == "__main__":
    sys.exit(main())
