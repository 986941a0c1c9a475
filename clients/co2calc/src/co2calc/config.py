"""Which server, which credentials, and the generated clients built from them."""

import os
from dataclasses import dataclass

import httpx
import typer
from co2calculator_client import AuthenticatedClient, Client

from co2calc.failures import Failure

API_KEY_ENV = "CO2CALC_API_KEY"
BASE_URL_ENV = "CO2CALC_BASE_URL"
DEFAULT_BASE_URL = "http://127.0.0.1:8000"
PASSWORD_ENV = "CO2CALC_PASSWORD"  # noqa: S105 (a variable name) only for `api-key create`
DEFAULT_TIMEOUT = 60.0
# Every error the API answers is problem+json (a gateway's JSON 503 is not one of them).
_API_ERROR_TYPE = "application/problem+json"


@dataclass(frozen=True)
class Target:
    """The global options: where the server is, and how long to wait for each answer."""

    base_url: str
    timeout: float


def checked_base_url(value: str) -> str:
    """The --base-url option's check (a typer callback: bad usage, exit status 2)."""
    if not value.startswith(("http://", "https://")):
        raise typer.BadParameter(f"{value!r} is not an http:// or https:// URL")
    return value.rstrip("/")


def target_of(ctx: typer.Context) -> Target:
    target = ctx.find_root().obj
    assert isinstance(target, Target)
    return target


def connect(ctx: typer.Context) -> AuthenticatedClient:
    """The generated client, authenticated with the API key from the environment."""
    key = os.environ.get(API_KEY_ENV, "").strip()
    if not key:
        raise Failure(
            f"{API_KEY_ENV} is not set: create a key with `co2calc api-key create --email "
            f"YOU` and export it"
        )
    return signed_in(target_of(ctx), key, api_key=True)


def anonymous(target: Target) -> Client:
    return Client(
        base_url=target.base_url,
        timeout=httpx.Timeout(target.timeout),
        raise_on_unexpected_status=True,
        httpx_args=_httpx_args(),
    )


def signed_in(target: Target, token: str, *, api_key: bool = False) -> AuthenticatedClient:
    """A client sending an API key (`X-API-Key`) or a bearer access token."""
    return AuthenticatedClient(
        base_url=target.base_url,
        token=token,
        prefix="" if api_key else "Bearer",
        auth_header_name="X-API-Key" if api_key else "Authorization",
        timeout=httpx.Timeout(target.timeout),
        raise_on_unexpected_status=True,
        httpx_args=_httpx_args(),
    )


def _httpx_args() -> dict[str, object]:
    return {"event_hooks": {"response": [_refuse_foreign_answers]}}


def _refuse_foreign_answers(response: httpx.Response) -> None:
    """An error that is not problem+json did not come from the API (a proxy, a wrong URL)."""
    content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if response.status_code >= 400 and content_type != _API_ERROR_TYPE:
        raise Failure(
            f"{response.request.url} answered HTTP {response.status_code} "
            f"{response.reason_phrase}, which is not an answer of the co2calculator API "
            f"(is {BASE_URL_ENV} right?)"
        )
