"""Own profile and admin user management: pagination, versions, refusals that change nothing."""

import httpx
import pytest
from sqlmodel import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.models.user import User, UserRole
from tests.factories import Caller, login, make_user

USERS = "/api/v1/users"


async def _count_users(session: AsyncSession) -> int:
    return (await session.exec(select(func.count()).select_from(User))).one()


async def test_update_me_bumps_the_version_and_refuses_a_stale_one(
    client: httpx.AsyncClient, member: Caller
) -> None:
    first = await client.patch(
        f"{USERS}/me", json={"version": 1, "full_name": "Ada L."}, headers=member.headers
    )
    assert first.status_code == 200
    assert (first.json()["full_name"], first.json()["version"]) == ("Ada L.", 2)
    stale = await client.patch(
        f"{USERS}/me", json={"version": 1, "full_name": "Lost"}, headers=member.headers
    )
    assert stale.status_code == 409
    assert (await client.get(f"{USERS}/me", headers=member.headers)).json()["full_name"] == "Ada L."


@pytest.mark.parametrize(
    ("body", "location"),
    [
        ({"version": 1, "is_active": 0}, ["body", "is_active"]),  # found by schemathesis
        ({"version": "1", "is_active": False}, ["body", "version"]),
        ({"version": True, "is_active": False}, ["body", "version"]),
    ],
)
async def test_update_user_takes_json_booleans_and_integers_only(
    client: httpx.AsyncClient,
    admin: Caller,
    session: AsyncSession,
    body: dict[str, object],
    location: list[str],
) -> None:
    user = await make_user(session)
    response = await client.patch(f"{USERS}/{user.id}", json=body, headers=admin.headers)
    assert response.status_code == 422
    assert location in [error["loc"] for error in response.json()["errors"]]
    stored = (await client.get(f"{USERS}/{user.id}", headers=admin.headers)).json()
    assert (stored["is_active"], stored["version"]) == (True, 1)


async def test_update_me_with_a_null_full_name_leaves_it_as_is(
    client: httpx.AsyncClient, member: Caller
) -> None:
    """Found by schemathesis: `{"full_name": null}` was stored as None and the answer was a 500."""
    await client.patch(
        f"{USERS}/me", json={"version": 1, "full_name": "Ada"}, headers=member.headers
    )
    response = await client.patch(
        f"{USERS}/me", json={"version": 2, "full_name": None}, headers=member.headers
    )
    assert response.status_code == 200
    assert response.json()["full_name"] == "Ada"
    assert (await client.get(f"{USERS}/me", headers=member.headers)).json()["full_name"] == "Ada"


async def test_users_cannot_change_their_own_role(
    client: httpx.AsyncClient, member: Caller
) -> None:
    response = await client.patch(
        f"{USERS}/me", json={"version": 1, "role": "admin"}, headers=member.headers
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "role"]
    assert (await client.get(f"{USERS}/me", headers=member.headers)).json()["role"] == "user"


async def test_admin_lists_users_page_by_page_without_gaps_or_repeats(
    client: httpx.AsyncClient, admin: Caller, session: AsyncSession
) -> None:
    created = {str((await make_user(session)).id) for _ in range(5)}
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = (await client.get(USERS, params=params, headers=admin.headers)).json()
        assert len(page["items"]) <= 2
        seen.extend(item["id"] for item in page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 6
    assert created <= set(seen)


async def test_list_filters_by_role_and_active_flag(
    client: httpx.AsyncClient, admin: Caller, session: AsyncSession
) -> None:
    await make_user(session, is_active=False)
    await make_user(session)
    admins = (await client.get(USERS, params={"role": "admin"}, headers=admin.headers)).json()
    assert [item["email"] for item in admins["items"]] == ["admin@lab.example"]
    inactive = (
        await client.get(USERS, params={"is_active": "false"}, headers=admin.headers)
    ).json()
    assert [item["is_active"] for item in inactive["items"]] == [False]


@pytest.mark.parametrize("cursor", ["bm90LWpzb24", "W10", "abc"])
async def test_a_forged_cursor_is_a_clear_422(
    client: httpx.AsyncClient, admin: Caller, cursor: str
) -> None:
    response = await client.get(USERS, params={"cursor": cursor}, headers=admin.headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["query", "cursor"]


@pytest.mark.parametrize("email", ["h8@u.test", "ada@lab.local"])
async def test_addresses_at_special_use_domains_are_accepted(
    client: httpx.AsyncClient, admin: Caller, email: str
) -> None:
    """`format: email` allows them; email-validator refused them (found by schemathesis)."""
    body = {"email": email, "password": "first-login-77"}
    response = await client.post(USERS, json=body, headers=admin.headers)
    assert (response.status_code, response.json()["email"]) == (201, email)


async def test_admin_creates_a_user_who_can_sign_in(
    client: httpx.AsyncClient, admin: Caller
) -> None:
    response = await client.post(
        USERS,
        json={"email": "New.Person@Lab.example", "password": "first-login-77", "full_name": "New"},
        headers=admin.headers,
    )
    assert response.status_code == 201
    assert response.json()["email"] == "new.person@lab.example"
    assert response.json()["role"] == "user"
    assert (await login(client, "new.person@lab.example", "first-login-77")).status_code == 200


@pytest.mark.parametrize(
    ("body", "location"),
    [
        ({"email": "ADMIN@lab.example", "password": "good-pass-123"}, None),  # duplicate → 409
        ({"email": "a@lab.example", "password": "weak"}, ["body", "password"]),
        (
            {"email": "a@lab.example", "password": "good-pass-123", "is_admin": True},
            ["body", "is_admin"],
        ),
        (
            {"email": "a@lab.example", "password": "good-pass-123", "full_name": "x" * 201},
            ["body", "full_name"],
        ),
        (
            {"email": "a@lab.example", "password": "good-pass-123", "full_name": "nul\x00"},
            ["body", "full_name"],
        ),
        ({"email": "not-an-email", "password": "good-pass-123"}, ["body", "email"]),
        ({"email": "a@lab.example", "password": "good-pass-123", "role": "root"}, ["body", "role"]),
    ],
)
async def test_bad_user_input_is_refused_and_nothing_is_stored(
    client: httpx.AsyncClient,
    admin: Caller,
    session: AsyncSession,
    body: dict[str, object],
    location: list[str] | None,
) -> None:
    before = await _count_users(session)
    response = await client.post(USERS, json=body, headers=admin.headers)
    assert response.headers["content-type"] == "application/problem+json"
    if location is None:
        assert response.status_code == 409
    else:
        assert response.status_code == 422
        assert location in [error["loc"] for error in response.json()["errors"]]
    assert await _count_users(session) == before


async def test_admin_update_uses_versions(
    client: httpx.AsyncClient, admin: Caller, session: AsyncSession
) -> None:
    user = await make_user(session)
    path = f"{USERS}/{user.id}"
    promoted = await client.patch(path, json={"version": 1, "role": "admin"}, headers=admin.headers)
    assert promoted.status_code == 200
    assert (promoted.json()["role"], promoted.json()["version"]) == ("admin", 2)
    stale = await client.patch(path, json={"version": 1, "full_name": "X"}, headers=admin.headers)
    assert stale.status_code == 409
    taken = await client.patch(
        path, json={"version": 2, "email": "admin@lab.example"}, headers=admin.headers
    )
    assert taken.status_code == 409
    current = (await client.get(path, headers=admin.headers)).json()
    assert (current["version"], current["email"], current["full_name"]) == (
        2,
        user.email,
        user.full_name,
    )


async def test_unknown_user_is_404(client: httpx.AsyncClient, admin: Caller) -> None:
    missing = "00000000-0000-4000-8000-000000000000"
    for method, path, body in [
        ("GET", f"{USERS}/{missing}", None),
        ("PATCH", f"{USERS}/{missing}", {"version": 1}),
        ("POST", f"{USERS}/{missing}/deactivate", None),
    ]:
        assert (
            await client.request(method, path, json=body, headers=admin.headers)
        ).status_code == 404


async def test_the_last_active_admin_cannot_be_demoted_or_deactivated(
    client: httpx.AsyncClient, admin: Caller, session: AsyncSession
) -> None:
    path = f"{USERS}/{admin.user.id}"
    for method, url, body in [
        ("PATCH", path, {"version": 1, "role": "user"}),
        ("PATCH", path, {"version": 1, "is_active": False}),
        ("POST", f"{path}/deactivate", None),
    ]:
        response = await client.request(method, url, json=body, headers=admin.headers)
        assert response.status_code == 409, (method, url, body)
    me = (await client.get(f"{USERS}/me", headers=admin.headers)).json()
    assert (me["role"], me["is_active"], me["version"]) == ("admin", True, 1)

    second = await make_user(session, role=UserRole.ADMIN)
    demoted = await client.patch(path, json={"version": 1, "role": "user"}, headers=admin.headers)
    assert demoted.status_code == 200
    assert second.role == UserRole.ADMIN
