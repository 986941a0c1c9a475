"""Alembic environment: async, on the same settings and metadata as the app."""

import asyncio
from typing import Any, Literal

from alembic import context
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlmodel import SQLModel
from sqlmodel.sql.sqltypes import AutoString

import app.models  # noqa: F401  (registers every table on the metadata)
from app.db.engine import database_url


def _render_item(kind: str, obj: Any, _: Any) -> str | Literal[False]:
    """Render SQLModel's AutoString as plain `sa.String`, so migrations never import sqlmodel."""
    if kind == "type" and isinstance(obj, AutoString):
        return f"sa.String(length={obj.length})" if obj.length else "sa.String()"
    return False


def _configure(**connection_options: Any) -> None:
    context.configure(
        target_metadata=SQLModel.metadata,
        compare_type=True,
        render_item=_render_item,
        **connection_options,
    )


def _url() -> str:
    """`-x url=…` or a programmatic `config.attributes["url"]` beat the app's settings."""
    configured = context.config.attributes.get("url") or context.get_x_argument(True).get("url")
    return str(configured) if configured else database_url()


def run_migrations_offline() -> None:
    _configure(url=_url(), literal_binds=True, dialect_opts={"paramstyle": "named"})
    with context.begin_transaction():
        context.run_migrations()


def _run_with(connection: Connection) -> None:
    _configure(connection=connection)
    with context.begin_transaction():
        context.run_migrations()


async def _run_async(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        await connection.run_sync(_run_with)
    await engine.dispose()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run_with(connection)
        return
    asyncio.run(_run_async(create_async_engine(_url())))


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
