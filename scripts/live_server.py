"""A throwaway co2calculator server for client tests: fresh database, migrations, uvicorn.

    python -m scripts.live_server -- npm test     # run a command against it, exit with its code
    python -m scripts.live_server                 # serve until Ctrl-C

The database is a new one on `DATABASE_URL` when that is set, else a private embedded PostgreSQL
in a short temp dir (see `scripts.scratch_db`). uvicorn serves `app.main:app` on a free loopback
port in a subprocess. The command gets `CO2CALC_BASE_URL` (and the seeded accounts, see
`LiveServer.env`) in its environment. Server, database and temp files are removed afterwards, also
on Ctrl-C and SIGTERM. From Python: `with live_server() as server: ... server.base_url ...`.
"""

import argparse
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import IO

import httpx

ROOT = Path(__file__).resolve().parent.parent
READY_PATH = "/api/v1/health/ready"
STARTUP_TIMEOUT_SECONDS = 60.0
STOP_TIMEOUT_SECONDS = 10.0
# For a throwaway server only (unless JWT_SECRET is set): tokens die with it.
_JWT_SECRET = secrets.token_urlsafe(32)


@dataclass(frozen=True)
class Account:
    email: str
    password: str


@dataclass(frozen=True)
class LiveServer:
    base_url: str
    database_url: str
    admin: Account

    def env(self) -> dict[str, str]:
        """What a test command needs to reach the server and sign in."""
        return {
            "CO2CALC_BASE_URL": self.base_url,
            "CO2CALC_TEST_ADMIN_EMAIL": self.admin.email,
            "CO2CALC_TEST_ADMIN_PASSWORD": self.admin.password,
        }


def _app_environment(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    # Four suites (TypeScript, Python, co2calc, the browser) sign the same admin in, more than the
    # production limit of 10 logins a minute per account allows; the limits themselves are tested
    # in tests/integration/test_login_throttling.py. A caller's own setting wins.
    env.setdefault("LOGIN_RATE_LIMIT_PER_EMAIL", "200/minute")
    env.setdefault("LOGIN_RATE_LIMIT_PER_IP", "600/minute")
    env.update(
        DATABASE_URL=database_url,
        JWT_SECRET=os.environ.get("JWT_SECRET") or _JWT_SECRET,
        ENV="development",
        LOG_LEVEL=os.environ.get("LOG_LEVEL", "WARNING"),
    )
    return env


# -- test data -----------------------------------------------------------------------------------


def _seed(database_url: str) -> Account:
    """Create the test accounts through the app's own services (never by raw SQL).

    Add further users (a lab manager, a plain user...) here when tests need them, and expose them
    through `LiveServer` / `LiveServer.env`.
    """
    import asyncio

    from sqlalchemy.ext.asyncio import create_async_engine
    from sqlmodel.ext.asyncio.session import AsyncSession

    from app.services.bootstrap import ensure_first_admin

    admin = Account(email="admin@example.com", password=secrets.token_urlsafe(16))

    async def create() -> None:
        engine = create_async_engine(database_url)
        try:
            async with AsyncSession(engine, expire_on_commit=False) as session:
                await ensure_first_admin(session, email=admin.email, password=admin.password)
                await session.commit()
        finally:
            await engine.dispose()

    asyncio.run(create())
    return admin


# -- server process ------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_ready(process: subprocess.Popen[bytes], base_url: str, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}:\n{_tail(log)}")
        try:
            if httpx.get(base_url + READY_PATH, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"the server was not ready within {STARTUP_TIMEOUT_SECONDS:.0f}s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(STOP_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _tail(log: Path, lines: int = 40) -> str:
    text = log.read_text(errors="replace") if log.exists() else ""
    return "\n".join(text.splitlines()[-lines:])


@contextmanager
def _uvicorn(database_url: str, log_file: IO[bytes], log: Path) -> Iterator[str]:
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--no-access-log", "--log-level", "warning"]
    command += ["--http", "app.serving:HeadLimitedHttpToolsProtocol"]  # as scripts/run serves
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=_app_environment(database_url),
        stdout=log_file,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # Ctrl-C reaches us, and we stop the server in order
    )
    try:
        _wait_until_ready(process, base_url, log)
        yield base_url
    finally:
        _stop(process)


@contextmanager
def live_server(*, server_log: Path | None = None) -> Iterator[LiveServer]:
    """A migrated fresh database, seeded accounts and a running server; all gone on exit.

    The server's output goes to `server_log` (default: a temp file that is deleted afterwards).
    """
    # scripts.scratch_db imports the app's settings, which require a JWT secret.
    os.environ.setdefault("JWT_SECRET", _JWT_SECRET)
    from scripts.scratch_db import scratch_database

    with ExitStack() as stack:
        if server_log is None:
            log_dir = stack.enter_context(tempfile.TemporaryDirectory(prefix="co2live-"))
            server_log = Path(log_dir) / "server.log"
        database_url = stack.enter_context(scratch_database())
        admin = _seed(database_url)
        log_file = stack.enter_context(server_log.open("wb"))
        base_url = stack.enter_context(_uvicorn(database_url, log_file, server_log))
        yield LiveServer(base_url=base_url, database_url=database_url, admin=admin)


# -- command line --------------------------------------------------------------------------------


def _interrupt(signum: int, _: FrameType | None) -> None:
    """Unwind the context managers (stop server, drop database) once; a second Ctrl-C or SIGTERM
    during that cleanup is ignored instead of cutting it short."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    if signum == signal.SIGINT:
        raise KeyboardInterrupt
    raise SystemExit(128 + signum)


def _run(command: Sequence[str], env: dict[str, str]) -> int:
    process = subprocess.Popen(command, env={**os.environ, **env})
    try:
        return process.wait()
    except BaseException:
        _stop(process)
        raise


def _serve_forever(server: LiveServer) -> int:
    print(f"co2calculator test server on {server.base_url}  (Ctrl-C stops it)", flush=True)
    for name, value in server.env().items():
        print(f"  {name}={value}", flush=True)
    signal.pause()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="scripts/live-server",
        description="Run a command against a throwaway server: scripts/live-server -- npm test",
    )
    parser.add_argument("--server-log", type=Path, help="keep the server's output in this file")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- COMMAND [ARGS...]")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        with live_server(server_log=args.server_log) as server:
            if not command:
                return _serve_forever(server)
            print(f"live server {server.base_url}: running {' '.join(command)}", flush=True)
            return _run(command, server.env())
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
