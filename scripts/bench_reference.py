"""The lean reference of `scripts/bench`: Starlette and psycopg, nothing else, on the same database.

The issue's CPU targets are calibrated against "a lean Starlette + psycopg app" on this machine
class. This is that app, measured in the same run as ours, so the machine's speed at the time
(which moves by a third between runs on a shared VM) cancels out of the ratio. It does the least
that the two operations need and no more: no authentication (the bearer header is required but
not checked), no authorization, no validation beyond what the statements enforce, no middleware.

- `GET /labs/{lab_id}`: one SELECT of the lab's row, as JSON.
- `POST /labs/{lab_id}/entries`: the JSON body, one `INSERT … SELECT … RETURNING` that finds the
  factor for the date's year and computes kg CO2e, as JSON with 201.
- Pages (`?limit=`, 50 by default): one keyset SELECT of `limit + 1` rows with the columns the
  API shows, as `{"items": [...], "next_cursor": ...}`: a lab's entries with their factor's key,
  category, scope, unit and year and kg CO2e from its value (`/labs/{lab_id}/entries`); labs with
  the caller's role (`/labs`; the caller is `BENCH_USER_ID`, as there is no authentication);
  factors (`/factors`); accounts (`/users`); a lab's imports (`/labs/{lab_id}/imports`).

Run by `scripts/bench` as `uvicorn scripts.bench_reference:app`, with `DATABASE_URL` set.
"""

import asyncio
import base64
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
_PAGES = {
    "entries": (
        "SELECT e.id, e.lab_id, e.date, e.factor_id, f.key AS factor_key, f.category, f.scope, "
        "f.unit, e.quantity, round(e.quantity * f.kg_co2e_per_unit, 6) AS kg_co2e, e.note, "
        "e.kind, e.activity, e.import_id, e.version, e.created_at, e.updated_at, "
        "f.year AS factor_year "
        "FROM activity_entry AS e JOIN emission_factor AS f ON f.id = e.factor_id "
        "WHERE e.lab_id = %(lab)s ORDER BY e.date DESC, e.id DESC LIMIT %(limit)s",
        ("date", "id"),
    ),
    "labs": (
        "SELECT l.id, l.name, l.code, l.institution, l.description, l.region, l.version, "
        "l.created_at, l.updated_at, m.role AS my_role FROM lab AS l JOIN lab_membership AS m "
        "ON m.lab_id = l.id AND m.user_id = %(user)s ORDER BY l.name, l.id LIMIT %(limit)s",
        ("name", "id"),
    ),
    "factors": (
        "SELECT id, key, category, unit, kg_co2e_per_unit, scope, year, region, source, "
        "source_publisher, source_dataset, source_edition, source_url, uncertainty_pct, basis, "
        "cabin_class, version, created_at, "
        "updated_at FROM emission_factor ORDER BY key, year, id LIMIT %(limit)s",
        ("key", "year", "id"),
    ),
    "users": (
        'SELECT id, email, full_name, role, is_active, version, created_at, updated_at FROM "user" '
        "ORDER BY created_at, id LIMIT %(limit)s",
        ("created_at", "id"),
    ),
    "imports": (
        "SELECT id, target_type, lab_id, state, rows_total, rows_processed, rows_ok, rows_failed, "
        "message, attempts, created_at, started_at, finished_at, updated_at "
        "FROM data_ingestion_jobs WHERE lab_id = %(lab)s "
        "ORDER BY created_at DESC, id DESC LIMIT %(limit)s",
        ("created_at", "id"),
    ),
}
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


async def _all(statement: str, params: Any) -> tuple[list[str], list[tuple[Any, ...]]]:
    connection = await _connections.get()
    try:
        cursor = await connection.execute(statement, params, prepare=True)
        rows = await cursor.fetchall()
        names = [column.name for column in cursor.description or ()]
        return names, rows
    finally:
        _connections.put_nowait(connection)


async def _one(statement: str, params: Any) -> tuple[list[str], tuple[Any, ...] | None]:
    names, rows = await _all(statement, params)
    return names, rows[0] if rows else None


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


def _page(name: str) -> Any:
    statement, key = _PAGES[name]

    async def page(request: Request) -> Response:
        if (refusal := _refused(request)) is not None:
            return refusal
        limit = int(request.query_params.get("limit", "50"))
        params: dict[str, Any] = {"limit": limit + 1, "user": os.environ.get("BENCH_USER_ID")}
        if "lab_id" in request.path_params:
            params["lab"] = uuid.UUID(request.path_params["lab_id"])
        names, rows = await _all(statement, params)
        items = [dict(zip(names, row, strict=True)) for row in rows[:limit]]
        cursor = None
        if len(rows) > limit:
            last = json.dumps([str(items[-1][part]) for part in key]).encode()
            cursor = base64.urlsafe_b64encode(last).decode().rstrip("=")
        body = json.dumps({"items": items, "next_cursor": cursor}, default=str)
        return Response(body, media_type="application/json")

    return page


app = Starlette(
    routes=[
        Route("/api/v1/labs/{lab_id}", get_lab),
        Route("/api/v1/labs/{lab_id}/entries", add_entry, methods=["POST"]),
        Route("/api/v1/labs/{lab_id}/entries", _page("entries"), methods=["GET"]),
        Route("/api/v1/labs", _page("labs")),
        Route("/api/v1/factors", _page("factors")),
        Route("/api/v1/users", _page("users")),
        Route("/api/v1/labs/{lab_id}/imports", _page("imports")),
    ],
    lifespan=_lifespan,
)
