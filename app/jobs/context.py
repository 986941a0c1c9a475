"""What a job handler gets: its claim, and short side transactions for progress (the job's own
work runs in one long transaction that commits its rows and its end state together)."""

from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from app.models.job import Claim, DataIngestionJob
from app.services import job_lifecycle
from app.services.job_lifecycle import JobCancelled, LeaseLost

__all__ = ["JobCancelled", "JobContext", "LeaseLost"]


@dataclass(frozen=True)
class JobContext:
    claim: Claim
    worker: str
    sessions: async_sessionmaker[AsyncSession]

    async def report_progress(self, **counts: Any) -> None:
        """Publish counts in a side transaction; raise JobCancelled when cancel was requested,
        LeaseLost when the job is no longer ours."""
        async with self.sessions() as session:
            cancel = await job_lifecycle.report_progress(
                session, claim=self.claim, worker=self.worker, counts=counts
            )
            await session.commit()
        if cancel:
            raise JobCancelled

    def side_session(self) -> AbstractAsyncContextManager[AsyncSession]:
        return self.sessions()

    async def held_job(self, session: AsyncSession) -> DataIngestionJob:
        """The job row, locked, in the handler's transaction; LeaseLost if it is not ours."""
        return await job_lifecycle.held_job(session, claim=self.claim, worker=self.worker)
