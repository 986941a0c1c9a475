"""Import benchmark: a generated activities CSV end to end (upload accepted → job succeeded) on a
throwaway embedded database, against a plain `COPY` of the same data in the same run.

Measures the upload, the background job and their total; the API process's peak memory growth
(RSS sampled every 20 ms); and two baselines: `COPY` of the same file into a table of its three
columns, and `COPY` of the computed rows into a table shaped like `activity_entry` (same columns,
indexes and foreign keys). Prints a markdown table. With `--explain`, it then stages the file
again under the finished job and prints `EXPLAIN (ANALYZE, BUFFERS)` of one batch of the job's
insert, rolled back: where the job's time goes, foreign-key triggers included.

With `--flights N`, the same run then imports an N-row CSV of flights (typed activities: random
routes between 300 airports, so most routes are distinct and each is measured), timed the same way,
beside the plain rows' figures.

    scripts/bench-import [--rows 1000000] [--explain] [--flights 100000]
"""

import argparse
import json
import os
import random
import sys
import tempfile
import threading
import time
import uuid
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import httpx
import psutil
import psycopg
from sqlalchemy import create_engine, text
from websockets.sync.client import connect as ws_connect

os.environ.setdefault("JWT_SECRET", "benchmark-secret-not-for-production-0123")

from app.config import settings
from app.core.security import hash_password
from app.repositories.activity_import import (
    _CHECK_BATCH,
    _MOVE_BATCH,
    ImportScope,
    entry_id_prefix,
)
from app.repositories.bulk_load import _BULK_PLANS, _SKIP
from app.services.activity_imports import BATCH_ROWS
from scripts.bench import PASSWORD, api_server
from scripts.scratch_db import _libpq, scratch_database

YEAR = 2025
FACTOR_KEYS = [f"bench.import{n}" for n in range(20)]


def seed(url: str) -> tuple[uuid.UUID, dict[str, Decimal]]:
    rng = random.Random(7)  # noqa: S311 - reproducible data, not security
    user_id, lab_id = uuid.uuid4(), uuid.uuid4()
    factors = {key: Decimal(rng.randint(1, 900)) / 1000 for key in FACTOR_KEYS}
    with psycopg.connect(_libpq(url)) as connection:
        connection.execute(
            'INSERT INTO "user" (id, email, full_name, is_active, role, hashed_password, version) '
            "VALUES (%s, 'bench@lab.example', 'Bench', true, 'user', %s, 1)",
            (user_id, hash_password(PASSWORD)),
        )
        connection.execute(
            "INSERT INTO lab (id, name, code, institution, description, version) "
            "VALUES (%s, 'Import lab', 'IMPORT-1', 'Bench U', '', 1)",
            (lab_id,),
        )
        connection.execute(
            "INSERT INTO lab_membership (lab_id, user_id, role) VALUES (%s, %s, 'contributor')",
            (lab_id, user_id),
        )
        for key, kg in factors.items():
            connection.execute(
                "INSERT INTO emission_factor (id, key, category, unit, kg_co2e_per_unit, scope, "
                "year, source, source_publisher, source_dataset, source_edition, source_url, "
                "version) VALUES (%s, %s, 'other', 'kWh', %s, 2, %s, 'bench', '', '', '', '', 1)",
                (uuid.uuid4(), key, kg, YEAR),
            )
        connection.commit()
    return lab_id, factors


FLIGHT_BANDS = [(0, 1500, "0.15"), (1500, 4000, "0.12"), (4000, None, "0.10")]


def seed_flight_factors(url: str) -> None:
    """Economy and business flight factors in three distance bands (bench values)."""
    with psycopg.connect(_libpq(url)) as connection:
        for cabin in ("economy", "business"):
            for low, high, kg in FLIGHT_BANDS:
                connection.execute(
                    "INSERT INTO emission_factor (id, key, category, unit, kg_co2e_per_unit, "
                    "scope, year, source, source_publisher, source_dataset, source_edition, "
                    "source_url, version, cabin_class, distance_min_km, distance_max_km) "
                    "VALUES (%s, %s, 'air_travel', 'pkm', %s, 3, %s, 'bench', '', '', '', '', 1, "
                    "%s, %s, %s)",
                    (uuid.uuid4(), f"bench.flight.{cabin}.{low}", kg, YEAR, cabin, low, high),
                )
        connection.commit()


def write_flights_csv(path: Path, rows: int) -> None:
    import airportsdata

    rng = random.Random(11)  # noqa: S311 - reproducible data, not security
    codes = rng.sample(sorted(airportsdata.load("IATA")), 300)
    with path.open("w", newline="") as out:
        out.write("kind,date,origin,destination,cabin_class,round_trip,travellers\n")
        for _ in range(rows):
            origin, destination = rng.sample(codes, 2)
            day = date(YEAR, 1, 1) + timedelta(days=rng.randrange(365))
            cabin = "business" if rng.random() < 0.1 else "economy"
            trip = "yes" if rng.random() < 0.5 else "no"
            out.write(f"flight,{day},{origin},{destination},{cabin},{trip},{rng.randint(1, 3)}\n")


def import_file(
    client: httpx.Client, headers: dict[str, str], lab_id: uuid.UUID, path: Path
) -> tuple[float, float, httpx.Response]:
    """Upload `path` and wait for its job: seconds to the 202, seconds to the end, last status.
    The end is the job's event on the live-status socket (as the app watches an import), not a
    status poll: polling every 20 ms cost the server about a sixth of its CPU during the job."""
    ws_base = str(client.base_url).replace("http://", "ws://", 1)
    token = headers["Authorization"].removeprefix("Bearer ")
    # proxy=None: never go through a proxy from the environment to reach loopback.
    with ws_connect(f"{ws_base}/api/v1/ws/jobs?token={token}", proxy=None) as socket:
        started = time.perf_counter()
        with path.open("rb") as upload:
            response = client.post(
                f"/api/v1/labs/{lab_id}/imports",
                files={"file": ("activities.csv", upload, "text/csv")},
                headers=headers,
            )
        accepted = time.perf_counter() - started
        response.raise_for_status()
        job_id = response.json()["id"]
        while True:
            message = json.loads(socket.recv(timeout=600))
            job = message.get("job") or {}
            if job.get("id") == job_id and job.get("state") not in {"queued", "running"}:
                break
        ended = time.perf_counter() - started
    return accepted, ended, client.get(f"/api/v1/imports/{job_id}/status", headers=headers)


def write_csv(path: Path, rows: int) -> list[tuple[date, str, Decimal]]:
    rng = random.Random(42)  # noqa: S311 - reproducible data, not security
    data = []
    with path.open("w", newline="") as out:
        out.write("date,factor_key,quantity\n")
        for _ in range(rows):
            day = date(YEAR, 1, 1) + timedelta(days=rng.randrange(365))
            key = rng.choice(FACTOR_KEYS)
            quantity = Decimal(rng.randrange(1, 10**6)) / 100
            data.append((day, key, quantity))
            out.write(f"{day.isoformat()},{key},{quantity}\n")
    return data


def copy_baselines(
    url: str, csv_path: Path, data: list[tuple[date, str, Decimal]], factors: dict[str, Decimal]
) -> tuple[float, float, float]:
    """Seconds for COPY of the file into a 3-column table, of computed rows into a table shaped
    like activity_entry, and of the same rows into such a table with its foreign-key triggers
    skipped (all committed)."""
    with psycopg.connect(_libpq(url)) as connection:
        lab_id, user_id = connection.execute(
            "SELECT lab_id, user_id FROM lab_membership LIMIT 1"
        ).fetchone() or (None, None)
        factor_rows = connection.execute("SELECT key, id FROM emission_factor").fetchall()
        ids: dict[str, uuid.UUID] = dict(factor_rows)
        connection.execute("CREATE TABLE bench_file (date date, factor_key text, quantity numeric)")
        connection.execute("CREATE TABLE bench_entry (LIKE activity_entry INCLUDING ALL)")
        for column, target in (("lab_id", "lab"), ("factor_id", "emission_factor"),
                               ("created_by", '"user"')):  # fmt: skip
            connection.execute(
                f"ALTER TABLE bench_entry ADD FOREIGN KEY ({column}) REFERENCES {target} (id)"
            )
        connection.commit()

        started = time.perf_counter()
        with connection.cursor().copy(
            "COPY bench_file FROM STDIN (FORMAT csv, HEADER true)"
        ) as copy, csv_path.open("rb") as source:  # fmt: skip
            while chunk := source.read(256 * 1024):
                copy.write(chunk)
        connection.commit()
        file_seconds = time.perf_counter() - started

        # The same rows the import writes (time-ordered ids included), formatted before the clock
        # starts: the baseline is the database's cost of loading them, not Python's.
        prefix = entry_id_prefix()
        lines = [
            f"{prefix}{n:012x}\t{lab_id}\t{ids[key]}\t{day}\t{quantity}\t"
            f"{(quantity * factors[key]).quantize(Decimal('0.000001'))}\t\t\\N\t{user_id}\t1\n"
            for n, (day, key, quantity) in enumerate(data)
        ]
        payload = "".join(lines).encode()
        del lines
        entry_seconds = _copy_entries(connection, payload, "bench_entry")
        # The floor of one transaction: the same COPY with the foreign-key triggers skipped, as
        # the job skips them (the table's own cost: heap, indexes, WAL).
        connection.execute("CREATE TABLE bench_entry_floor (LIKE bench_entry INCLUDING ALL)")
        connection.commit()
        connection.execute(_SKIP.text)
        floor_seconds = _copy_entries(connection, payload, "bench_entry_floor")
    return file_seconds, entry_seconds, floor_seconds


def _copy_entries(connection: psycopg.Connection, payload: bytes, table: str) -> float:
    """Seconds to COPY the formatted entries into `table` and commit."""
    started = time.perf_counter()
    with connection.cursor().copy(
        f"COPY {table} (id, lab_id, factor_id, date, quantity, kg_co2e, note, import_id, "
        "created_by, version) FROM STDIN"
    ) as copy:
        for offset in range(0, len(payload), 256 * 1024):
            copy.write(payload[offset : offset + 256 * 1024])
    connection.commit()
    return time.perf_counter() - started


def explain_batch(url: str, csv_path: Path, job_id: str, lab_id: uuid.UUID) -> list[str]:
    """Stage the file under `job_id` and EXPLAIN ANALYZE the check and the move of its first
    batch (in one transaction here; the job runs them on two connections); everything is rolled
    back."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            connection.execute(
                text("SELECT set_config('co2.import_job', :job, true)"), {"job": job_id}
            )
            driver = connection.connection.driver_connection
            assert isinstance(driver, psycopg.Connection)
            with driver.cursor().copy(
                "COPY import_activity_row (date, factor_key, quantity) FROM STDIN "
                "(FORMAT csv, HEADER true)"
            ) as copy, csv_path.open("rb") as source:  # fmt: skip
                while chunk := source.read(256 * 1024):
                    copy.write(chunk)
            first = connection.execute(
                text("SELECT min(seq) FROM import_activity_row WHERE job_id = :job"),
                {"job": job_id},
            ).scalar_one()
            user_id = connection.execute(text("SELECT user_id FROM lab_membership")).scalar_one()
            # As the job runs it: bulk planning, and no foreign-key triggers (see bulk_load).
            for statement in (*_BULK_PLANS, _SKIP):
                connection.execute(statement)
            scope = ImportScope(
                uuid.UUID(job_id), lab_id, None, user_id, settings.FACTOR_ROLLOVER_YEARS
            )
            params = scope.check_params() | {
                "lab": lab_id,
                "user": user_id,
                "id_prefix": entry_id_prefix(),
                "first": first,
                "last": first + BATCH_ROWS - 1,
            }
            plan = ["The check (the side session's statement):"]
            plan += (
                connection.execute(text("EXPLAIN (ANALYZE, BUFFERS) " + _CHECK_BATCH.text), params)
                .scalars()
                .all()
            )
            plan += ["", "The move (the job's transaction's statement):"]
            plan += (
                connection.execute(text("EXPLAIN (ANALYZE, BUFFERS) " + _MOVE_BATCH.text), params)
                .scalars()
                .all()
            )
            connection.rollback()
    finally:
        engine.dispose()
    return list(plan)


class CpuSeconds:
    """CPU seconds spent from `__init__` to `stop()` by the API process and by the PostgreSQL
    backends connected to the benchmark's database (by pid, from pg_stat_activity): figures a
    busy machine distorts far less than wall-clock seconds."""

    def __init__(self, process: psutil.Process, url: str) -> None:
        self._process, self._url = process, url
        self._api = self._cpu(process)
        self._backends = {pid: self._cpu(psutil.Process(pid)) for pid in self._backend_pids()}

    @staticmethod
    def _cpu(process: psutil.Process) -> float:
        times = process.cpu_times()
        return float(times.user + times.system)

    def _backend_pids(self) -> list[int]:
        with psycopg.connect(_libpq(self._url)) as connection:
            rows = connection.execute(
                "SELECT pid FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            ).fetchall()
        return [pid for (pid,) in rows]

    def stop(self) -> tuple[float, float]:
        """(API process, PostgreSQL backends) CPU seconds."""
        database = 0.0
        for pid in self._backend_pids():
            try:
                database += self._cpu(psutil.Process(pid)) - self._backends.get(pid, 0.0)
            except psutil.NoSuchProcess:
                continue
        return self._cpu(self._process) - self._api, database


class PeakRss:
    """Samples a process's RSS in a thread; `growth` is the peak minus the first sample."""

    def __init__(self, process: psutil.Process) -> None:
        self._process = process
        self._baseline = process.memory_info().rss
        self._peak = self._baseline
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.wait(0.02):
            self._peak = max(self._peak, self._process.memory_info().rss)

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return (self._peak - self._baseline) / 2**20


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE one job batch")
    parser.add_argument("--flights", type=int, default=0, help="then import this many flights")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="co2bench-") as tmp, scratch_database() as url:
        csv_path = Path(tmp) / "activities.csv"
        lab_id, factors = seed(url)
        data = write_csv(csv_path, args.rows)
        flights_path = Path(tmp) / "flights.csv"
        if args.flights:
            seed_flight_factors(url)
            write_flights_csv(flights_path, args.flights)
        size_mb = csv_path.stat().st_size / 2**20
        print(f"{args.rows:,} rows, {size_mb:.1f} MiB", flush=True)
        with (
            api_server(url, pool_size=5) as (base, process),
            httpx.Client(base_url=base, timeout=600) as client,
        ):
            token = client.post(
                "/api/v1/auth/login",
                data={"username": "bench@lab.example", "password": PASSWORD},
            ).json()["access_token"]
            headers = {"Authorization": f"Bearer {token}"}
            memory, cpu = PeakRss(process), CpuSeconds(process, url)
            accepted, total, status = import_file(client, headers, lab_id, csv_path)
            api_cpu, database_cpu = cpu.stop()
            state = status.json()["state"]
            job_id = status.json()["id"]
            growth = memory.stop()
            if args.flights:
                flight_memory, cpu = PeakRss(process), CpuSeconds(process, url)
                flight_accepted, flight_total, flight_status = import_file(
                    client, headers, lab_id, flights_path
                )
                flight_api_cpu, flight_database_cpu = cpu.stop()
                flight_growth = flight_memory.stop()
                if flight_status.json()["rows_ok"] != args.flights:
                    print(f"flights import: {flight_status.text}", file=sys.stderr)
                    return 1
        if state != "succeeded" or status.json()["rows_ok"] != args.rows:
            print(f"import ended {state}: {status.text}", file=sys.stderr)
            return 1
        file_copy, entry_copy, floor_copy = copy_baselines(url, csv_path, data, factors)
        plan = explain_batch(url, csv_path, job_id, lab_id) if args.explain else []

    rate = args.rows / total
    print()
    print(f"| {args.rows:,}-row activities CSV ({size_mb:.0f} MiB) | seconds | rows/s |")
    print("|---|---:|---:|")
    print(f"| upload accepted (streamed, staged with COPY) | {accepted:.2f} | |")
    print(f"| the job (202 → job succeeded) | {total - accepted:.2f} | "
          f"{args.rows / (total - accepted):,.0f} |")  # fmt: skip
    print(f"| import end to end (upload → job succeeded) | {total:.2f} | {rate:,.0f} |")
    print(f"| CPU: API process / PostgreSQL backends | {api_cpu:.2f} / {database_cpu:.2f} | |")
    print(f"| plain COPY of the file into a 3-column table | {file_copy:.2f} | "
          f"{args.rows / file_copy:,.0f} |")  # fmt: skip
    print(f"| plain COPY of computed rows into an activity_entry twin | {entry_copy:.2f} | "
          f"{args.rows / entry_copy:,.0f} |")  # fmt: skip
    print(f"| the same COPY, foreign-key triggers skipped as the job skips them | "
          f"{floor_copy:.2f} | {args.rows / floor_copy:,.0f} |")  # fmt: skip
    print()
    print(f"import throughput / file COPY: {file_copy / total:.2f}; "
          f"/ entry-table COPY: {entry_copy / total:.2f}")  # fmt: skip
    print(f"API process peak memory growth: {growth:.0f} MiB")
    if args.flights:
        print()
        print(f"| {args.flights:,}-row flights CSV (typed activities) | seconds | rows/s |")
        print("|---|---:|---:|")
        print(f"| upload accepted | {flight_accepted:.2f} | |")
        print(f"| the job | {flight_total - flight_accepted:.2f} | "
              f"{args.flights / (flight_total - flight_accepted):,.0f} |")  # fmt: skip
        print(f"| import end to end | {flight_total:.2f} | {args.flights / flight_total:,.0f} |")
        print(f"| CPU: API process / PostgreSQL backends | {flight_api_cpu:.2f} / "
              f"{flight_database_cpu:.2f} | |")  # fmt: skip
        print(f"flights: API process peak memory growth: {flight_growth:.0f} MiB")
    if plan:
        print(f"\nOne batch of the job ({BATCH_ROWS:,} rows), EXPLAIN (ANALYZE, BUFFERS):")
        print("\n".join(plan))
    return 0


if __name__ == "__main__":
    sys.exit(main())
