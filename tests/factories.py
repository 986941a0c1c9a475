"""Test data built through the app's own models, security and repositories (never raw SQL)."""

import functools
import itertools
from dataclasses import dataclass
from decimal import Decimal

import httpx
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.security import hash_password
from app.models.factor import CabinClass, EmissionFactor, FactorCategory, FactorCreate, Scope2Basis
from app.models.lab import Lab, LabCreate, LabMembership, LabRole
from app.models.user import User, UserRole
from app.repositories import factor as factor_repository
from app.repositories import lab as lab_repository
from app.repositories import user as user_repository
from app.services import auth as auth_service
from app.services import labs as lab_service
from app.services.auth import AuthMethod, Principal

DEFAULT_PASSWORD = "correct-horse-42"
_numbers = itertools.count(1)


@functools.cache
def _hash_of(password: str) -> str:
    """Argon2 is slow on purpose; tests hash each distinct password once."""
    return hash_password(password)


async def make_user(
    session: AsyncSession,
    *,
    role: UserRole = UserRole.USER,
    email: str | None = None,
    password: str = DEFAULT_PASSWORD,
    is_active: bool = True,
    full_name: str = "Test User",
) -> User:
    user = User.model_validate(
        {
            "email": email or f"user{next(_numbers)}@lab.example",
            "full_name": full_name,
            "role": role,
            "is_active": is_active,
            "hashed_password": _hash_of(password),
        }
    )
    await user_repository.add(session, user=user)
    await session.commit()
    return user


@dataclass
class Caller:
    """A signed-in user as tests drive them: the account and its bearer headers."""

    user: User
    access_token: str
    refresh_token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}


async def login(
    client: httpx.AsyncClient, email: str, password: str = DEFAULT_PASSWORD
) -> httpx.Response:
    return await client.post("/api/v1/auth/login", data={"username": email, "password": password})


async def sign_in(
    client: httpx.AsyncClient, user: User, password: str = DEFAULT_PASSWORD
) -> Caller:
    response = await login(client, user.email, password)
    assert response.status_code == 200, response.text
    tokens = response.json()
    return Caller(
        user=user, access_token=tokens["access_token"], refresh_token=tokens["refresh_token"]
    )


def principal_of(user: User) -> Principal:
    return Principal(user=user, method=AuthMethod.PASSWORD)


async def make_lab(
    session: AsyncSession,
    manager: User,
    *,
    code: str | None = None,
    region: str | None = None,
    name: str | None = None,
) -> Lab:
    number = next(_numbers)
    data = LabCreate(
        name=name or f"Lab {number}",
        code=code or f"LAB-{number}",
        institution="Test University",
        region=region,
    )
    lab, _ = await lab_service.create_lab(session, principal=principal_of(manager), data=data)
    await session.commit()
    return lab


async def add_member(session: AsyncSession, lab: Lab, user: User, role: LabRole) -> None:
    await lab_repository.add_membership(
        session, membership=LabMembership(lab_id=lab.id, user_id=user.id, role=role)
    )
    await session.commit()


async def make_factor(
    session: AsyncSession,
    *,
    key: str = "electricity.grid.CH",
    year: int = 2025,
    kg: str = "0.125",
    unit: str = "kWh",
    category: FactorCategory = FactorCategory.ELECTRICITY,
    scope: int = 2,
    region: str | None = None,
    cabin_class: CabinClass | None = None,
    distance_min_km: int | None = None,
    distance_max_km: int | None = None,
    uncertainty_pct: str | None = None,
    basis: Scope2Basis | None = None,
) -> EmissionFactor:
    factor = EmissionFactor.model_validate(
        FactorCreate(
            key=key,
            year=year,
            kg_co2e_per_unit=Decimal(kg),
            unit=unit,
            category=category,
            scope=scope,
            region=region,
            source="test",
            cabin_class=cabin_class,
            distance_min_km=distance_min_km,
            distance_max_km=distance_max_km,
            uncertainty_pct=None if uncertainty_pct is None else Decimal(uncertainty_pct),
            basis=basis,
        )
    )
    await factor_repository.add(session, factor=factor)
    await session.commit()
    return factor


async def session_for(session: AsyncSession, user: User) -> Caller:
    """A signed-in caller without the password round trip (tokens issued by the auth service)."""
    pair = await auth_service.start_session(session, user=user)
    await session.commit()
    return Caller(user=user, access_token=pair.access_token, refresh_token=pair.refresh_token)
