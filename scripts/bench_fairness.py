"""Fairness benchmark: how long another lab's 1-row import takes while one user's backlog of large
imports waits, with the fair claim (docs/jobs-scheduling.md) and with the old oldest-first claim.

One throwaway embedded database and one uvicorn server per claim policy (the default 2 job
workers). Each round: the other lab's 1-row import alone (the idle time); then one user uploads
`--labs` times JOB_MAX_ACTIVE_PER_LAB large files (`--rows` rows each) to their labs, one after
another, and the other lab's member uploads 1 row; the wait is from that upload's start to its
job seen `succeeded`. The round ends when the backlog has drained (its entries are then
truncated). Prints a markdown table of medians over `--rounds`.

With `--claim-cost LABS`, it measures instead the claim statement itself, new and old, on a table
of LABS busy labs (one requester each; 1 running and 2 queued jobs per lab, the cap) and 100
finished jobs per lab: the median of 20 claims, each rolled back, and the new one's plan.

    scripts/bench-fairness [--rows 200000] [--labs 4] [--rounds 3]
    scripts/bench-fairness --claim-cost 1000
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psycopg
from sqlalchemy import TextClause, create_engine, text

os.environ.setdefault("JWT_SECRET", "benchmark-secret-not-for-production-0123")
# The backlog's user uploads more than the default per-user rate limit allows in a minute.
os.environ["IMPORT_RATE_LIMIT_PER_USER"] = "100000/minute"

from app.config import settings
from app.core.security import hash_password
from app.repositories import job as job_repository
from scripts.bench import PASSWORD, api_server
from scripts.scratch_db import _libpq, scratch_database

FACTOR_KEY = "bench.fairness"
POLICIES = {"oldest first (before)": "scripts.bench_fairness_baseline:app", "fair": "app.main:app"}
POLL_SECONDS = 0.02
# The baseline (scripts/bench_fairness_baseline.py): verbatim the claim of commit 1388b1f, before
# docs/jobs-scheduling.md.
OLDEST_FIRST_CLAIM = text(
    """
    UPDATE data_ingestion_jobs AS job
    SET state = 'running', locked_by = :worker, attempts = job.attempts + 1,
        lease_expires_at = now() + make_interval(secs => :lease_seconds),
        started_at = coalesce(job.started_at, now()), updated_at = now()
    FROM (
        SELECT id FROM data_ingestion_jobs
        WHERE state = 'queued' OR (state = 'running' AND lease_expires_at < now())
        ORDER BY created_at
        LIMIT 1
        FOR UPDATE SKIP LOCKED
    ) AS next
    WHERE job.id = next.id
    RETURNING job.id, job.target_type, job.attempts
    """
)


@dataclass
class Seeded:
    busy_labs: list[uuid.UUID]
    other_lab: uuid.UUID


def seed(url: str, labs: int) -> Seeded:
    """`busy@` contributes to `labs` labs, `other@` to one more; one factor."""
    busy, other = uuid.uuid4(), uuid.uuid4()
    lab_ids = [uuid.uuid4() for _ in range(labs + 1)]
    password = hash_password(PASSWORD)
    with psycopg.connect(_libpq(url)) as connection:
        for user_id, email in ((busy, "busy@lab.example"), (other, "other@lab.example")):
            connection.execute(
                'INSERT INTO "user" (id, email, full_name, is_active, role, hashed_password, '
                "version) VALUES (%s, %s, 'Bench', true, 'user', %s, 1)",
                (user_id, email, password),
            )
        for n, lab_id in enumerate(lab_ids):
            connection.execute(
                "INSERT INTO lab (id, name, code, institution, description, version) "
                "VALUES (%s, %s, %s, 'Bench U', '', 1)",
                (lab_id, f"Lab {n}", f"FAIR-{n}"),
            )
            member = other if n == labs else busy
            connection.execute(
                "INSERT INTO lab_membership (lab_id, user_id, role) VALUES (%s, %s, 'contributor')",
                (lab_id, member),
            )
        connection.execute(
            "INSERT INTO emission_factor (id, key, category, unit, kg_co2e_per_unit, scope, "
            "year, source, source_publisher, source_dataset, source_edition, source_url, version) "
            "VALUES (%s, %s, 'other', 'kWh', 0.125, 2, 2025, 'bench', '', '', '', '', 1)",
            (uuid.uuid4(), FACTOR_KEY),
        )
        connection.commit()
    return Seeded(busy_labs=lab_ids[:labs], other_lab=lab_ids[labs])


def write_csv(path: Path, rows: int) -> None:
    with path.open("w") as out:
        out.write("date,factor_key,quantity\n")
        for n in range(rows):
            out.write(f"2025-{1 + n % 12:02d}-{1 + n % 28:02d},{FACTOR_KEY},{n % 1000}.5\n")


def headers_of(client: httpx.Client, email: str) -> dict[str, str]:
    response = client.post("/api/v1/auth/login", data={"username": email, "password": PASSWORD})
    response.raise_for_status()
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def upload(client: httpx.Client, headers: dict[str, str], lab: uuid.UUID, path: Path) -> str:
    with path.open("rb") as data:
        response = client.post(
            f"/api/v1/labs/{lab}/imports",
            files={"file": (path.name, data, "text/csv")},
            headers=headers,
        )
    response.raise_for_status()
    return str(response.json()["id"])


def wait_for_end(client: httpx.Client, headers: dict[str, str], job_id: str) -> str:
    deadline = time.monotonic() + 3600
    while time.monotonic() < deadline:
        state = str(client.get(f"/api/v1/imports/{job_id}/status", headers=headers).json()["state"])
        if state not in {"queued", "running"}:
            return state
        time.sleep(POLL_SECONDS)
    raise TimeoutError(job_id)


def timed_import(
    client: httpx.Client, headers: dict[str, str], lab: uuid.UUID, path: Path
) -> tuple[str, float]:
    """The job's id and the seconds from the upload's start to the job seen succeeded."""
    started = time.perf_counter()
    job_id = upload(client, headers, lab, path)
    state = wait_for_end(client, headers, job_id)
    if state != "succeeded":
        raise RuntimeError(f"job {job_id} ended {state}")
    return job_id, time.perf_counter() - started


@dataclass
class Results:
    idle: list[float] = field(default_factory=list)
    wait: list[float] = field(default_factory=list)
    claimed_as: list[int] = field(default_factory=list)  # 1-based, among the round's jobs
    drained: list[float] = field(default_factory=list)


def claim_rank(url: str, job_id: str, since: float) -> int:
    """Which claim of the round the job was (1-based): jobs started since the round began."""
    with psycopg.connect(_libpq(url)) as connection:
        row = connection.execute(
            "SELECT count(*) FROM data_ingestion_jobs WHERE started_at >= to_timestamp(%s) "
            "AND started_at <= (SELECT started_at FROM data_ingestion_jobs WHERE id = %s)",
            (since, job_id),
        ).fetchone()
    assert row is not None
    return int(row[0])


def timeline(url: str, since: float) -> list[str]:
    """The round's jobs in claim order: who queued them, and seconds from the round's start to
    their upload, claim and end."""
    with psycopg.connect(_libpq(url)) as connection:
        rows = connection.execute(
            "SELECT u.email, extract(epoch FROM j.created_at) - %(t)s, "
            "extract(epoch FROM j.started_at) - %(t)s, extract(epoch FROM j.finished_at) - %(t)s "
            'FROM data_ingestion_jobs j JOIN "user" u ON u.id = j.created_by '
            "WHERE j.created_at >= to_timestamp(%(t)s) ORDER BY j.started_at",
            {"t": since},
        ).fetchall()
    return [
        f"  {email.split('@')[0]:>5}: queued {queued:6.2f}  claimed {claimed:6.2f}  "
        f"ended {ended:6.2f}"
        for email, queued, claimed, ended in rows
    ]


def run_round(
    client: httpx.Client,
    url: str,
    seeded: Seeded,
    files: tuple[Path, Path],
    results: Results,
    *,
    show_timeline: bool = False,
) -> None:
    big, small = files
    busy, other = headers_of(client, "busy@lab.example"), headers_of(client, "other@lab.example")
    results.idle.append(timed_import(client, other, seeded.other_lab, small)[1])
    began, wall = time.perf_counter(), time.time()
    backlog = [
        upload(client, busy, lab, big)
        for lab in seeded.busy_labs
        for _ in range(settings.JOB_MAX_ACTIVE_PER_LAB)
    ]
    job_id, waited = timed_import(client, other, seeded.other_lab, small)
    results.wait.append(waited)
    for busy_job in backlog:
        if (state := wait_for_end(client, busy, busy_job)) != "succeeded":
            raise RuntimeError(f"backlog job {busy_job} ended {state}")
    results.drained.append(time.perf_counter() - began)
    results.claimed_as.append(claim_rank(url, job_id, wall))
    if show_timeline:
        print("\n".join(timeline(url, wall)), flush=True)
    with psycopg.connect(_libpq(url)) as connection:
        connection.execute("TRUNCATE activity_entry")


_COST_SEED = [
    'INSERT INTO "user" (id, email, full_name, is_active, role, hashed_password, version) '
    "SELECT gen_random_uuid(), 'cost' || g || '@lab.example', 'Cost', true, 'user', 'x', 1 "
    "FROM generate_series(1, %(labs)s) AS g",
    "INSERT INTO lab (id, name, code, institution, description, version) "
    "SELECT gen_random_uuid(), 'Cost ' || g, 'COST-' || g, 'Bench U', '', 1 "
    "FROM generate_series(1, %(labs)s) AS g",
    # One requester per lab; per lab: 100 finished jobs, 1 running (live lease), 2 queued.
    """
    WITH users AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM "user"
                   WHERE email LIKE 'cost%%'),
         labs AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM lab
                  WHERE code LIKE 'COST-%%')
    INSERT INTO data_ingestion_jobs (id, target_type, lab_id, created_by, state, on_error, params,
        rows_total, rows_processed, rows_ok, rows_failed, row_errors, row_errors_total,
        cancel_requested, attempts, lease_expires_at, started_at, finished_at, created_at,
        updated_at)
    SELECT gen_random_uuid(), 'activities', labs.id, users.id,
        CASE WHEN g <= 100 THEN 'succeeded' WHEN g = 101 THEN 'running' ELSE 'queued'
        END,
        'fail', '{}', 1, 0, 0, 0, '[]', 0, false, (g <= 101)::int,
        CASE WHEN g = 101 THEN now() + interval '1 hour' END,
        CASE WHEN g <= 101 THEN now() - make_interval(secs => 104 - g + labs.n / 1e4) END,
        CASE WHEN g <= 100 THEN now() END,
        now() - make_interval(secs => 105 - g + labs.n / 1e4), now()
    FROM users JOIN labs USING (n), generate_series(1, 103) AS g
    """,
]


def claim_cost(url: str, labs: int) -> int:
    with psycopg.connect(_libpq(url), autocommit=True) as connection:
        for statement in _COST_SEED:
            connection.execute(statement, {"labs": labs})
        connection.execute("VACUUM ANALYZE data_ingestion_jobs")
    engine = create_engine(url)
    params = {"worker": "bench", "lease_seconds": 60}
    print(f"{labs:,} busy labs: {labs * 3:,} unfinished jobs, {labs * 100:,} finished")
    print("\n| claim statement | median of 20 (ms) |\n|---|---:|")
    try:
        claims: dict[str, TextClause] = {
            "fair": job_repository._CLAIM,
            "oldest first": OLDEST_FIRST_CLAIM,
        }
        for name, claim in claims.items():
            print(f"| {name} | {statistics.median(_timed(engine, claim, params)):.2f} |")
        with engine.connect() as connection:
            plan = (
                connection.execute(
                    text("EXPLAIN (ANALYZE, BUFFERS) " + job_repository._CLAIM.text), params
                )
                .scalars()
                .all()
            )
            connection.rollback()
    finally:
        engine.dispose()
    print("\nThe fair claim, EXPLAIN (ANALYZE, BUFFERS):\n" + "\n".join(plan))
    return 0


def _timed(engine: Any, statement: TextClause, params: dict[str, object]) -> list[float]:
    times = []
    with engine.connect() as connection:
        for _ in range(20):
            started = time.perf_counter()
            row = connection.execute(statement, params).first()
            times.append((time.perf_counter() - started) * 1000)
            connection.rollback()
            assert row is not None
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=200_000, help="rows of each backlog file")
    parser.add_argument("--labs", type=int, default=4, help="labs of the backlog's user")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--timeline", action="store_true", help="print each round's jobs")
    parser.add_argument("--claim-cost", type=int, metavar="LABS", help="time the claim instead")
    args = parser.parse_args(argv)
    if args.claim_cost:
        with scratch_database() as url:
            return claim_cost(url, args.claim_cost)

    results = {policy: Results() for policy in POLICIES}
    with tempfile.TemporaryDirectory(prefix="co2fair-") as tmp, scratch_database() as url:
        seeded = seed(url, args.labs)
        files = (Path(tmp) / "big.csv", Path(tmp) / "one.csv")
        write_csv(files[0], args.rows)
        write_csv(files[1], 1)
        backlog = args.labs * settings.JOB_MAX_ACTIVE_PER_LAB
        print(
            f"backlog: {backlog} imports of {args.rows:,} rows over {args.labs} labs; "
            f"{settings.JOB_WORKERS} job workers; {args.rounds} rounds per policy",
            flush=True,
        )
        for policy, application in POLICIES.items():
            with (
                api_server(url, pool_size=10, application=application) as (base, _),
                httpx.Client(base_url=base, timeout=600) as client,
            ):
                for n in range(args.rounds):
                    run_round(
                        client, url, seeded, files, results[policy], show_timeline=args.timeline
                    )
                    print(
                        f"{policy}, round {n + 1}: waited {results[policy].wait[-1]:.2f} s, "
                        f"claimed {results[policy].claimed_as[-1]} of {backlog + 1}",
                        flush=True,
                    )

    print()
    print("| claim policy | 1-row import alone (s) | with the backlog (s) | claimed as | "
          "backlog drained (s) |")  # fmt: skip
    print("|---|---:|---:|---:|---:|")
    for policy, got in results.items():
        print(
            f"| {policy} | {statistics.median(got.idle):.2f} | {statistics.median(got.wait):.2f} "
            f"| {statistics.median(got.claimed_as):.0f} of {backlog + 1} "
            f"| {statistics.median(got.drained):.1f} |"
        )
    print(f"\nmedians of {args.rounds} rounds; raw waits: "
          + "; ".join(f"{p}: {', '.join(f'{w:.2f}' for w in r.wait)}"
                      for p, r in results.items()))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
