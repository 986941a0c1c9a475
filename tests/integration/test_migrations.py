"""Alembic is the only way the schema changes, and it agrees with the models."""

import psycopg
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import Column, Integer, MetaData, Table, create_engine
from sqlmodel import SQLModel

import app.models  # noqa: F401  (every table on the metadata)
from tests.conftest import ROOT, libpq_url


def _tables(url: str) -> set[str]:
    with psycopg.connect(libpq_url(url)) as connection:
        rows = connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        ).fetchall()
    return {str(row[0]) for row in rows}


def _diff(url: str, metadata: MetaData) -> list[object]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return list(compare_metadata(context, metadata))
    finally:
        engine.dispose()


def test_upgrade_downgrade_upgrade_round_trip(empty_database: str) -> None:
    config = Config(toml_file=str(ROOT / "pyproject.toml"))
    config.attributes["url"] = empty_database
    command.upgrade(config, "head")
    assert "user" in _tables(empty_database)
    command.downgrade(config, "base")
    assert _tables(empty_database) == {"alembic_version"}
    command.upgrade(config, "head")
    assert "user" in _tables(empty_database)


async def test_models_and_migrations_agree(database_url: str) -> None:
    assert _diff(database_url, SQLModel.metadata) == []


async def test_a_model_change_without_a_migration_is_detected(database_url: str) -> None:
    changed = MetaData(naming_convention=SQLModel.metadata.naming_convention)
    for table in SQLModel.metadata.tables.values():
        table.to_metadata(changed)
    Table("unmigrated", changed, Column("id", Integer, primary_key=True))
    diff = _diff(database_url, changed)
    assert [entry[0] for entry in diff if isinstance(entry, tuple)] == ["add_table"]
