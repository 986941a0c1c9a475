"""API keys for scripts: shown once, stored hashed, usable two ways, revocable."""

import httpx
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.models.auth import ApiKey
from tests.factories import Caller, make_lab, make_user, sign_in

KEYS = "/api/v1/users/me/api-keys"
ME = "/api/v1/users/me"


async def test_a_key_is_shown_once_stored_hashed_and_works_both_ways(
    client: httpx.AsyncClient, member: Caller, session: AsyncSession
) -> None:
    created = await client.post(KEYS, json={"name": "nightly upload"}, headers=member.headers)
    assert created.status_code == 201
    body = created.json()
    key = body["key"]
    assert key.startswith(body["prefix"] + "_")
    assert body["prefix"].startswith("co2k_")

    stored = (await session.exec(select(ApiKey))).one()
    assert stored.secret_hash != key
    assert key not in stored.secret_hash

    listed = (await client.get(KEYS, headers=member.headers)).json()
    assert [item["prefix"] for item in listed] == [body["prefix"]]
    assert "key" not in listed[0]
    assert listed[0]["last_used_at"] is None

    for headers in ({"X-API-Key": key}, {"Authorization": f"Bearer {key}"}):
        me = await client.get(ME, headers=headers)
        assert me.status_code == 200
        assert me.json()["email"] == member.user.email
    assert (await client.get(KEYS, headers=member.headers)).json()[0]["last_used_at"] is not None


async def test_a_revoked_key_stops_working(client: httpx.AsyncClient, member: Caller) -> None:
    body = (await client.post(KEYS, json={"name": "ci"}, headers=member.headers)).json()
    assert (await client.delete(f"{KEYS}/{body['id']}", headers=member.headers)).status_code == 204
    assert (await client.get(ME, headers={"X-API-Key": body["key"]})).status_code == 401
    assert (await client.get(KEYS, headers=member.headers)).json() == []
    assert (await client.delete(f"{KEYS}/{body['id']}", headers=member.headers)).status_code == 404


async def test_nobody_revokes_someone_elses_key(
    client: httpx.AsyncClient, member: Caller, session: AsyncSession
) -> None:
    body = (await client.post(KEYS, json={"name": "mine"}, headers=member.headers)).json()
    intruder = await sign_in(client, await make_user(session))
    assert (
        await client.delete(f"{KEYS}/{body['id']}", headers=intruder.headers)
    ).status_code == 404
    assert (await client.get(ME, headers={"X-API-Key": body["key"]})).status_code == 200


async def test_a_key_with_a_valid_prefix_but_wrong_secret_is_refused(
    client: httpx.AsyncClient, member: Caller
) -> None:
    body = (await client.post(KEYS, json={"name": "x"}, headers=member.headers)).json()
    forged = body["prefix"] + "_" + "A" * 43
    assert (await client.get(ME, headers={"X-API-Key": forged})).status_code == 401


async def test_bad_key_names_are_refused(client: httpx.AsyncClient, member: Caller) -> None:
    for name in ["", "x" * 101, "nul\x00"]:
        response = await client.post(KEYS, json={"name": name}, headers=member.headers)
        assert response.status_code == 422
    assert (await client.get(KEYS, headers=member.headers)).json() == []


async def test_a_keys_use_is_recorded_even_when_its_request_fails(
    client: httpx.AsyncClient, member: Caller, session: AsyncSession
) -> None:
    lab = await make_lab(session, member.user)
    # Authentication records the use on its own (app/services/auth.py), apart from the request's
    # transaction, which the refused entry below rolls back.
    body = (await client.post(KEYS, json={"name": "ci"}, headers=member.headers)).json()
    refused = await client.post(
        f"/api/v1/labs/{lab.id}/entries",
        json={"date": "2025-03-01", "factor_key": "no.such.factor", "quantity": "1"},
        headers={"X-API-Key": body["key"]},
    )
    assert refused.status_code == 422, refused.text
    assert (await client.get(KEYS, headers=member.headers)).json()[0]["last_used_at"] is not None
