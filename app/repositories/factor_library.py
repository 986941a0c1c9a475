"""The loads of the shipped factor library (`factor_library_load`)."""

from dataclasses import dataclass

from sqlalchemy import text
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.models.factor_library import FactorLibraryLoad
from app.models.job import DataIngestionJob, JobState

# pg_advisory_xact_lock(int, int) key: (namespace "co2", what), as in app/repositories/factor.py.
_LOCK = text("SELECT pg_advisory_xact_lock(:ns, :key)").bindparams(ns=0x636F32, key=2)


@dataclass(frozen=True)
class LatestLoad:
    version: int
    job_state: JobState | None  # None: its job was deleted since


async def lock(session: AsyncSession) -> None:
    """Wait for, then hold until the transaction ends, the lock of the library's loads: two
    servers starting at once cannot both queue the same version."""
    connection = await session.connection()
    await connection.execute(_LOCK)


async def latest(session: AsyncSession) -> LatestLoad | None:
    """The highest version queued for loading, and how its import job stands."""
    query = (
        select(FactorLibraryLoad.version, DataIngestionJob.state)
        .join_from(
            FactorLibraryLoad,
            DataIngestionJob,
            col(FactorLibraryLoad.job_id) == col(DataIngestionJob.id),
            isouter=True,
        )
        .order_by(col(FactorLibraryLoad.version).desc(), col(FactorLibraryLoad.created_at).desc())
        .limit(1)
    )
    found = (await session.exec(query)).first()
    if found is None:
        return None
    version, state = found
    return LatestLoad(version, None if state is None else JobState(state))


async def add(session: AsyncSession, *, load: FactorLibraryLoad) -> FactorLibraryLoad:
    session.add(load)
    await session.flush()
    return load
