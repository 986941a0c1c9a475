"""Report benchmark: the yearly report of the lab with 100,000 entries that year, this checkout
against another (`--old`, e.g. a worktree of the commit before), in one run on one database.

Seeds a throwaway embedded database as `scripts/bench` does (100 labs, `--entries` in all; the big
lab has 100,000 in 2025 and 10,000 in 2024), then gives 15 of its 20 factors an uncertainty, two
of them the market basis (the others location) and the big lab a headcount, so the report has
its intervals, both scope 2 bases and its per-FTE figures. Starts one API server of each
checkout on that database, checks that both answer the same report, and times sequential
requests in alternating rounds (ABAB, then BABA). Last, with one of the lab's factors marked
stale (a value changed, its recalculation pending), the new report again.

With `--writes N`, it then times single-entry inserts (each its own transaction, as the API
writes them), with the rollup's triggers on and off in alternating rounds of N: one writer, and
8 concurrent writers to the same lab, month and factor (the rollup row they all update).

    scripts/bench-report [--entries 1000000] [--rounds 10] [--runs 20] [--old ../main]
                         [--writes 2000]
"""

import argparse
import os
import statistics
import sys
import threading
import time
import uuid
from pathlib import Path

import httpx
import psycopg

os.environ.setdefault("JWT_SECRET", "benchmark-secret-not-for-production-0123")

from scripts.bench import (
    FACTOR_KEYS,
    PASSWORD,
    YEAR,
    _big_lab_entries,
    _libpq,
    api_server,
    seed,
)
from scripts.scratch_db import scratch_database


def _figures(url: str, big_lab: object) -> None:
    """Uncertainties, bases and a headcount, so every part of the report has work to do."""
    with psycopg.connect(_libpq(url)) as connection:
        for n, key in enumerate(FACTOR_KEYS):
            connection.execute(
                "UPDATE emission_factor SET uncertainty_pct = %s, basis = %s WHERE key = %s",
                (None if n % 4 == 3 else 5 + n, "market" if n in (1, 2) else "location", key),
            )
        for category, fte in (("professors", "2"), ("researchers", "8.5"), ("phd_students", "12")):
            connection.execute(
                "INSERT INTO headcount (id, lab_id, year, category, fte) "
                "VALUES (gen_random_uuid(), %s, %s, %s, %s)",
                (big_lab, YEAR, category, fte),
            )
        connection.commit()
    with psycopg.connect(_libpq(url), autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")


def _times(client: httpx.Client, url: str, headers: dict[str, str], runs: int) -> list[float]:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url, headers=headers)
        timings.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
    return timings


def _mark_stale(url: str, key: str) -> None:
    with psycopg.connect(_libpq(url)) as connection:
        connection.execute(
            "INSERT INTO report_rollup_stale_factor (factor_id) "
            "SELECT id FROM emission_factor WHERE key = %s AND year = %s",
            (key, YEAR),
        )
        connection.commit()


_TRIGGERS = ("report_rollup_on_insert",)
_INSERT = (
    "INSERT INTO activity_entry (id, lab_id, factor_id, date, quantity, kg_co2e, note, version) "
    "SELECT %s, %s, f.id, '2025-06-01', 12.5, round(12.5 * f.kg_co2e_per_unit, 6), '', 1 "
    "FROM emission_factor AS f WHERE f.key = %s AND f.year = 2025"
)


def _insert_rate(url: str, lab: object, writers: int, count: int) -> float:
    """Committed single-row inserts per second, `writers` connections at once."""

    def write(n: int) -> None:
        with psycopg.connect(_libpq(url)) as connection:
            for _ in range(n):
                connection.execute(_INSERT, (uuid.uuid4(), lab, FACTOR_KEYS[3]))
                connection.commit()

    threads = [threading.Thread(target=write, args=(count // writers,)) for _ in range(writers)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return (count // writers * writers) / (time.perf_counter() - started)


BULK_ROWS = 100_000
# A bulk insert of 100,000 rows over the 20 factors, foreign-key triggers skipped, with the
# rollup's insert trigger ALWAYS (so it fires there) or disabled: its cost on a bulk statement.
_BULK_INSERT = (
    "INSERT INTO activity_entry (id, lab_id, factor_id, date, quantity, kg_co2e, note, version) "
    "SELECT gen_random_uuid(), %s, f.id, date '2025-01-01' + g %% 365, "
    "(g %% 1000)::numeric / 7, round((g %% 1000)::numeric / 7 * f.kg_co2e_per_unit, 6), '', 1 "
    "FROM generate_series(1, %s) AS g JOIN emission_factor AS f "
    "ON f.key = 'bench.factor' || g %% 20 AND f.year = 2025"
)


def _bulk_seconds(url: str, lab: object) -> float:
    """Seconds of one bulk insert statement (rolled back)."""
    with psycopg.connect(_libpq(url)) as connection:
        connection.execute("SET LOCAL session_replication_role = replica")
        started = time.perf_counter()
        connection.execute(_BULK_INSERT, (lab, BULK_ROWS))
        seconds = time.perf_counter() - started
        connection.rollback()
    return seconds


def _writes(url: str, lab: object, count: int, rounds: int) -> None:
    rates: dict[tuple[str, int], list[float]] = {}
    bulk: dict[str, list[float]] = {}
    with psycopg.connect(_libpq(url), autocommit=True) as admin:
        for round_number in range(rounds):
            order = ("ALWAYS", "DISABLE") if round_number % 2 == 0 else ("DISABLE", "ALWAYS")
            for state in order:
                for trigger in _TRIGGERS:
                    verb = "ENABLE ALWAYS" if state == "ALWAYS" else "DISABLE"
                    admin.execute(f"ALTER TABLE activity_entry {verb} TRIGGER {trigger}")
                for writers in (1, 8):
                    rate = _insert_rate(url, lab, writers, count)
                    rates.setdefault((state, writers), []).append(rate)
                bulk.setdefault(state, []).append(_bulk_seconds(url, lab))
        # As the migrations leave it: an ordinary trigger (the bulk import adds its sums itself).
        admin.execute("ALTER TABLE activity_entry ENABLE TRIGGER report_rollup_on_insert")
    print()
    print(f"single-entry inserts, {count:,} per run, median of {rounds} alternating rounds:")
    print()
    print("| writers | rollup trigger on, inserts/s | off, inserts/s | on / off |")
    print("|---:|---:|---:|---:|")
    for writers in (1, 8):
        on = statistics.median(rates[("ALWAYS", writers)])
        off = statistics.median(rates[("DISABLE", writers)])
        print(f"| {writers} | {on:,.0f} | {off:,.0f} | {on / off:.2f} |")
    on, off = statistics.median(bulk["ALWAYS"]), statistics.median(bulk["DISABLE"])
    print()
    print(
        f"one {BULK_ROWS:,}-row INSERT … SELECT (an import batch), median of {rounds}: "
        f"trigger on {on:.2f} s, off {off:.2f} s, on / off {on / off:.2f}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=10, help="alternating rounds")
    parser.add_argument("--runs", type=int, default=20, help="sequential requests per round")
    parser.add_argument("--old", type=Path, help="the checkout to compare with")
    parser.add_argument("--writes", type=int, default=0, help="then time N inserts per run")
    args = parser.parse_args(argv)
    with scratch_database() as url:
        print(f"seeding {args.entries:,} entries ...", flush=True)
        data = seed(url, args.entries)
        _figures(url, data["big_lab"])
        print(f"seeded in {data['seconds']:.1f} s", flush=True)
        path = f"/api/v1/reports/{data['big_lab']}?year={YEAR}"
        with api_server(url, pool_size=4) as (new_base, _):
            bases = {"new": new_base}
            if args.old is None:
                status = _measure(url, bases, path, args)
            else:
                with api_server(url, pool_size=4, cwd=args.old.resolve()) as (old_base, _):
                    bases["old"] = old_base
                    status = _measure(url, bases, path, args)
        if args.writes:
            _writes(url, data["big_lab"], args.writes, max(4, args.rounds // 2))
        return status


def _measure(url: str, bases: dict[str, str], path: str, args: argparse.Namespace) -> int:
    base = bases["new"]
    token = httpx.post(
        f"{base}/api/v1/auth/login",
        data={"username": "bench@lab.example", "password": PASSWORD},
    ).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    timings: dict[str, list[float]] = {name: [] for name in bases}
    round_medians: dict[str, list[float]] = {name: [] for name in bases}
    with httpx.Client(timeout=60) as client:
        answers = {name: client.get(b + path, headers=headers).json() for name, b in bases.items()}
        same = len({repr(answer) for answer in answers.values()}) == 1
        for b in bases.values():  # warm-up, unmeasured
            _times(client, b + path, headers, 5)
        load_before = os.getloadavg()[0]
        for round_number in range(args.rounds):
            order = list(bases) if round_number % 2 == 0 else list(bases)[::-1]
            for name in order:
                measured = _times(client, bases[name] + path, headers, args.runs)
                timings[name] += measured
                round_medians[name].append(statistics.median(measured))
        load_after = os.getloadavg()[0]
        _mark_stale(url, FACTOR_KEYS[0])
        stale_answer = client.get(base + path, headers=headers).json()
        _times(client, base + path, headers, 5)
        stale = statistics.median(_times(client, base + path, headers, args.runs * 2))
    big_year, big_previous = _big_lab_entries(args.entries)
    print()
    print(
        f"{args.entries:,} entries in 100 labs; the report of one lab with {big_year:,} entries "
        f"in {YEAR} ({big_previous:,} the year before); {args.rounds} alternating rounds of "
        f"{args.runs} sequential requests; load average {load_before:.1f} before, "
        f"{load_after:.1f} after ({os.cpu_count()} CPUs)"
    )
    print()
    print("| code | median ms | p90 ms | min ms |")
    print("|---|---:|---:|---:|")
    for name, values in timings.items():
        ordered = sorted(values)
        p90 = ordered[int(len(ordered) * 0.9)]
        print(f"| {name} | {statistics.median(values):.2f} | {p90:.2f} | {ordered[0]:.2f} |")
    print(f"| new, one factor stale | {stale:.2f} | | |")
    if "old" in bases:
        ratios = [n / o for n, o in zip(round_medians["new"], round_medians["old"], strict=True)]
        print()
        print(
            f"new / old, per round: median {statistics.median(ratios):.3f} "
            f"(min {min(ratios):.3f}, max {max(ratios):.3f})"
        )
        print(f"both answered the same report: {'yes' if same else 'NO'}")
    print(
        f"with a stale factor, the same report: {'yes' if stale_answer == answers['new'] else 'NO'}"
    )
    return 0 if same and stale_answer == answers["new"] else 1


if __name__ == "__main__":
    sys.exit(main())
