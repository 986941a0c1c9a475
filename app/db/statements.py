"""Statements compiled once for psycopg, and rows read back into table models.

Every request authenticates, and most are scoped to a lab; the statements that do that (and the
INSERT of an entry) are built with SQLAlchemy Core from the SQLModel tables, compiled once, and
executed as prepared statements past the ORM (`Reads`: app/db/pool.py, app/db/transaction.py).
That skips, per statement, the ORM's result loading, SQLAlchemy's execution context and a
greenlet switch (docs/performance.md). Errors are psycopg's own.
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any, Generic, Protocol, TypeVar, cast

from sqlalchemy import Column, inspect
from sqlalchemy import Enum as SAEnum
from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg
from sqlalchemy.orm import configure_mappers
from sqlalchemy.orm.instrumentation import ClassManager, manager_of_class
from sqlalchemy.sql.expression import ClauseElement
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from app.models.family import trusted

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


class Reads(Protocol):
    """Whatever runs a compiled statement and returns its rows: the driver pool, each statement
    committed on its own (`pool.Pool`), or a request's own transaction
    (`transaction.DriverTransaction`). A repository function that only reads takes this."""

    async def fetch(self, statement: Statement, values: dict[str, Any]) -> list[Row]: ...


def enum_columns(columns: list[Column[Any]]) -> list[tuple[int, type[Enum]]]:
    """The positions of `columns` whose values are read back as a Python enum, with it."""
    found: list[tuple[int, type[Enum]]] = []
    for index, column in enumerate(columns):
        enum_class = getattr(column.type, "enum_class", None)
        if isinstance(column.type, SAEnum) and enum_class is not None:
            found.append((index, enum_class))
    return found


class Reader(Generic[M]):
    """Builds instances of a table model from a slice of a row, the way the ORM's loader does
    (a new instance with its attributes set, no `__init__`, no validation), but not attached to
    the session: `transient`, so it reads like a loaded instance and is never flushed."""

    def __init__(self, model: type[M]) -> None:
        self.model = model
        # The table's columns, in order: select them as `*reader.columns`.
        self.columns: list[Column[Any]] = list(inspect(model).columns)
        # Those an INSERT writes: not the generated ones, which PostgreSQL computes.
        self.written: list[Column[Any]] = [c for c in self.columns if c.computed is None]
        self._keys: list[str] = []
        self.primary_key_index = -1
        for index, column in enumerate(self.columns):
            self._keys.append(column.key)
            if column.primary_key and self.primary_key_index < 0:
                self.primary_key_index = index
        self._enums = enum_columns(self.columns)
        self.width = len(self._keys)
        self._manager: ClassManager[M] | None = None
        self._defaults: list[tuple[str, Callable[[], Any] | None, Any]] | None = None

    def column(self, key: str) -> Column[Any]:
        return self.columns[self._keys.index(key)]

    def defaults(self) -> dict[str, Any]:
        """The model's defaults (factories called) for the written columns that have one."""
        if self._defaults is None:
            self._defaults = []
            for key in (column.key for column in self.written):
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


P = TypeVar("P", bound=SQLModel)


class PublicReader(Generic[P]):
    """Builds a response model (an `XPublic`) straight from a row of the table's columns that it
    shows (select `*reader.columns`): no table instance, and not validated again (`trusted`:
    the values come from the database). For pages, which are read, sent and forgotten: building
    table instances first cost a page more CPU than its query (docs/performance.md). Fields the
    table has not (`extra`) are given to each call."""

    def __init__(self, public: type[P], table: type[SQLModel], *, extra: tuple[str, ...] = ()):
        reader = Reader(table)
        self.public = public
        self.names = tuple(
            name for name in public.model_fields if name in table.model_fields and name not in extra
        )
        self.columns = [reader.column(name) for name in self.names]
        self._enums = enum_columns(self.columns)
        self.width = len(self.names)

    def __call__(self, row: Row, start: int = 0, /, **extra: Any) -> P:
        values = dict(zip(self.names, row[start : start + self.width], strict=True))
        for index, enum_class in self._enums:
            value = row[start + index]
            if value is not None:
                values[self.names[index]] = enum_class(value)
        if extra:
            values.update(extra)
        return trusted(self.public, values)


class SessionReads:
    """`Reads` on an ORM session's connection, in its transaction: for a job (which works on a
    session) that calls a repository function written for the driver path."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def fetch(self, statement: Statement, values: dict[str, Any]) -> list[Row]:
        connection = await self._session.connection()
        result = await connection.exec_driver_sql(statement.sql.decode(), statement.params(values))
        return [tuple(row) for row in result.all()]
