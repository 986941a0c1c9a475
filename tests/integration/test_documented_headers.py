"""The response headers the spec documents are the ones the server sends: each required one is
there and every one sent matches its schema. (scripts/fuzz checks this on every fuzzed response;
these are the statuses fuzzing seldom reaches.)"""

from typing import Any
from uuid import uuid4

import httpx
import pytest
from fastapi import FastAPI
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.errors import RateLimited
from app.services import health as health_service
from app.services import labs as lab_service
from tests.factories import Caller, make_lab


def assert_headers_as_documented(
    app: FastAPI, method: str, template: str, response: httpx.Response
) -> dict[str, str]:
    """The documented headers of `response` (name → value), after checking them."""
    spec = app.openapi()
    documented = spec["paths"][template][method]["responses"][str(response.status_code)]
    assert documented["headers"], "every response documents at least X-Request-ID"
    sent = {}
    for name, header in documented["headers"].items():
        if "$ref" in header:
            header = spec["components"]["headers"][header["$ref"].rsplit("/", 1)[1]]
        value = response.headers.get(name)
        if value is None:
            assert not header.get("required"), f"{name} is required but was not sent"
            continue
        _check(name, value, header["schema"])
        sent[name] = value
    return sent


def _check(name: str, value: str, schema: dict[str, Any]) -> None:
    """The few JSON Schema keywords our header schemas use (a new one fails here, unchecked)."""
    assert set(schema) <= {"type", "minimum", "minLength", "maxLength"}, schema
    if schema["type"] == "integer":
        assert value.isdigit(), (name, value)
        assert int(value) >= schema.get("minimum", 0), (name, value)
    else:
        assert schema["type"] == "string"
        assert schema.get("minLength", 0) <= len(value) <= schema.get("maxLength", len(value))


async def test_a_success_and_a_not_found_carry_the_request_id(
    app: FastAPI, client: httpx.AsyncClient, admin: Caller
) -> None:
    listed = await client.get("/api/v1/labs", headers=admin.headers)
    assert listed.status_code == 200
    assert set(assert_headers_as_documented(app, "get", "/api/v1/labs", listed)) == {"X-Request-ID"}
    missing = await client.get(f"/api/v1/labs/{uuid4()}", headers=admin.headers)
    assert missing.status_code == 404
    assert_headers_as_documented(app, "get", "/api/v1/labs/{lab_id}", missing)


async def test_a_401_says_how_to_authenticate(app: FastAPI, client: httpx.AsyncClient) -> None:
    refused = await client.get("/api/v1/labs")
    assert refused.status_code == 401
    sent = assert_headers_as_documented(app, "get", "/api/v1/labs", refused)
    assert sent["WWW-Authenticate"] == "Bearer"


class _AlwaysLimited:
    async def hit(self, limit: object, *key: str) -> None:
        raise RateLimited(7)

    async def clear(self, limit: object, *key: str) -> None:
        return None


async def test_a_429_says_when_to_retry(app: FastAPI, client: httpx.AsyncClient) -> None:
    app.state.rate_limiter = _AlwaysLimited()
    form = {"username": "someone@lab.example", "password": "whatever-it-is-1"}
    limited = await client.post("/api/v1/auth/login", data=form)
    assert limited.status_code == 429
    sent = assert_headers_as_documented(app, "post", "/api/v1/auth/login", limited)
    assert sent["Retry-After"] == "7"


class _Unreachable:
    def connect(self) -> None:
        raise OSError("connection refused")


async def test_a_503_of_readiness_says_when_to_retry(
    app: FastAPI, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(health_service, "get_engine", _Unreachable)
    down = await client.get("/api/v1/health/ready")
    assert down.status_code == 503
    sent = assert_headers_as_documented(app, "get", "/api/v1/health/ready", down)
    assert sent["Retry-After"] == "5"


async def test_a_500_carries_the_request_id(
    app: FastAPI, client: httpx.AsyncClient, admin: Caller, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(lab_service, "list_labs", broken)
    crashed = await client.get("/api/v1/labs", headers=admin.headers)
    assert crashed.status_code == 500
    sent = assert_headers_as_documented(app, "get", "/api/v1/labs", crashed)
    assert sent["X-Request-ID"] == crashed.json()["request_id"]


async def test_a_csv_report_names_its_file_and_a_json_one_does_not(
    app: FastAPI, client: httpx.AsyncClient, admin: Caller, session: AsyncSession
) -> None:
    lab = await make_lab(session, admin.user)
    template = "/api/v1/reports/{lab_id}"
    path = f"/api/v1/reports/{lab.id}"
    csv = await client.get(path, params={"format": "csv", "year": 2025}, headers=admin.headers)
    assert csv.status_code == 200
    sent = assert_headers_as_documented(app, "get", template, csv)
    assert sent["Content-Disposition"].endswith('-2025.csv"')
    json = await client.get(path, params={"year": 2025}, headers=admin.headers)
    assert json.status_code == 200
    assert "Content-Disposition" not in assert_headers_as_documented(app, "get", template, json)
