"""Queries on background jobs: one-row ORM work, and the claim/lease statements of the runner."""

import hashlib
from datetime import datetime
from functools import cache
from typing import Any
from uuid import UUID

from sqlalchemy import DateTime, Integer, Uuid, bindparam, func, text
from sqlalchemy import select as core_select
from sqlmodel import col, select, tuple_
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.pagination import CursorKey
from app.db.statements import PublicReader, Reads, Statement, compile_once
from app.models.job import ACTIVE_STATES, Claim, DataIngestionJob, JobKind, JobState, JobStatus

# Channels of PostgreSQL NOTIFY: a job was queued (wake the runners); a job changed (live status).
QUEUED_CHANNEL = "co2_job_queued"
EVENTS_CHANNEL = "co2_job_events"


async def get(
    session: AsyncSession, job_id: UUID, *, for_update: bool = False
) -> DataIngestionJob | None:
    """The job; `for_update` locks it FOR NO KEY UPDATE, which a running import's entries (their
    import_id foreign key holds KEY SHARE) do not block."""
    query = select(DataIngestionJob).where(DataIngestionJob.id == job_id)
    if for_update:
        query = query.with_for_update(key_share=True)
    return (await session.exec(query)).first()


async def lab_of(session: AsyncSession, job_id: UUID) -> UUID | None:
    """The lab of the job, read without a lock (None: no such job, or a job of no lab)."""
    query = select(DataIngestionJob.lab_id).where(DataIngestionJob.id == job_id)
    return (await session.exec(query)).first()


async def add(session: AsyncSession, *, job: DataIngestionJob) -> DataIngestionJob:
    session.add(job)
    await session.flush()
    return job


async def delete(session: AsyncSession, *, job: DataIngestionJob) -> None:
    await session.delete(job)
    await session.flush()


_JOB_STATUS = PublicReader(JobStatus, DataIngestionJob)


@cache
def _page_statement(*, of_lab: bool, after: bool) -> Statement:
    """One compiled statement per combination (4), on first use; newest first."""
    query = core_select(*_JOB_STATUS.columns)
    lab = col(DataIngestionJob.lab_id)
    query = query.where(lab == bindparam("lab_id", type_=Uuid) if of_lab else lab.is_(None))
    values = {"limit", "lab_id"} if of_lab else {"limit"}
    if after:
        cursor = tuple_(
            bindparam("after_created_at", type_=DateTime(timezone=True)),
            bindparam("after_id", type_=Uuid),
        )
        query = query.where(
            tuple_(col(DataIngestionJob.created_at), col(DataIngestionJob.id)) < cursor
        )
        values |= {"after_created_at", "after_id"}
    query = query.order_by(col(DataIngestionJob.created_at).desc(), col(DataIngestionJob.id).desc())
    return compile_once(query.limit(bindparam("limit", type_=Integer)), values=frozenset(values))


async def list_page(
    reads: Reads, *, lab_id: UUID | None, limit: int, after: CursorKey | None
) -> list[JobStatus]:
    """Jobs, newest first; of one lab, or of no lab when `lab_id` is None; the `limit + 1`
    after the cursor, as a page shows them."""
    statement = _page_statement(of_lab=lab_id is not None, after=after is not None)
    values: dict[str, Any] = {"limit": limit + 1}
    if lab_id is not None:
        values["lab_id"] = lab_id
    if after is not None:
        values["after_created_at"], values["after_id"] = after
    return [_JOB_STATUS(row) for row in await reads.fetch(statement, values)]


async def count_active_for_lab(session: AsyncSession, *, lab_id: UUID) -> int:
    query = select(func.count()).where(
        DataIngestionJob.lab_id == lab_id, col(DataIngestionJob.state).in_(ACTIVE_STATES)
    )
    return int((await session.exec(query)).one())


async def count_active_unassigned(session: AsyncSession, *, kinds: frozenset[JobKind]) -> int:
    """Queued or running jobs of no lab, of these kinds."""
    query = select(func.count()).where(
        col(DataIngestionJob.lab_id).is_(None),
        col(DataIngestionJob.target_type).in_(kinds),
        col(DataIngestionJob.state).in_(ACTIVE_STATES),
    )
    return int((await session.exec(query)).one())


# pg_advisory_xact_lock(int, int) keys of the caps on active jobs: (namespace "job", 32 bits of a
# hash of the lab's id; 0 for the jobs of no lab). Two labs sharing a key only wait for each other.
_CAP_LOCK_NAMESPACE = 0x6A6F62
_CAP_LOCK = text("SELECT pg_advisory_xact_lock(:ns, :key)")


def _cap_lock_key(lab_id: UUID | None) -> int:
    if lab_id is None:
        return 0
    digest = hashlib.blake2b(lab_id.bytes, digest_size=4).digest()
    return int.from_bytes(digest, "big", signed=True)


async def lock_active_count(session: AsyncSession, *, lab_id: UUID | None) -> None:
    """Wait for, then hold until the transaction ends, the lock of the cap on the active jobs of
    `lab_id` (None: of no lab): a count taken under it cannot miss another request's job,
    because that request holds the lock until its job is committed or rolled back."""
    connection = await session.connection()
    await connection.execute(_CAP_LOCK, {"ns": _CAP_LOCK_NAMESPACE, "key": _cap_lock_key(lab_id)})


async def notify(session: AsyncSession, channel: str, payload: str) -> None:
    """NOTIFY inside the session's transaction: delivered on commit, dropped on rollback."""
    connection = await session.connection()
    await connection.execute(
        text("SELECT pg_notify(:channel, :payload)"), {"channel": channel, "payload": payload}
    )


async def list_updated_since(
    session: AsyncSession,
    *,
    since: datetime,
    lab_ids: frozenset[UUID] | None,
    with_unassigned: bool,
    limit: int,
) -> list[DataIngestionJob]:
    """The `limit` jobs updated last since `since`, oldest update first: of the labs `lab_ids`
    (every lab when None) and, with `with_unassigned`, the jobs of no lab."""
    query = select(DataIngestionJob).where(DataIngestionJob.updated_at >= since)
    lab_id = col(DataIngestionJob.lab_id)
    if lab_ids is not None:
        of_labs = lab_id.in_(lab_ids)
        query = query.where((of_labs | lab_id.is_(None)) if with_unassigned else of_labs)
    elif not with_unassigned:
        query = query.where(lab_id.is_not(None))
    query = query.order_by(
        col(DataIngestionJob.updated_at).desc(), col(DataIngestionJob.id).desc()
    ).limit(limit)
    return list(reversed((await session.exec(query)).all()))


_FAIL_ABANDONED = text(
    """
    UPDATE data_ingestion_jobs
    SET state = 'failed', locked_by = NULL, lease_expires_at = NULL, finished_at = now(),
        updated_at = now(),
        message = 'Gave up after ' || attempts || ' attempts (the worker stopped each time).'
    WHERE state = 'running' AND lease_expires_at < now() AND attempts >= :max_attempts
    RETURNING id
    """
)

# Fair claiming (docs/jobs-scheduling.md). Jobs are grouped by requester: a lab's jobs by the user
# who queued them, every job of no lab (factor imports, syncs, recalculations) in one "library"
# group. The next job is the oldest of the group that holds the fewest running jobs, then of the
# group served longest ago (never served first; served = its latest job's first start). Only
# unfinished jobs are scanned (a partial index; the caps keep them few), and each group's last
# start is one probe of a partial index on (created_by, started_at) or (started_at).
_CLAIM = text(
    """
    WITH active AS MATERIALIZED (
        SELECT id, created_at, lab_id IS NULL AS library,
               -- never NULL, so groups join on plain equality (the nil uuid: the library, or
               -- lab jobs whose requester's account was deleted)
               coalesce(CASE WHEN lab_id IS NOT NULL THEN created_by END,
                        '00000000-0000-0000-0000-000000000000') AS requester,
               state = 'running' AND lease_expires_at >= now() AS held
        FROM data_ingestion_jobs
        WHERE state IN ('queued', 'running')
    ),
    turn AS MATERIALIZED (
        SELECT library, requester, count(*) FILTER (WHERE held) AS running,
               CASE WHEN library THEN (
                   SELECT max(served.started_at) FROM data_ingestion_jobs AS served
                   WHERE served.lab_id IS NULL
               ) ELSE (
                   SELECT max(served.started_at) FROM data_ingestion_jobs AS served
                   WHERE served.created_by = active.requester AND served.lab_id IS NOT NULL
               ) END AS served_at
        FROM active
        GROUP BY library, requester
        HAVING bool_or(NOT held)
    ),
    ranked AS (
        SELECT active.id, turn.running, turn.served_at, active.created_at
        FROM active JOIN turn USING (library, requester)
        WHERE NOT active.held
    )
    UPDATE data_ingestion_jobs AS job
    SET state = 'running', locked_by = :worker, attempts = job.attempts + 1,
        lease_expires_at = now() + make_interval(secs => :lease_seconds),
        started_at = coalesce(job.started_at, now()), updated_at = now()
    FROM (
        SELECT candidate.id FROM data_ingestion_jobs AS candidate
        JOIN ranked ON ranked.id = candidate.id
        -- rechecked on the row's latest version once locked: a job another runner claimed
        -- meanwhile is passed over, as is one whose row is locked
        WHERE candidate.state = 'queued'
            OR (candidate.state = 'running' AND candidate.lease_expires_at < now())
        ORDER BY ranked.running, ranked.served_at NULLS FIRST, ranked.created_at, ranked.id
        LIMIT 1
        FOR UPDATE OF candidate SKIP LOCKED
    ) AS next
    WHERE job.id = next.id
    RETURNING job.id, job.target_type, job.attempts
    """
)


async def fail_abandoned(session: AsyncSession, *, max_attempts: int) -> list[UUID]:
    connection = await session.connection()
    result = await connection.execute(_FAIL_ABANDONED, {"max_attempts": max_attempts})
    return [row[0] for row in result]


async def claim_next(session: AsyncSession, *, worker: str, lease_seconds: int) -> Claim | None:
    """Take the next queued (or lease-expired) job in fair order (see `_CLAIM`); concurrent
    claimers skip each other's."""
    connection = await session.connection()
    result = await connection.execute(_CLAIM, {"worker": worker, "lease_seconds": lease_seconds})
    row = result.first()
    return Claim(row[0], JobKind(row[1]), row[2]) if row is not None else None


async def renew_lease(
    session: AsyncSession, *, claim: Claim, worker: str, lease_seconds: int
) -> bool:
    """Extend the lease; False when this worker no longer holds the job."""
    connection = await session.connection()
    result = await connection.execute(
        text(
            "UPDATE data_ingestion_jobs "
            "SET lease_expires_at = now() + make_interval(secs => :lease_seconds) "
            "WHERE id = :id AND locked_by = :worker AND attempts = :attempt "
            "AND state = 'running' RETURNING cancel_requested"
        ),
        {
            "id": claim.job_id,
            "worker": worker,
            "attempt": claim.attempt,
            "lease_seconds": lease_seconds,
        },
    )
    return result.first() is not None


async def get_held(session: AsyncSession, *, claim: Claim, worker: str) -> DataIngestionJob | None:
    """The job, locked for update, if this worker still holds this attempt of it."""
    query = (
        select(DataIngestionJob)
        .where(
            DataIngestionJob.id == claim.job_id,
            DataIngestionJob.locked_by == worker,
            DataIngestionJob.attempts == claim.attempt,
            DataIngestionJob.state == JobState.RUNNING,
        )
        # NO KEY UPDATE: the job's own entries hold KEY SHARE on it (their import_id foreign key)
        .with_for_update(key_share=True)
        .execution_options(populate_existing=True)
    )
    return (await session.exec(query)).first()


async def is_cancel_requested(session: AsyncSession, *, job_id: UUID) -> bool:
    query = select(DataIngestionJob.cancel_requested).where(DataIngestionJob.id == job_id)
    return bool((await session.exec(query)).first())
