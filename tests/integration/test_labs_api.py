"""Labs and members: creation, versions, PUT and PATCH, membership rules, refusals."""

import httpx
import pytest
from sqlmodel import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.models.lab import Lab, LabMembership, LabRole
from tests.factories import Caller, add_member, make_lab, make_user, sign_in

LABS = "/api/v1/labs"
LAB_BODY = {"name": "Marine Biology", "code": "MAR-BIO", "institution": "ETH", "region": "CH"}


async def _count(session: AsyncSession, model: type[Lab] | type[LabMembership]) -> int:
    return (await session.exec(select(func.count()).select_from(model))).one()


async def test_the_creator_becomes_manager(client: httpx.AsyncClient, member: Caller) -> None:
    response = await client.post(LABS, json=LAB_BODY, headers=member.headers)
    assert response.status_code == 201
    lab = response.json()
    assert (lab["code"], lab["my_role"], lab["version"]) == ("MAR-BIO", "manager", 1)
    members = (await client.get(f"{LABS}/{lab['id']}/members", headers=member.headers)).json()
    assert [(m["email"], m["role"]) for m in members] == [(member.user.email, "manager")]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (LAB_BODY | {"code": "EXISTING"}, 409),
        (LAB_BODY | {"code": "lower-case"}, 422),
        (LAB_BODY | {"code": "X"}, 422),
        (LAB_BODY | {"name": ""}, 422),
        (LAB_BODY | {"name": "x" * 201}, 422),
        (LAB_BODY | {"region": "Switzerland"}, 422),
        (LAB_BODY | {"owner": "me"}, 422),
        (LAB_BODY | {"description": "bad\x00byte"}, 422),
    ],
)
async def test_bad_lab_input_is_refused_and_nothing_is_stored(
    client: httpx.AsyncClient,
    member: Caller,
    session: AsyncSession,
    body: dict[str, object],
    status: int,
) -> None:
    await make_lab(session, member.user, code="EXISTING")
    before = (await _count(session, Lab), await _count(session, LabMembership))
    response = await client.post(LABS, json=body, headers=member.headers)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    assert (await _count(session, Lab), await _count(session, LabMembership)) == before


async def test_patch_and_put_respect_versions(client: httpx.AsyncClient, member: Caller) -> None:
    lab = (await client.post(LABS, json=LAB_BODY, headers=member.headers)).json()
    url = f"{LABS}/{lab['id']}"
    patched = await client.patch(
        url, json={"version": 1, "description": "Ocean stuff"}, headers=member.headers
    )
    assert patched.status_code == 200
    assert (patched.json()["description"], patched.json()["name"], patched.json()["version"]) == (
        "Ocean stuff",
        "Marine Biology",
        2,
    )

    stale = await client.put(
        url, json=LAB_BODY | {"version": 1, "name": "Lost"}, headers=member.headers
    )
    assert stale.status_code == 409
    replaced = await client.put(
        url, json={"version": 2, "name": "Marine Bio", "code": "MAR-BIO"}, headers=member.headers
    )
    assert replaced.status_code == 200
    body = replaced.json()
    # PUT replaces: fields not sent go back to their defaults.
    assert (
        body["name"],
        body["description"],
        body["institution"],
        body["region"],
        body["version"],
    ) == ("Marine Bio", "", "", None, 3)
    assert (
        await client.put(url, json={"name": "X", "code": "MAR-BIO"}, headers=member.headers)
    ).status_code == 422


async def test_a_code_taken_by_another_lab_is_a_409_on_update(
    client: httpx.AsyncClient, member: Caller, session: AsyncSession
) -> None:
    await make_lab(session, member.user, code="TAKEN")
    lab = await make_lab(session, member.user, code="MINE")
    response = await client.patch(
        f"{LABS}/{lab.id}", json={"version": 1, "code": "TAKEN"}, headers=member.headers
    )
    assert response.status_code == 409
    assert (await client.get(f"{LABS}/{lab.id}", headers=member.headers)).json()["code"] == "MINE"


async def test_members_see_their_labs_and_admins_see_all(
    client: httpx.AsyncClient, member: Caller, admin: Caller, session: AsyncSession
) -> None:
    stranger = await make_user(session)
    mine = [await make_lab(session, member.user, name=f"Mine {n}") for n in range(3)]
    await make_lab(session, stranger, name="Not mine")
    seen, cursor = [], None
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = (await client.get(LABS, params=params, headers=member.headers)).json()
        seen += [item["name"] for item in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == [lab.name for lab in mine]
    everything = (await client.get(LABS, params={"limit": 50}, headers=admin.headers)).json()
    assert len(everything["items"]) == 4
    assert {item["my_role"] for item in everything["items"]} == {None}
    found = (await client.get(LABS, params={"search": "mine 1"}, headers=member.headers)).json()
    assert [item["name"] for item in found["items"]] == ["Mine 1"]


async def test_deleting_a_lab_removes_its_memberships(
    client: httpx.AsyncClient, member: Caller, session: AsyncSession
) -> None:
    lab = await make_lab(session, member.user)
    assert (await client.delete(f"{LABS}/{lab.id}", headers=member.headers)).status_code == 204
    assert (await client.get(f"{LABS}/{lab.id}", headers=member.headers)).status_code == 404
    assert await _count(session, LabMembership) == 0


async def test_member_management_rules(
    client: httpx.AsyncClient, member: Caller, admin: Caller, session: AsyncSession
) -> None:
    lab = await make_lab(session, member.user)
    colleague = await make_user(session, email="colleague@lab.example")
    url = f"{LABS}/{lab.id}/members"

    # Adding an account directly is for admins (managers invite: test_invitations.py).
    added = await client.post(
        url, json={"email": "Colleague@Lab.example", "role": "contributor"}, headers=admin.headers
    )
    assert added.status_code == 201
    assert added.json()["role"] == "contributor"
    twice = await client.post(url, json={"email": "colleague@lab.example"}, headers=admin.headers)
    assert twice.status_code == 409
    unknown = await client.post(url, json={"email": "ghost@lab.example"}, headers=admin.headers)
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["loc"] == ["body", "email"]

    # The only manager can be neither demoted nor removed.
    me = f"{url}/{member.user.id}"
    assert (
        await client.patch(me, json={"role": "viewer"}, headers=member.headers)
    ).status_code == 409
    assert (await client.delete(me, headers=member.headers)).status_code == 409
    promoted = await client.patch(
        f"{url}/{colleague.id}", json={"role": "manager"}, headers=member.headers
    )
    assert promoted.status_code == 200
    assert (
        await client.patch(me, json={"role": "viewer"}, headers=member.headers)
    ).status_code == 200
    roles = {m["email"]: m["role"] for m in (await client.get(url, headers=member.headers)).json()}
    assert roles == {member.user.email: "viewer", "colleague@lab.example": "manager"}
    # Now a viewer, the former manager may no longer manage members.
    assert (await client.delete(f"{url}/{colleague.id}", headers=member.headers)).status_code == 403
    assert await _count(session, LabMembership) == 2


async def test_a_non_member_cannot_tell_a_lab_exists(
    client: httpx.AsyncClient, member: Caller, session: AsyncSession
) -> None:
    owner = await make_user(session)
    lab = await make_lab(session, owner)
    hidden = await client.get(f"{LABS}/{lab.id}", headers=member.headers)
    missing = await client.get(
        f"{LABS}/00000000-0000-4000-8000-000000000000", headers=member.headers
    )
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["detail"] == missing.json()["detail"]
    await add_member(session, lab, member.user, LabRole.VIEWER)
    assert (await client.get(f"{LABS}/{lab.id}", headers=member.headers)).json()[
        "my_role"
    ] == "viewer"
    edit = await client.patch(
        f"{LABS}/{lab.id}", json={"version": 1, "name": "Mine now"}, headers=member.headers
    )
    assert edit.status_code == 403


async def test_inactive_accounts_cannot_be_added(
    client: httpx.AsyncClient, member: Caller, admin: Caller, session: AsyncSession
) -> None:
    lab = await make_lab(session, member.user)
    await make_user(session, email="left@lab.example", is_active=False)
    response = await client.post(
        f"{LABS}/{lab.id}/members", json={"email": "left@lab.example"}, headers=admin.headers
    )
    assert response.status_code == 422
    second = await sign_in(client, await make_user(session))
    assert (await client.get(f"{LABS}/{lab.id}/members", headers=second.headers)).status_code == 404


async def test_lab_paths_refuse_ended_sessions_and_deactivated_users_before_the_lab(
    client: httpx.AsyncClient, member: Caller, admin: Caller, session: AsyncSession
) -> None:
    """A lab-scoped request reads the caller and the lab in one statement: a refused caller gets
    401 whether the lab exists or not (the lab read with it tells nothing)."""
    lab = await make_lab(session, member.user)
    paths = [f"{LABS}/{lab.id}", f"{LABS}/00000000-0000-4000-8000-000000000000"]
    other = await sign_in(client, member.user)  # a second login session of the same user
    assert (await client.post("/api/v1/auth/logout", headers=member.headers)).status_code == 204
    for path in paths:
        ended = await client.get(path, headers=member.headers)
        assert ended.status_code == 401, path
        assert ended.headers["content-type"] == "application/problem+json"
        entry = {"date": "2025-01-10", "factor_key": "electricity.grid.CH", "quantity": "1"}
        refused = await client.post(f"{path}/entries", json=entry, headers=member.headers)
        assert refused.status_code == 401, path
    assert (await client.get(paths[0], headers=other.headers)).status_code == 200
    deactivate = await client.post(
        f"/api/v1/users/{member.user.id}/deactivate", headers=admin.headers
    )
    assert deactivate.status_code == 200
    for path in paths:
        assert (await client.get(path, headers=other.headers)).status_code == 401, path


async def test_a_malformed_lab_id_is_a_422_and_an_unknown_one_a_404(
    client: httpx.AsyncClient, member: Caller, admin: Caller
) -> None:
    for caller in (member, admin):
        for bad in ("not-a-uuid", "1234", "00000000-0000-4000-8000-00000000000g"):
            response = await client.get(f"{LABS}/{bad}", headers=caller.headers)
            assert response.status_code == 422, bad
            assert response.json()["errors"][0]["loc"] == ["path", "lab_id"]
        unknown = await client.get(
            f"{LABS}/00000000-0000-4000-8000-000000000000/entries", headers=caller.headers
        )
        assert unknown.status_code == 404


async def test_lab_pages_filter_literally_and_refuse_bad_cursors(
    client: httpx.AsyncClient, member: Caller, admin: Caller, session: AsyncSession
) -> None:
    names = ["A_1", "AB1", "100% green", "back\\slash", "Plain"]
    labs = {name: await make_lab(session, member.user, name=name) for name in names}
    other = await make_user(session)
    await make_lab(session, other, name="A_2 not mine")

    async def names_of(caller: Caller, **params: str | int) -> list[str]:
        response = await client.get(LABS, params=params, headers=caller.headers)
        assert response.status_code == 200, response.text
        return [item["name"] for item in response.json()["items"]]

    assert await names_of(member, search="_") == ["A_1"]  # not "any one character"
    assert await names_of(member, search="%") == ["100% green"]
    assert await names_of(member, search="\\") == ["back\\slash"]
    assert await names_of(admin, search="a_") == ["A_1", "A_2 not mine"]
    assert await names_of(member, institution="Test University", search="plain") == ["Plain"]
    assert await names_of(member, institution="Elsewhere") == []
    seen, cursor = [], None
    while True:  # an admin's pages, filtered, one lab a page
        params: dict[str, str | int] = {"limit": 1, "search": " "}  # in no lab code
        if cursor:
            params["cursor"] = cursor
        page = (await client.get(LABS, params=params, headers=admin.headers)).json()
        seen += [(item["name"], item["my_role"]) for item in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    in_one_page = await names_of(admin, search=" ", limit=50)  # in the database's collation
    assert sorted(in_one_page) == ["100% green", "A_2 not mine"]
    assert [name for name, _ in seen] == in_one_page
    assert {role for _, role in seen} == {None}  # the admin is a member of neither
    assert {lab.name for lab in labs.values()} == set(names)
    for bad in ("not-a-cursor", "WyJhIl0", "WzEsIDJd"):  # garbage, ["a"], [1, 2]
        refused = await client.get(LABS, params={"cursor": bad}, headers=member.headers)
        assert refused.status_code == 422, bad
        assert refused.json()["errors"][0]["loc"] == ["query", "cursor"]
