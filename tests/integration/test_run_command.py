"""`scripts/run` as a user meets it: start, Ctrl-C, restart on the same data, crash recovery."""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app.core.embedded_db import EmbeddedPostgres

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class RunCommand:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.port = _free_port()
        self.process: subprocess.Popen[str] | None = None

    def start(self) -> None:
        env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "JWT_SECRET"}}
        env |= {"DATA_DIR": str(self.data_dir), "LOG_LEVEL": "WARNING"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "scripts.serve", "--port", str(self.port)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.output()
            try:
                if httpx.get(f"{self.url}/api/v1/health/ready", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise AssertionError("scripts/run did not become ready in 60 s")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self, sig: signal.Signals) -> str:
        assert self.process is not None
        self.process.send_signal(sig)
        self.process.wait(timeout=60)
        return self.output()

    def output(self) -> str:
        assert self.process is not None
        assert self.process.stdout is not None
        if self.process.poll() is None:
            return ""
        return self.process.stdout.read()


@pytest.fixture
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = Path(tmp_path_factory.mktemp("run"))
    yield path
    EmbeddedPostgres(path / "pg").stop()


def test_start_interrupt_restart_and_crash_recovery(data_dir: Path) -> None:
    database = EmbeddedPostgres(data_dir / "pg")

    first = RunCommand(data_dir)
    first.start()
    assert httpx.get(f"{first.url}/docs").status_code == 200
    output = first.stop(signal.SIGINT)  # Ctrl-C
    assert "Created the first admin: admin@example.com" in output
    assert "Embedded PostgreSQL stopped" in output
    assert database.running_pid() is None
    assert (data_dir / "jwt_secret").stat().st_mode & 0o077 == 0

    second = RunCommand(data_dir)
    second.start()
    output = second.stop(signal.SIGTERM)
    assert "Created the first admin" not in output  # same data, nothing re-created
    assert "Generated a development JWT_SECRET" not in output
    assert database.running_pid() is None

    crashed = RunCommand(data_dir)
    crashed.start()
    crashed.stop(signal.SIGKILL)  # the database is left running, orphaned
    assert database.running_pid() is not None

    recovered = RunCommand(data_dir)
    recovered.start()
    output = recovered.stop(signal.SIGINT)
    assert "Embedded PostgreSQL reused" in output
    assert database.running_pid() is None
