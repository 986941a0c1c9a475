"""Every credential that must not work, refused one by one — and no route left unprotected."""

import base64
import json
import re
import uuid
from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from jose import jwt
from sqlmodel.ext.asyncio.session import AsyncSession

from app.config import settings
from app.core.security import TokenType, encode_token
from app.models.user import UserRole
from tests.factories import Caller, make_user, sign_in

ME = "/api/v1/users/me"
PUBLIC_ROUTES = {
    ("GET", "/api/v1/health"),
    ("GET", "/api/v1/health/ready"),
    ("GET", "/health"),
    ("POST", "/api/v1/auth/login"),
    ("POST", "/api/v1/auth/refresh"),
    ("POST", "/api/v1/auth/session"),
    ("POST", "/api/v1/auth/session/refresh"),  # its credential is the session cookie
}


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _token(caller: Caller, *, token_type: TokenType, lifetime: timedelta, secret: str) -> str:
    claims = jwt.get_unverified_claims(caller.access_token)
    return encode_token(
        secret=secret,
        token_type=token_type,
        subject=caller.user.id,
        session_id=uuid.UUID(claims["sid"]),
        token_id=uuid.uuid4(),
        lifetime=lifetime,
    )


def _b64(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


async def test_an_expired_access_token_is_refused(
    client: httpx.AsyncClient, member: Caller
) -> None:
    expired = _token(
        member,
        token_type=TokenType.ACCESS,
        lifetime=timedelta(seconds=-5),
        secret=settings.JWT_SECRET.get_secret_value(),
    )
    assert (await client.get(ME, headers=_bearer(expired))).status_code == 401


async def test_a_tampered_signature_is_refused(client: httpx.AsyncClient, member: Caller) -> None:
    header, payload, signature = member.access_token.split(".")
    forged_payload = _b64(
        {**jwt.get_unverified_claims(member.access_token), "sub": str(uuid.uuid4())}
    )
    for token in (
        f"{header}.{forged_payload}.{signature}",
        f"{header}.{payload}.{signature[::-1]}",
    ):
        assert (await client.get(ME, headers=_bearer(token))).status_code == 401


async def test_alg_none_is_refused(client: httpx.AsyncClient, member: Caller) -> None:
    claims = jwt.get_unverified_claims(member.access_token)
    unsigned = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(claims)}."
    assert (await client.get(ME, headers=_bearer(unsigned))).status_code == 401


async def test_a_token_signed_with_another_secret_is_refused(
    client: httpx.AsyncClient, member: Caller
) -> None:
    other = _token(
        member,
        token_type=TokenType.ACCESS,
        lifetime=timedelta(minutes=5),
        secret="another-secret-" * 3,
    )
    assert (await client.get(ME, headers=_bearer(other))).status_code == 401


async def test_refresh_and_access_tokens_cannot_stand_in_for_each_other(
    client: httpx.AsyncClient, member: Caller
) -> None:
    assert (await client.get(ME, headers=_bearer(member.refresh_token))).status_code == 401
    as_refresh = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": member.access_token}
    )
    assert as_refresh.status_code == 401


@pytest.mark.parametrize(
    "header",
    [
        {"Authorization": "Bearer not-a-token"},
        {"Authorization": "Bearer a.b.c"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"X-API-Key": "co2k_000000000000_" + "x" * 43},
        {"X-API-Key": "garbage"},
        {"Authorization": "Bearer co2k_zzzzzzzzzzzz_" + "x" * 43},
    ],
)
async def test_malformed_credentials_are_refused(
    client: httpx.AsyncClient, header: dict[str, str]
) -> None:
    response = await client.get(ME, headers=header)
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"


async def test_a_deactivated_users_tokens_and_keys_stop_at_once(
    client: httpx.AsyncClient, session: AsyncSession, admin: Caller
) -> None:
    user = await make_user(session)
    caller = await sign_in(client, user)
    key = (
        await client.post(
            "/api/v1/users/me/api-keys", json={"name": "cron"}, headers=caller.headers
        )
    ).json()["key"]
    assert (await client.get(ME, headers={"X-API-Key": key})).status_code == 200

    response = await client.post(f"/api/v1/users/{user.id}/deactivate", headers=admin.headers)
    assert response.status_code == 200
    assert response.json()["is_active"] is False
    assert (await client.get(ME, headers=caller.headers)).status_code == 401
    assert (await client.get(ME, headers={"X-API-Key": key})).status_code == 401
    assert (await client.get(ME, headers=_bearer(key))).status_code == 401
    refresh = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": caller.refresh_token}
    )
    assert refresh.status_code == 401


def _concrete_path(path: str) -> str:
    return re.sub(r"\{[^}]+\}", str(uuid.uuid4()), path)


def _api_routes(app: FastAPI) -> list[tuple[str, str]]:
    routes: list[tuple[str, str]] = []
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, APIRoute):
            # `{factor_id:uuid}` → `{factor_id}`, as in the spec
            path = re.sub(r"\{(\w+):\w+\}", r"{\1}", context.path or route.path)
            routes.extend((method, path) for method in sorted(route.methods or ()))
    return routes


async def test_every_route_but_the_public_ones_requires_authentication(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    routes = _api_routes(app)
    assert len(routes) > len(PUBLIC_ROUTES)
    assert set(routes) >= PUBLIC_ROUTES, "a public route disappeared: update PUBLIC_ROUTES"
    for method, path in routes:
        if (method, path) in PUBLIC_ROUTES:
            continue
        response = await client.request(method, _concrete_path(path))
        assert response.status_code == 401, f"{method} {path} answered {response.status_code}"
        assert response.headers["www-authenticate"] == "Bearer"


async def test_metrics_need_an_admin(
    client: httpx.AsyncClient, member: Caller, admin: Caller
) -> None:
    assert (await client.get("/metrics", headers=member.headers)).status_code == 403
    response = await client.get("/metrics", headers=admin.headers)
    assert response.status_code == 200
    assert "http_requests_total" in response.text


async def test_admin_routes_refuse_plain_users(
    client: httpx.AsyncClient, member: Caller, session: AsyncSession
) -> None:
    other = await make_user(session, role=UserRole.USER)
    calls = [
        ("GET", "/api/v1/users", None),
        ("POST", "/api/v1/users", {"email": "x@lab.example", "password": "good-pass-123"}),
        ("GET", f"/api/v1/users/{other.id}", None),
        ("PATCH", f"/api/v1/users/{other.id}", {"version": 1, "role": "admin"}),
        ("POST", f"/api/v1/users/{other.id}/deactivate", None),
    ]
    for method, path, body in calls:
        response = await client.request(method, path, json=body, headers=member.headers)
        assert response.status_code == 403, f"{method} {path}"
    assert (await client.get(ME, headers=member.headers)).json()["role"] == "user"


async def test_a_username_with_a_nul_byte_is_a_422_not_a_500(client: httpx.AsyncClient) -> None:
    """Found by schemathesis: the lookup sent NUL to PostgreSQL, which refuses it in text."""
    response = await client.post(
        "/api/v1/auth/login", data={"username": "a\x00@lab.example", "password": "whatever-1"}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "username"]
