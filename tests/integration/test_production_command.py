"""The documented production command: gunicorn with N uvicorn workers over one database, each
worker a job runner of its own."""

import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from uuid import UUID

import httpx
import psutil
from sqlmodel.ext.asyncio.session import AsyncSession

from app.config import settings
from tests.factories import make_factor, make_lab, make_user
from tests.processes import ROOT, free_port

PRODUCTION_COMMAND = "gunicorn app.main:app -k app.serving.Worker -w {workers} -b {bind}"
PASSWORD = "production-pass-1"


def _wait_until(check: Callable[[], bool], log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, log.read_text()
        time.sleep(0.1)


def _ready(http: httpx.Client, server: subprocess.Popen[bytes]) -> bool:
    assert server.poll() is None, "gunicorn exited"
    try:
        return http.get("/api/v1/health/ready").status_code == 200
    except httpx.TransportError:
        return False


def _serve_and_import(database_url: str, email: str, lab_id: UUID) -> tuple[int, dict[str, int]]:
    """Start the production command, send it one oversized head and import one file through it;
    return the worker count and what became of both."""
    port = free_port()
    command = PRODUCTION_COMMAND.format(workers=2, bind=f"127.0.0.1:{port}").split()
    env = dict(os.environ) | {
        "DATABASE_URL": database_url,
        "ENV": "production",
        "JWT_SECRET": "production-test-secret-0123456789",
        "LOG_LEVEL": "WARNING",
    }
    log = Path(tempfile.mkstemp(prefix="co2gunicorn-")[1])
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", *command], cwd=ROOT, env=env, stdout=out, stderr=out
        )
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as http:
            _wait_until(lambda: _ready(http, server), log)
            workers = len(psutil.Process(server.pid).children())
            too_long = {"X-Filler": "a" * (settings.REQUEST_HEAD_MAX_BYTES + 1)}
            head_refused = http.get("/api/v1/health", headers=too_long).status_code
            tokens = http.post("/api/v1/auth/login", data={"username": email, "password": PASSWORD})
            headers = {"Authorization": f"Bearer {tokens.json()['access_token']}"}
            upload = http.post(
                f"/api/v1/labs/{lab_id}/imports",
                files={"file": ("a.csv", b"date,factor_key,quantity\n2025-01-01,grid.x,8\n")},
                headers=headers,
            )
            assert upload.status_code == 202, upload.text
            status_url = f"/api/v1/imports/{upload.json()['id']}/status"

            def ended() -> bool:
                state = http.get(status_url, headers=headers).json()["state"]
                return state not in {"queued", "running"}

            _wait_until(ended, log, seconds=30)
            job = http.get(status_url, headers=headers).json()
            return workers, {
                "succeeded": job["state"] == "succeeded",
                "rows_ok": job["rows_ok"],
                "oversized_head": head_refused,
            }
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(30)
        log.unlink(missing_ok=True)


async def test_gunicorn_with_two_workers_serves_and_runs_jobs(
    session: AsyncSession, database_url: str
) -> None:
    user = await make_user(session, password=PASSWORD)
    await make_factor(session, key="grid.x", year=2025, kg="0.125")
    lab = await make_lab(session, user)

    workers, job = await asyncio.to_thread(_serve_and_import, database_url, user.email, lab.id)

    assert workers == 2
    assert job == {"succeeded": True, "rows_ok": 1, "oversized_head": 431}


def _login_statuses_with_forged_addresses(database_url: str, attempts: int) -> list[int]:
    """Start the production command (one worker, default proxy settings) and sign in wrongly
    `attempts` times from loopback, each time claiming another X-Forwarded-For."""
    port = free_port()
    command = PRODUCTION_COMMAND.format(workers=1, bind=f"127.0.0.1:{port}").split()
    env = {name: value for name, value in os.environ.items() if name != "FORWARDED_ALLOW_IPS"} | {
        "DATABASE_URL": database_url,
        "ENV": "production",
        "JWT_SECRET": "production-test-secret-0123456789",
        "LOG_LEVEL": "WARNING",
        "JOB_WORKERS": "0",
        "LOGIN_RATE_LIMIT_PER_IP": "3/minute",
    }
    log = Path(tempfile.mkstemp(prefix="co2gunicorn-")[1])
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", *command], cwd=ROOT, env=env, stdout=out, stderr=out
        )
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as http:
            _wait_until(lambda: _ready(http, server), log)
            return [
                http.post(
                    "/api/v1/auth/login",
                    data={"username": f"probe{n}@lab.example", "password": "wrong-pass-1"},
                    headers={"X-Forwarded-For": f"198.51.100.{n}"},
                ).status_code
                for n in range(attempts)
            ]
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(30)
        log.unlink(missing_ok=True)


async def test_a_local_client_cannot_choose_its_address_with_x_forwarded_for(
    database_url: str,
) -> None:
    """gunicorn's and uvicorn's default would trust 127.0.0.1: every forged address would get a
    login limit of its own."""
    statuses = await asyncio.to_thread(_login_statuses_with_forged_addresses, database_url, 4)
    assert statuses == [401, 401, 401, 429]
