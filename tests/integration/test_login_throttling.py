"""Login attempts are limited per email and per client IP (429 with Retry-After)."""

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from app.config import settings
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
