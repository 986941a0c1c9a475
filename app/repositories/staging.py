"""Staged CSV rows: COPY in, validate and move out in set-based SQL, delete.

The staging tables' `job_id` defaults to the transaction-local setting `co2.import_job`, so COPY
streams the file's own columns untouched (see the migration creating them).
"""

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from uuid import UUID

import psycopg
from psycopg import sql
from sqlalchemy import Table, TextClause, delete, text
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.errors import FieldError, InvalidInput
from app.models.job import DataIngestionJob, JobState, RowError
from app.repositories import bulk_load


@dataclass(frozen=True)
class RowProblems:
    """What is wrong with a job's staged rows: the first problems, and how many there are."""

    errors: list[RowError]
    total: int  # every problem, not only the first `cap`
    bad_rows: int

    def plus(self, errors: list[RowError], *, cap: int) -> "RowProblems":
        """These problems and `errors`, one each on rows that had none; the first `cap` by line
        and column, as `find_row_problems` orders them."""
        merged = sorted([*self.errors, *errors], key=lambda error: (error.row, error.column or ""))
        return RowProblems(
            errors=merged[:cap],
            total=self.total + len(errors),
            bad_rows=self.bad_rows + len(errors),
        )


NO_PROBLEMS = RowProblems(errors=[], total=0, bad_rows=0)


async def find_row_problems(
    session: AsyncSession,
    *,
    summary: TextClause,
    first_problems: TextClause,
    params: dict[str, object],
    cap: int,
) -> RowProblems:
    """Count the problems (`summary`: total, bad rows), then read the first `cap` of them
    (`first_problems`: line, column, message) only when there are some."""
    connection = await session.connection()
    total, bad_rows = (await connection.execute(summary, params)).one()
    if not total:
        return NO_PROBLEMS
    rows = await connection.execute(first_problems, params | {"cap": cap})
    errors = [RowError(row=line, column=column, message=message) for line, column, message in rows]
    return RowProblems(errors=errors, total=int(total), bad_rows=int(bad_rows))


@dataclass(frozen=True)
class CopyFormat:
    table: str
    columns: Sequence[str]
    delimiter: str


def _line_of(error: psycopg.Error, lines_before: int) -> str:
    """'line N' of the file, from PostgreSQL's `COPY t, line N` context (N counts from our data)."""
    context = error.diag.context or ""
    marker = ", line "
    if marker in context:
        digits = context.split(marker, 1)[1].split(":", 1)[0].strip()
        if digits.isdigit():
            return f" (line {int(digits) + lines_before})"
    return ""


async def driver_of(connection: AsyncConnection) -> psycopg.AsyncConnection:
    """The psycopg connection under SQLAlchemy's, for COPY and for reads whose rows are better as
    the driver's own tuples; in the same transaction."""
    raw = await connection.get_raw_connection()
    driver = raw.driver_connection
    assert isinstance(driver, psycopg.AsyncConnection)
    return driver


async def copy_rows(
    session: AsyncSession, *, job_id: UUID, into: CopyFormat, data: AsyncIterator[bytes]
) -> int:
    """COPY the CSV `data` (rows only, no header) into a staging table; return the row count.

    A structural error (wrong number of fields, bad quoting, not UTF-8, a NUL byte) raises
    InvalidInput naming the line; the caller's transaction must then be rolled back.
    """
    connection = await session.connection()
    await connection.execute(
        text("SELECT set_config('co2.import_job', :job, true)"), {"job": str(job_id)}
    )
    driver = await driver_of(connection)
    statement = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT csv, DELIMITER {})").format(
        sql.Identifier(into.table),
        sql.SQL(", ").join(sql.Identifier(column) for column in into.columns),
        sql.Literal(into.delimiter),
    )
    try:
        # The staged rows' job_id references the job this transaction has just inserted: its
        # foreign-key trigger, once per row, would only find it again.
        async with bulk_load.triggers_skipped(connection), driver.cursor() as cursor:
            async with cursor.copy(statement) as copy:
                async for chunk in data:
                    await copy.write(chunk)
            return int(cursor.rowcount)
    except psycopg.errors.CharacterNotInRepertoire as error:
        message = "The file is not UTF-8 text, or contains a NUL byte" + _line_of(error, 1) + "."
        raise InvalidInput(message, errors=[_file_error(message)]) from error
    except (psycopg.errors.BadCopyFileFormat, psycopg.errors.InvalidTextRepresentation) as error:
        reason = error.diag.message_primary or "malformed CSV"
        message = f"The file is not valid CSV{_line_of(error, 1)}: {reason}."
        raise InvalidInput(message, errors=[_file_error(message)]) from error


def _file_error(message: str) -> FieldError:
    return FieldError(loc=["body", "file"], msg=message, type="csv")


async def delete_rows(session: AsyncSession, *, table: Table, job_id: UUID) -> None:
    connection = await session.connection()
    await connection.execute(delete(table).where(table.c.job_id == job_id))


async def delete_rows_of_ended_jobs(
    session: AsyncSession, *, table: Table, states: frozenset[JobState], job_id: UUID | None = None
) -> int:
    """Delete the rows of jobs in one of `states` (of one job when `job_id` is given: nothing
    if that job is in another state); return how many."""
    ended = select(DataIngestionJob.id).where(col(DataIngestionJob.state).in_(sorted(states)))
    if job_id is not None:
        ended = ended.where(DataIngestionJob.id == job_id)
    connection = await session.connection()
    result = await connection.execute(delete(table).where(table.c.job_id.in_(ended)))
    return int(result.rowcount)
