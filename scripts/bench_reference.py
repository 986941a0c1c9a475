"""The lean reference of `scripts/bench`: Starlette and psycopg, nothing else, on the same database.

The issue's CPU targets are calibrated against "a lean Starlette + psycopg app" on this machine
class. This is that app, measured in the same run as ours, so the machine's speed at the time
(which moves by a third between runs on a shared VM) cancels out of the ratio. It does the least
that the two operations need and no more: no authentication (the bearer header is required but
not checked), no authorization, no validation beyond what the statements enforce, no middleware.

- `GET /labs/{lab_id}`: one SELECT of the lab's row, as JSON.
- `POST /labs/{lab_id}/entries`: the JSON body, one `INSERT … SELECT … RETURNING` that finds the
  factor for the date's year and computes kg CO2e, as JSON with 201.

Run by `scripts/bench` as `uvicorn scripts.bench_reference:app`, with `DATABASE_URL` set.
"""

import asyncio
import json
import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from decimal import Decimal
from typing import Any

import psycopg
from sqlalchemy.engine import make_url
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

POOL_SIZE = int(os.environ.get("DB_POOL_SIZE", "32"))

_GET_LAB = (
    "SELECT id, name, code, institution, description, region, version, created_at, updated_at "
    "FROM lab WHERE id = %s"
)
_ADD_ENTRY = (
    "INSERT INTO activity_entry (id, lab_id, factor_id, date, quantity, kg_co2e, note, version) "
    "SELECT %(id)s, %(lab)s, f.id, %(date)s, %(quantity)s, "
    "round(%(quantity)s * f.kg_co2e_per_unit, 6), %(note)s, 1 "
    "FROM emission_factor AS f WHERE f.key = %(key)s AND f.year = %(year)s "
    "RETURNING id, lab_id, factor_id, date, quantity, kg_co2e, note, version, created_at"
)
_connections: asyncio.Queue[psycopg.AsyncConnection[Any]] = asyncio.Queue()


def _libpq_url() -> str:
    url = make_url(os.environ["DATABASE_URL"]).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


@asynccontextmanager
async def _lifespan(_: Starlette) -> AsyncIterator[None]:
    opened = [
        await psycopg.AsyncConnection.connect(_libpq_url(), autocommit=True)
        for _ in range(POOL_SIZE)
    ]
    for connection in opened:
        _connections.put_nowait(connection)
    try:
        yield
    finally:
        for connection in opened:
            await connection.close()


async def _one(statement: str, params: Any) -> tuple[list[str], tuple[Any, ...] | None]:
    connection = await _connections.get()
    try:
        cursor = await connection.execute(statement, params, prepare=True)
        row = await cursor.fetchone()
        names = [column.name for column in cursor.description or ()]
        return names, row
    finally:
        _connections.put_nowait(connection)


def _json(names: list[str], row: tuple[Any, ...], status: int) -> Response:
    body = json.dumps(dict(zip(names, row, strict=True)), default=str)
    return Response(body, status_code=status, media_type="application/json")


def _refused(request: Request) -> Response | None:
    if not request.headers.get("authorization", "").startswith("Bearer "):
        return Response(status_code=401)
    return None


async def get_lab(request: Request) -> Response:
    if (refusal := _refused(request)) is not None:
        return refusal
    names, row = await _one(_GET_LAB, (uuid.UUID(request.path_params["lab_id"]),))
    return Response(status_code=404) if row is None else _json(names, row, 200)


async def add_entry(request: Request) -> Response:
    if (refusal := _refused(request)) is not None:
        return refusal
    data = json.loads(await request.body())
    day = date.fromisoformat(data["date"])
    params = {
        "id": uuid.uuid4(),
        "lab": uuid.UUID(request.path_params["lab_id"]),
        "date": day,
        "quantity": Decimal(data["quantity"]),
        "note": data.get("note", ""),
        "key": data["factor_key"],
        "year": day.year,
    }
    names, row = await _one(_ADD_ENTRY, params)
    return Response(status_code=422) if row is None else _json(names, row, 201)


app = Starlette(
    routes=[
        Route("/api/v1/labs/{lab_id}", get_lab),
        Route("/api/v1/labs/{lab_id}/entries", add_entry, methods=["POST"]),
    ],
    lifespan=_lifespan,
)
