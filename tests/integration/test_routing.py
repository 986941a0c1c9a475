"""Routing: the API's routers turn away paths outside theirs at once (app/api/router.py), and
every operation of the spec is still found by its path and method."""

import re
from uuid import uuid4

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from starlette.routing import Match
from starlette.types import Scope

from app.api.router import API_PREFIX, Router, include
from app.api.routes import entries, labs


def _example(path_format: str) -> str:
    """A concrete path of a route's format: a UUID for an id, 2025 for a year."""

    def value(match: re.Match[str]) -> str:
        return "2025" if match.group(1) == "year" else str(uuid4())

    return re.sub(r"\{(\w+)(?::\w+)?\}", value, path_format)


async def test_every_operation_is_found_by_its_path_and_method(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    operations = [
        (method, str(context.path_format))
        for context in iter_route_contexts(app.routes)
        if isinstance(context.original_route, APIRoute)
        for method in sorted(context.methods or ())
    ]
    assert len(operations) > 70  # every router's routes are seen
    for method, path_format in operations:
        response = await client.request(method, _example(path_format))
        # Found: refused for want of a caller (401), or of a body (422), or answered. A route
        # the routing missed would be a 404 (no such path) or a 405 (not this method).
        assert response.status_code not in (404, 405), (method, path_format, response.text)
        if path_format.startswith(API_PREFIX) and "/health" not in path_format:
            assert response.status_code in (401, 422), (method, path_format, response.text)


async def test_an_unknown_path_under_the_api_is_still_a_404_problem(
    client: httpx.AsyncClient,
) -> None:
    for path in (f"{API_PREFIX}/nowhere", f"{API_PREFIX}/", API_PREFIX, f"{API_PREFIX}labs"):
        response = await client.get(path)
        assert response.status_code == 404, path
        assert response.headers["content-type"].startswith("application/problem+json"), path


def test_a_router_knows_the_first_segments_of_its_paths() -> None:
    assert labs.router.first_segments() == frozenset({"labs"})
    assert entries.router.first_segments() == frozenset({"labs", "entries"})
    opens_with_a_parameter = Router()
    opens_with_a_parameter.add_api_route("/{anything}", lambda: None)
    opens_with_a_parameter.add_api_route("/fixed", lambda: None)
    assert opens_with_a_parameter.first_segments() is None


@pytest.mark.parametrize(
    ("path", "found"),
    [
        ("/api/v1/things/1", True),
        ("/api/v1/others/1", False),
        ("/api/v1things/1", False),
        ("/elsewhere/things/1", False),
    ],
)
def test_a_router_turns_away_other_segments_without_trying_its_routes(
    path: str, found: bool
) -> None:
    tried: list[str] = []

    class Counted(APIRoute):
        def matches(self, scope: Scope) -> tuple[Match, Scope]:
            tried.append(self.path)
            return super().matches(scope)

    router = Router(route_class=Counted)
    router.add_api_route("/things/{thing_id}", lambda thing_id: thing_id)
    app = FastAPI()
    include(app, router)
    scope: Scope = {"type": "http", "path": path, "root_path": "", "method": "GET"}
    matched = [route.matches(scope)[0] for route in app.router.routes]
    assert (Match.FULL in matched) is found
    assert tried == (["/things/{thing_id}"] if found else [])
