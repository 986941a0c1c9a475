"""The driver pool: plain psycopg connections in autocommit, past the ORM, for the hot paths.

Checking one out and back costs a fraction of an ORM session's connection (docs/performance.md).
It serves two kinds of work, each with its own type:
- `Pool`: statements each committed on their own (autocommit): the reads a request makes
  before its transaction (authentication, on every request; pages of labs), and the writes of
  authentication that are facts of their own (an API key's last use, an OIDC user's account).
- `DriverTransaction` (app/db/transaction.py): a request's one transaction on one connection.
"""

from typing import Any, Self

import psycopg
from psycopg.pq import ExecStatus
from psycopg_pool import AsyncConnectionPool

from app.config import settings
from app.db.engine import libpq_url
from app.db.statements import Row, Statement

DATABASE_DOWN_WAIT_SECONDS = 1.0
# Did the driver pool's last attempt to connect succeed? None: none has ended yet.
_driver_connected: bool | None = None
_driver_pool: AsyncConnectionPool[psycopg.AsyncConnection[Any]] | None = None


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
    """The pool, opened on first use. It grows with demand up to `DB_POOL_SIZE +
    DB_MAX_OVERFLOW` and shrinks back to one after 10 idle minutes."""
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


async def close_driver_pool() -> None:
    global _driver_pool
    if _driver_pool is not None:
        await _driver_pool.close()
    _driver_pool = None


class Pool:
    """Statements each run and committed on their own, on a connection of the driver pool.

    Under READ COMMITTED each statement of a transaction sees its own snapshot anyway, so a
    plain read gives the same result here as inside a transaction that has written nothing yet;
    it saves the BEGIN and COMMIT round trips and the connection of a session. What it cannot do
    is see a transaction's uncommitted writes: a read that must is given that transaction."""

    async def fetch(self, statement: Statement, values: dict[str, Any]) -> list[Row]:
        pool = await get_driver_pool()
        async with pool.connection(timeout=checkout_timeout(pool)) as connection:
            try:
                cursor = await connection.execute(
                    statement.sql, statement.params(values), prepare=True
                )
            except psycopg.OperationalError:
                if connection.broken:
                    # The server dropped it, so probably every idle one too (a restart): test
                    # them now, as SQLAlchemy invalidates its pool, so that only this fails.
                    await pool.check()
                raise
            # The result's status, not `cursor.description`: that builds a Column per field.
            result = cursor.pgresult
            if result is None or result.status != ExecStatus.TUPLES_OK:
                return []
            return await cursor.fetchall()


POOL = Pool()  # stateless: one for everyone
