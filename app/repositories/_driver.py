"""Hot-path statements on psycopg connections, past the ORM.

Every request authenticates, and most are scoped to a lab; the statements that do that (and the
INSERT of an entry) are built with SQLAlchemy Core from the SQLModel tables, compiled once for
psycopg, and executed as prepared statements on a connection of the driver pool
(`database.get_driver_pool`) or, once the session's transaction has begun, on the session's own
DBAPI connection. That skips, per statement, the ORM's result loading, SQLAlchemy's execution
context and a greenlet switch, and per request the session's connection checkout and commit
when nothing else needs them (docs/performance.md).

Errors are psycopg's own. A dead connection still empties its pool of dead ones: on the driver
pool, `fetch` tests the idle connections; on the session's, the rollback that follows any error
goes through SQLAlchemy, which sees the disconnect (tests/integration/test_health.py).
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any, Generic, TypeVar, cast

import psycopg
from psycopg.pq import TransactionStatus
from sqlalchemy import Column, inspect
from sqlalchemy import Enum as SAEnum
from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg
from sqlalchemy.orm import configure_mappers
from sqlalchemy.orm.instrumentation import ClassManager, manager_of_class
from sqlalchemy.sql.expression import ClauseElement
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from app.database import checkout_timeout, get_driver_pool, own_transaction

_DIALECT = PGDialect_psycopg()  # type: ignore[no-untyped-call]  # SQLAlchemy leaves it untyped
Row = tuple[Any, ...]
M = TypeVar("M", bound=SQLModel)


@dataclass(frozen=True)
class Statement:
    """A statement compiled once: psycopg's `%(name)s` SQL and the constants it binds."""

    sql: bytes
    constants: dict[str, Any]

    def params(self, values: dict[str, Any]) -> dict[str, Any]:
        return self.constants | values


def compile_once(statement: ClauseElement, *, values: frozenset[str]) -> Statement:
    """Compile for psycopg; `values` names the bound parameters given at each execution (every
    other bound parameter is a constant of the statement, such as a LIMIT)."""
    compiled = statement.compile(dialect=_DIALECT)
    names = frozenset(compiled.params)
    if not values <= names:
        raise ValueError(f"not parameters of the statement: {sorted(values - names)}")
    constants = {name: value for name, value in compiled.params.items() if name not in values}
    return Statement(compiled.string.encode(), constants)


async def _driver(session: AsyncSession) -> psycopg.AsyncConnection[Any]:
    connection = await session.connection()
    pooled = await connection.get_raw_connection()
    driver = pooled.driver_connection
    assert isinstance(driver, psycopg.AsyncConnection)
    return driver


async def fetch(
    session: AsyncSession,
    statement: Statement,
    values: dict[str, Any],
    *,
    outside_transaction: bool = False,
) -> list[Row]:
    """Run `statement` for the request of `session` and return its rows.

    `outside_transaction`: a plain read (no locks, no SET LOCAL) may run as a statement of its
    own, on a connection of the driver pool (`database.get_driver_pool`), while the session has not
    begun its transaction. Under READ COMMITTED each statement sees its own snapshot anyway, so
    this changes no result; it saves the BEGIN and COMMIT round trips and, when the request does
    nothing else, the session's connection. Once the session's transaction has begun, the read
    runs inside it, where it sees what the transaction wrote."""
    params = statement.params(values)
    if outside_transaction and not session.in_transaction():
        pool = await get_driver_pool()
        async with pool.connection(timeout=checkout_timeout(pool)) as connection:
            try:
                cursor = await connection.execute(statement.sql, params, prepare=True)
            except psycopg.OperationalError:
                if connection.broken:
                    # The server dropped it, so probably every idle one too (a restart): test
                    # them now, as SQLAlchemy invalidates its pool, so that only this fails.
                    await pool.check()
                raise
            return await cursor.fetchall()
    driver = await _driver(session)
    cursor = await driver.execute(statement.sql, params, prepare=True)
    return await cursor.fetchall()


async def fetch_after(
    session: AsyncSession,
    first: Statement,
    first_values: dict[str, Any],
    statement: Statement,
    values: dict[str, Any],
) -> list[Row]:
    """Run `first`, then `statement`, in the request's transaction, sent together (one round
    trip, psycopg's pipeline mode); return the rows of `statement`. The server still runs them
    one after the other, each with its own snapshot, so `statement` sees what committed while
    `first` waited (a lock, say).

    The transaction is the request's own on a driver connection (`database.own_transaction`,
    its BEGIN sent in the same pipeline) while the session has not begun one; else the
    session's."""
    own = await own_transaction(session)
    driver = own if own is not None else await _driver(session)
    async with driver.cursor() as before, driver.cursor() as cursor:
        async with driver.pipeline():
            if own is not None and own.info.transaction_status == TransactionStatus.IDLE:
                await before.execute(b"BEGIN")
            await before.execute(first.sql, first.params(first_values), prepare=True)
            await cursor.execute(statement.sql, statement.params(values), prepare=True)
        return await cursor.fetchall()


class Reader(Generic[M]):
    """Builds instances of a table model from a slice of a row, the way the ORM's loader does
    (a new instance with its attributes set, no `__init__`, no validation), but not attached to
    the session: `transient`, so it reads like a loaded instance and is never flushed."""

    def __init__(self, model: type[M]) -> None:
        self.model = model
        # The table's columns, in order: select them as `*reader.columns`.
        self.columns: list[Column[Any]] = list(inspect(model).columns)
        self._keys: list[str] = []
        self._enums: list[tuple[int, type[Enum]]] = []
        self.primary_key_index = -1
        for index, column in enumerate(self.columns):
            self._keys.append(column.key)
            if column.primary_key and self.primary_key_index < 0:
                self.primary_key_index = index
            enum_class = getattr(column.type, "enum_class", None)
            if isinstance(column.type, SAEnum) and enum_class is not None:
                self._enums.append((index, enum_class))
        self.width = len(self._keys)
        self._manager: ClassManager[M] | None = None
        self._defaults: list[tuple[str, Callable[[], Any] | None, Any]] | None = None

    def column(self, key: str) -> Column[Any]:
        return self.columns[self._keys.index(key)]

    def defaults(self) -> dict[str, Any]:
        """The model's defaults (factories called) for the columns that have one."""
        if self._defaults is None:
            self._defaults = []
            for key in self._keys:
                field = self.model.model_fields[key]
                factory = field.default_factory
                if factory is not None:
                    if field.default_factory_takes_validated_data:
                        raise TypeError(f"{self.model.__name__}.{key}: a factory of the data")
                    self._defaults.append((key, cast(Callable[[], Any], factory), None))
                elif not field.is_required():
                    self._defaults.append((key, None, field.default))
        return {
            key: factory() if factory is not None else value
            for key, factory, value in self._defaults
        }

    def __call__(self, row: Row, start: int = 0) -> M:
        if self._manager is None:
            configure_mappers()  # attribute access needs configured mappers
            manager = manager_of_class(self.model)
            self._manager = manager
        values = dict(zip(self._keys, row[start : start + self.width], strict=True))
        for index, enum_class in self._enums:
            value = row[start + index]
            if value is not None:
                values[self._keys[index]] = enum_class(value)
        instance = self._manager.new_instance()
        instance.__dict__.update(values)
        return instance
