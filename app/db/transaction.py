"""A request's own transaction on one connection of the driver pool, past the ORM.

A request that writes only through compiled statements (adding an entry) takes this instead of
an ORM session: it saves the session's connection checkout, its greenlet rounds and a round trip
(the BEGIN goes in the same pipeline as the first statements). The two cannot meet in one
request: a route takes either `SessionDep` or `DriverTransactionDep`, which the app checks when
it starts (app/api/deps.py), and a service's signature says which it uses.
"""

from typing import Any

import psycopg
from psycopg.pq import TransactionStatus

from app.db.pool import checkout_timeout, get_driver_pool
from app.db.statements import Row, Statement


class DriverTransaction:
    """One transaction, begun by its first statement and ended by `end` (its dependency's job:
    app/db/request.py). The connection is checked out on first use, so a request refused before
    it writes takes none."""

    def __init__(self) -> None:
        self._connection: psycopg.AsyncConnection[Any] | None = None
        self._at_commit: list[tuple[Statement, dict[str, Any]]] = []

    async def _begun(self) -> tuple[psycopg.AsyncConnection[Any], bool]:
        """The connection, and whether the next statements must send the BEGIN."""
        connection = self._connection
        if connection is None:
            pool = await get_driver_pool()
            connection = self._connection = await pool.getconn(timeout=checkout_timeout(pool))
        return connection, connection.info.transaction_status == TransactionStatus.IDLE

    async def fetch(self, statement: Statement, values: dict[str, Any]) -> list[Row]:
        """Run `statement` in the transaction; its rows."""
        return await self.fetch_after(None, {}, statement, values)

    async def fetch_after(
        self,
        first: Statement | None,
        first_values: dict[str, Any],
        statement: Statement,
        values: dict[str, Any],
    ) -> list[Row]:
        """Run `first` (when given), then `statement`, sent together (one round trip, psycopg's
        pipeline mode, with the BEGIN when this is the transaction's first statement); the rows
        of `statement`. The server still runs them one after the other, each with its own
        snapshot, so `statement` sees what committed while `first` waited (a lock, say)."""
        connection, begin = await self._begun()
        async with connection.cursor() as before, connection.cursor() as cursor:
            async with connection.pipeline():
                if begin:
                    await before.execute(b"BEGIN")
                if first is not None:
                    await before.execute(first.sql, first.params(first_values), prepare=True)
                await cursor.execute(statement.sql, statement.params(values), prepare=True)
            return await cursor.fetchall()

    def write_at_commit(self, statement: Statement, values: dict[str, Any]) -> None:
        """Write with the COMMIT, in its round trip: for a row nobody reads back in the
        transaction (the request's audit event). When it fails, the commit does not happen and
        `end` raises its error; a rollback drops it."""
        if self._connection is None:
            raise RuntimeError("a write at commit needs a transaction that has begun")
        self._at_commit.append((statement, values))

    @property
    def begun(self) -> bool:
        return self._connection is not None

    async def end(self, *, commit: bool) -> None:
        """Commit (or roll back) and give the connection back; nothing when nothing began."""
        connection, self._connection = self._connection, None
        at_commit, self._at_commit = self._at_commit, []
        if connection is None:
            return
        try:
            if connection.broken:
                return
            if commit and at_commit:
                await _commit_with(connection, at_commit)
            else:
                await connection.execute(b"COMMIT" if commit else b"ROLLBACK")
        finally:
            await (await get_driver_pool()).putconn(connection)


async def _commit_with(
    connection: psycopg.AsyncConnection[Any], writes: list[tuple[Statement, dict[str, Any]]]
) -> None:
    """`writes`, then COMMIT, sent together. A failed write aborts the transaction (the server
    skips the COMMIT after it), which is then rolled back here before the error goes on."""
    try:
        async with connection.cursor() as cursor, connection.pipeline():
            for statement, values in writes:
                await cursor.execute(statement.sql, statement.params(values), prepare=True)
            await cursor.execute(b"COMMIT")
    except psycopg.Error:
        if not connection.broken and connection.info.transaction_status != TransactionStatus.IDLE:
            await connection.execute(b"ROLLBACK")
        raise
