"""The ORM's engines and session factories, created lazily: nothing connects at import time.

The API's sessions (`get_session_factory`) and the background jobs' (`get_job_session_factory`)
are on two pools, so that a long import waits for a job connection, never for one of the API's.
"""

from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from app.config import settings
from app.core.embedded_db import EmbeddedPostgres
from app.models.base import NAMING_CONVENTION

assert SQLModel.metadata.naming_convention == NAMING_CONVENTION

EMBEDDED_DATABASE = "co2calculator"


class Base(DeclarativeBase):
    """Plain SQLAlchemy tables (staging, internal) share SQLModel's metadata, hence Alembic's."""

    metadata = SQLModel.metadata


_engine: AsyncEngine | None = None
_session_factory: async_sessionmaker[AsyncSession] | None = None
_job_engine: AsyncEngine | None = None
_job_session_factory: async_sessionmaker[AsyncSession] | None = None


def embedded_server() -> EmbeddedPostgres:
    """The development server kept under `DATA_DIR/pg` (not started by this call)."""
    return EmbeddedPostgres(settings.DATA_DIR / "pg")


def database_url() -> str:
    """`DATABASE_URL`, or the embedded development server under `.data/` (started if needed)."""
    if settings.DATABASE_URL is not None:
        return settings.DATABASE_URL
    server = embedded_server()
    server.start()
    server.ensure_database(EMBEDDED_DATABASE)
    return server.url(EMBEDDED_DATABASE)


def libpq_url() -> str:
    """The database URL as libpq understands it (plain psycopg connections: the driver pool,
    LISTEN)."""
    url = make_url(database_url()).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def get_engine() -> AsyncEngine:
    global _engine
    if _engine is None:
        # No pre-ping: it costs every request a round trip. A connection the server dropped
        # fails its request once, and that error invalidates the whole pool, so the requests
        # after it get fresh connections (SQLAlchemy's "optimistic" disconnect handling).
        _engine = create_async_engine(
            database_url(),
            pool_size=settings.DB_POOL_SIZE,
            max_overflow=settings.DB_MAX_OVERFLOW,
        )
    return _engine


def get_session_factory() -> async_sessionmaker[AsyncSession]:
    global _session_factory
    if _session_factory is None:
        _session_factory = async_sessionmaker(
            get_engine(), class_=AsyncSession, expire_on_commit=False
        )
    return _session_factory


def get_job_session_factory() -> async_sessionmaker[AsyncSession]:
    """Sessions of background jobs, on a small pool of their own (`JOB_DB_POOL_SIZE`, at least
    two per worker and one more; no overflow)."""
    global _job_engine, _job_session_factory
    if _job_session_factory is None:
        _job_engine = create_async_engine(
            database_url(),
            # An activities import holds two connections (its transaction, and beside it the
            # check of a plain file's batches or the computation of typed rows); progress and
            # leases need one more.
            pool_size=max(settings.JOB_DB_POOL_SIZE, 2 * settings.JOB_WORKERS + 1),
            max_overflow=0,
            pool_pre_ping=True,
        )
        _job_session_factory = async_sessionmaker(
            _job_engine, class_=AsyncSession, expire_on_commit=False
        )
    return _job_session_factory


async def dispose_engines() -> None:
    """Close the engines' pooled connections and forget them (shutdown, tests)."""
    global _engine, _session_factory, _job_engine, _job_session_factory
    for engine in (_engine, _job_engine):
        if engine is not None:
            await engine.dispose()
    _engine = _job_engine = None
    _session_factory = _job_session_factory = None


def engine_created() -> bool:
    """Whether the API's engine exists (tests check that importing the app creates none)."""
    return _engine is not None
