"""What an import computed for its typed rows goes to PostgreSQL as COPY text
(`activity_import.computed_copy_data`): every value comes back as it was, whatever it holds."""

from collections.abc import AsyncIterator
from datetime import date
from uuid import uuid4

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from app import database
from app.repositories.activity_import import Computed, computed_copy_data

COLUMNS = (
    "seq, part, entry_date, factor_key, quantity, unit, activity, problem_column, problem_message"
)

SELECT_COPIED = (
    "SELECT seq, part, entry_date, factor_key, quantity, unit, activity, problem_column, "
    "problem_message FROM copied ORDER BY seq, part"
)


@pytest.fixture
async def connection(database_url: str) -> AsyncIterator[AsyncConnection]:
    """A connection with a temp table shaped as import_activity_computed; rolled back."""
    async with database.get_engine().connect() as db:
        await db.execute(text("CREATE TEMP TABLE copied (LIKE import_activity_computed)"))
        yield db
        await db.rollback()


async def copy_back(connection: AsyncConnection, data: bytes) -> list[Computed]:
    raw = await connection.get_raw_connection()
    driver = raw.driver_connection
    assert isinstance(driver, psycopg.AsyncConnection)
    async with driver.cursor() as cursor:
        async with cursor.copy(
            f"COPY copied (job_id, {COLUMNS}) FROM STDIN"  # the order computed_copy_data writes
        ) as copy:
            await copy.write(data)
        await cursor.execute(SELECT_COPIED)
        return [Computed(*row) for row in await cursor.fetchall()]


async def test_computed_rows_come_back_as_they_were_with_copys_special_characters(
    connection: AsyncConnection,
) -> None:
    rows = [
        Computed(1, 0, None, "flight.economy", "1842.5", "pkm", '{"kind":"flight"}'),
        Computed(2, 0, problem_column="kind", problem_message="tab\there, line\nand\r\nend"),
        Computed(3, 0, None, "a\\b", "\\N", "\\.", '{"note":"say \\"hi\\"\\\\"}'),
        Computed(4, 1, date(2027, 6, 30), "equipment.laptop", "0.25", "item", "{}"),
        Computed(5, 0, None, "", "", "", "", "", "\\"),  # empty texts are not NULL
    ]
    assert await copy_back(connection, computed_copy_data(uuid4(), rows)) == rows


async def test_the_rows_of_one_job_carry_its_id(connection: AsyncConnection) -> None:
    job = uuid4()
    await copy_back(connection, computed_copy_data(job, [Computed(1), Computed(2, 3)]))
    stored = await connection.execute(text("SELECT DISTINCT job_id FROM copied"))
    assert stored.scalars().all() == [job]
