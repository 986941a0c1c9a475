"""Bulk loads without per-row triggers (app/repositories/bulk_load.py): who may, what it turns off
and for how long, and the locks an import takes instead of its foreign-key triggers."""

from collections.abc import AsyncIterator
from uuid import uuid4

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel.ext.asyncio.session import AsyncSession

from app import database
from app.repositories import activity_import as activity_import_repository
from app.repositories import bulk_load
from tests.factories import make_factor

PLAIN_ROLE = "co2_test_without_privileges"


@pytest.fixture
async def connection(database_url: str) -> AsyncIterator[AsyncConnection]:
    """A connection with a parent and a child temp table; everything is rolled back."""
    async with database.get_engine().connect() as db:
        await db.execute(text("CREATE TEMP TABLE parent (id int PRIMARY KEY)"))
        await db.execute(text("CREATE TEMP TABLE child (parent_id int REFERENCES parent)"))
        yield db
        await db.rollback()


async def insert_orphan(connection: AsyncConnection) -> None:
    """A child row whose parent does not exist, in a savepoint."""
    async with connection.begin_nested():
        await connection.execute(text("INSERT INTO child VALUES (42)"))


async def test_a_superuser_skips_the_triggers_inside_the_block_only(
    connection: AsyncConnection,
) -> None:
    async with bulk_load.triggers_skipped(connection) as skipped:
        assert skipped is True
        await insert_orphan(connection)  # the foreign-key trigger did not fire
    with pytest.raises(IntegrityError, match="foreign key"):
        await insert_orphan(connection)


async def test_not_wanted_means_the_triggers_stay_on(connection: AsyncConnection) -> None:
    async with bulk_load.triggers_skipped(connection, wanted=False) as skipped:
        assert skipped is False
        with pytest.raises(IntegrityError, match="foreign key"):
            await insert_orphan(connection)


async def test_a_role_without_the_privilege_loads_with_the_triggers_on(
    connection: AsyncConnection,
) -> None:
    exists = await connection.execute(
        text("SELECT 1 FROM pg_roles WHERE rolname = :name"), {"name": PLAIN_ROLE}
    )
    if exists.first() is None:
        await connection.execute(text(f"CREATE ROLE {PLAIN_ROLE} NOLOGIN"))
    await connection.execute(text(f"GRANT ALL ON parent, child TO {PLAIN_ROLE}"))
    await connection.execute(text(f"SET LOCAL ROLE {PLAIN_ROLE}"))

    assert await bulk_load.may_skip_triggers(connection) is False
    async with bulk_load.triggers_skipped(connection) as skipped:
        assert skipped is False
        with pytest.raises(IntegrityError, match="foreign key"):
            await insert_orphan(connection)
    # Asking for it anyway is refused by the server: the check above is what keeps it away.
    with pytest.raises(DBAPIError, match="permission denied"):
        async with connection.begin_nested():
            await connection.execute(text("SET LOCAL session_replication_role = replica"))


# A trigger a bulk load skips, and what answers for it: the activities import adds the rollup's
# sums of what it inserts itself (app/repositories/rollup.py; test_report_rollup.py compares the
# rollup with the entries after imports with and without the triggers).
ANSWERED_FOR = {"activity_entry": {"report_rollup_on_insert"}}


@pytest.mark.parametrize(
    "table",
    [
        "activity_entry",
        "import_activity_row",
        "import_activity_computed",
        "import_activity_checked",
        "import_factor_row",
    ],
)
async def test_the_bulk_loaded_tables_have_no_triggers_a_bulk_load_would_skip(
    session: AsyncSession, table: str
) -> None:
    """Their bulk loads skip the triggers `session_replication_role = replica` skips, but answer
    only for the foreign keys' (they lock the referenced rows instead) and those listed above. A
    trigger of their own must fire under replica too (`ENABLE ALWAYS`, as the report rollup's
    update and delete triggers do); one that would be skipped silently fails this first."""
    result = await session.exec(  # type: ignore[call-overload]
        text(
            "SELECT tgname FROM pg_trigger "
            "WHERE tgrelid = CAST(:table AS regclass) AND NOT tgisinternal AND tgenabled <> 'A'"
        ),
        params={"table": table},
    )
    assert set(result.scalars().all()) == ANSWERED_FOR.get(table, set())


async def test_locking_the_factors_of_an_import_reports_a_deleted_one(
    session: AsyncSession,
) -> None:
    kept = await make_factor(session, key="lock.kept", year=2025)
    await session.commit()
    assert await activity_import_repository.lock_factors(session, frozenset({kept.id}))
    assert await activity_import_repository.lock_factors(session, frozenset())
    assert not await activity_import_repository.lock_factors(session, frozenset({kept.id, uuid4()}))
    await session.rollback()


async def test_a_locked_factor_cannot_be_deleted_until_the_import_commits(
    session: AsyncSession,
) -> None:
    factor_id = (await make_factor(session, key="lock.held", year=2025)).id
    await session.commit()
    assert await activity_import_repository.lock_factors(session, frozenset({factor_id}))
    delete = text("DELETE FROM emission_factor WHERE id = :id")
    async with database.get_engine().connect() as other:
        await other.execute(text("SET LOCAL lock_timeout = '200ms'"))
        with pytest.raises(DBAPIError, match="lock timeout"):
            await other.execute(delete, {"id": factor_id})
        await other.rollback()
    await session.rollback()
    async with database.get_engine().connect() as other:
        assert (await other.execute(delete, {"id": factor_id})).rowcount == 1
        await other.commit()
