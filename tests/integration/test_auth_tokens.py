"""Login, rotation with reuse detection, logout, and password changes ending other sessions."""

import threading

import httpx
import pytest
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core import security
from app.models.auth import AuthSession
from tests.factories import DEFAULT_PASSWORD, Caller, login, make_user, sign_in

ME = "/api/v1/users/me"
REFRESH = "/api/v1/auth/refresh"


async def _me_status(client: httpx.AsyncClient, token: str) -> int:
    return (await client.get(ME, headers={"Authorization": f"Bearer {token}"})).status_code


async def test_login_returns_a_working_token_pair(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    user = await make_user(session, email="Ada@Lab.example")
    response = await login(client, "ada@LAB.example")
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 30 * 60
    me = await client.get(ME, headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200
    assert me.json()["email"] == "ada@lab.example"
    assert me.json()["id"] == str(user.id)
    assert "hashed_password" not in me.text


async def test_failed_logins_look_the_same_whatever_the_reason(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await make_user(session, email="known@lab.example")
    await make_user(session, email="gone@lab.example", is_active=False)
    answers = [
        await login(client, "known@lab.example", "wrong-password-1"),
        await login(client, "nobody@lab.example", "wrong-password-1"),
        await login(client, "gone@lab.example", DEFAULT_PASSWORD),
    ]
    assert {answer.status_code for answer in answers} == {401}
    shapes = {
        (a.json()["type"], a.json()["title"], a.json()["detail"], a.headers["www-authenticate"])
        for a in answers
    }
    assert len(shapes) == 1


async def test_refresh_rotates_and_the_old_token_stops_working(
    client: httpx.AsyncClient, member: Caller
) -> None:
    rotated = await client.post(REFRESH, json={"refresh_token": member.refresh_token})
    assert rotated.status_code == 200
    new_pair = rotated.json()
    assert new_pair["refresh_token"] != member.refresh_token
    assert await _me_status(client, new_pair["access_token"]) == 200

    second = await client.post(REFRESH, json={"refresh_token": new_pair["refresh_token"]})
    assert second.status_code == 200


async def test_reusing_a_rotated_refresh_token_revokes_the_whole_family(
    client: httpx.AsyncClient, member: Caller, session: AsyncSession
) -> None:
    rotated = (await client.post(REFRESH, json={"refresh_token": member.refresh_token})).json()

    reuse = await client.post(REFRESH, json={"refresh_token": member.refresh_token})
    assert reuse.status_code == 401
    assert reuse.headers["content-type"] == "application/problem+json"

    # The thief's (or the client's) newer tokens are dead too.
    assert (
        await client.post(REFRESH, json={"refresh_token": rotated["refresh_token"]})
    ).status_code == 401
    assert await _me_status(client, rotated["access_token"]) == 401
    assert await _me_status(client, member.access_token) == 401
    revoked = (await session.exec(select(AuthSession))).all()
    assert [entry.revoked_reason for entry in revoked] == ["refresh_token_reuse"]


async def test_logout_ends_the_current_session_only(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    user = await make_user(session)
    laptop = await sign_in(client, user)
    phone = await sign_in(client, user)
    response = await client.post("/api/v1/auth/logout", headers=laptop.headers)
    assert response.status_code == 204
    assert await _me_status(client, laptop.access_token) == 401
    refused = await client.post(REFRESH, json={"refresh_token": laptop.refresh_token})
    assert refused.status_code == 401
    assert await _me_status(client, phone.access_token) == 200


async def test_changing_the_password_ends_every_other_session(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    user = await make_user(session)
    current = await sign_in(client, user)
    other = await sign_in(client, user)
    response = await client.post(
        "/api/v1/users/me/password",
        json={"current_password": DEFAULT_PASSWORD, "new_password": "a-new-secret-99"},
        headers=current.headers,
    )
    assert response.status_code == 204
    assert await _me_status(client, current.access_token) == 200
    assert await _me_status(client, other.access_token) == 401
    assert (await login(client, user.email, DEFAULT_PASSWORD)).status_code == 401
    assert (await login(client, user.email, "a-new-secret-99")).status_code == 200


async def test_a_wrong_current_password_changes_nothing(
    client: httpx.AsyncClient, member: Caller
) -> None:
    response = await client.post(
        "/api/v1/users/me/password",
        json={"current_password": "not-my-password-1", "new_password": "a-new-secret-99"},
        headers=member.headers,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "current_password"]
    assert (await login(client, member.user.email, DEFAULT_PASSWORD)).status_code == 200
    assert await _me_status(client, member.access_token) == 200


async def test_a_weak_new_password_names_the_rule_it_broke(
    client: httpx.AsyncClient, member: Caller
) -> None:
    for weak, rule in [
        ("short1", "at least 10 characters"),
        ("aaaaaaaaaaaa", "at least 5 different characters"),
        ("abcdefghijkl", "mix letters with digits or symbols"),
    ]:
        response = await client.post(
            "/api/v1/users/me/password",
            json={"current_password": DEFAULT_PASSWORD, "new_password": weak},
            headers=member.headers,
        )
        assert response.status_code == 422
        assert rule in response.json()["errors"][0]["msg"]
    assert (await login(client, member.user.email, DEFAULT_PASSWORD)).status_code == 200


async def test_an_unknown_email_still_costs_a_password_verification(
    client: httpx.AsyncClient, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Same work for unknown and known emails, so timing does not reveal which exist."""
    calls: list[bool] = []
    real_verify = security.verify_password

    def counting_verify(password: str, hashed: str | None) -> bool:
        calls.append(hashed is None)
        return real_verify(password, hashed)

    monkeypatch.setattr(security, "verify_password", counting_verify)
    assert (await login(client, "nobody@lab.example", "whatever-123")).status_code == 401
    assert calls == [True]


async def test_passwords_are_hashed_and_verified_off_the_event_loop(
    client: httpx.AsyncClient, session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[str] = []
    verify, hash_ = security.verify_password, security.hash_password

    def verifying(password: str, hashed: str | None) -> bool:
        threads.append(threading.current_thread().name)
        return verify(password, hashed)

    def hashing(password: str) -> str:
        threads.append(threading.current_thread().name)
        return hash_(password)

    monkeypatch.setattr(security, "verify_password", verifying)
    monkeypatch.setattr(security, "hash_password", hashing)
    user = await make_user(session)
    caller = await sign_in(client, user)  # verifies
    changed = await client.post(
        "/api/v1/users/me/password",
        json={"current_password": DEFAULT_PASSWORD, "new_password": "another-long-pass-42"},
        headers=caller.headers,
    )  # verifies, then hashes

    assert changed.status_code == 204, changed.text
    assert len(threads) == 3
    assert all(name.startswith("password-hashing") for name in threads), threads
