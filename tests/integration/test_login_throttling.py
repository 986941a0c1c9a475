"""Login attempts are limited per client IP and per account from that IP (429 with
Retry-After); the client IP comes from X-Forwarded-For only behind a configured proxy."""

from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from sqlmodel.ext.asyncio.session import AsyncSession

from app.config import Settings, settings
from app.serving import proxy_options
from tests.factories import DEFAULT_PASSWORD, login, make_user


async def test_attempts_per_email_are_limited(
    client: httpx.AsyncClient, session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "LOGIN_RATE_LIMIT_PER_EMAIL", "3/minute")
    user = await make_user(session)
    for _ in range(3):
        assert (await login(client, user.email, "wrong-password-1")).status_code == 401
    limited = await login(client, user.email.upper(), DEFAULT_PASSWORD)
    assert limited.status_code == 429
    assert limited.headers["content-type"] == "application/problem+json"
    assert 1 <= int(limited.headers["retry-after"]) <= 60
    # Another account from the same address is not affected by this email's limit.
    other = await make_user(session)
    assert (await login(client, other.email)).status_code == 200


async def test_attempts_per_client_ip_are_limited(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "LOGIN_RATE_LIMIT_PER_IP", "4/minute")
    answers = [(await login(client, f"probe{n}@lab.example")).status_code for n in range(5)]
    assert answers == [401, 401, 401, 401, 429]


def _from_address(app: FastAPI, address: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


async def test_failures_from_one_address_do_not_lock_the_account_out_elsewhere(
    app: FastAPI, session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "LOGIN_RATE_LIMIT_PER_EMAIL", "3/minute")
    user = await make_user(session)
    async with _from_address(app, "198.51.100.7") as attacker:
        for _ in range(3):
            assert (await login(attacker, user.email, "wrong-password-1")).status_code == 401
        # The attacker's address is held back, even with the right password...
        assert (await login(attacker, user.email, DEFAULT_PASSWORD)).status_code == 429
    # ...and the account's owner, from their own address, is not.
    async with _from_address(app, "203.0.113.20") as owner:
        assert (await login(owner, user.email, DEFAULT_PASSWORD)).status_code == 200


async def test_x_forwarded_for_from_a_client_that_is_not_a_configured_proxy_is_ignored() -> None:
    """The servers' own options (scripts/run, the gunicorn worker) from the default settings:
    a loopback client cannot pick its address with X-Forwarded-For (uvicorn's default trusts
    127.0.0.1)."""
    defaults = Settings(_env_file=None, JWT_SECRET="x" * 32)
    assert await _client_seen_by_app(defaults, peer="127.0.0.1") == "127.0.0.1"
    behind_proxy = Settings(
        _env_file=None,
        JWT_SECRET="x" * 32,
        FORWARDED_ALLOW_IPS="10.0.0.2, 10.1.0.0/16",
    )
    assert await _client_seen_by_app(behind_proxy, peer="10.1.3.4") == "192.0.2.99"
    assert await _client_seen_by_app(behind_proxy, peer="127.0.0.1") == "127.0.0.1"


async def _client_seen_by_app(config: Settings, *, peer: str) -> str:
    """The client address an ASGI app gets from uvicorn configured with `proxy_options`, for a
    request from `peer` claiming `X-Forwarded-For: 192.0.2.99`."""
    seen: list[str] = []

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        seen.append(scope["client"][0])

    server_config = uvicorn.Config(app, **proxy_options(config))
    server_config.load()
    scope = {
        "type": "http",
        "client": (peer, 5000),
        "headers": [(b"x-forwarded-for", b"192.0.2.99")],
    }

    async def nothing() -> Any:
        return {}

    async def ignore(_: Any) -> None:
        return None

    await server_config.loaded_app(scope, nothing, ignore)
    return seen[0]
