"""`scripts/run`: embedded PostgreSQL (unless DATABASE_URL is set), migrations, bootstrap, serve."""

import argparse
import asyncio
import fcntl
import os
import secrets
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, TextIO

from dotenv import dotenv_values
from pydantic import ValidationError

if TYPE_CHECKING:
    from app.config import Settings

ROOT = Path(__file__).resolve().parent.parent
DASHBOARD_DIR = ROOT / "clients" / "typescript" / "example" / "dist"  # as app.main serves it
DEV_ADMIN_EMAIL = "admin@example.com"


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="scripts/run", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="interface to bind (127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (8000)")
    parser.add_argument("--reload", action="store_true", help="restart on code changes")
    parser.add_argument(
        "--demo", action="store_true", help="load demo factors, labs and entries (idempotent)"
    )
    return parser.parse_args(argv)


def _configured(name: str) -> str | None:
    """A setting from the environment or `.env`, read before the app's settings exist."""
    if os.environ.get(name):
        return os.environ[name]
    value = dotenv_values(ROOT / ".env").get(name) if (ROOT / ".env").exists() else None
    return value or None


def _data_dir() -> Path:
    return Path(_configured("DATA_DIR") or ROOT / ".data").resolve()


def _read_or_create_secret(path: Path, make: Callable[[], str]) -> tuple[str, bool]:
    """The secret stored at `path`, created (mode 0600) on first use; and whether it was."""
    if path.exists():
        return path.read_text().strip(), False
    path.parent.mkdir(parents=True, exist_ok=True)
    value = make()
    path.touch(mode=0o600)
    path.write_text(value + "\n")
    return value, True


def _ensure_dev_jwt_secret() -> None:
    if _configured("JWT_SECRET") or (_configured("ENV") or "").lower() == "production":
        return
    secret, created = _read_or_create_secret(
        _data_dir() / "jwt_secret", lambda: secrets.token_urlsafe(48)
    )
    os.environ["JWT_SECRET"] = secret
    if created:
        print(f"Generated a development JWT_SECRET in {_data_dir() / 'jwt_secret'}")


def _exit_on_bad_settings(error: ValidationError, out: TextIO = sys.stderr) -> None:
    for problem in error.errors():
        name = ".".join(str(part) for part in problem["loc"]) or "settings"
        out.write(f"Invalid setting {name}: {problem['msg']}\n")
    sys.exit(2)


@contextmanager
def _single_runner() -> Iterator[None]:
    """One `scripts/run` per data directory: a second would stop the first one's database."""
    _data_dir().mkdir(parents=True, exist_ok=True)
    with (_data_dir() / "run.lock").open("w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            sys.exit("Another scripts/run is already serving from .data/; stop it first.")
        yield


def _sigterm_exits_cleanly(_: int, __: FrameType | None) -> None:
    raise SystemExit(0)


def main(argv: list[str] | None = None) -> None:
    args = _parse_args(argv)
    _ensure_dev_jwt_secret()
    try:
        from app.config import settings
    except ValidationError as error:
        _exit_on_bad_settings(error)
        return
    signal.signal(signal.SIGTERM, _sigterm_exits_cleanly)
    with _single_runner():
        _serve(args, settings)


def _serve(args: argparse.Namespace, settings: "Settings") -> None:
    import uvicorn

    from app.core.embedded_db import EmbeddedPostgres
    from app.db.engine import EMBEDDED_DATABASE, embedded_server
    from app.serving import HTTP_PROTOCOL, proxy_options

    embedded: EmbeddedPostgres | None = None
    try:
        if settings.DATABASE_URL is None:
            embedded = embedded_server()
            started = embedded.start()
            embedded.ensure_database(EMBEDDED_DATABASE)
            settings.DATABASE_URL = os.environ["DATABASE_URL"] = embedded.url(EMBEDDED_DATABASE)
            state = "started" if started else "reused"
            print(f"Embedded PostgreSQL {state} in {embedded.pgdata}", flush=True)
        _migrate(settings.DATABASE_URL)
        asyncio.run(_bootstrap(settings))
        asyncio.run(_load_factor_library(settings))
        if args.demo:
            asyncio.run(_load_demo(settings))
        url = f"http://{args.host}:{args.port}"
        print(f"co2calculator on {url}  (API docs: /docs)", flush=True)
        if (DASHBOARD_DIR / "index.html").is_file():
            print(f"Dashboard: {url}/app/", flush=True)
        uvicorn.run(
            "app.main:app",
            host=args.host,
            port=args.port,
            reload=args.reload,
            log_config=None,
            http=HTTP_PROTOCOL,
            **proxy_options(settings),
        )
    finally:
        if embedded is not None:
            embedded.stop()
            print("Embedded PostgreSQL stopped")


def _migrate(url: str) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config(toml_file=str(ROOT / "pyproject.toml"))
    config.attributes["url"] = url
    command.upgrade(config, "head")


async def _bootstrap(settings: "Settings") -> None:
    from app.db import dispose
    from app.db.engine import get_session_factory
    from app.services.bootstrap import ensure_first_admin

    email = settings.FIRST_ADMIN_EMAIL
    supplied = settings.FIRST_ADMIN_PASSWORD is not None
    password = (
        settings.FIRST_ADMIN_PASSWORD.get_secret_value() if settings.FIRST_ADMIN_PASSWORD else None
    )
    if email is None and not settings.is_production:
        email = DEV_ADMIN_EMAIL
    if email is not None and password is None and not settings.is_production:
        password, _ = _read_or_create_secret(
            _data_dir() / "dev_admin_password", lambda: secrets.token_urlsafe(12)
        )
    if email is None or password is None:
        return
    async with get_session_factory()() as session:
        result = await ensure_first_admin(session, email=email, password=password)
        await session.commit()
    await dispose()
    if result.admin_created:
        # A password someone chose is never printed (it may be reused elsewhere, and terminal
        # output ends up in logs); only the development one this script made up is.
        shown = "(the password set in FIRST_ADMIN_PASSWORD)" if supplied else password
        print(f"Created the first admin: {email} / {shown}")
        if not supplied:
            print(f"  (development password saved in {_data_dir() / 'dev_admin_password'})")


async def _load_factor_library(settings: "Settings", directory: Path | None = None) -> None:
    """Queue the import of the shipped factor library when this version is not loaded yet
    (`FACTOR_LIBRARY_AUTOLOAD`); a broken library stops the start, having written nothing."""
    from app.core.errors import AppError
    from app.db import dispose
    from app.db.engine import get_session_factory
    from app.services import factor_library as factor_library_service

    if not settings.FACTOR_LIBRARY_AUTOLOAD:
        return
    where = directory or factor_library_service.LIBRARY_DIR
    try:
        async with get_session_factory()() as session:
            result = await factor_library_service.load_factor_library(session, directory=where)
            await session.commit()
    except AppError as error:
        sys.exit(
            f"{error.detail}\nFix the library (scripts/build-factor-library), or start without "
            "it: FACTOR_LIBRARY_AUTOLOAD=false."
        )
    finally:
        await dispose()
    print(result.message, flush=True)


async def _load_demo(settings: "Settings") -> None:
    from datetime import UTC, datetime

    from app.db import dispose
    from app.db.engine import get_session_factory
    from app.services.demo import load_demo_data

    if settings.is_production:
        sys.exit("--demo is refused when ENV=production")
    this_year = datetime.now(UTC).year
    async with get_session_factory()() as session:
        result = await load_demo_data(session, years=(this_year - 1, this_year))
        await session.commit()
    await dispose()
    labs = ", ".join(result.labs_created) or "already there"
    print(
        f"Demo data: {result.factors_created} factors, labs {labs}, "
        f"{result.entries_created} entries added"
    )
    for email, password in result.logins:
        print(f"  demo login: {email} / {password}")


if __name__ == "__main__":
    main()
