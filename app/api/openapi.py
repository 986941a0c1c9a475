"""The OpenAPI document: readable operation ids and problem+json on every error response."""

import re
from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema
from starlette.routing import BaseRoute

from app.core.errors import PROBLEM_CONTENT_TYPE, ProblemDetails

_PROBLEM_REF = {"$ref": "#/components/schemas/ProblemDetails"}
_FASTAPI_VALIDATION_SCHEMAS = ("HTTPValidationError", "ValidationError")
_METHODS = {"get", "put", "post", "patch", "delete", "head", "options", "trace"}


def operation_id(route: APIRoute) -> str:
    """`list_labs` → `listLabs`: clients name their functions and hooks after this."""
    head, *rest = route.name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def _problem_response(status: int) -> dict[str, Any]:
    return {
        "description": HTTPStatus(status).phrase,
        "content": {PROBLEM_CONTENT_TYPE: {"schema": _PROBLEM_REF}},
    }


def _operations(schema: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        operation
        for path_item in schema.get("paths", {}).values()
        for method, operation in path_item.items()
        if method in _METHODS
    ]


def _normalise_error_responses(schema: dict[str, Any]) -> None:
    for operation in _operations(schema):
        responses: dict[str, Any] = operation.setdefault("responses", {})
        if "requestBody" in operation:
            responses.setdefault("400", {})
            responses.setdefault("413", {})
        if "422" in responses or "requestBody" in operation or operation.get("parameters"):
            responses.setdefault("422", {})
        responses.setdefault("500", {})
        for status in list(responses):
            if status.isdigit() and int(status) >= 400:
                responses[status] = _problem_response(int(status))
        operation["responses"] = dict(sorted(responses.items()))
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for name in _FASTAPI_VALIDATION_SCHEMAS:
        components.pop(name, None)
    _, problem_schemas = models_json_schema(
        [(ProblemDetails, "serialization")], ref_template="#/components/schemas/{model}"
    )
    components.update(problem_schemas["$defs"])
    schema["components"]["schemas"] = dict(sorted(components.items()))


def _explicit_public_security(schema: dict[str, Any]) -> None:
    """An operation without authentication says so (`security: []`) rather than saying nothing."""
    for operation in _operations(schema):
        operation.setdefault("security", [])


def _mark_binary_uploads(schema: dict[str, Any]) -> None:
    """File fields as OpenAPI 3.1 writes them (`contentMediaType`) also get `format: binary`,
    which openapi-python-client needs to type them as files rather than strings."""
    for component in schema.get("components", {}).get("schemas", {}).values():
        for field in component.get("properties", {}).values():
            if field.get("type") == "string" and "contentMediaType" in field:
                field.setdefault("format", "binary")


def use_docstring_summaries(routes: Sequence[BaseRoute]) -> None:
    """A route's one-line docstring is its summary (FastAPI would use it as the description)."""
    for route in routes:
        if isinstance(route, APIRoute) and route.summary is None and route.description:
            first_line, _, rest = route.description.strip().partition("\n")
            route.summary = first_line.strip().rstrip(".")
            route.description = rest.strip()


def _add_schemas(schema: dict[str, Any], models: Sequence[type[BaseModel]]) -> None:
    """Models no operation refers to (e.g. the messages of a WebSocket), as components."""
    _, definitions = models_json_schema(
        [(model, "serialization") for model in models], ref_template="#/components/schemas/{model}"
    )
    components: dict[str, Any] = schema["components"]["schemas"]
    for name, definition in definitions.get("$defs", {}).items():
        if components.setdefault(name, definition) != definition:
            raise RuntimeError(f"two different schemas are named {name}")
    schema["components"]["schemas"] = dict(sorted(components.items()))


def build_openapi(app: FastAPI, *, extra_models: Sequence[type[BaseModel]] = ()) -> dict[str, Any]:
    """The document, built once; `extra_models` are added to its components."""
    if app.openapi_schema is None:
        schema = get_openapi(
            title=app.title,
            version=app.version,
            summary=app.summary,
            description=app.description,
            routes=app.routes,
            servers=app.servers,
        )
        _normalise_error_responses(schema)
        _explicit_public_security(schema)
        _add_schemas(schema, extra_models)
        _mark_binary_uploads(schema)
        app.openapi_schema = schema
    return app.openapi_schema


_CAMEL = re.compile(r"^[a-z][a-zA-Z0-9]*$")


def is_readable_operation_id(value: str) -> bool:
    return bool(_CAMEL.match(value))
