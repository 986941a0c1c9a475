"""Deleting a lab while one of its imports is being uploaded: a 409 within a bounded wait, never a
wait for the upload, and never a foreign-key 500 for the upload. Deleting a lab while one of its
equipment's years is deleted: no deadlock (a 503), as both lock the lab's row first."""

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import psycopg
import pytest
from sqlmodel import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.models.entry import ActivityEntry
from app.models.factor import FactorCategory
from app.models.job import DataIngestionJob
from app.models.lab import Lab
from tests.conftest import libpq_url
from tests.factories import Caller, make_factor, make_lab
from tests.integration.test_imports import upload, wait_for_end

BOUNDARY = "r4ce"
HEAD = (
    f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\n'
    "date,factor_key,quantity\n2025-01-01,grid.x,8\n"
)
TAIL = f"2025-01-02,grid.x,9\n\r\n--{BOUNDARY}--\r\n"


@pytest.fixture
async def lab(session: AsyncSession, member: Caller) -> Lab:
    await make_factor(session, key="grid.x", year=2025, kg="0.125")
    return await make_lab(session, member.user)


async def _upload(
    client: httpx.AsyncClient, caller: Caller, lab: Lab, body: AsyncIterator[bytes]
) -> httpx.Response:
    return await client.post(
        f"/api/v1/labs/{lab.id}/imports",
        content=body,
        headers=caller.headers | {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
    )


async def test_a_lab_being_uploaded_to_is_not_deleted_and_the_delete_does_not_wait_for_it(
    client: httpx.AsyncClient, session: AsyncSession, member: Caller, lab: Lab
) -> None:
    staged = asyncio.Event()
    finish = asyncio.Event()

    async def body() -> AsyncIterator[bytes]:
        yield HEAD.encode()
        yield b"2025-01-01,grid.x,7\n" * 100  # the job is added once the header has been read
        staged.set()
        await finish.wait()
        yield TAIL.encode()

    upload = asyncio.create_task(_upload(client, member, lab, body()))
    async with asyncio.timeout(30):
        # The body is pulled as the app reads it: asked for its third piece, the upload has
        # read the header and added its job (uncommitted, holding the lab's row).
        await staged.wait()
        deleted = await client.delete(f"/api/v1/labs/{lab.id}", headers=member.headers)
        finish.set()
        uploaded = await upload

    assert deleted.status_code == 409, deleted.text
    assert "being uploaded" in deleted.json()["detail"]
    assert uploaded.status_code == 202, uploaded.text
    assert uploaded.json()["rows_total"] == 102
    await session.rollback()
    assert await session.get(Lab, lab.id) is not None


async def _until_a_backend_waits_for_a_lock(database_url: str, backends: int = 1) -> None:
    query = (
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    async with (
        await psycopg.AsyncConnection.connect(libpq_url(database_url), autocommit=True) as watcher,
        asyncio.timeout(30),
    ):
        while True:  # polled with a deadline: PostgreSQL has no event for "someone waits"
            row = await (await watcher.execute(query)).fetchone()
            if row is not None and row[0] >= backends:
                return
            await asyncio.sleep(0.02)


async def test_an_upload_to_a_lab_deleted_meanwhile_is_a_404_not_a_foreign_key_500(
    client: httpx.AsyncClient, session: AsyncSession, member: Caller, lab: Lab, database_url: str
) -> None:
    deleter = await psycopg.AsyncConnection.connect(libpq_url(database_url))
    try:
        # A delete in progress: the lab's row locked FOR UPDATE, then gone on commit.
        await deleter.execute("SELECT id FROM lab WHERE id = %s FOR UPDATE", (lab.id,))
        await deleter.execute("DELETE FROM lab WHERE id = %s", (lab.id,))

        async def body() -> AsyncIterator[bytes]:
            yield (HEAD + TAIL).encode()

        upload = asyncio.create_task(_upload(client, member, lab, body()))
        await _until_a_backend_waits_for_a_lock(database_url)
        await deleter.commit()
        async with asyncio.timeout(30):
            uploaded = await upload
    finally:
        await deleter.close()

    assert uploaded.status_code == 404, uploaded.text
    assert (await session.exec(select(func.count()).select_from(DataIngestionJob))).one() == 0


async def _race_with_the_labs_delete(
    client: httpx.AsyncClient,
    member: Caller,
    lab: Lab,
    database_url: str,
    *,
    held_entry_id: str,
    racer_path: str,
) -> tuple[httpx.Response, httpx.Response]:
    """DELETE the lab while `held_entry_id` is locked by another transaction (the lab's delete
    removes the entries before it, then waits there), then DELETE `racer_path`, which needs
    those entries too; release the lock once both wait. The two answers, the lab's first."""
    blocker = await psycopg.AsyncConnection.connect(libpq_url(database_url))
    try:
        await blocker.execute(
            "SELECT 1 FROM activity_entry WHERE id = %s FOR UPDATE", (held_entry_id,)
        )
        lab_deleted = asyncio.create_task(
            client.delete(f"/api/v1/labs/{lab.id}", headers=member.headers)
        )
        await _until_a_backend_waits_for_a_lock(database_url)
        racer = asyncio.create_task(client.delete(racer_path, headers=member.headers))
        await _until_a_backend_waits_for_a_lock(database_url, backends=2)
        await blocker.rollback()
        async with asyncio.timeout(30):
            return await lab_deleted, await racer
    finally:
        await blocker.close()


async def _entries_in_order(client: httpx.AsyncClient, member: Caller, lab: Lab) -> list[Any]:
    response = await client.get(
        f"/api/v1/labs/{lab.id}/entries", params={"order": "asc"}, headers=member.headers
    )
    items: list[Any] = response.json()["items"]
    return items


async def test_a_lab_deleted_while_an_equipments_years_are_deleted_is_deleted_without_deadlock(
    client: httpx.AsyncClient, session: AsyncSession, member: Caller, lab: Lab, database_url: str
) -> None:
    await make_factor(
        session, key="equipment.laptop", year=2024, kg="300", unit="item",
        category=FactorCategory.EQUIPMENT, scope=3,
    )  # fmt: skip
    body = {"kind": "equipment", "date": "2024-06-15", "factor_key": "equipment.laptop",
            "quantity": "1", "lifetime_years": 3}  # fmt: skip
    added = await client.post(f"/api/v1/labs/{lab.id}/entries", json=body, headers=member.headers)
    assert added.status_code == 201, added.text
    years = await _entries_in_order(client, member, lab)
    assert len(years) == 3
    # Deleting the third year deletes all three. Had it locked its entry before the lab's row,
    # the lab's delete would wait for it, and it for the first year: a deadlock.
    deleted, entry_deleted = await _race_with_the_labs_delete(
        client,
        member,
        lab,
        database_url,
        held_entry_id=years[1]["id"],
        racer_path=f"/api/v1/entries/{years[2]['id']}",
    )

    assert deleted.status_code == 204, deleted.text
    assert entry_deleted.status_code == 404, entry_deleted.text  # the lab took it
    await session.rollback()
    labs = select(func.count()).select_from(Lab).where(Lab.id == lab.id)
    assert (await session.exec(labs)).one() == 0
    assert (await session.exec(select(func.count()).select_from(ActivityEntry))).one() == 0


async def test_a_lab_deleted_while_one_of_its_imports_is_undone_is_deleted_without_deadlock(
    client: httpx.AsyncClient,
    session: AsyncSession,
    member: Caller,
    lab: Lab,
    database_url: str,
    jobs: None,
) -> None:
    csv = "date,factor_key,quantity\n" + "".join(
        f"2025-01-0{day},grid.x,{day}\n" for day in (1, 2, 3)
    )
    accepted = await upload(client, member, lab, csv)
    assert accepted.status_code == 202, accepted.text
    job_id = accepted.json()["id"]
    assert (await wait_for_end(client, member, job_id))["state"] == "succeeded"
    entries = await _entries_in_order(client, member, lab)
    assert len(entries) == 3
    # Undoing the import deletes its entries and its job. Had it locked the job before the lab's
    # row, the lab's delete could wait for the job, and the undo for the first entry.
    deleted, undo = await _race_with_the_labs_delete(
        client,
        member,
        lab,
        database_url,
        held_entry_id=entries[1]["id"],
        racer_path=f"/api/v1/imports/{job_id}",
    )

    assert deleted.status_code == 204, deleted.text
    assert undo.status_code == 404, undo.text  # the lab took the import with it
    await session.rollback()
    assert (await session.exec(select(func.count()).select_from(ActivityEntry))).one() == 0
    assert (await session.exec(select(func.count()).select_from(DataIngestionJob))).one() == 0
