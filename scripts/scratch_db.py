"""A throwaway, migrated PostgreSQL database for checks and harnesses.

With `DATABASE_URL` set, a new database is created on that server (the role needs CREATEDB) and
dropped afterwards; otherwise a private embedded server is started in a temp dir and deleted.
"""

import os
import secrets
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from alembic import command
from alembic.config import Config
from psycopg import sql
from sqlalchemy.engine import make_url

from app.config import normalize_database_url
from app.core.embedded_db import EmbeddedPostgres

ROOT = Path(__file__).resolve().parent.parent


def alembic_config(url: str) -> Config:
    config = Config(toml_file=str(ROOT / "pyproject.toml"))
    config.attributes["url"] = url
    return config


def _libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@contextmanager
def _server_url(settings: dict[str, str] | None = None) -> Iterator[str]:
    external = os.environ.get("DATABASE_URL")
    if external:
        yield normalize_database_url(external)
        return
    server = EmbeddedPostgres(Path(tempfile.mkdtemp(prefix="co2s-")), settings=settings)
    server.start()
    try:
        yield server.url("postgres")
    finally:
        server.destroy()


@contextmanager
def scratch_database(
    *, migrate: bool = True, settings: dict[str, str] | None = None
) -> Iterator[str]:
    """Yield the URL of a fresh database (migrated to head unless `migrate=False`); `settings`
    are the embedded server's, when one is started for it."""
    with _server_url(settings) as server_url:
        name = f"co2_scratch_{secrets.token_hex(4)}"
        with psycopg.connect(_libpq(server_url), autocommit=True) as admin:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
        try:
            if migrate:
                command.upgrade(alembic_config(url), "head")
            yield url
        finally:
            with psycopg.connect(_libpq(server_url), autocommit=True) as admin:
                drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
                admin.execute(drop.format(sql.Identifier(name)))
