"""Lazy async engine and session factory; `get_db` is the request-scoped session dependency.

Nothing here connects at import time: the engine is built on the first `get_engine()` call.
"""

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import psycopg
from psycopg_pool import AsyncConnectionPool
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from app.config import settings
from app.core.embedded_db import EmbeddedPostgres
from app.core.errors import AppError
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
_read_pool: AsyncConnectionPool[psycopg.AsyncConnection[Any]] | None = None
_read_pool_lock = asyncio.Lock()


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
    """Sessions of background jobs, on a small pool of their own (`JOB_DB_POOL_SIZE`, no
    overflow): a long import waits for a job connection, never for one of the API's."""
    global _job_engine, _job_session_factory
    if _job_session_factory is None:
        _job_engine = create_async_engine(
            database_url(),
            pool_size=settings.JOB_DB_POOL_SIZE,
            max_overflow=0,
            pool_pre_ping=True,
        )
        _job_session_factory = async_sessionmaker(
            _job_engine, class_=AsyncSession, expire_on_commit=False
        )
    return _job_session_factory


async def get_read_pool() -> AsyncConnectionPool[psycopg.AsyncConnection[Any]]:
    """Plain psycopg connections in autocommit, for the reads a request makes before (or
    without) a transaction: authentication on every request, pages of labs. Checking one out
    and back costs a fraction of an ORM session's connection (README, Performance), and a
    request that never writes never opens a session's connection at all. It grows with demand
    up to `DB_POOL_SIZE + DB_MAX_OVERFLOW` and shrinks back to one after 10 idle minutes."""
    global _read_pool
    if _read_pool is None:
        async with _read_pool_lock:
            if _read_pool is None:
                pool: AsyncConnectionPool[psycopg.AsyncConnection[Any]] = AsyncConnectionPool(
                    libpq_url(),
                    min_size=1,
                    max_size=settings.DB_POOL_SIZE + settings.DB_MAX_OVERFLOW,
                    kwargs={"autocommit": True},
                    open=False,
                    name="reads",
                )
                await pool.open()
                _read_pool = pool
    return _read_pool


async def dispose_engine() -> None:
    """Close every pooled connection and forget the engines (shutdown, tests)."""
    global _engine, _session_factory, _job_engine, _job_session_factory, _read_pool
    for engine in (_engine, _job_engine):
        if engine is not None:
            await engine.dispose()
    if _read_pool is not None:
        await _read_pool.close()
    _engine = _job_engine = None
    _session_factory = _job_session_factory = None
    _read_pool = None


def libpq_url() -> str:
    """The database URL as libpq understands it (for plain psycopg connections: LISTEN)."""
    url = make_url(database_url()).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def _used(session: AsyncSession) -> bool:
    """Whether the session began a transaction or holds objects to write. A request that only
    reads through the read pool never does, and skips the commit and close (each a greenlet
    round of SQLAlchemy's, for nothing)."""
    return session.in_transaction() or bool(session.new or session.dirty or session.deleted)


async def get_db() -> AsyncIterator[AsyncSession]:
    """One session and one transaction per request: committed when the handler succeeds."""
    session = get_session_factory()()
    try:
        yield session
        if _used(session):
            await session.commit()
    except AppError as error:
        if _used(session):
            await (session.commit() if error.keeps_changes else session.rollback())
        raise
    except BaseException:
        if _used(session):
            await session.rollback()
        raise
    finally:
        if session.in_transaction():  # a commit or rollback above ended any other
            await session.close()
