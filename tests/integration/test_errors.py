"""Every error is problem+json; nothing internal leaks; request ids travel with responses."""

from collections.abc import AsyncIterator
from uuid import uuid4

import httpx
import pytest
from fastapi import APIRouter, FastAPI
from pydantic import BaseModel, Field

from app.config import settings
from app.core.errors import Conflict
from app.core.pagination import encode_cursor
from app.main import create_app
from tests.factories import Caller

PROBLEM = "application/problem+json"


class Probe(BaseModel):
    name: str = Field(max_length=10)
    count: int


def _app_with_probe_routes() -> FastAPI:
    """The real app plus routes that exercise the error plumbing (no such routes exist yet)."""
    app = create_app()
    router = APIRouter(tags=["probe"])

    @router.post("/probe")
    async def post_probe(probe: Probe) -> Probe:
        return probe

    @router.get("/probe/crash")
    async def crash() -> None:
        raise RuntimeError("SELECT secret FROM users -- password=hunter2")

    @router.get("/probe/conflict")
    async def conflict() -> None:
        raise Conflict("The resource changed since you read it.")

    app.include_router(router, max_body_size=settings.REQUEST_MAX_BYTES)

    return app


@pytest.fixture
async def probe_client(database_url: str) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=_app_with_probe_routes(), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        yield client


async def test_malformed_json_is_a_problem_listing_the_location(
    probe_client: httpx.AsyncClient,
) -> None:
    response = await probe_client.post(
        "/probe", content=b'{"name": "x",', headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["title"] == "Invalid input"
    assert body["errors"][0]["type"] == "json_invalid"
    assert body["errors"][0]["loc"][0] == "body"


async def test_wrong_types_list_each_field(probe_client: httpx.AsyncClient) -> None:
    response = await probe_client.post("/probe", json={"name": "x" * 11, "count": "many"})
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    locations = sorted(tuple(error["loc"]) for error in response.json()["errors"])
    assert locations == [("body", "count"), ("body", "name")]


async def test_a_declared_oversize_body_is_refused_with_413(
    probe_client: httpx.AsyncClient,
) -> None:
    body = b'{"name": "x", "count": 1, "pad": "' + b"x" * settings.REQUEST_MAX_BYTES + b'"}'
    response = await probe_client.post(
        "/probe", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["request_id"] == response.headers["x-request-id"]


async def test_a_streamed_oversize_body_is_cut_off_with_413(
    probe_client: httpx.AsyncClient,
) -> None:
    sent = 0

    async def chunks() -> AsyncIterator[bytes]:
        nonlocal sent
        yield b'{"name": "x", "count": 1, "pad": "'
        for _ in range(64):
            sent += 64 * 1024
            yield b"x" * 64 * 1024
        yield b'"}'

    response = await probe_client.post(
        "/probe", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.headers["content-type"] == PROBLEM
    assert sent < 4 * settings.REQUEST_MAX_BYTES


async def test_an_unhandled_error_is_a_bare_500_with_a_request_id(
    probe_client: httpx.AsyncClient,
) -> None:
    response = await probe_client.get("/probe/crash")
    assert response.status_code == 500
    assert response.headers["content-type"] == PROBLEM
    # The server drops the connection after a 500 (Starlette re-raises): it says so.
    assert response.headers["connection"] == "close"
    body = response.json()
    assert body["request_id"] == response.headers["x-request-id"]
    text = response.text
    for leak in (
        "SELECT",
        "hunter2",
        "Traceback",
        "RuntimeError",
        settings.JWT_SECRET.get_secret_value(),
    ):
        assert leak not in text


async def test_domain_errors_map_to_their_status(probe_client: httpx.AsyncClient) -> None:
    response = await probe_client.get("/probe/conflict")
    assert response.status_code == 409
    assert response.json()["detail"] == "The resource changed since you read it."
    assert response.json()["type"].endswith("/conflict")


async def test_unknown_route_and_method_are_problems(client: httpx.AsyncClient) -> None:
    missing = await client.get("/api/v1/does-not-exist")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == PROBLEM
    wrong_method = await client.delete("/api/v1/health")
    assert wrong_method.status_code == 405
    assert wrong_method.headers["content-type"] == PROBLEM


async def test_a_405_allows_every_method_of_the_path(client: httpx.AsyncClient) -> None:
    """GET and POST /users are two routes; Starlette alone answered `Allow: GET` (schemathesis)."""
    for method, path, allowed in (
        ("DELETE", "/api/v1/users", "GET, HEAD, POST"),
        ("POST", "/api/v1/users/me", "GET, HEAD, PATCH"),
        ("GET", "/api/v1/factors/sync", "POST"),  # not also /factors/{factor_id}
        (
            "OPTIONS",
            "/api/v1/labs/00000000-0000-0000-0000-000000000001",
            "DELETE, GET, HEAD, PATCH, PUT",
        ),
    ):
        response = await client.request(method, path)
        assert (response.status_code, response.headers["allow"]) == (405, allowed), path


async def test_a_well_formed_incoming_request_id_is_kept(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/health", headers={"X-Request-ID": "trace-abc.123"})
    assert response.headers["x-request-id"] == "trace-abc.123"


@pytest.mark.parametrize("bad", ["has space", "x" * 200, "semi;colon", "<script>"])
async def test_a_malformed_request_id_is_replaced(client: httpx.AsyncClient, bad: str) -> None:
    response = await client.get("/api/v1/health", headers={"X-Request-ID": bad})
    assert response.headers["x-request-id"] != bad
    assert len(response.headers["x-request-id"]) == 32


async def test_every_response_has_exactly_one_request_id(client: httpx.AsyncClient) -> None:
    for path in ("/api/v1/health", "/nope"):
        response = await client.get(path)
        assert len(response.headers.get_list("x-request-id")) == 1


async def test_metrics_count_requests_by_route_template_and_status(
    client: httpx.AsyncClient, admin: Caller
) -> None:
    await client.get("/api/v1/health")
    await client.get("/api/v1/health/ready")
    await client.get(f"/api/v1/labs/{uuid4()}", headers=admin.headers)
    await client.get("/nope/12345")
    await client.get("/metrics", headers=admin.headers)
    metrics = await client.get("/metrics", headers=admin.headers)
    assert metrics.status_code == 200
    text = metrics.text
    assert 'handler="/api/v1/health",method="GET",status="200"' in text
    assert 'handler="/api/v1/labs/{lab_id}",method="GET",status="404"' in text
    assert 'handler="none",method="GET",status="404"' in text  # no path: bounded labels
    assert "/nope" not in text
    assert 'handler="/metrics"' not in text
    assert 'http_request_duration_seconds_bucket{handler="/api/v1/health",' in text


async def test_a_misspelt_query_parameter_is_refused_not_ignored(
    client: httpx.AsyncClient, admin: Caller
) -> None:
    response = await client.get(
        "/api/v1/factors", params={"categroy": "heating", "limit": 5}, headers=admin.headers
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    [error] = response.json()["errors"]
    assert error["loc"] == ["query", "categroy"]
    assert "category" in error["msg"]
    listed = await client.get(
        "/api/v1/factors", params={"category": "heating", "limit": 5}, headers=admin.headers
    )
    assert listed.status_code == 200


async def test_routes_without_query_parameters_ignore_extra_ones(
    client: httpx.AsyncClient, admin: Caller
) -> None:
    assert (await client.get("/api/v1/health", params={"probe": "lb"})).status_code == 200
    me = await client.get("/api/v1/users/me", params={"cache": "1"}, headers=admin.headers)
    assert me.status_code == 200


async def test_nul_in_a_query_value_or_inside_a_cursor_is_a_422_not_a_500(
    client: httpx.AsyncClient, member: Caller
) -> None:
    nul_cursor = encode_cursor(("a\x00b", uuid4()))  # the labs cursor's shape: (name, id)
    for params, name in (({"search": "a\x00b"}, "search"), ({"cursor": nul_cursor}, "cursor")):
        response = await client.get("/api/v1/labs", params=params, headers=member.headers)
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["loc"] == ["query", name]
