"""The OpenAPI document: readable operation ids, problem+json on every error response, the
headers every response carries, the limits the server enforces, and links between operations."""

import re
from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.encoders import jsonable_encoder
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute, iter_route_contexts
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema
from starlette.routing import BaseRoute

from app.api.deps import DATABASE_DEPENDENCIES, SECURITY_SCHEMES, get_principal, uses
from app.api.openapi_links import add_links
from app.config import KiB, MiB, Settings
from app.core.errors import PROBLEM_CONTENT_TYPE, ProblemDetails

_PROBLEM_REF = {"$ref": "#/components/schemas/ProblemDetails"}
_FASTAPI_VALIDATION_SCHEMAS = ("HTTPValidationError", "ValidationError")
_FASTAPI_422_DESCRIPTION = "Validation Error"
_METHODS = {"get", "put", "post", "patch", "delete", "head", "options", "trace"}


def _default_size(setting: str) -> str:
    """A size setting's default, for the document (which must not vary with the environment)."""
    size: int = Settings.model_fields[setting].default
    for unit, name in ((MiB, "MiB"), (KiB, "KiB")):
        if size % unit == 0:
            return f"{size // unit} {name}"
    return f"{size} bytes"


_HEAD_LIMIT = f"`REQUEST_HEAD_MAX_BYTES` ({_default_size('REQUEST_HEAD_MAX_BYTES')} by default)"
_BODY_LIMIT = f"`REQUEST_MAX_BYTES` ({_default_size('REQUEST_MAX_BYTES')} by default)"
_FILE_LIMIT = f"`IMPORT_MAX_BYTES` ({_default_size('IMPORT_MAX_BYTES')} by default)"
_BODY_TOO_LARGE = f"Payload Too Large: the body is larger than {_BODY_LIMIT}."
_FILE_TOO_LARGE = f"Payload Too Large: the file is larger than {_FILE_LIMIT}."

API_DESCRIPTION = "\n\n".join(
    (
        "Every path is under `/api/v1`, except `GET /metrics`. Errors are "
        "`application/problem+json` (`ProblemDetails`).",
        "**Headers.** Every response carries `X-Request-ID` (send your own, 1 to 128 letters, "
        "digits or `._:-`, to find a request in the server's logs). A `429` or `503` carries "
        "`Retry-After` in seconds; a `401` carries `WWW-Authenticate`.",
        f"**Limits** (server settings, defaults shown): the request line and headers at most "
        f"{_HEAD_LIMIT} (longer: `431` and the connection is closed); a body at most "
        f"{_BODY_LIMIT}, an uploaded file at most {_FILE_LIMIT} (larger: `413`). Logins, "
        "uploads, factor syncs and factor value changes are rate limited, and a lab has at most "
        "`JOB_MAX_ACTIVE_PER_LAB` imports queued or running (beyond: `429`).",
    )
)

# The tags of the operations, in the order of the routers; each operation has exactly one.
OPENAPI_TAGS: list[dict[str, Any]] = [
    {"name": "health", "description": "Liveness and readiness probes (no authentication)."},
    {
        "name": "auth",
        "description": "Log in with email and password (the OAuth2 password flow), rotate the "
        "refresh token, log out.",
    },
    {
        "name": "users",
        "description": "Your account, password and API keys; other accounts (admins).",
    },
    {
        "name": "labs",
        "description": "Labs and their members, with a role each: viewer, contributor, manager.",
    },
    {
        "name": "entries",
        "description": "A lab's activities (date, emission factor, quantity) and their kg CO2e.",
    },
    {
        "name": "factors",
        "description": "Emission factors: kg CO2e per unit of an activity, by key, year and "
        "region (admins change them).",
    },
    {
        "name": "headcount",
        "description": "A lab's full-time equivalents per year and staff category, the "
        "denominator of the reports' per-FTE figures (managers write them).",
    },
    {
        "name": "targets",
        "description": "A lab's reduction target (baseline year, target year, reduction) and "
        "its progress: a linear path and the actual totals year by year (managers set it).",
    },
    {
        "name": "sign-off",
        "description": "A lab-year's sign-off: open, submitted by the lab's managers, validated "
        "by admins; a submitted or validated year refuses writes to its figures (409 "
        "`year-locked`).",
    },
    {
        "name": "reports",
        "description": "Yearly emissions by category, scope and month, as JSON or CSV.",
    },
    {
        "name": "imports",
        "description": "CSV uploads of activities and factors, the factor sync, and the "
        "background jobs that import them.",
    },
    {
        "name": "audit",
        "description": "Who changed what and when: a lab's audit trail (its managers, admins) "
        "and the whole trail (admins), newest first.",
    },
    {"name": "metrics", "description": "Prometheus metrics (admins)."},
]

# Relative: generated clients keep a configurable base URL, defaulting to the server's origin.
SERVERS: list[dict[str, str]] = [
    {"url": "/", "description": "The server that serves this document"}
]

HEADERS: dict[str, dict[str, Any]] = {
    "X-Request-ID": {
        "description": "The request's id, also in the server's logs: the `X-Request-ID` the "
        "client sent when it is 1 to 128 letters, digits or `._:-`, otherwise a new one. Quote "
        "it when reporting a problem.",
        "required": True,
        "schema": {"type": "string", "minLength": 1, "maxLength": 128},
    },
    "Retry-After": {
        "description": "Seconds to wait before retrying (a whole number, at least 1).",
        "required": True,
        "schema": {"type": "integer", "minimum": 1},
    },
    "WWW-Authenticate": {
        "description": "The scheme to authenticate with: `Bearer` (an access token, an OIDC "
        "token or an API key; an API key may also go in `X-API-Key`).",
        "required": True,
        "schema": {"type": "string"},
    },
}
_HEADERS_BY_STATUS: dict[int, tuple[str, ...]] = {
    HTTPStatus.UNAUTHORIZED: ("WWW-Authenticate",),
    HTTPStatus.TOO_MANY_REQUESTS: ("Retry-After",),
    HTTPStatus.SERVICE_UNAVAILABLE: ("Retry-After",),
}
_DESCRIPTIONS: dict[int, str] = {
    HTTPStatus.UNAUTHORIZED: "Unauthorized: no credential, or one that is wrong, expired or "
    "revoked.",
    HTTPStatus.TOO_MANY_REQUESTS: "Too Many Requests: a rate limit, or the lab's cap on active "
    "imports; retry after `Retry-After` seconds.",
    HTTPStatus.INTERNAL_SERVER_ERROR: "Internal Server Error: a bug; the body names only the "
    "request id (as `X-Request-ID` does) and the connection is closed.",
    HTTPStatus.SERVICE_UNAVAILABLE: "Service Unavailable: the database cannot be reached or "
    "has no connection free; retry after `Retry-After` seconds.",
}


def _header_ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/headers/{name}"}


def operation_id(route: APIRoute) -> str:
    """`list_labs` → `listLabs`: clients name their functions and hooks after this."""
    head, *rest = route.name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def with_retry_after(status: int, when: str) -> dict[int | str, dict[str, Any]]:
    """`responses=` entry for an error that carries `Retry-After` only sometimes (`when`, e.g.
    "when the values lock was busy"); 429 and 503 always carry it and need no entry."""
    header = {**HEADERS["Retry-After"], "required": False}
    header["description"] = f"Seconds to wait before retrying, sent {when}."
    return {status: {"description": HTTPStatus(status).phrase, "headers": {"Retry-After": header}}}


def _default_description(status: int, operation: dict[str, Any]) -> str:
    if status == HTTPStatus.REQUEST_ENTITY_TOO_LARGE:
        multipart = "multipart/form-data" in operation.get("requestBody", {}).get("content", {})
        return _FILE_TOO_LARGE if multipart else _BODY_TOO_LARGE
    return _DESCRIPTIONS.get(status, HTTPStatus(status).phrase)


def _with_headers(response: dict[str, Any], status: int) -> dict[str, Any]:
    """The response with `X-Request-ID` and its status' headers, keys in a fixed order."""
    headers = {"X-Request-ID": _header_ref("X-Request-ID")}
    for name in _HEADERS_BY_STATUS.get(status, ()):
        headers[name] = _header_ref(name)
    headers.update(response.get("headers", {}))
    ordered = {"description": response["description"], "headers": dict(sorted(headers.items()))}
    ordered.update((key, value) for key, value in response.items() if key not in ordered)
    return ordered


def _problem_response(
    status: int, declared: dict[str, Any], operation: dict[str, Any]
) -> dict[str, Any]:
    description = declared.get("description")
    if description in (None, HTTPStatus(status).phrase, _FASTAPI_422_DESCRIPTION):
        description = _default_description(status, operation)
    response = {
        "description": description,
        "content": {PROBLEM_CONTENT_TYPE: {"schema": _PROBLEM_REF}},
    }
    if "headers" in declared:
        response["headers"] = declared["headers"]
    return response


def _operations(schema: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        operation
        for path_item in schema.get("paths", {}).values()
        for method, operation in path_item.items()
        if method in _METHODS
    ]


def _uses_database(dependant: Dependant) -> bool:
    return any(uses(dependant, dependency) for dependency in DATABASE_DEPENDENCIES)


def database_operations(routes: Sequence[BaseRoute]) -> set[tuple[str, str]]:
    """(path, method) of the operations that use the database: they answer 503 (with
    `Retry-After`) when the database is unavailable (`app/core/errors.py`)."""
    found: set[tuple[str, str]] = set()
    for context in iter_route_contexts(routes):  # routes of included routers, with their prefix
        dependant = getattr(context, "dependant", None)
        documented = isinstance(context.original_route, APIRoute) and context.include_in_schema
        if documented and isinstance(dependant, Dependant) and _uses_database(dependant):
            found.update((str(context.path_format), m.lower()) for m in context.methods or ())
    return found


def _normalise_responses(schema: dict[str, Any], using_database: set[tuple[str, str]]) -> None:
    """Every error response is problem+json; every response says which headers it carries."""
    for path, path_item in schema.get("paths", {}).items():
        for method, operation in path_item.items():
            if method not in _METHODS:
                continue
            responses: dict[str, Any] = operation.setdefault("responses", {})
            if "requestBody" in operation:
                responses.setdefault("400", {})
                responses.setdefault("413", {})
            if "422" in responses or "requestBody" in operation or operation.get("parameters"):
                responses.setdefault("422", {})
            if (path, method) in using_database:
                responses.setdefault("503", {})
            responses.setdefault("500", {})
            for status, response in list(responses.items()):
                code = int(status) if status.isdigit() else 0
                if code >= 400:
                    response = _problem_response(code, response, operation)
                responses[status] = _with_headers(response, code)
            operation["responses"] = dict(sorted(responses.items()))
    components = schema.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    for name in _FASTAPI_VALIDATION_SCHEMAS:
        schemas.pop(name, None)
    _, problem_schemas = models_json_schema(
        [(ProblemDetails, "serialization")], ref_template="#/components/schemas/{model}"
    )
    schemas.update(problem_schemas["$defs"])
    components["schemas"] = dict(sorted(schemas.items()))
    components["headers"] = dict(sorted(HEADERS.items()))


# The keys FastAPI writes before an operation's `security`.
_OPERATION_METADATA = frozenset({"tags", "summary", "description", "operationId", "deprecated"})


def _declare_security(schema: dict[str, Any], routes: Sequence[BaseRoute]) -> None:
    """Every operation that takes the caller accepts either of `SECURITY_SCHEMES`, declared
    where FastAPI would declare a security dependency (`get_principal` reads the headers
    itself: app/api/deps.py)."""
    requirement: list[dict[str, list[str]]] = [
        {scheme.scheme_name: []} for scheme in SECURITY_SCHEMES
    ]
    declared = False
    for context in iter_route_contexts(routes):
        dependant = getattr(context, "dependant", None)
        if not isinstance(dependant, Dependant) or not uses(dependant, get_principal):
            continue
        path_item = schema.get("paths", {}).get(str(context.path_format), {})
        for method in context.methods or ():
            operation = path_item.get(method.lower())
            if operation is None:  # not in the schema
                continue
            metadata = {
                key: value for key, value in operation.items() if key in _OPERATION_METADATA
            }
            rest = {key: value for key, value in operation.items() if key not in metadata}
            operation.clear()
            operation.update(metadata, security=[dict(item) for item in requirement], **rest)
            declared = True
    if declared:
        schema.setdefault("components", {})["securitySchemes"] = {
            scheme.scheme_name: jsonable_encoder(scheme.model, by_alias=True, exclude_none=True)
            for scheme in SECURITY_SCHEMES
        }


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
            tags=app.openapi_tags,
        )
        _declare_security(schema, app.routes)
        _normalise_responses(schema, database_operations(app.routes))
        _explicit_public_security(schema)
        _add_schemas(schema, extra_models)
        _mark_binary_uploads(schema)
        add_links(schema)
        app.openapi_schema = schema
    return app.openapi_schema


_CAMEL = re.compile(r"^[a-z][a-zA-Z0-9]*$")


def is_readable_operation_id(value: str) -> bool:
    return bool(_CAMEL.match(value))
