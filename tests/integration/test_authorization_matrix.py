"""Role x operation → status, for every route of the app.

Actors: an admin, the lab's manager, contributor and viewer, a signed-in non-member, the viewer's
API key, and an anonymous caller. Every operation runs against its own fresh database; operations
that consume their target (deletes, logout, password change…) get a fresh target per actor. A route
without a row here fails `test_every_route_has_a_row`.
"""

import itertools
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from sqlmodel.ext.asyncio.session import AsyncSession

from app.config import settings
from app.main import create_app
from app.models.auth import ApiKeyCreate
from app.models.entry import ActivityEntry
from app.models.headcount import HeadcountCreate, HeadcountReplace, StaffCategory
from app.models.job import DataIngestionJob, ErrorPolicy, JobKind, JobState
from app.models.lab import Lab, LabInvitation, LabRole
from app.models.signoff import YearAction, YearTransitionRequest
from app.models.target import TargetPut
from app.models.user import User, UserRole
from app.repositories import entry as entry_repository
from app.repositories import factor as factor_repository
from app.repositories import headcount as headcount_repository
from app.repositories import job as job_repository
from app.repositories import lab as lab_repository
from app.repositories import target as target_repository
from app.repositories import user as user_repository
from app.services import api_keys as api_key_service
from app.services import signoff as signoff_service
from tests.factories import (
    DEFAULT_PASSWORD,
    Caller,
    add_member,
    make_factor,
    make_lab,
    make_user,
    principal_of,
    session_for,
)

ACTORS = ("admin", "manager", "contributor", "viewer", "non_member", "viewer_api_key", "anonymous")
_unique = itertools.count(1)


@dataclass
class World:
    session: AsyncSession
    client: httpx.AsyncClient
    users: dict[str, User]
    callers: dict[str, Caller]
    viewer_key: str
    lab: Lab
    factor_id: UUID
    entry_id: UUID

    def headers(self, actor: str) -> dict[str, str]:
        if actor == "anonymous":
            return {}
        if actor == "viewer_api_key":
            return {"X-API-Key": self.viewer_key}
        return self.callers[actor].headers

    def user(self, actor: str) -> User:
        return self.users["viewer" if actor == "viewer_api_key" else actor]


@dataclass
class Call:
    path: dict[str, object] = field(default_factory=dict)
    json: Any = None
    data: dict[str, str] | None = None
    headers: dict[str, str] | None = None  # replaces the actor's own credentials
    files: dict[str, tuple[str, bytes, str]] | None = None


Prepare = Callable[[World, str], Awaitable[Call]]


async def _nothing(world: World, actor: str) -> Call:
    return Call()


def _lab(world: World, actor: str) -> Call:
    return Call(path={"lab_id": world.lab.id})


async def _same_lab(world: World, actor: str) -> Call:
    return _lab(world, actor)


async def _fresh_lab(world: World, actor: str) -> Call:
    """A new lab with the same cast, for operations that consume it."""
    lab = await make_lab(world.session, world.users["manager"])
    for role in ("contributor", "viewer"):
        await add_member(world.session, lab, world.users[role], LabRole(role))
    return Call(path={"lab_id": lab.id})


async def _lab_version(world: World, actor: str) -> Lab:
    await world.session.refresh(world.lab)
    return world.lab


async def _put_lab(world: World, actor: str) -> Call:
    lab = await _lab_version(world, actor)
    body = {"version": lab.version, "name": "Renamed", "code": lab.code, "region": "CH"}
    return Call(path={"lab_id": lab.id}, json=body)


async def _patch_lab(world: World, actor: str) -> Call:
    lab = await _lab_version(world, actor)
    return Call(path={"lab_id": lab.id}, json={"version": lab.version, "description": actor})


async def _new_member(world: World, actor: str) -> Call:
    user = await make_user(world.session)
    return Call(path={"lab_id": world.lab.id}, json={"email": user.email, "role": "viewer"})


async def _existing_member(world: World, actor: str) -> Call:
    user = await make_user(world.session)
    await add_member(world.session, world.lab, user, LabRole.CONTRIBUTOR)
    return Call(path={"lab_id": world.lab.id, "user_id": user.id}, json={"role": "viewer"})


async def _invitation(world: World, lab: Lab, email: str) -> LabInvitation:
    invitation = LabInvitation(
        lab_id=lab.id,
        email=email,
        role=LabRole.VIEWER,
        expires_at=datetime.now(UTC) + timedelta(days=1),
    )
    await lab_repository.add_invitation(world.session, invitation=invitation)
    await world.session.commit()
    return invitation


async def _new_invitation(world: World, actor: str) -> Call:
    body = {"email": f"invitee{next(_unique)}@elsewhere.example", "role": "viewer"}
    return Call(path={"lab_id": world.lab.id}, json=body)


async def _lab_invitation(world: World, actor: str) -> Call:
    invitation = await _invitation(world, world.lab, f"invitee{next(_unique)}@lab.example")
    return Call(path={"lab_id": world.lab.id, "invitation_id": invitation.id})


async def _my_invitation(world: World, actor: str) -> Call:
    """An invitation to a lab of someone else, addressed to the actor."""
    lab = await make_lab(world.session, await make_user(world.session))
    email = "nobody@lab.example" if actor == "anonymous" else world.user(actor).email
    invitation = await _invitation(world, lab, email)
    return Call(path={"invitation_id": invitation.id})


async def _new_entry(world: World, actor: str) -> Call:
    body = {"date": "2025-03-01", "factor_key": "electricity.grid.CH", "quantity": "12.5"}
    return Call(path={"lab_id": world.lab.id}, json=body)


async def _headcount(world: World, actor: str) -> Call:
    body = {"categories": [{"category": "researchers", "fte": "2.5"}]}
    return Call(path={"lab_id": world.lab.id, "year": 2025}, json=body)


async def _headcount_csv(world: World, actor: str) -> Call:
    csv = b"year,category,fte\n2025,researchers,2.5\n"
    return Call(path={"lab_id": world.lab.id}, files={"file": ("headcount.csv", csv, "text/csv")})


async def _recorded_year(world: World, actor: str) -> Call:
    body = HeadcountReplace(
        categories=[HeadcountCreate(category=StaffCategory.PROFESSORS, fte=Decimal(1))]
    )
    await headcount_repository.replace_year(
        world.session, lab_id=world.lab.id, year=2024, rows=body.categories
    )
    await world.session.commit()
    return Call(path={"lab_id": world.lab.id, "year": 2024})


_TARGET = {"baseline_year": 2019, "target_year": 2030, "reduction_pct": "50"}


async def _target(world: World, actor: str) -> Call:
    return Call(path={"lab_id": world.lab.id}, json=_TARGET)


async def _stored_target(world: World, actor: str) -> Call:
    await target_repository.replace(
        world.session, lab_id=world.lab.id, target=TargetPut.model_validate(_TARGET)
    )
    await world.session.commit()
    return Call(path={"lab_id": world.lab.id})


async def _institution_target(world: World, actor: str) -> Call:
    return Call(json=_TARGET)


async def _stored_institution_target(world: World, actor: str) -> Call:
    await target_repository.replace(
        world.session, lab_id=None, target=TargetPut.model_validate(_TARGET)
    )
    await world.session.commit()
    return Call()


def _fresh_year() -> int:
    return 1990 + next(_unique) % 100  # each call its own year, open


async def _open_year(world: World, actor: str) -> Call:
    return Call(path={"lab_id": world.lab.id, "year": _fresh_year()}, json={"version": 0})


async def _submitted_year(world: World, actor: str) -> Call:
    year = _fresh_year()
    await signoff_service.transition_year(
        world.session,
        principal=principal_of(world.users["manager"]),
        lab_id=world.lab.id,
        year=year,
        action=YearAction.SUBMIT,
        data=YearTransitionRequest(version=0),
    )
    await world.session.commit()
    return Call(path={"lab_id": world.lab.id, "year": year}, json={"version": 1, "reason": "r"})


async def _validated_year(world: World, actor: str) -> Call:
    call = await _submitted_year(world, actor)
    await signoff_service.transition_year(
        world.session,
        principal=principal_of(world.users["admin"]),
        lab_id=world.lab.id,
        year=int(str(call.path["year"])),
        action=YearAction.VALIDATE,
        data=YearTransitionRequest(version=1),
    )
    await world.session.commit()
    return Call(path=call.path, json={"version": 2, "reason": "r"})


async def _entry(world: World, actor: str) -> Call:
    return Call(path={"entry_id": world.entry_id})


async def _patch_entry(world: World, actor: str) -> Call:
    found = await entry_repository.get_with_factor(world.session, world.entry_id)
    assert found is not None
    await world.session.refresh(found[0])
    return Call(
        path={"entry_id": world.entry_id}, json={"version": found[0].version, "note": actor}
    )


async def _fresh_entry(world: World, actor: str) -> Call:
    entry = ActivityEntry(
        lab_id=world.lab.id,
        factor_id=world.factor_id,
        date=date(2025, 1, 1),
        quantity=Decimal(1),
        kg_co2e=Decimal("0.125"),
    )
    await entry_repository.add(world.session, entry=entry)
    await world.session.commit()
    return Call(path={"entry_id": entry.id})


async def _upload(world: World, actor: str) -> Call:
    csv = b"date,factor_key,quantity\n2025-03-01,electricity.grid.CH,1\n"
    return Call(path={"lab_id": world.lab.id}, files={"file": ("a.csv", csv, "text/csv")})


async def _factor_upload(world: World, actor: str) -> Call:
    csv = b"key,category,unit,kg_co2e_per_unit,scope,year\nother.m,other,kg,1,3,2025\n"
    return Call(files={"file": ("factors.csv", csv, "text/csv")})


async def _job(world: World, actor: str, state: JobState = JobState.SUCCEEDED) -> Call:
    job = DataIngestionJob(
        target_type=JobKind.ACTIVITIES,
        lab_id=world.lab.id,
        on_error=ErrorPolicy.FAIL,
        state=state,
    )
    await job_repository.add(world.session, job=job)
    await world.session.commit()
    return Call(path={"job_id": job.id})


async def _queued_job(world: World, actor: str) -> Call:
    return await _job(world, actor, JobState.QUEUED)


async def _factor(world: World, actor: str) -> Call:
    return Call(path={"factor_id": world.factor_id})


async def _new_factor(world: World, actor: str) -> Call:
    body = {
        "key": f"other.factor{next(_unique)}",
        "category": "other",
        "unit": "kg",
        "kg_co2e_per_unit": "1.5",
        "scope": 3,
        "year": 2025,
    }
    return Call(json=body)


async def _patch_factor(world: World, actor: str) -> Call:
    factor = await factor_repository.get(world.session, world.factor_id)
    assert factor is not None
    await world.session.refresh(factor)
    return Call(path={"factor_id": factor.id}, json={"version": factor.version, "source": actor})


async def _unused_factor(world: World, actor: str) -> Call:
    factor = await make_factor(world.session, key=f"unused.f{next(_unique)}")
    return Call(path={"factor_id": factor.id})


async def _me_update(world: World, actor: str) -> Call:
    if actor == "anonymous":
        return Call(json={"version": 1})
    user = world.user(actor)
    await world.session.refresh(user)
    return Call(json={"version": user.version, "full_name": actor})


async def _fresh_login(world: World, actor: str) -> Call:
    """Consuming operations (logout, password change) run on a session of their own."""
    if actor in {"anonymous", "viewer_api_key"}:
        return Call()
    caller = await session_for(world.session, world.user(actor))
    return Call(headers=caller.headers)


async def _password_change(world: World, actor: str) -> Call:
    call = await _fresh_login(world, actor)
    if actor != "anonymous":
        user = world.user(actor)
        await world.session.refresh(user)
        user.hashed_password = world.users["non_member"].hashed_password  # DEFAULT_PASSWORD's
        await world.session.commit()
    call.json = {"current_password": DEFAULT_PASSWORD, "new_password": "brand-new-pass-1"}
    return call


async def _own_key(world: World, actor: str) -> Call:
    owner = world.users["viewer"] if actor == "anonymous" else world.user(actor)
    created = await api_key_service.create_api_key(
        world.session, principal=principal_of(owner), data=ApiKeyCreate(name="temp")
    )
    await world.session.commit()
    return Call(path={"key_id": created.id})


async def _new_user(world: World, actor: str) -> Call:
    body = {"email": f"new{next(_unique)}@lab.example", "password": "good-pass-123"}
    return Call(json=body)


async def _other_user(world: World, actor: str) -> Call:
    return Call(path={"user_id": world.users["non_member"].id})


async def _fresh_user(world: World, actor: str) -> Call:
    user = await make_user(world.session)
    return Call(path={"user_id": user.id}, json={"version": 1, "full_name": "Renamed"})


async def _login(world: World, actor: str) -> Call:
    email = "nobody@lab.example" if actor == "anonymous" else world.user(actor).email
    return Call(data={"username": email, "password": DEFAULT_PASSWORD})


async def _refresh(world: World, actor: str) -> Call:
    if actor in {"anonymous", "viewer_api_key"}:
        return Call(json={"refresh_token": "not-a-token"})
    caller = await session_for(world.session, world.user(actor))
    return Call(json={"refresh_token": caller.refresh_token})


async def _session_cookie(world: World, actor: str) -> Call:
    """The browser session's refresh: the refresh token comes as its cookie, never as a
    credential header (an API key or a bearer token alone is no session)."""
    if actor in {"anonymous", "viewer_api_key"}:
        return Call(headers={"Cookie": "co2calc_refresh=not-a-token"})
    caller = await session_for(world.session, world.user(actor))
    return Call(headers={"Cookie": f"co2calc_refresh={caller.refresh_token}"})


def everyone(ok: int) -> dict[str, int]:
    return dict.fromkeys(ACTORS, ok) | {"anonymous": 401}


def public(ok: int) -> dict[str, int]:
    return dict.fromkeys(ACTORS, ok)


def lab_readers(ok: int) -> dict[str, int]:
    return everyone(ok) | {"non_member": 404}


def lab_writers(ok: int) -> dict[str, int]:
    return lab_readers(ok) | {"viewer": 403, "viewer_api_key": 403}


def lab_managers(ok: int) -> dict[str, int]:
    return lab_writers(ok) | {"contributor": 403}


def validators(ok: int) -> dict[str, int]:
    return lab_readers(403) | {"admin": ok}


def admins(ok: int) -> dict[str, int]:
    return dict.fromkeys(ACTORS, 403) | {"admin": ok, "anonymous": 401}


MATRIX: dict[tuple[str, str], tuple[Prepare, dict[str, int]]] = {
    ("GET", "/api/v1/health"): (_nothing, public(200)),
    ("GET", "/api/v1/health/ready"): (_nothing, public(200)),
    ("GET", "/health"): (_nothing, public(200)),
    ("POST", "/api/v1/auth/login"): (_login, public(200) | {"anonymous": 401}),
    ("POST", "/api/v1/auth/refresh"): (
        _refresh,
        public(200) | {"anonymous": 401, "viewer_api_key": 401},
    ),
    ("POST", "/api/v1/auth/session"): (_login, public(200) | {"anonymous": 401}),
    ("POST", "/api/v1/auth/session/refresh"): (
        _session_cookie,
        public(200) | {"anonymous": 401, "viewer_api_key": 401},
    ),
    ("POST", "/api/v1/auth/logout"): (_fresh_login, everyone(204)),
    ("GET", "/api/v1/users/me"): (_nothing, everyone(200)),
    ("PATCH", "/api/v1/users/me"): (_me_update, everyone(200)),
    ("POST", "/api/v1/users/me/password"): (_password_change, everyone(204)),
    ("GET", "/api/v1/users/me/api-keys"): (_nothing, everyone(200)),
    ("POST", "/api/v1/users/me/api-keys"): (
        lambda w, a: _with(Call(json={"name": "key"})),
        everyone(201),
    ),
    ("DELETE", "/api/v1/users/me/api-keys/{key_id}"): (_own_key, everyone(204)),
    ("GET", "/api/v1/users"): (_nothing, admins(200)),
    ("POST", "/api/v1/users"): (_new_user, admins(201)),
    ("GET", "/api/v1/users/{user_id}"): (_other_user, admins(200)),
    ("PATCH", "/api/v1/users/{user_id}"): (_fresh_user, admins(200)),
    ("POST", "/api/v1/users/{user_id}/deactivate"): (_fresh_user, admins(200)),
    ("GET", "/metrics"): (_nothing, admins(200)),
    ("GET", "/api/v1/labs"): (_nothing, everyone(200)),
    ("POST", "/api/v1/labs"): (
        lambda w, a: _with(Call(json={"name": "New lab", "code": f"NEW-{next(_unique)}"})),
        everyone(201),
    ),
    ("GET", "/api/v1/labs/{lab_id}"): (_same_lab, lab_readers(200)),
    ("PUT", "/api/v1/labs/{lab_id}"): (_put_lab, lab_managers(200)),
    ("PATCH", "/api/v1/labs/{lab_id}"): (_patch_lab, lab_managers(200)),
    ("DELETE", "/api/v1/labs/{lab_id}"): (_fresh_lab, lab_managers(204)),
    ("GET", "/api/v1/labs/{lab_id}/members"): (_same_lab, lab_readers(200)),
    # Adding an account directly says whether the address has one: admins only.
    ("POST", "/api/v1/labs/{lab_id}/members"): (
        _new_member,
        lab_managers(201) | {"manager": 403},
    ),
    ("GET", "/api/v1/labs/{lab_id}/invitations"): (_same_lab, lab_managers(200)),
    ("POST", "/api/v1/labs/{lab_id}/invitations"): (_new_invitation, lab_managers(201)),
    ("DELETE", "/api/v1/labs/{lab_id}/invitations/{invitation_id}"): (
        _lab_invitation,
        lab_managers(204),
    ),
    ("GET", "/api/v1/users/me/invitations"): (_nothing, everyone(200)),
    ("POST", "/api/v1/users/me/invitations/{invitation_id}/accept"): (
        _my_invitation,
        everyone(200),
    ),
    ("POST", "/api/v1/users/me/invitations/{invitation_id}/decline"): (
        _my_invitation,
        everyone(204),
    ),
    ("PATCH", "/api/v1/labs/{lab_id}/members/{user_id}"): (_existing_member, lab_managers(200)),
    ("DELETE", "/api/v1/labs/{lab_id}/members/{user_id}"): (_existing_member, lab_managers(204)),
    ("GET", "/api/v1/labs/{lab_id}/entries"): (_same_lab, lab_readers(200)),
    ("POST", "/api/v1/labs/{lab_id}/entries"): (_new_entry, lab_writers(201)),
    ("GET", "/api/v1/entries/{entry_id}"): (_entry, lab_readers(200)),
    ("PATCH", "/api/v1/entries/{entry_id}"): (_patch_entry, lab_writers(200)),
    ("DELETE", "/api/v1/entries/{entry_id}"): (_fresh_entry, lab_writers(204)),
    ("GET", "/api/v1/labs/{lab_id}/headcount"): (_same_lab, lab_readers(200)),
    ("GET", "/api/v1/labs/{lab_id}/headcount/{year}"): (_recorded_year, lab_readers(200)),
    ("PUT", "/api/v1/labs/{lab_id}/headcount/{year}"): (_headcount, lab_managers(200)),
    ("DELETE", "/api/v1/labs/{lab_id}/headcount/{year}"): (_headcount, lab_managers(204)),
    ("POST", "/api/v1/labs/{lab_id}/headcount"): (_headcount_csv, lab_managers(200)),
    ("GET", "/api/v1/labs/{lab_id}/target"): (_stored_target, lab_readers(200)),
    ("PUT", "/api/v1/labs/{lab_id}/target"): (_target, lab_managers(200)),
    ("DELETE", "/api/v1/labs/{lab_id}/target"): (_stored_target, lab_managers(204)),
    ("GET", "/api/v1/labs/{lab_id}/target/progress"): (_stored_target, lab_readers(200)),
    ("GET", "/api/v1/institution/target"): (_stored_institution_target, admins(200)),
    ("PUT", "/api/v1/institution/target"): (_institution_target, admins(200)),
    ("DELETE", "/api/v1/institution/target"): (_stored_institution_target, admins(204)),
    ("GET", "/api/v1/institution/target/progress"): (_stored_institution_target, admins(200)),
    ("GET", "/api/v1/labs/{lab_id}/years/{year}/status"): (_open_year, lab_readers(200)),
    ("POST", "/api/v1/labs/{lab_id}/years/{year}/submit"): (_open_year, lab_managers(200)),
    # Validation is the institution's: admins only; a non-member still cannot probe the lab.
    ("POST", "/api/v1/labs/{lab_id}/years/{year}/validate"): (_submitted_year, validators(200)),
    ("POST", "/api/v1/labs/{lab_id}/years/{year}/send-back"): (_submitted_year, validators(200)),
    ("POST", "/api/v1/labs/{lab_id}/years/{year}/reopen"): (_validated_year, validators(200)),
    ("GET", "/api/v1/factors"): (_nothing, everyone(200)),
    ("POST", "/api/v1/factors"): (_new_factor, admins(201)),
    ("GET", "/api/v1/factors/{factor_id}"): (_factor, everyone(200)),
    ("PATCH", "/api/v1/factors/{factor_id}"): (_patch_factor, admins(200)),
    ("DELETE", "/api/v1/factors/{factor_id}"): (_unused_factor, admins(204)),
    ("GET", "/api/v1/reports"): (_nothing, admins(200)),
    ("GET", "/api/v1/reports/{lab_id}"): (_same_lab, lab_readers(200)),
    ("POST", "/api/v1/labs/{lab_id}/imports"): (_upload, lab_writers(202)),
    ("POST", "/api/v1/factors/imports"): (_factor_upload, admins(202)),
    ("POST", "/api/v1/factors/sync"): (_nothing, admins(202)),
    ("GET", "/api/v1/factors/imports"): (_nothing, admins(200)),
    ("GET", "/api/v1/labs/{lab_id}/imports"): (_same_lab, lab_readers(200)),
    ("GET", "/api/v1/imports/{job_id}"): (_job, lab_readers(200)),
    ("GET", "/api/v1/imports/{job_id}/status"): (_job, lab_readers(200)),
    ("POST", "/api/v1/imports/{job_id}/cancel"): (_queued_job, lab_writers(200)),
    ("DELETE", "/api/v1/imports/{job_id}"): (_job, lab_writers(204)),
    # Who changed what, with their account ids: the lab's managers; the whole trail: admins.
    ("GET", "/api/v1/labs/{lab_id}/audit"): (_same_lab, lab_managers(200)),
    ("GET", "/api/v1/audit"): (_nothing, admins(200)),
}


async def _with(call: Call) -> Call:
    return call


def app_routes(app: FastAPI) -> set[tuple[str, str]]:
    routes: set[tuple[str, str]] = set()
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, APIRoute):
            # `{factor_id:uuid}` → `{factor_id}`, as in the spec
            path = re.sub(r"\{(\w+):\w+\}", r"{\1}", context.path or route.path)
            routes.update((method, path) for method in route.methods or ())
    return routes


def test_every_route_has_a_row() -> None:
    routes = app_routes(create_app())
    assert routes - set(MATRIX) == set(), "routes without an authorization row"
    assert set(MATRIX) - routes == set(), "rows for routes that no longer exist"


@pytest.fixture
async def world(
    client: httpx.AsyncClient, session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> World:
    # Sync jobs are only queued here (no runner): the URL is never fetched.
    monkeypatch.setattr(settings, "FACTOR_SYNC_URL", "http://127.0.0.1:9/factors.csv")
    users = {
        "admin": await make_user(session, role=UserRole.ADMIN),
        **{
            name: await make_user(session)
            for name in ("manager", "contributor", "viewer", "non_member")
        },
    }
    lab = await make_lab(session, users["manager"], region="CH")
    await add_member(session, lab, users["contributor"], LabRole.CONTRIBUTOR)
    await add_member(session, lab, users["viewer"], LabRole.VIEWER)
    factor = await make_factor(session)
    entry = ActivityEntry(
        lab_id=lab.id,
        factor_id=factor.id,
        date=date(2025, 2, 1),
        quantity=Decimal(10),
        kg_co2e=Decimal("1.25"),
    )
    await entry_repository.add(session, entry=entry)
    await session.commit()
    callers = {name: await session_for(session, user) for name, user in users.items()}
    key = await client.post(
        "/api/v1/users/me/api-keys",
        json={"name": "viewer script"},
        headers=callers["viewer"].headers,
    )
    return World(
        session=session,
        client=client,
        users=users,
        callers=callers,
        viewer_key=key.json()["key"],
        lab=lab,
        factor_id=factor.id,
        entry_id=entry.id,
    )


def _url(path: str, params: dict[str, object]) -> str:
    return re.sub(r"\{(\w+)\}", lambda match: str(params[match.group(1)]), path)


@pytest.mark.parametrize(("method", "path"), sorted(MATRIX), ids=lambda value: str(value))
async def test_role_matrix(world: World, method: str, path: str) -> None:
    prepare, expected = MATRIX[(method, path)]
    assert set(expected) == set(ACTORS)
    answers = {}
    for actor in ACTORS:
        call = await prepare(world, actor)
        headers = call.headers if call.headers is not None else world.headers(actor)
        response = await world.client.request(
            method,
            _url(path, call.path),
            json=call.json,
            data=call.data,
            files=call.files,
            headers=headers,
        )
        answers[actor] = response.status_code
    assert answers == expected
    # The shared lab and its memberships survive every row.
    assert await lab_repository.get(world.session, world.lab.id) is not None
    assert await user_repository.get(world.session, world.users["manager"].id) is not None
