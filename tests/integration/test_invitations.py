"""Invitations: a lab manager who is not an admin adds someone by inviting an address; the answer
never tells whether the address has an account; the invitee accepts or declines."""

import asyncio
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlmodel import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.config import settings
from app.models.lab import Lab, LabInvitation, LabMembership
from tests.factories import Caller, make_lab, make_user, sign_in

LABS = "/api/v1/labs"
MINE = "/api/v1/users/me/invitations"


async def _count(session: AsyncSession, table: type[LabInvitation] | type[LabMembership]) -> int:
    return (await session.exec(select(func.count()).select_from(table))).one()


@pytest.fixture
async def lab(session: AsyncSession, member: Caller) -> Lab:
    return await make_lab(session, member.user)


def _comparable(answer: httpx.Response) -> tuple[int, tuple[str, ...], str]:
    body = answer.json()
    return answer.status_code, tuple(sorted(body)), body["role"]


async def test_inviting_an_address_answers_the_same_whether_it_has_an_account_or_not(
    client: httpx.AsyncClient, member: Caller, lab: Lab, session: AsyncSession
) -> None:
    await make_user(session, email="someone@lab.example")
    await make_user(session, email="gone@lab.example", is_active=False)
    url = f"{LABS}/{lab.id}/invitations"
    answers = [
        await client.post(url, json={"email": email, "role": "viewer"}, headers=member.headers)
        for email in ("someone@lab.example", "nobody@lab.example", "gone@lab.example")
    ]
    assert {_comparable(answer) for answer in answers} == {
        (201, ("created_at", "email", "expires_at", "id", "lab_id", "role"), "viewer")
    }
    # The manager's direct add, which would tell, is refused for every address alike.
    direct = [
        await client.post(f"{LABS}/{lab.id}/members", json={"email": email}, headers=member.headers)
        for email in ("someone@lab.example", "nobody@lab.example")
    ]
    assert [answer.status_code for answer in direct] == [403, 403]
    assert direct[0].json()["detail"] == direct[1].json()["detail"]
    assert await _count(session, LabMembership) == 1  # the manager only


async def test_the_invitee_sees_the_invitation_and_accepting_it_makes_them_a_member(
    client: httpx.AsyncClient, member: Caller, lab: Lab, session: AsyncSession
) -> None:
    invitee = await sign_in(client, await make_user(session, email="ada@lab.example"))
    invited = await client.post(
        f"{LABS}/{lab.id}/invitations",
        json={"email": "Ada@Lab.example", "role": "contributor"},
        headers=member.headers,
    )
    assert invited.status_code == 201, invited.text
    assert invited.json()["email"] == "ada@lab.example"
    pending = (await client.get(f"{LABS}/{lab.id}/invitations", headers=member.headers)).json()
    assert [item["id"] for item in pending] == [invited.json()["id"]]

    mine = (await client.get(MINE, headers=invitee.headers)).json()
    assert [(item["lab_code"], item["lab_name"], item["role"]) for item in mine] == [
        (lab.code, lab.name, "contributor")
    ]
    # Not a member until they accept.
    assert (await client.get(f"{LABS}/{lab.id}", headers=invitee.headers)).status_code == 404
    accepted = await client.post(f"{MINE}/{mine[0]['id']}/accept", headers=invitee.headers)
    assert accepted.status_code == 200, accepted.text
    assert (accepted.json()["id"], accepted.json()["my_role"]) == (str(lab.id), "contributor")
    members = (await client.get(f"{LABS}/{lab.id}/members", headers=member.headers)).json()
    assert {m["email"]: m["role"] for m in members}["ada@lab.example"] == "contributor"
    # The invitation is spent.
    assert (await client.get(MINE, headers=invitee.headers)).json() == []
    assert (await client.get(f"{LABS}/{lab.id}/invitations", headers=member.headers)).json() == []
    again = await client.post(f"{MINE}/{mine[0]['id']}/accept", headers=invitee.headers)
    assert again.status_code == 404


async def test_an_invitation_is_answered_only_by_its_addressee(
    client: httpx.AsyncClient, member: Caller, lab: Lab, session: AsyncSession
) -> None:
    await make_user(session, email="ada@lab.example")
    other = await sign_in(client, await make_user(session, email="eve@lab.example"))
    invited = await client.post(
        f"{LABS}/{lab.id}/invitations", json={"email": "ada@lab.example"}, headers=member.headers
    )
    invitation_id = invited.json()["id"]
    assert (await client.get(MINE, headers=other.headers)).json() == []
    for action in ("accept", "decline"):
        refused = await client.post(f"{MINE}/{invitation_id}/{action}", headers=other.headers)
        assert refused.status_code == 404
    assert await _count(session, LabInvitation) == 1
    assert await _count(session, LabMembership) == 1


async def test_declining_or_revoking_deletes_the_invitation_and_adds_nobody(
    client: httpx.AsyncClient, member: Caller, lab: Lab, session: AsyncSession
) -> None:
    invitee = await sign_in(client, await make_user(session, email="ada@lab.example"))
    url = f"{LABS}/{lab.id}/invitations"
    first = await client.post(url, json={"email": "ada@lab.example"}, headers=member.headers)
    declined = await client.post(f"{MINE}/{first.json()['id']}/decline", headers=invitee.headers)
    assert declined.status_code == 204
    second = await client.post(url, json={"email": "ada@lab.example"}, headers=member.headers)
    revoked = await client.delete(f"{url}/{second.json()['id']}", headers=member.headers)
    assert revoked.status_code == 204
    assert (
        await client.delete(f"{url}/{second.json()['id']}", headers=member.headers)
    ).status_code == 404
    assert (await client.get(MINE, headers=invitee.headers)).json() == []
    assert await _count(session, LabInvitation) == 0
    assert await _count(session, LabMembership) == 1


async def test_inviting_again_renews_and_a_member_cannot_be_invited(
    client: httpx.AsyncClient, member: Caller, lab: Lab, session: AsyncSession
) -> None:
    url = f"{LABS}/{lab.id}/invitations"
    first = await client.post(url, json={"email": "ada@lab.example"}, headers=member.headers)
    renewed = await client.post(
        url, json={"email": "ADA@lab.example", "role": "manager"}, headers=member.headers
    )
    assert renewed.status_code == 201
    assert renewed.json()["id"] == first.json()["id"]
    assert renewed.json()["role"] == "manager"
    assert renewed.json()["expires_at"] >= first.json()["expires_at"]
    already = await client.post(url, json={"email": member.user.email}, headers=member.headers)
    assert already.status_code == 409
    assert await _count(session, LabInvitation) == 1


async def test_an_expired_invitation_is_neither_shown_nor_accepted(
    client: httpx.AsyncClient,
    member: Caller,
    lab: Lab,
    session: AsyncSession,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    invitee = await sign_in(client, await make_user(session, email="ada@lab.example"))
    invited = await client.post(
        f"{LABS}/{lab.id}/invitations", json={"email": "ada@lab.example"}, headers=member.headers
    )
    invitation = await session.get(LabInvitation, invited.json()["id"])
    assert invitation is not None
    expected = datetime.now(UTC) + timedelta(days=settings.INVITATION_EXPIRE_DAYS)
    assert abs(invitation.expires_at - expected) < timedelta(minutes=1)
    invitation.expires_at = datetime.now(UTC) - timedelta(seconds=1)
    await session.commit()
    assert (await client.get(MINE, headers=invitee.headers)).json() == []
    late = await client.post(f"{MINE}/{invitation.id}/accept", headers=invitee.headers)
    assert late.status_code == 404
    assert await _count(session, LabMembership) == 1


@pytest.mark.parametrize(
    "body",
    [
        {"email": "not-an-address"},
        {"email": "a@lab.example", "role": "owner"},
        {"email": "a@lab.example", "x": 1},
    ],
)
async def test_a_bad_invitation_is_a_422_and_stores_nothing(
    client: httpx.AsyncClient,
    member: Caller,
    lab: Lab,
    session: AsyncSession,
    body: dict[str, object],
) -> None:
    answer = await client.post(f"{LABS}/{lab.id}/invitations", json=body, headers=member.headers)
    assert answer.status_code == 422
    assert await _count(session, LabInvitation) == 0


async def test_accepting_while_a_manager_revokes_ends_one_way_and_never_in_a_500(
    client: httpx.AsyncClient, member: Caller, lab: Lab, session: AsyncSession
) -> None:
    invitee = await sign_in(client, await make_user(session, email="ada@lab.example"))
    url = f"{LABS}/{lab.id}/invitations"
    for _ in range(5):
        invited = await client.post(url, json={"email": "ada@lab.example"}, headers=member.headers)
        invitation_id = invited.json()["id"]
        accepted, revoked = await asyncio.gather(
            client.post(f"{MINE}/{invitation_id}/accept", headers=invitee.headers),
            client.delete(f"{url}/{invitation_id}", headers=member.headers),
        )
        outcome = (accepted.status_code, revoked.status_code)
        assert outcome in {(200, 404), (404, 204)}, (accepted.text, revoked.text)
        if accepted.status_code == 200:
            removed = await client.delete(
                f"{LABS}/{lab.id}/members/{invitee.user.id}", headers=member.headers
            )
            assert removed.status_code == 204
    assert await _count(session, LabInvitation) == 0
