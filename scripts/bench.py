"""Benchmark: 100 labs and 1,000,000 entries on the embedded database, one uvicorn worker.

Measures, in one run: req/s, p50 and p99 at concurrency 32 (wrk) and the API process's CPU time per
request for `GET /labs/{id}`, `GET /labs?limit=50`, `POST /labs/{id}/entries` and
`GET /reports/{lab_id}`; the first page of a lab's entries against a page 100,000 entries deep;
and a yearly report over one lab with 100,000 entries. Prints a markdown table.

    scripts/bench [--entries 1000000] [--duration 10] [--connections 32]
"""

import argparse
import json
import os
import random
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
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
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
FACTOR_KEYS = [f"bench.factor{n}" for n in range(20)]


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
        for year in (YEAR - 1, YEAR)
    }
    big_year, big_previous = _big_lab_entries(entries)
    started = time.perf_counter()
    with psycopg.connect(_libpq(url)) as connection:
        connection.execute(
            'INSERT INTO "user" (id, email, full_name, is_active, role, hashed_password, version) '
            "VALUES (%s, 'bench@lab.example', 'Bench', true, 'user', %s, 1)",
            (user_id, hash_password(PASSWORD)),
        )
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
    application: str = "app.main:app",
    ready_path: str = "/api/v1/health/ready",
    cwd: Path = ROOT,
) -> Iterator[tuple[str, psutil.Process]]:
    """A uvicorn server of `application` (of the checkout `cwd`) on a free port, once
    `ready_path` answers below 500."""
    port = _free_port()
    env = os.environ | {
        "DATABASE_URL": url,
        "LOG_LEVEL": "WARNING",
        "ENV": "development",
        # A pool as large as the load's concurrency: with fewer, connections beyond the pool are
        # opened and closed per request (overflow churn), which measures PostgreSQL's fork.
        "DB_POOL_SIZE": str(pool_size),
        "DB_MAX_OVERFLOW": "0",
    }
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


def _loads(lab: str) -> list[Load]:
    return [
        Load("GET /labs/{id}", f"/api/v1/labs/{lab}", cpu_target_ms=1.4),
        Load("GET /labs?limit=50", "/api/v1/labs?limit=50"),
        Load("POST /labs/{id}/entries", f"/api/v1/labs/{lab}/entries", LUA_POST, 2.0),
        Load("GET /reports/{lab_id}?year=", f"/api/v1/reports/{lab}?year={YEAR}"),
    ]


def against_reference(
    ours: tuple[str, psutil.Process],
    reference: tuple[str, psutil.Process],
    token: str,
    loads: list[Load],
    args: argparse.Namespace,
) -> list[tuple[Load, float, float]]:
    """CPU ms per request of each load on our API and on the lean reference, the median of
    `args.rounds` rounds that alternate between them (ABAB, then BABA), so both see the same
    machine; warm-up unmeasured."""
    servers = {"ours": ours, "reference": reference}
    short = argparse.Namespace(connections=args.connections, duration=args.round_seconds)
    warmup = argparse.Namespace(connections=args.connections, duration=args.warmup)
    for load in loads:
        wrk(reference[0] + load.path, token, reference[1], warmup, load.lua)
    figures: dict[tuple[str, str], list[float]] = {}
    for round_number in range(args.rounds):
        order = list(servers) if round_number % 2 == 0 else list(servers)[::-1]
        for load in loads:
            for name in order:
                base, process = servers[name]
                cpu = wrk(base + load.path, token, process, short, load.lua)["cpu_ms"]
                figures.setdefault((load.name, name), []).append(cpu)
    return [
        (
            load,
            statistics.median(figures[(load.name, "ours")]),
            statistics.median(figures[(load.name, "reference")]),
        )
        for load in loads
    ]


def _verdict(value: float, target: float | None) -> str:
    if target is None:
        return ""
    return f"≤ {target:g}: {'met' if value <= target else 'MISSED'}"


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
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        print("wrk is missing: apt-get install -y wrk", file=sys.stderr)
        return 2

    with scratch_database() as url:
        print(f"seeding {LABS} labs and {args.entries:,} entries ...", flush=True)
        data = seed(url, args.entries)
        print(f"seeded in {data['seconds']:.1f} s", flush=True)
        with api_server(url, pool_size=args.connections) as (base, process):
            token = httpx.post(
                f"{base}/api/v1/auth/login",
                data={"username": "bench@lab.example", "password": PASSWORD},
            ).json()["access_token"]
            headers = {"Authorization": f"Bearer {token}"}
            loads = _loads(str(data["lab_ids"][1]))
            # Unmeasured: opens the pool's connections and warms every statement cache.
            warmup = argparse.Namespace(connections=args.connections, duration=args.warmup)
            for load in loads:
                wrk(base + load.path, token, process, warmup, load.lua)
            load_before = os.getloadavg()[0]
            rows = [(load, wrk(base + load.path, token, process, args, load.lua)) for load in loads]
            load_after = os.getloadavg()[0]
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
            with api_server(
                url,
                pool_size=args.connections,
                application="scripts.bench_reference:app",
                ready_path=f"/api/v1/labs/{data['lab_ids'][1]}",
            ) as reference:
                compared = against_reference(
                    (base, process),
                    reference,
                    token,
                    [load for load in loads if load.cpu_target_ms],
                    args,
                )

    big_year, big_previous = _big_lab_entries(args.entries)
    print()
    print(
        f"{args.entries:,} entries in {LABS} labs; wrk c={args.connections}, {args.duration} s "
        f"per endpoint after {args.warmup} s of warm-up; 1 uvicorn worker; 1-minute load average "
        f"of the machine {load_before:.1f} before the wrk runs, {load_after:.1f} after "
        f"({os.cpu_count()} CPUs)"
    )
    print()
    print("| endpoint | req/s | p50 ms | p99 ms | API CPU ms/request | target | errors |")
    print("|---|---:|---:|---:|---:|---|---:|")
    for load, stats in rows:
        cells = [f"{stats['rps']:.0f}", f"{stats['p50']:.1f}", f"{stats['p99']:.1f}"]
        cells += [f"{stats['cpu_ms']:.2f}", _verdict(stats["cpu_ms"], load.cpu_target_ms)]
        cells += [f"{stats['errors']:.0f}"]
        print(f"| {load.name} | {' | '.join(cells)} |")
    print()
    print(
        f"Against the lean reference (scripts/bench_reference.py: Starlette + psycopg, no auth), "
        f"same database, median of {args.rounds} alternating rounds of {args.round_seconds} s:"
    )
    print()
    print("| endpoint | ours CPU ms/request | reference CPU ms/request | ours / reference |")
    print("|---|---:|---:|---:|")
    for load, ours_ms, reference_ms in compared:
        print(
            f"| {load.name} | {ours_ms:.2f} | {reference_ms:.2f} | {ours_ms / reference_ms:.2f} |"
        )
    print()
    ratio = deep / first
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
