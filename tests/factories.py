"""Test data built through the app's own models, security and repositories (never raw SQL)."""

import itertools
from dataclasses import dataclass

import httpx
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.security import hash_password
from app.models.user import User, UserRole
from app.repositories import user as user_repository

DEFAULT_PASSWORD = "correct-horse-42"
_numbers = itertools.count(1)


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
            "hashed_password": hash_password(password),
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
