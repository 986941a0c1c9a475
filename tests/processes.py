"""Real app processes (uvicorn) on a test database, for tests that need more than one process,
a SIGKILL, or a database restart under a running job."""

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from app.serving import HTTP_PROTOCOL

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class AppProcess:
    def __init__(self, database_url: str, **settings: str) -> None:
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log = Path(tempfile.mkstemp(prefix="co2app-", suffix=".log")[1])
        env = dict(os.environ) | {"DATABASE_URL": database_url, "LOG_LEVEL": "WARNING"}
        env |= settings
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1",
                 "--port", str(self.port), "--no-access-log", "--http", HTTP_PROTOCOL],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )  # fmt: skip

    @property
    def pid(self) -> int:
        return self.process.pid

    def wait_ready(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"app exited with {self.process.returncode}:\n{self.tail()}")
            try:
                if httpx.get(f"{self.base_url}/api/v1/health/ready", timeout=2).is_success:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"app not ready within {seconds}s:\n{self.tail()}")

    def kill(self) -> None:
        """SIGKILL: no cleanup, no atexit, open transactions left to the server to abort."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.unlink(missing_ok=True)

    def tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


@contextmanager
def app_processes(database_url: str, count: int, **settings: str) -> Iterator[list[AppProcess]]:
    """`count` app processes started together on one database, stopped afterwards."""
    processes = [AppProcess(database_url, **settings) for _ in range(count)]
    try:
        for process in processes:
            process.wait_ready()
        yield processes
    finally:
        for process in processes:
            process.stop()
