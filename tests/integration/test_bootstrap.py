"""The first admin is created once, whatever the casing of the configured email."""

import pytest
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.config import Settings
from app.core.security import verify_password
from app.models.user import User, UserRole
from app.services.bootstrap import ensure_first_admin
from scripts import serve


async def test_first_admin_is_created_once(session: AsyncSession) -> None:
    first = await ensure_first_admin(session, email="Root@Example.com", password="first-pass-123")
    await session.commit()
    again = await ensure_first_admin(session, email="root@example.COM", password="other-pass-456")
    await session.commit()

    assert (first.admin_created, again.admin_created) == (True, False)
    users = (await session.exec(select(User))).all()
    assert len(users) == 1
    admin = users[0]
    assert admin.email == "root@example.com"
    assert admin.role == UserRole.ADMIN
    # The second call never touches the existing account, its password included.
    assert verify_password("first-pass-123", admin.hashed_password)
    assert not verify_password("other-pass-456", admin.hashed_password)


@pytest.mark.parametrize("env", ["development", "production"])
async def test_a_supplied_first_admin_password_is_never_printed(
    database_url: str, env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    config = Settings(
        _env_file=None,
        ENV=env,
        DATABASE_URL=database_url,
        JWT_SECRET="x" * 32,
        FIRST_ADMIN_EMAIL="root@example.com",
        FIRST_ADMIN_PASSWORD="chosen-pass-123",
    )
    await serve._bootstrap(config)
    printed = capsys.readouterr()
    assert "Created the first admin: root@example.com" in printed.out
    assert "chosen-pass-123" not in printed.out + printed.err
