"""Bulk loads without a trigger call per row, where the database role is allowed that.

PostgreSQL checks each foreign key of an inserted row with a trigger that runs a query of its own.
That costs about 4 µs per key per row on this machine class: activity_entry's four keys cost 20 s
per million rows, and the staging table's one key costs 4 s. A bulk load whose referenced rows are
known can skip those triggers with `SET LOCAL session_replication_role = replica` (what
`pg_restore` and logical replication do). This turns off ordinary and foreign-key triggers for the
rest of this transaction only. Constraints that are not triggers (NOT NULL, CHECK, UNIQUE, the
primary key) still hold.

The caller then owes what those triggers would have done. It must lock every referenced row
`FOR KEY SHARE` before committing and fail when one is gone. A concurrent delete of a parent then
waits for the commit and sees the new rows (cascade, set null or restrict, as declared). An insert
into `activity_entry` also skips the report rollup's insert trigger: the caller adds the rows'
sums to the rollup (app/repositories/rollup.py). `ENABLE ALWAYS` triggers still fire.

Allowed for superusers (the embedded database), and on PostgreSQL 15+ for roles granted
`SET ON PARAMETER session_replication_role`. Any other role loads with the triggers on: slower,
the same result.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

_MAY_SKIP = text("SELECT has_parameter_privilege('session_replication_role', 'SET')")
_SKIP = text("SET LOCAL session_replication_role = replica")
_RESTORE = text("SET LOCAL session_replication_role TO DEFAULT")
_BULK_PLANS = (
    text("SET LOCAL plan_cache_mode = force_custom_plan"),
    text("SET LOCAL enable_nestloop = off"),
    text("SET LOCAL enable_mergejoin = off"),
)


async def plan_for_bulk(connection: AsyncConnection) -> None:
    """Until the transaction ends, plan each execution for its own parameters and join with
    hashes only.

    A bulk statement joins hundreds of thousands of staged rows to small lookup tables, and
    hashing those is always right. The planner cannot see that. It has no statistics for rows
    staged a moment ago, and it guesses a regular expression filter keeps almost nothing. On such
    estimates it chose a nested loop: 56 s instead of 1.5 s for 500,000 rows.

    Without `force_custom_plan`, psycopg prepares a statement on its fifth run, and PostgreSQL
    switches to a generic plan after five more. That plan is blind to the batch's seq range and
    made every batch from the eleventh on 6x slower. Planning each batch costs about a
    millisecond.
    """
    for statement in _BULK_PLANS:
        await connection.execute(statement)


async def may_skip_triggers(connection: AsyncConnection) -> bool:
    return bool((await connection.execute(_MAY_SKIP)).scalar_one())


@asynccontextmanager
async def triggers_skipped(
    connection: AsyncConnection, *, wanted: bool = True
) -> AsyncIterator[bool]:
    """Within the block, this transaction's inserts fire no triggers when the role may skip them
    (and `wanted`); yields whether they are skipped. The caller keeps its side of the bargain
    above. On an exception the transaction is to be rolled back, which also ends the setting."""
    skipped = wanted and await may_skip_triggers(connection)
    if skipped:
        await connection.execute(_SKIP)
    yield skipped
    if skipped:
        await connection.execute(_RESTORE)
