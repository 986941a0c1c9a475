"""Upload bodies read by the service as a stream (app/core/multipart_stream.py): what a client may
send, what is refused, and that a refused upload stores nothing."""

import httpx
import pytest
from sqlmodel import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.models.job import DataIngestionJob
from app.models.lab import Lab
from tests.factories import Caller, make_factor, make_lab

BOUNDARY = "b0und4ry"
ROWS = "date,factor_key,quantity\n2025-01-01,grid.x,8\n"


@pytest.fixture
async def lab(session: AsyncSession, member: Caller) -> Lab:
    await make_factor(session, key="grid.x", year=2025, kg="0.125")
    return await make_lab(session, member.user)


def _part(name: str, content: str, filename: str | None = None) -> str:
    disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
    return f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n\r\n{content}\r\n"


async def _post(
    client: httpx.AsyncClient, caller: Caller, lab: Lab, body: str, content_type: str
) -> httpx.Response:
    return await client.post(
        f"/api/v1/labs/{lab.id}/imports",
        content=body.encode(),
        headers=caller.headers | {"Content-Type": content_type},
    )


async def _jobs(session: AsyncSession) -> int:
    return (await session.exec(select(func.count()).select_from(DataIngestionJob))).one()


async def test_other_fields_around_the_file_are_skipped(
    client: httpx.AsyncClient, session: AsyncSession, member: Caller, lab: Lab
) -> None:
    body = _part("comment", "x" * 5000) + _part("file", ROWS, "mine.csv") + _part("z", "y")
    body += f"--{BOUNDARY}--\r\n"

    response = await _post(client, member, lab, body, f"multipart/form-data; boundary={BOUNDARY}")

    assert response.status_code == 202, response.text
    assert (response.json()["filename"], response.json()["rows_total"]) == ("mine.csv", 1)


@pytest.mark.parametrize(
    ("body", "content_type", "loc", "message"),
    [
        (ROWS, "text/csv", ["body", "file"], "must be multipart/form-data"),
        (_part("file", ROWS, "a.csv"), "multipart/form-data", ["body", "file"], "boundary"),
        (
            _part("other", ROWS, "a.csv") + f"--{BOUNDARY}--\r\n",
            f"multipart/form-data; boundary={BOUNDARY}",
            ["body", "file"],
            "Field required",
        ),
        (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"\r\n\r\n{ROWS}',
            f"multipart/form-data; boundary={BOUNDARY}",
            ["body", "file"],
            "ended inside the file",
        ),
    ],
    ids=["not-multipart", "no-boundary", "no-file-field", "truncated"],
)
async def test_a_malformed_upload_is_refused_with_422_and_stores_nothing(
    client: httpx.AsyncClient,
    session: AsyncSession,
    member: Caller,
    lab: Lab,
    body: str,
    content_type: str,
    loc: list[str],
    message: str,
) -> None:
    response = await _post(client, member, lab, body, content_type)

    assert response.status_code == 422, response.text
    problem = response.json()
    assert message in problem["detail"]
    assert [error["loc"] for error in problem["errors"]] == [loc]
    assert await _jobs(session) == 0
