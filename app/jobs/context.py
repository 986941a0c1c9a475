"""What a job handler gets: its claim, and short side transactions for progress (the job's own
work runs in one long transaction that commits its rows and its end state together)."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from app.models.job import DataIngestionJob
from app.repositories import job as job_repository
from app.repositories.job import Claim


class JobCancelled(Exception):
    """Raised inside a handler when the job's cancellation was requested."""


class LeaseLost(Exception):
    """Raised when another worker holds the job now (this one was too slow or presumed dead)."""


@dataclass(frozen=True)
class JobContext:
    claim: Claim
    worker: str
    sessions: async_sessionmaker[AsyncSession]

    async def report_progress(self, **counts: Any) -> None:
        """Publish counts in a side transaction; raise JobCancelled when cancel was requested,
        LeaseLost when the job is no longer ours."""
        async with self.sessions() as session:
            job = await job_repository.get_held(session, claim=self.claim, worker=self.worker)
            if job is None:
                raise LeaseLost
            for name, value in counts.items():
                setattr(job, name, value)
            await session.flush()
            await job_repository.notify(
                session, job_repository.EVENTS_CHANNEL, job_repository.event_payload(job)
            )
            cancel = job.cancel_requested
            await session.commit()
        if cancel:
            raise JobCancelled

    async def held_job(self, session: AsyncSession) -> DataIngestionJob:
        """The job row, locked, in the handler's transaction; LeaseLost if it is not ours."""
        job = await job_repository.get_held(session, claim=self.claim, worker=self.worker)
        if job is None:
            raise LeaseLost
        return job
