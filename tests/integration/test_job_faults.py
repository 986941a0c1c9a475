"""Jobs under real faults, with real processes: several runners on one database, a worker killed
with SIGKILL mid-job, the database restarted mid-job. Uploads go through the in-process app (it
runs no job runner: no lifespan), so only the uvicorn processes started here run jobs."""

import asyncio
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import pytest
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app import database
from app.config import settings
from app.core.embedded_db import EmbeddedPostgres
from app.db import dispose as dispose_database
from app.models.entry import ActivityEntry
from app.models.job import DataIngestionJob, JobState
from app.models.lab import Lab
from tests.conftest import run_migrations
from tests.factories import Caller, make_factor, make_lab, make_user, sign_in
from tests.processes import AppProcess, app_processes

ROW = "2025-06-01,electricity.grid.CH,1.5\n"
FAST_LEASES = {"JOB_LEASE_SECONDS": "3", "JOB_POLL_SECONDS": "1", "JOB_WORKERS": "1"}


def csv_of(rows: int) -> bytes:
    return ("date,factor_key,quantity\n" + ROW * rows).encode()


async def upload(client: httpx.AsyncClient, caller: Caller, lab: Lab, rows: int) -> UUID:
    response = await client.post(
        f"/api/v1/labs/{lab.id}/imports",
        files={"file": ("big.csv", csv_of(rows), "text/csv")},
        headers=caller.headers,
    )
    assert response.status_code == 202, response.text
    return UUID(response.json()["id"])


async def job_row(job_id: UUID) -> DataIngestionJob:
    async with database.get_session_factory()() as session:
        job = await session.get(DataIngestionJob, job_id)
        assert job is not None
        return job


async def wait_until(
    job_id: UUID, done: Any, seconds: float = 90, process: AppProcess | None = None
) -> DataIngestionJob:
    """Poll the job row until `done(job)`; show the worker's log if it never happens."""
    deadline = time.monotonic() + seconds
    while True:
        job = await job_row(job_id)
        if done(job):
            return job
        if time.monotonic() > deadline:
            log = process.tail() if process else ""
            pytest.fail(f"job {job_id} stuck in {job.state} ({job.message}):\n{log}")
        await asyncio.sleep(0.05)


def ended(job: DataIngestionJob) -> bool:
    return job.state not in {JobState.QUEUED, JobState.RUNNING}


async def entries_by_import(session: AsyncSession) -> dict[UUID | None, int]:
    query = select(ActivityEntry.import_id, func.count()).group_by(col(ActivityEntry.import_id))
    return dict((await session.exec(query)).all())


@pytest.fixture
async def lab(session: AsyncSession, member: Caller, monkeypatch: pytest.MonkeyPatch) -> Lab:
    monkeypatch.setattr(settings, "JOB_MAX_ACTIVE_PER_LAB", 50)
    await make_factor(session, key="electricity.grid.CH", year=2025, kg="0.125")
    return await make_lab(session, member.user)


async def test_two_processes_share_the_queue_and_no_job_runs_twice(
    client: httpx.AsyncClient, member: Caller, lab: Lab, session: AsyncSession, database_url: str
) -> None:
    jobs = [await upload(client, member, lab, 20_000) for _ in range(6)]
    with app_processes(database_url, 2, **FAST_LEASES) as (first, second):
        finished = [await wait_until(job_id, ended, process=first) for job_id in jobs]
        pids = {first.pid, second.pid}

    assert [job.state for job in finished] == [JobState.SUCCEEDED] * 6
    assert [job.attempts for job in finished] == [1] * 6
    assert {int(str(job.locked_by).split(":")[1]) for job in finished} == pids
    assert await entries_by_import(session) == dict.fromkeys(jobs, 20_000)


async def test_a_worker_killed_mid_job_is_replaced_and_the_job_completes_exactly_once(
    client: httpx.AsyncClient, member: Caller, lab: Lab, session: AsyncSession, database_url: str
) -> None:
    rows = 200_000
    job_id = await upload(client, member, lab, rows)
    doomed = AppProcess(database_url, **FAST_LEASES)
    try:
        doomed.wait_ready()
        running = await wait_until(
            job_id, lambda job: job.state is JobState.RUNNING and job.rows_processed > 0
        )
        assert str(doomed.pid) in str(running.locked_by)
        doomed.kill()
    finally:
        doomed.stop()
    interrupted = await job_row(job_id)
    assert interrupted.state is JobState.RUNNING, "the job ended before the kill: make it longer"
    assert interrupted.rows_processed < rows
    assert await entries_by_import(session) == {}  # nothing of the first attempt is visible

    with app_processes(database_url, 1, **FAST_LEASES) as (rescuer,):
        job = await wait_until(job_id, ended, process=rescuer)
    assert job.state is JobState.SUCCEEDED, job.message
    assert job.attempts == 2
    assert str(rescuer.pid) in str(job.locked_by)
    assert job.rows_ok == rows
    assert await entries_by_import(session) == {job_id: rows}


@pytest.fixture
def own_server() -> Iterator[EmbeddedPostgres]:
    """A server this test may restart (never the shared one)."""
    server = EmbeddedPostgres(Path(tempfile.mkdtemp(prefix="co2f-")))
    server.start()
    try:
        yield server
    finally:
        server.destroy()


async def test_a_database_restart_mid_job_leaves_it_retried_or_failed_never_half_written(
    own_server: EmbeddedPostgres, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = own_server.url()
    await asyncio.to_thread(run_migrations, url)  # Alembic runs its own event loop
    monkeypatch.setattr(settings, "DATABASE_URL", url)
    monkeypatch.setattr(settings, "JOB_MAX_ACTIVE_PER_LAB", 50)
    await dispose_database()
    rows = 200_000
    try:
        async with database.get_session_factory()() as session:
            user = await make_user(session)
            await make_factor(session, key="electricity.grid.CH", year=2025, kg="0.125")
            lab = await make_lab(session, user)
        with app_processes(url, 1, **FAST_LEASES) as (worker,):
            async with httpx.AsyncClient(base_url=worker.base_url, timeout=60) as http:
                caller = await sign_in(http, user)
                job_id = await upload(http, caller, lab, rows)
            await wait_until(
                job_id, lambda job: job.state is JobState.RUNNING and job.rows_processed > 0
            )
            await dispose_database()
            own_server.stop()
            own_server.start()
            job = await wait_until(job_id, ended, seconds=120, process=worker)
        async with database.get_session_factory()() as session:
            written = await entries_by_import(session)
    finally:
        await dispose_database()

    if job.state is JobState.SUCCEEDED:
        assert job.attempts >= 2
        assert written == {job_id: rows}
    else:
        assert job.state is JobState.FAILED
        assert written == {}


async def test_long_imports_never_starve_the_api_of_connections(
    client: httpx.AsyncClient, member: Caller, lab: Lab, database_url: str
) -> None:
    """The API's pool is 2 connections with no overflow: were the two running imports to use it,
    every request would wait for them (and time out). Jobs have a pool of their own."""
    jobs = [await upload(client, member, lab, 200_000) for _ in range(2)]
    tight = FAST_LEASES | {
        "JOB_WORKERS": "2",
        "DB_POOL_SIZE": "2",
        "DB_MAX_OVERFLOW": "0",
        "JOB_DB_POOL_SIZE": "5",
    }
    latencies: list[float] = []
    with app_processes(database_url, 1, **tight) as (app,):
        await wait_until(jobs[0], lambda job: job.state is JobState.RUNNING)
        async with httpx.AsyncClient(base_url=app.base_url, timeout=60) as http:
            while not ended(await job_row(jobs[0])) or not ended(await job_row(jobs[1])):
                started = time.perf_counter()
                response = await http.get(f"/api/v1/labs/{lab.id}", headers=member.headers)
                latencies.append(time.perf_counter() - started)
                assert response.status_code == 200, response.text
        finished = [await job_row(job_id) for job_id in jobs]

    assert [job.state for job in finished] == [JobState.SUCCEEDED] * 2
    assert len(latencies) >= 10, "the imports ended before the API was measured"
    latencies.sort()
    assert latencies[len(latencies) // 2] < 0.5, latencies
    assert latencies[-1] < 5, latencies
