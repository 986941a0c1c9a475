"""The API's routers: each turns away a path outside its own with one set lookup.

FastAPI (0.165) matches a request by asking each included router in turn, and each router tries
its routes one by one (a regular expression and some scope bookkeeping each): `GET /labs/{id}`
was tried against 27 routes, about a tenth of the request's CPU (docs/performance.md). A `Router`
knows the first segment of every route's path (`/labs/{lab_id}/entries` → `labs`), so a path
whose first segment below the API's prefix is none of them is not its own at once. A router with
a route that starts with a parameter (`/{name}`) cannot tell and tries its routes as before.
"""

from typing import Any

from fastapi import APIRouter, FastAPI
from starlette._utils import get_route_path
from starlette.routing import Match
from starlette.types import Scope

API_PREFIX = "/api/v1"


def _first_segment(path: str) -> str:
    return path.lstrip("/").split("/", 1)[0]


class Router(APIRouter):
    """An `APIRouter` of the API, included with `include` (which says where it is mounted)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.mounted_at: str | None = None  # until `include`: never turns a path away
        self._firsts: frozenset[str] | None = None
        self._firsts_of = -1  # how many routes `_firsts` was computed from

    def first_segments(self) -> frozenset[str] | None:
        """The first segments of the routes' paths; None when one starts with a parameter."""
        if self._firsts_of != len(self.routes):
            firsts = {_first_segment(getattr(route, "path", "")) for route in self.routes}
            self._firsts = None if any("{" in first for first in firsts) else frozenset(firsts)
            self._firsts_of = len(self.routes)
        return self._firsts

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        firsts = self.first_segments()
        if self.mounted_at is not None and firsts is not None:
            path = get_route_path(scope)
            below = path[len(self.mounted_at) :] if path.startswith(self.mounted_at) else None
            if below is None or not below.startswith("/") or _first_segment(below) not in firsts:
                return Match.NONE, {}
        return super().matches(scope)


def include(app: FastAPI, router: Router, **kwargs: Any) -> None:
    """`app.include_router(router, prefix=API_PREFIX, ...)`, telling the router where it is."""
    router.mounted_at = API_PREFIX
    app.include_router(router, prefix=API_PREFIX, **kwargs)
