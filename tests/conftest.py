"""Shared fixtures: a real PostgreSQL (embedded by default, `DATABASE_URL` overrides), a migrated
template database, and a fresh database per test cloned from it."""

import inspect
import itertools
import os
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

# Settings are read when app.config is first imported; give tests a secret before any import.
os.environ.setdefault("JWT_SECRET", "test-secret-for-pytest-only-0123456789")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("ENV", "development")

import httpx
import psycopg
import pytest
from alembic import command
from alembic.config import Config
from fastapi import FastAPI
from psycopg import sql
from sqlalchemy.engine import make_url
from sqlmodel.ext.asyncio.session import AsyncSession

from app import database
from app.config import normalize_database_url, settings
from app.core.embedded_db import EmbeddedPostgres
from app.db import dispose as dispose_database
from app.main import create_app
from app.models.user import UserRole
from tests.factories import Caller, make_user, sign_in

ROOT = Path(__file__).resolve().parent.parent
_EXTERNAL_URL = os.environ.pop("DATABASE_URL", None) or None
_TEST_SERVER_SETTINGS = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}
_database_numbers = itertools.count(1)


@pytest.hookimpl(tryfirst=True)
def pytest_pycollect_makeitem(collector: pytest.Collector, name: str, obj: object) -> None:
    """Every `async def` test runs on anyio's asyncio backend (marked before parametrisation)."""
    if name.startswith("test") and inspect.iscoroutinefunction(obj):
        pytest.mark.anyio(obj)


@pytest.fixture(scope="session")
def anyio_backend() -> str:
    return "asyncio"


def libpq_url(url: str, database_name: str | None = None) -> str:
    """A SQLAlchemy URL as a libpq conninfo URL for psycopg, optionally on another database."""
    parsed = make_url(url).set(drivername="postgresql")
    if database_name is not None:
        parsed = parsed.set(database=database_name)
    return parsed.render_as_string(hide_password=False)


def with_database(url: str, database_name: str) -> str:
    return make_url(url).set(database=database_name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def server_url() -> Iterator[str]:
    """A PostgreSQL server URL: `DATABASE_URL` when given, else a throwaway embedded server."""
    if _EXTERNAL_URL is not None:
        yield normalize_database_url(_EXTERNAL_URL)
        return
    server = EmbeddedPostgres(
        Path(tempfile.mkdtemp(prefix="co2t-")), settings=_TEST_SERVER_SETTINGS
    )
    server.start()
    try:
        yield server.url("postgres")
    finally:
        server.destroy()


def _admin(server_url: str) -> psycopg.Connection[tuple[object, ...]]:
    return psycopg.connect(libpq_url(server_url), autocommit=True)


def run_migrations(url: str, revision: str = "head") -> None:
    config = Config(toml_file=str(ROOT / "pyproject.toml"))
    config.attributes["url"] = url
    command.upgrade(config, revision)


@pytest.fixture(scope="session")
def template_database(server_url: str) -> Iterator[str]:
    """A database migrated to head with Alembic; every test database is cloned from it."""
    name = f"co2_template_{os.getpid()}"
    with _admin(server_url) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    run_migrations(with_database(server_url, name))
    yield name
    with _admin(server_url) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


@pytest.fixture
def empty_database(server_url: str) -> Iterator[str]:
    """URL of a new, empty database (no migrations applied), dropped after the test."""
    yield from _scratch_database(server_url, template=None)


@pytest.fixture
async def database_url(
    server_url: str, template_database: str, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[str]:
    """A fresh migrated database for this test; the app's engine points at it."""
    for url in _scratch_database(server_url, template=template_database):
        monkeypatch.setattr(settings, "DATABASE_URL", url)
        await dispose_database()
        try:
            yield url
        finally:
            await dispose_database()


def _scratch_database(server_url: str, *, template: str | None) -> Iterator[str]:
    name = f"co2_test_{os.getpid()}_{next(_database_numbers)}"
    create = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
    if template is not None:
        create += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
    with _admin(server_url) as admin:
        admin.execute(create)
    try:
        yield with_database(server_url, name)
    finally:
        with _admin(server_url) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


@pytest.fixture
def app(database_url: str) -> FastAPI:
    return create_app()


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


@pytest.fixture
async def session(database_url: str) -> AsyncIterator[AsyncSession]:
    async with database.get_session_factory()() as db_session:
        yield db_session


@pytest.fixture
async def admin(client: httpx.AsyncClient, session: AsyncSession) -> Caller:
    user = await make_user(session, role=UserRole.ADMIN, email="admin@lab.example")
    return await sign_in(client, user)


@pytest.fixture
async def member(client: httpx.AsyncClient, session: AsyncSession) -> Caller:
    user = await make_user(session, email="member@lab.example")
    return await sign_in(client, user)
