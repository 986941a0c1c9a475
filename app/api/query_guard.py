"""Refuse query parameters a route does not declare, on routes that declare some, and values
holding NUL (which PostgreSQL text cannot hold).

A misspelt filter (`?categroy=heating`) would otherwise be ignored silently and answer a list
that looks right but is not filtered. Routes without query parameters (health, `/users/me`, …)
ignore extra ones, as load balancers and proxies sometimes add them.
"""

from typing import Any

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute

_declared: dict[int, frozenset[str]] = {}  # id(route) → its query parameter names


def _names_in(dependant: Dependant) -> set[str]:
    names = {param.alias for param in dependant.query_params}
    for sub_dependant in dependant.dependencies:
        names |= _names_in(sub_dependant)
    return names


def _query_names(route: APIRoute) -> frozenset[str]:
    names = _declared.get(id(route))
    if names is None:
        names = _declared[id(route)] = frozenset(_names_in(route.dependant))
    return names


def _refuse_nul(request: Request) -> None:
    """PostgreSQL text cannot hold NUL: a value with one is refused here, for every parameter,
    rather than reaching the driver as a 500."""
    errors: list[dict[str, Any]] = [
        {"loc": ("query", name), "msg": "NUL characters are not allowed", "type": "string_nul"}
        for name, value in request.query_params.multi_items()
        if "\x00" in value
    ]
    if errors:
        raise RequestValidationError(errors)


async def refuse_unknown_query_parameters(request: Request) -> None:
    if not request.scope.get("query_string"):
        return
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    declared = _query_names(route)
    if not declared:
        return
    _refuse_nul(request)
    unknown = sorted(set(request.query_params) - declared)
    if unknown:
        known = ", ".join(sorted(declared))
        errors: list[dict[str, Any]] = [
            {
                "loc": ("query", name),
                "msg": f"Unknown query parameter; this operation takes {known}",
                "type": "extra_forbidden",
            }
            for name in unknown
        ]
        raise RequestValidationError(errors)
