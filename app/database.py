"""Lazy async engine and session factory; `get_db` is the request-scoped session dependency.

Nothing here connects at import time: the engine is built on the first `get_engine()` call.
"""

from collections.abc import AsyncGenerator
from typing import Any, Self

import psycopg
from psycopg_pool import AsyncConnectionPool
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase
from sqlmodel import Session, SQLModel
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
_driver_pool: AsyncConnectionPool[psycopg.AsyncConnection[Any]] | None = None


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
            get_engine(),
            class_=AsyncSession,
            sync_session_class=RequestSyncSession,
            expire_on_commit=False,
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


DATABASE_DOWN_WAIT_SECONDS = 1.0
# Did the driver pool's last attempt to connect succeed? None: none has ended yet.
_driver_connected: bool | None = None


class _WatchedConnection(psycopg.AsyncConnection[Any]):
    """The driver pool's connections, recording whether the last attempt to connect worked."""

    @classmethod
    async def connect(cls, *args: Any, **kwargs: Any) -> Self:
        global _driver_connected
        try:
            connection = await super().connect(*args, **kwargs)
        except psycopg.OperationalError:
            _driver_connected = False
            raise
        _driver_connected = True
        return connection


def checkout_timeout(pool: AsyncConnectionPool[psycopg.AsyncConnection[Any]]) -> float:
    """How long a checkout may wait: only a second once an attempt to connect failed (the
    database is down), so that requests get their 503 at once, not after 30 s; else the pool's
    own timeout (its connections are busy, or its first ones, on a cold start under load, are
    still being made)."""
    return DATABASE_DOWN_WAIT_SECONDS if _driver_connected is False else pool.timeout


async def get_driver_pool() -> AsyncConnectionPool[psycopg.AsyncConnection[Any]]:
    """Plain psycopg connections in autocommit, for the hot-path statements run past the ORM
    (`repositories/_driver`): the reads a request makes before (or without) a transaction
    (authentication on every request, pages of labs), and the transaction of a request that
    writes only through them (`own_transaction`). Checking one out and back costs a fraction of
    an ORM session's connection (docs/performance.md). It grows with demand up to
    `DB_POOL_SIZE + DB_MAX_OVERFLOW` and shrinks back to one after 10 idle minutes."""
    global _driver_pool, _driver_connected
    pool = _driver_pool
    if pool is None:
        _driver_connected = None
        pool = _driver_pool = AsyncConnectionPool(
            libpq_url(),
            connection_class=_WatchedConnection,
            min_size=1,
            max_size=settings.DB_POOL_SIZE + settings.DB_MAX_OVERFLOW,
            kwargs={"autocommit": True},
            open=False,
            name="driver",
        )
    if pool.closed:  # not opened yet: opening is idempotent, so concurrent first calls are fine
        await pool.open()
    return pool


async def dispose_engine() -> None:
    """Close every pooled connection and forget the engines (shutdown, tests)."""
    global _engine, _session_factory, _job_engine, _job_session_factory, _driver_pool
    for engine in (_engine, _job_engine):
        if engine is not None:
            await engine.dispose()
    if _driver_pool is not None:
        await _driver_pool.close()
    _engine = _job_engine = None
    _session_factory = _job_session_factory = None
    _driver_pool = None


def libpq_url() -> str:
    """The database URL as libpq understands it (for plain psycopg connections: LISTEN)."""
    url = make_url(database_url()).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


# Keys of `session.info` (SQLAlchemy's dict for its users).
_REQUEST = "co2.request"  # a request's session (get_db): it may have a transaction of its own
_OWN_TRANSACTION = "co2.own_transaction"  # that transaction's connection, once begun
_TWO_TRANSACTIONS = "a request wrote through its session and its own transaction"


class RequestSyncSession(Session):
    """The API's sessions (requests, and tests through `get_session_factory`)."""


@event.listens_for(RequestSyncSession, "after_begin")
def _one_transaction_per_request(session: Session, *_: object) -> None:
    """Refuse the ORM's transaction in a request that began its own (`own_transaction`): the
    two would commit apart."""
    if session.info.get(_OWN_TRANSACTION) is not None:
        raise RuntimeError(_TWO_TRANSACTIONS)


async def own_transaction(session: AsyncSession) -> psycopg.AsyncConnection[Any] | None:
    """The connection of the request's own transaction, when `session` is a request's and has
    not begun its ORM transaction: a connection of the driver pool, checked out on the first
    call (its first statements send the `BEGIN`: `_driver.fetch_after`); `get_db` commits or
    rolls it back as it would the session's.
    None otherwise (a job's or a test's session, or one already in its transaction): then the
    statements belong in the session's transaction."""
    if not session.info.get(_REQUEST) or session.in_transaction():
        return None
    connection: psycopg.AsyncConnection[Any] | None = session.info.get(_OWN_TRANSACTION)
    if connection is None:
        pool = await get_driver_pool()
        connection = await pool.getconn(timeout=checkout_timeout(pool))
        session.info[_OWN_TRANSACTION] = connection
    return connection


async def _end_own_transaction(connection: psycopg.AsyncConnection[Any], *, commit: bool) -> None:
    try:
        if not connection.broken:
            await connection.execute(b"COMMIT" if commit else b"ROLLBACK")
    finally:
        await (await get_driver_pool()).putconn(connection)


async def _finish(session: AsyncSession, *, commit: bool) -> None:
    """End the request's transaction: its own (driver) one, or the session's."""
    own: psycopg.AsyncConnection[Any] | None = session.info.pop(_OWN_TRANSACTION, None)
    if own is None:
        if _used(session):
            await (session.commit() if commit else session.rollback())
        return
    if _used(session):
        # Two transactions in one request would commit apart: refuse both, loudly.
        await _end_own_transaction(own, commit=False)
        await session.rollback()
        raise RuntimeError(_TWO_TRANSACTIONS)
    await _end_own_transaction(own, commit=commit)


def _used(session: AsyncSession) -> bool:
    """Whether the session began a transaction or holds objects to write. A request that only
    reads through the driver pool never does, and skips the commit and close (each a greenlet
    round of SQLAlchemy's, for nothing)."""
    return session.in_transaction() or bool(session.new or session.dirty or session.deleted)


async def get_db() -> AsyncGenerator[AsyncSession]:
    """One session and one transaction per request: committed when the handler succeeds. The
    transaction is the session's, or the request's own on a driver connection when it wrote
    only past the ORM (`own_transaction`)."""
    session = get_session_factory()()
    session.info[_REQUEST] = True
    try:
        yield session
        await _finish(session, commit=True)
    except AppError as error:
        await _finish(session, commit=error.keeps_changes)
        raise
    except BaseException:
        await _finish(session, commit=False)
        raise
    finally:
        if session.in_transaction():  # a commit or rollback above ended any other
            await session.close()
