"""The embedded server recovers by itself from what a crash leaves behind."""

import os
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from app.core.embedded_db import EmbeddedPostgres


@pytest.fixture(scope="module")
def server() -> Iterator[EmbeddedPostgres]:
    instance = EmbeddedPostgres(Path(tempfile.mkdtemp(prefix="co2e-")))
    instance.start()
    try:
        yield instance
    finally:
        instance.destroy()


def _query_one(server: EmbeddedPostgres) -> object:
    url = server.url().replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(url) as connection:
        row = connection.execute("SELECT 1").fetchone()
    return row[0] if row else None


def test_start_reuses_a_server_left_running(server: EmbeddedPostgres) -> None:
    pid = server.running_pid()
    assert pid is not None
    assert server.start() is False  # adopted, not started twice
    assert server.running_pid() == pid
    assert _query_one(server) == 1


def test_a_stale_pidfile_naming_a_live_unrelated_process_is_cleared(
    server: EmbeddedPostgres,
) -> None:
    server.stop()
    sleeper = subprocess.Popen(["sleep", "30"])
    try:
        # A reused pid: postmaster.pid names a live process that is not our postgres.
        (server.pgdata / "postmaster.pid").write_text(f"{sleeper.pid}\n{server.pgdata}\n")
        assert server.running_pid() is None
        assert server.start() is True
        assert sleeper.poll() is None, "the unrelated process must be left alone"
        assert _query_one(server) == 1
    finally:
        sleeper.kill()
        sleeper.wait()


def test_a_pidfile_of_a_dead_process_is_cleared(server: EmbeddedPostgres) -> None:
    server.stop()
    dead = subprocess.Popen(["true"])
    dead.wait()
    (server.pgdata / "postmaster.pid").write_text(f"{dead.pid}\n{server.pgdata}\n")
    assert server.start() is True
    assert _query_one(server) == 1


def test_a_killed_postmaster_restarts_with_crash_recovery(server: EmbeddedPostgres) -> None:
    pid = server.running_pid()
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while server.running_pid() is not None and time.monotonic() < deadline:
        time.sleep(0.05)  # SIGKILL is delivered asynchronously
    assert server.start() is True
    assert _query_one(server) == 1


def test_ensure_database_is_idempotent_and_refuses_odd_names(server: EmbeddedPostgres) -> None:
    server.ensure_database("some_db")
    server.ensure_database("some_db")
    assert server.psql("SELECT count(*) FROM pg_database WHERE datname = 'some_db'").strip() == "1"
    with pytest.raises(ValueError, match="plain database name"):
        server.ensure_database('x"; DROP DATABASE postgres; --')
