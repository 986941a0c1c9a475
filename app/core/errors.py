"""Domain errors and their single mapping to `application/problem+json` (RFC 9457)."""

import logging
import re
from collections.abc import Mapping
from functools import cache
from http import HTTPStatus
from types import UnionType
from typing import Annotated, Any, ClassVar, Union, get_args, get_origin

import psycopg
import sqlalchemy.exc
from asgi_correlation_id import correlation_id
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, Tag
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.security_headers import add_security_headers

logger = logging.getLogger(__name__)

_METHODS = frozenset({"GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"})
PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://co2calculator.dev/problems/"


class FieldError(BaseModel):
    """One invalid input: where it is (`["body", "name"]`), what is wrong, and the error code."""

    loc: list[str | int]
    msg: str
    type: str


class ProblemDetails(BaseModel):
    """An error response (RFC 9457 problem details)."""

    type: str = Field(description="URI identifying the problem type")
    title: str
    status: int = Field(ge=100, le=599)
    detail: str | None = None
    instance: str | None = None
    request_id: str | None = None
    errors: list[FieldError] | None = Field(
        default=None, description="Per-field errors (validation problems only)"
    )


class AppError(Exception):
    """Base of every expected failure raised below the API layer."""

    status: ClassVar[int] = HTTPStatus.BAD_REQUEST
    slug: ClassVar[str] = "bad-request"
    title: ClassVar[str] = "Bad request"
    # True for refusals that must still record something (e.g. revoking a token family on reuse):
    # the request's transaction is committed before the error is answered.
    keeps_changes: ClassVar[bool] = False

    def __init__(self, detail: str | None = None, *, headers: Mapping[str, str] | None = None):
        super().__init__(detail or self.title)
        self.detail = detail
        self.headers = dict(headers or {})


class InvalidInput(AppError):
    status = HTTPStatus.UNPROCESSABLE_ENTITY
    slug = "invalid-input"
    title = "Invalid input"

    def __init__(self, detail: str, *, errors: list[FieldError] | None = None) -> None:
        super().__init__(detail)
        self.errors = errors

    @classmethod
    def at(cls, field: str, detail: str, *, msg: str, type: str) -> "InvalidInput":
        """One invalid body field: `detail` for people, `msg` and `type` for its location."""
        return cls(detail, errors=[FieldError(loc=["body", field], msg=msg, type=type)])


class Unauthorized(AppError):
    status = HTTPStatus.UNAUTHORIZED
    slug = "unauthorized"
    title = "Not authenticated"

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(detail, headers={"WWW-Authenticate": "Bearer"})


class Forbidden(AppError):
    status = HTTPStatus.FORBIDDEN
    slug = "forbidden"
    title = "Forbidden"


class NotFound(AppError):
    status = HTTPStatus.NOT_FOUND
    slug = "not-found"
    title = "Not found"


class Conflict(AppError):
    status = HTTPStatus.CONFLICT
    slug = "conflict"
    title = "Conflict"


class NotConfigured(Conflict):
    """A feature this server's settings leave off (retrying will not help; an operator must)."""

    slug = "not-configured"
    title = "Not configured"


class YearLocked(Conflict):
    """A write that would change the figures of a submitted or validated lab-year (sign-off)."""

    slug = "year-locked"
    title = "Year signed off"


class PayloadTooLarge(AppError):
    status = HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    slug = "payload-too-large"
    title = "Payload too large"


class RateLimited(AppError):
    status = HTTPStatus.TOO_MANY_REQUESTS
    slug = "rate-limited"
    title = "Too many requests"

    def __init__(self, retry_after_seconds: int, detail: str | None = None) -> None:
        super().__init__(detail, headers={"Retry-After": str(max(1, retry_after_seconds))})


class ServiceUnavailable(AppError):
    status = HTTPStatus.SERVICE_UNAVAILABLE
    slug = "service-unavailable"
    title = "Service unavailable"

    def __init__(self, detail: str | None = None, *, retry_after_seconds: int | None = None):
        # Like every 503 here, it says when to retry (the spec promises `Retry-After`).
        seconds = (
            DATABASE_RETRY_AFTER_SECONDS if retry_after_seconds is None else retry_after_seconds
        )
        super().__init__(detail, headers={"Retry-After": str(max(1, seconds))})


def problem_response(
    status: int,
    *,
    title: str | None = None,
    slug: str | None = None,
    detail: str | None = None,
    errors: list[FieldError] | None = None,
    headers: Mapping[str, str] | None = None,
    instance: str | None = None,
) -> JSONResponse:
    phrase = HTTPStatus(status).phrase
    problem = ProblemDetails(
        type=PROBLEM_TYPE_BASE + (slug or phrase.lower().replace(" ", "-")),
        title=title or phrase,
        status=status,
        detail=detail,
        instance=instance,
        request_id=correlation_id.get(),
        errors=errors,
    )
    return JSONResponse(
        problem.model_dump(mode="json", exclude_none=True),
        status_code=status,
        headers=headers,
        media_type=PROBLEM_CONTENT_TYPE,
    )


def _field_errors(raw_errors: Any, union_tags: frozenset[str] = frozenset()) -> list[FieldError]:
    errors = []
    for error in raw_errors:
        loc = [part if isinstance(part, int) else str(part) for part in error.get("loc", ())]
        if len(loc) > 2 and loc[0] == "body" and loc[1] in union_tags:
            del loc[1]  # the variant's tag: `["body", "quantity"]`, as without a union
        errors.append(
            FieldError(loc=loc, msg=str(error.get("msg", "")), type=str(error.get("type", "")))
        )
    return errors


@cache
def _tags_of(annotation: Any) -> frozenset[str]:
    """The tags of a tagged union (`Annotated[A | B, Discriminator(...)]` of `Annotated[A,
    Tag("a")]`…), which pydantic puts in an error's location after `body`; empty for any other
    body."""
    if get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    if get_origin(annotation) not in (Union, UnionType):
        return frozenset()
    return frozenset(
        item.tag
        for variant in get_args(annotation)
        if get_origin(variant) is Annotated
        for item in get_args(variant)[1:]
        if isinstance(item, Tag)
    )


def _body_union_tags(request: Request) -> frozenset[str]:
    body = getattr(request.scope.get("route"), "body_field", None)
    return _tags_of(body.field_info.annotation) if body is not None else frozenset()


async def _app_error_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AppError)
    return problem_response(
        exc.status,
        title=exc.title,
        slug=exc.slug,
        detail=exc.detail,
        errors=getattr(exc, "errors", None),
        headers=exc.headers,
        instance=request.url.path,
    )


async def _validation_error_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = _field_errors(exc.errors(), _body_union_tags(request))
    return problem_response(
        HTTPStatus.UNPROCESSABLE_ENTITY,
        title="Invalid input",
        slug="invalid-input",
        detail=f"{len(errors)} invalid field(s)",
        errors=errors,
        instance=request.url.path,
    )


def _allowed_methods(request: Request) -> set[str]:
    """The methods the API documents for this path (HEAD with GET, as Starlette serves it).
    Starlette's own 405 lists only the methods of the one route it matched, though FastAPI makes
    GET and POST of one path two routes; the OpenAPI paths know them all. The most specific
    templates win: `/factors/imports` is not also `/factors/{factor_id}`."""
    matches: dict[int, set[str]] = {}
    for template, operations in request.app.openapi().get("paths", {}).items():
        parts = template.split("/")
        pattern = "/".join("[^/]+" if part.startswith("{") else re.escape(part) for part in parts)
        if re.fullmatch(pattern, request.url.path):
            parameters = sum(part.startswith("{") for part in parts)
            methods = {method.upper() for method in operations if method.upper() in _METHODS}
            matches.setdefault(parameters, set()).update(methods)
    allowed = matches[min(matches)] if matches else set()
    if "GET" in allowed:
        allowed.add("HEAD")
    return allowed


async def _http_error_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    phrase = HTTPStatus(exc.status_code).phrase
    detail = exc.detail if isinstance(exc.detail, str) and exc.detail != phrase else None
    headers = dict(exc.headers or {})
    if exc.status_code == HTTPStatus.METHOD_NOT_ALLOWED and (allowed := _allowed_methods(request)):
        headers["Allow"] = ", ".join(sorted(allowed))
    return problem_response(
        exc.status_code, detail=detail, headers=headers, instance=request.url.path
    )


# Failures of the database itself, not of a request's data: it is down or restarting, no
# connection came free in time, or it cancelled the statement. Retrying later can succeed.
DATABASE_UNAVAILABLE: tuple[type[Exception], ...] = (
    psycopg.OperationalError,  # incl. psycopg_pool.PoolTimeout
    sqlalchemy.exc.OperationalError,
    sqlalchemy.exc.TimeoutError,  # the ORM pool's checkout timeout
)
DATABASE_RETRY_AFTER_SECONDS = 5


async def _database_unavailable_handler(request: Request, exc: Exception) -> JSONResponse:
    # The SQLSTATE tells a deadlock (40P01) or a lock timeout (55P03) from an outage (08...);
    # the message is not logged (it may quote values).
    origin = getattr(exc, "orig", None) or exc
    logger.warning(
        "database unavailable on %s %s: %s (SQLSTATE %s)",
        request.method,
        request.url.path,
        type(origin).__name__,
        getattr(origin, "sqlstate", None) or "none",
    )
    return problem_response(
        HTTPStatus.SERVICE_UNAVAILABLE,
        slug="database-unavailable",
        detail="The database is unavailable; retry later.",
        instance=request.url.path,
        headers={"Retry-After": str(DATABASE_RETRY_AFTER_SECONDS)},
    )


async def _unhandled_error_handler(request: Request, exc: Exception) -> JSONResponse:
    logger.exception("unhandled error on %s %s", request.method, request.url.path)
    request_id = correlation_id.get()
    # Starlette re-raises the error after this response, and uvicorn then drops the connection:
    # saying so lets a client open a new one instead of failing its next request on this one.
    headers = {"Connection": "close"}
    if request_id:  # 500s are rendered outside the request-id middleware, so it is set here
        headers["X-Request-ID"] = request_id
    response = problem_response(
        HTTPStatus.INTERNAL_SERVER_ERROR,
        detail="An unexpected error occurred; quote the request id when reporting it.",
        instance=request.url.path,
        headers=headers,
    )
    add_security_headers(response.headers)  # outside the middleware that adds them too
    return response


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(AppError, _app_error_handler)
    app.add_exception_handler(RequestValidationError, _validation_error_handler)
    app.add_exception_handler(StarletteHTTPException, _http_error_handler)
    for unavailable in DATABASE_UNAVAILABLE:
        app.add_exception_handler(unavailable, _database_unavailable_handler)
    app.add_exception_handler(Exception, _unhandled_error_handler)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` entries for a route's expected errors; the OpenAPI builder gives each the
    problem+json body."""
    return {status: {"description": HTTPStatus(status).phrase} for status in statuses}


class PlainErrorsAsProblems:
    """ASGI middleware turning the few plain-text errors the framework sends on its own (a body
    over the size limit, refused before any handler runs) into problem+json responses."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        replacing = False

        async def send_problem_instead(message: Message) -> None:
            nonlocal replacing
            if message["type"] == "http.response.start" and _is_plain_error(message):
                replacing = True
                response = problem_response(message["status"], instance=scope.get("path"))
                await response(scope, receive, send)
                return
            if replacing:
                return  # the plain body of the response we replaced
            await send(message)

        await self.app(scope, receive, send_problem_instead)


def _is_plain_error(message: Message) -> bool:
    if message["status"] < 400:
        return False
    headers: dict[bytes, bytes] = dict(message.get("headers", ()))
    return headers.get(b"content-type", b"").startswith(b"text/plain")
