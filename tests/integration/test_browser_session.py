"""The web app's session: the refresh token in an HttpOnly, SameSite=Strict cookie scoped to
`/auth/session`, rotated like any refresh token (a replayed one revokes the session), removed at
sign-out; the body carries the access token only."""

import httpx
import pytest
from fastapi import FastAPI
from sqlmodel.ext.asyncio.session import AsyncSession

from app.api.routes.auth import REFRESH_COOKIE
from tests.factories import DEFAULT_PASSWORD, make_user

SESSION = "/api/v1/auth/session"
REFRESH = "/api/v1/auth/session/refresh"
LOGOUT = "/api/v1/auth/logout"
ME = "/api/v1/users/me"


def _set_cookie(response: httpx.Response) -> str:
    (header,) = [v for k, v in response.headers.multi_items() if k == "set-cookie"]
    return header


def _cookie_value(response: httpx.Response) -> str:
    return _set_cookie(response).split(";", 1)[0].split("=", 1)[1]


async def _sign_in(client: httpx.AsyncClient, email: str) -> httpx.Response:
    return await client.post(SESSION, data={"username": email, "password": DEFAULT_PASSWORD})


def _cookie(value: str) -> dict[str, str]:
    """The cookie as a browser sends it (not through the client's jar)."""
    return {"Cookie": f"{REFRESH_COOKIE}={value}"}


def _bearer(response: httpx.Response) -> dict[str, str]:
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def test_sign_in_keeps_the_refresh_token_in_an_http_only_strict_cookie(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await make_user(session, email="ada@lab.example")
    response = await _sign_in(client, "ada@lab.example")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access_token", "token_type", "expires_in"}  # no refresh token
    assert body["expires_in"] == 30 * 60
    attributes = {part.strip().split("=")[0].lower() for part in _set_cookie(response).split(";")}
    assert {REFRESH_COOKIE.lower(), "httponly", "samesite", "path", "max-age"} <= attributes
    assert "samesite=strict" in _set_cookie(response).lower()
    assert f"path={SESSION}" in _set_cookie(response).lower()
    assert "secure" not in attributes  # plain http (a test client): a browser would drop it
    assert (await client.get(ME, headers=_bearer(response))).json()["email"] == "ada@lab.example"


async def test_the_cookie_is_secure_over_https(app: FastAPI, session: AsyncSession) -> None:
    await make_user(session, email="ada@lab.example")
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as client:
        response = await _sign_in(client, "ada@lab.example")
    assert response.status_code == 200
    assert "secure" in {p.strip().lower() for p in _set_cookie(response).split(";")}


async def test_refresh_rotates_the_cookie_and_a_replayed_cookie_ends_the_session(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await make_user(session, email="ada@lab.example")
    first = _cookie_value(await _sign_in(client, "ada@lab.example"))
    assert client.cookies.get(REFRESH_COOKIE) == first  # the client's jar sends it back

    rotated = await client.post(REFRESH)
    assert rotated.status_code == 200
    second = _cookie_value(rotated)
    assert second != first
    assert (await client.get(ME, headers=_bearer(rotated))).status_code == 200
    again = await client.post(REFRESH)  # the jar now holds the second one
    assert again.status_code == 200

    client.cookies.clear()
    replay = await client.post(REFRESH, headers=_cookie(first))
    assert replay.status_code == 401
    assert replay.headers["content-type"] == "application/problem+json"
    assert (await client.get(ME, headers=_bearer(again))).status_code == 401  # revoked


@pytest.mark.parametrize("cookie", [None, "", "not-a-token", "x" * 5000])
async def test_refresh_without_a_usable_cookie_is_401_and_sets_nothing(
    client: httpx.AsyncClient, cookie: str | None
) -> None:
    response = await client.post(REFRESH, headers=None if cookie is None else _cookie(cookie))
    assert response.status_code in (401, 422)
    assert response.headers["content-type"] == "application/problem+json"
    assert "set-cookie" not in response.headers
    if cookie in (None, ""):
        assert response.status_code == 401
        assert response.json()["detail"] == "No session cookie: sign in."


async def test_a_wrong_password_sets_no_cookie(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await make_user(session, email="ada@lab.example")
    response = await client.post(SESSION, data={"username": "ada@lab.example", "password": "nope"})
    assert response.status_code == 401
    assert "set-cookie" not in response.headers
    assert not client.cookies


async def test_sign_out_removes_the_cookie_and_the_session_ends(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await make_user(session, email="ada@lab.example")
    signed_in = await _sign_in(client, "ada@lab.example")
    cookie = _cookie_value(signed_in)
    out = await client.post(LOGOUT, headers=_bearer(signed_in))
    assert out.status_code == 204
    removal = _set_cookie(out).lower()
    assert removal.startswith(f"{REFRESH_COOKIE}=")
    assert "max-age=0" in removal
    assert f"path={SESSION}" in removal
    assert not client.cookies
    after = await client.post(REFRESH, headers=_cookie(cookie))
    assert after.status_code == 401
