"""The job runner of one process: claims jobs with `FOR UPDATE SKIP LOCKED`, runs up to
`JOB_WORKERS` at once, and keeps their leases alive.

It wakes when a job is queued anywhere (NOTIFY on commit, through the process's PgListener) and
every `JOB_POLL_SECONDS` regardless — the safety net that picks up jobs whose worker died (their
lease expired) or whose notification was lost. Any number of processes can run one.
"""

import asyncio
import contextlib
import logging
import os
import socket
import uuid
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from app.jobs.activities import run_activities
from app.jobs.context import JobContext
from app.jobs.factor_sync import run_factor_sync
from app.jobs.factors import run_factors
from app.jobs.recalculate import run_recalculate
from app.models.job import Claim, JobKind, JobState
from app.services import job_lifecycle
from app.services.job_lifecycle import JobCancelled, LeaseLost

logger = logging.getLogger(__name__)

Handler = Callable[[JobContext], Awaitable[None]]
HANDLERS: dict[JobKind, Handler] = {
    JobKind.ACTIVITIES: run_activities,
    JobKind.FACTORS: run_factors,
    JobKind.FACTOR_SYNC: run_factor_sync,
    JobKind.RECALCULATE: run_recalculate,
}


def worker_name() -> str:
    """`host:pid:random`, what operators see in `locked_by`."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class JobRunner:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        *,
        workers: int,
        poll_seconds: float,
        lease_seconds: int,
        max_attempts: int,
    ) -> None:
        self.name = worker_name()
        self._sessions = sessions
        self._workers = workers
        self._poll_seconds = poll_seconds
        self._lease_seconds = lease_seconds
        self._max_attempts = max_attempts
        self._wake = asyncio.Event()
        # Set while the loop waits to be woken, having claimed what it could.
        self.waiting = asyncio.Event()
        self._running: dict[asyncio.Task[None], Claim] = {}
        self._loop_task: asyncio.Task[None] | None = None
        self._stopping = False

    def wake(self, _payload: str = "") -> None:
        self._wake.set()

    def start(self) -> None:
        self._stopping = False
        self._loop_task = asyncio.create_task(self._loop(), name="job-runner")

    async def stop(self) -> None:
        """Stop claiming; abandon running jobs (rolled back; released for another worker)."""
        self._stopping = True
        tasks = [task for task in (self._loop_task, *self._running) if task is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._loop_task = None

    async def _loop(self) -> None:
        await self._discard_staged()  # what ended jobs left when a server stopped
        while not self._stopping:
            try:
                await self._fill()
            except Exception:
                logger.exception("claiming jobs failed; retrying at the next poll")
            await self._sleep_until_woken()

    async def _sleep_until_woken(self) -> None:
        # asyncio.timeout, not wait_for: on Python 3.11, wait_for swallows a cancellation that
        # arrives just as the event is set, so stop() would wait for a loop that never ends.
        self.waiting.set()
        try:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self._poll_seconds):
                    await self._wake.wait()
        finally:
            self.waiting.clear()
        self._wake.clear()

    async def _fill(self) -> None:
        while len(self._running) < self._workers and not self._stopping:
            async with self._sessions() as session:
                claim = await job_lifecycle.claim_next(
                    session,
                    worker=self.name,
                    lease_seconds=self._lease_seconds,
                    max_attempts=self._max_attempts,
                )
                await session.commit()
            if claim is None:
                return
            task = asyncio.create_task(self._run(claim), name=f"job-{claim.job_id}")
            self._running[task] = claim
            task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._running.pop(task, None)
        self.wake()  # a slot is free

    async def _run(self, claim: Claim) -> None:
        context = JobContext(claim=claim, worker=self.name, sessions=self._sessions)
        handler = HANDLERS.get(claim.kind)
        work = asyncio.create_task(self._handle(context, handler))
        keeper = asyncio.create_task(self._keep_lease(claim, work))
        try:
            await work
        finally:
            keeper.cancel()
            await asyncio.gather(keeper, return_exceptions=True)
            if not work.done():
                work.cancel()
                await asyncio.gather(work, return_exceptions=True)
        await self._discard_staged(claim.job_id)

    async def _discard_staged(self, job_id: uuid.UUID | None = None) -> None:
        """Delete the staged rows of the job that has just ended (nothing if it waits for a
        retry), or of every ended job; a failure leaves them to the next start."""
        try:
            async with self._sessions() as session:
                await job_lifecycle.discard_staged_of_ended(session, job_id=job_id)
        except Exception:
            logger.exception("deleting the staged rows of ended jobs failed")

    async def _handle(self, context: JobContext, handler: Handler | None) -> None:
        claim = context.claim
        try:
            if handler is None:
                await self._end(claim, JobState.FAILED, job_lifecycle.no_handler(claim.kind))
                return
            await handler(context)
            logger.info("job %s (%s) ended", claim.job_id, claim.kind.value)
        except JobCancelled:
            await self._end(claim, JobState.CANCELLED, job_lifecycle.CANCELLED_RUNNING)
        except LeaseLost:
            logger.warning("job %s: lease lost, another worker has it", claim.job_id)
        except asyncio.CancelledError:
            logger.info("job %s abandoned (shutdown or lease lost); rolled back", claim.job_id)
            raise
        except Exception:
            logger.exception("job %s (%s) failed", claim.job_id, claim.kind.value)
            if claim.attempt < self._max_attempts:
                await self._end(claim, JobState.QUEUED, job_lifecycle.retrying(claim.attempt))
            else:
                await self._end(claim, JobState.FAILED, job_lifecycle.FAILED)

    async def _end(self, claim: Claim, state: JobState, message: str) -> None:
        """Record how a job ended (or that it waits for a retry), in a new transaction: its own
        was rolled back. If even that fails, the lease runs out and the job is claimed again."""
        try:
            await self._record_end(claim, state, message)
        except Exception:
            logger.exception(
                "job %s: could not record its end; the lease will expire", claim.job_id
            )

    async def _record_end(self, claim: Claim, state: JobState, message: str) -> None:
        async with self._sessions() as session:
            await job_lifecycle.record_end(
                session, claim=claim, worker=self.name, state=state, message=message
            )
            await session.commit()

    async def _keep_lease(self, claim: Claim, work: asyncio.Task[None]) -> None:
        """Renew the lease at a third of its length; cancel the work if the job was taken."""
        while not work.done():
            await asyncio.sleep(self._lease_seconds / 3)
            try:
                async with self._sessions() as session:
                    held = await job_lifecycle.renew_lease(
                        session, claim=claim, worker=self.name, lease_seconds=self._lease_seconds
                    )
                    await session.commit()
            except Exception:
                logger.warning("job %s: lease renewal failed; retrying", claim.job_id)
                continue
            if not held:
                work.cancel()
                return
