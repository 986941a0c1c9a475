"""Fair job scheduling (docs/jobs-scheduling.md): claims take turns between requesters, and the cap
on a lab's (or the factor library's) active jobs holds when uploads race."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

import httpx
import pytest
from fastapi import FastAPI
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app import database
from app.config import settings
from app.models.job import Claim, DataIngestionJob, JobState
from app.models.lab import Lab, LabRole
from app.models.staging import activity_staging, factor_staging
from app.models.user import User, UserRole
from app.repositories import job as job_repository
from app.services import imports as import_service
from app.services import job_lifecycle
from tests.factories import Caller, add_member, make_factor, make_lab, make_user, session_for

ROW = "2025-01-01,rail.km,1\n"
HEADER = "date,factor_key,quantity\n"
FACTORS_CSV = "key,category,unit,kg_co2e_per_unit,scope,year\nrail.km,rail_travel,km,0.008,3,2025\n"
WORKER = "test-worker"
WAIT_SECONDS = 30
MakeRequester = Callable[[int], Awaitable[tuple[Caller, list[Lab]]]]


async def upload(client: httpx.AsyncClient, caller: Caller, lab: Lab, rows: int = 1) -> str:
    response = await client.post(
        f"/api/v1/labs/{lab.id}/imports",
        files={"file": ("a.csv", HEADER + ROW * rows, "text/csv")},
        headers=caller.headers,
    )
    assert response.status_code == 202, response.text
    return str(response.json()["id"])


async def upload_factors(client: httpx.AsyncClient, caller: Caller) -> httpx.Response:
    return await client.post(
        "/api/v1/factors/imports",
        files={"file": ("f.csv", FACTORS_CSV, "text/csv")},
        headers=caller.headers,
    )


@pytest.fixture
async def requester(session: AsyncSession) -> MakeRequester:
    """A user who contributes to `n` new labs."""
    await make_factor(session, key="rail.km", year=2025, kg="0.007", unit="km")
    manager = await make_user(session)

    async def make(n: int) -> tuple[Caller, list[Lab]]:
        user = await make_user(session)
        labs = [await make_lab(session, manager) for _ in range(n)]
        for lab in labs:
            await add_member(session, lab, user, LabRole.CONTRIBUTOR)
        return await session_for(session, user), labs

    return make


async def claim(worker: str = WORKER) -> Claim:
    async with database.get_session_factory()() as session:
        claimed = await job_repository.claim_next(session, worker=worker, lease_seconds=60)
        await session.commit()
    assert claimed is not None
    return claimed


async def finish(claimed: Claim, worker: str = WORKER) -> None:
    """End a claimed job as a worker would (its work itself is not what these tests are about)."""
    async with database.get_session_factory()() as session:
        job = await job_repository.get_held(session, claim=claimed, worker=worker)
        assert job is not None
        job_lifecycle.finish(job, JobState.SUCCEEDED)
        await session.commit()


async def owners(session: AsyncSession) -> dict[UUID, str]:
    """Each job's group as the tests name it: the requester's id, or "library"."""
    jobs = (await session.exec(select(DataIngestionJob))).all()
    return {job.id: "library" if job.lab_id is None else str(job.created_by) for job in jobs}


async def test_one_requesters_backlog_over_four_labs_does_not_hold_back_another_lab(
    client: httpx.AsyncClient, session: AsyncSession, requester: MakeRequester
) -> None:
    busy, busy_labs = await requester(4)
    other, (other_lab,) = await requester(1)
    for lab in busy_labs:
        for _ in range(settings.JOB_MAX_ACTIVE_PER_LAB):
            await upload(client, busy, lab)
    late = await upload(client, other, other_lab)

    # Two workers: the first takes the oldest job; the second a job of whoever runs nothing.
    first, second = await claim(), await claim()
    assert late in {str(first.job_id), str(second.job_id)}


async def test_requesters_and_the_factor_library_take_turns_on_one_worker(
    client: httpx.AsyncClient, session: AsyncSession, requester: MakeRequester, admin: Caller
) -> None:
    busy, busy_labs = await requester(2)
    other, (other_lab,) = await requester(1)
    for lab in busy_labs:
        for _ in range(settings.JOB_MAX_ACTIVE_PER_LAB):
            await upload(client, busy, lab)
    for _ in range(settings.JOB_MAX_ACTIVE_PER_LAB):
        await upload(client, other, other_lab)
    assert (await upload_factors(client, admin)).status_code == 202
    group = await owners(session)

    order = []
    for _ in range(len(group)):
        claimed = await claim()
        order.append(group[claimed.job_id])
        await finish(claimed)
    b, o = str(busy.user.id), str(other.user.id)
    # Oldest first between groups never served; then the group served longest ago.
    assert order == [b, o, "library", b, o, b, o, b, b, b]


async def test_a_job_whose_worker_died_is_claimed_again(
    client: httpx.AsyncClient, session: AsyncSession, requester: MakeRequester
) -> None:
    caller, (lab,) = await requester(1)
    job_id = await upload(client, caller, lab)
    claimed = await claim("dead-worker")
    job = await session.get(DataIngestionJob, claimed.job_id)
    assert job is not None
    assert str(job.id) == job_id
    job.lease_expires_at = job.started_at  # the lease ran out: its worker is presumed dead
    await session.commit()
    again = await claim()
    assert (again.job_id, again.attempt) == (claimed.job_id, 2)


async def test_the_runner_claims_another_lab_in_the_first_round_of_a_backlog(
    app: FastAPI,
    client: httpx.AsyncClient,
    session: AsyncSession,
    requester: MakeRequester,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    busy, busy_labs = await requester(4)
    other, (other_lab,) = await requester(1)
    backlog = [
        await upload(client, busy, lab, rows=50)
        for lab in busy_labs
        for _ in range(settings.JOB_MAX_ACTIVE_PER_LAB)
    ]
    late = await upload(client, other, other_lab)

    monkeypatch.setattr(settings, "JOB_POLL_SECONDS", 1)
    async with app.router.lifespan_context(app):
        await all_ended(session)
    jobs = (await session.exec(select(DataIngestionJob))).all()
    assert {job.state for job in jobs} == {JobState.SUCCEEDED}
    started = [job_id for _, job_id in sorted((job.started_at, str(job.id)) for job in jobs)]
    # Oldest first, it would have been the 13th; now the first claim takes the oldest job, the
    # second (by another worker, or by the first once free) the job of the requester who runs none.
    assert started.index(late) <= 1, (started, backlog)


async def all_ended(session: AsyncSession) -> None:
    """Wait (within `WAIT_SECONDS`) until no job is queued or running."""
    query = select(func.count()).where(col(DataIngestionJob.state).in_(("queued", "running")))
    async with asyncio.timeout(WAIT_SECONDS):
        while True:
            active = int((await session.exec(query)).one())
            await session.commit()  # a fresh snapshot next time
            if active == 0:
                return
            await asyncio.sleep(0.05)


# -- the cap under concurrency -------------------------------------------------------------------

RACERS = 6


@pytest.fixture
def all_past_the_first_check(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every racing upload has passed the first (unlocked) count of active jobs before any of
    them stages its file and commits: the interleaving that let 6 of 6 through a cap of 3."""
    barrier = asyncio.Barrier(RACERS)
    stage = import_service.stage_and_queue

    async def stage_after_all(*args: Any, **kwargs: Any) -> DataIngestionJob:
        async with asyncio.timeout(WAIT_SECONDS):
            await barrier.wait()
        return await stage(*args, **kwargs)

    monkeypatch.setattr(import_service, "stage_and_queue", stage_after_all)


async def assert_cap_held(responses: list[httpx.Response]) -> None:
    statuses = sorted(response.status_code for response in responses)
    cap = settings.JOB_MAX_ACTIVE_PER_LAB
    assert statuses == [202] * cap + [429] * (RACERS - cap), [r.text for r in responses]
    for refused in (r for r in responses if r.status_code == 429):
        assert refused.headers["Retry-After"] == str(import_service.RETRY_WHEN_BUSY_SECONDS)
        assert refused.headers["content-type"] == "application/problem+json"


async def staged(session: AsyncSession) -> tuple[int, int]:
    activities = select(func.count()).select_from(activity_staging)
    factors = select(func.count()).select_from(factor_staging)
    return int((await session.exec(activities)).one()), int((await session.exec(factors)).one())


async def test_racing_uploads_to_one_lab_get_exactly_the_cap(
    client: httpx.AsyncClient,
    session: AsyncSession,
    requester: MakeRequester,
    all_past_the_first_check: None,
) -> None:
    caller, (lab,) = await requester(1)
    others = [await session_for(session, caller.user) for _ in range(RACERS - 1)]
    responses = await asyncio.gather(
        *(
            client.post(
                f"/api/v1/labs/{lab.id}/imports",
                files={"file": ("a.csv", HEADER + ROW * 2, "text/csv")},
                headers=racer.headers,
            )
            for racer in [caller, *others]
        )
    )
    await assert_cap_held(list(responses))
    query = select(func.count()).where(DataIngestionJob.lab_id == lab.id)
    assert (await session.exec(query)).one() == settings.JOB_MAX_ACTIVE_PER_LAB
    # The refused uploads' staged rows went with their transactions.
    assert await staged(session) == (2 * settings.JOB_MAX_ACTIVE_PER_LAB, 0)


async def test_racing_factor_uploads_get_exactly_the_cap_of_jobs_of_no_lab(
    client: httpx.AsyncClient, session: AsyncSession, all_past_the_first_check: None
) -> None:
    admins: list[User] = [await make_user(session, role=UserRole.ADMIN) for _ in range(RACERS)]
    callers = [await session_for(session, user) for user in admins]
    responses = await asyncio.gather(*(upload_factors(client, caller) for caller in callers))
    await assert_cap_held(list(responses))
    query = select(func.count()).where(col(DataIngestionJob.lab_id).is_(None))
    assert (await session.exec(query)).one() == settings.JOB_MAX_ACTIVE_PER_LAB
    assert await staged(session) == (0, settings.JOB_MAX_ACTIVE_PER_LAB)
