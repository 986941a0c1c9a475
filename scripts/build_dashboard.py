"""Build the example dashboard (clients/typescript/example) when its build is missing or stale.

    python -m scripts.build_dashboard              # build if needed; exit 1 when it cannot
    python -m scripts.build_dashboard --optional   # scripts/run: say why, and serve without it

The app serves `clients/typescript/example/dist` at /app/ when it exists (`app.main`). The build
is stale when any of its inputs changed since it was made: the example's sources and package files,
or the generated client it compiles. A hash of those is kept in the example's node_modules, so an
unchanged tree costs a hash of ~40 small files and no npm at all.
"""

import argparse
import fcntl
import hashlib
import shutil
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from scripts.generate_clients import (
    ROOT,
    TYPESCRIPT_OUTPUT,
    GenerationError,
    ensure_node_modules,
    run_tool,
)

EXAMPLE_DIR = ROOT / "clients" / "typescript" / "example"
DIST = EXAMPLE_DIR / "dist"
_STAMP = EXAMPLE_DIR / "node_modules" / ".co2calc-dashboard-build.sha256"
_INPUTS = (
    EXAMPLE_DIR / "src",
    EXAMPLE_DIR / "index.html",
    EXAMPLE_DIR / "vite.config.ts",
    EXAMPLE_DIR / "tsconfig.json",
    EXAMPLE_DIR / "package.json",
    EXAMPLE_DIR / "package-lock.json",
    TYPESCRIPT_OUTPUT,
)


def _files() -> Iterator[Path]:
    for path in _INPUTS:
        if path.is_dir():
            yield from (p for p in path.rglob("*") if p.is_file())
        elif path.is_file():
            yield path


def inputs_hash() -> str:
    digest = hashlib.sha256()
    for path in sorted(_files()):
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def is_fresh() -> bool:
    return (
        (DIST / "index.html").is_file()
        and _STAMP.is_file()
        and _STAMP.read_text().strip() == inputs_hash()
    )


@contextmanager
def _build_lock() -> Iterator[None]:
    """One build at a time (scripts/run and the browser test may start together)."""
    lock_path = ROOT / ".data" / "dashboard-build.lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def ensure_dashboard_built() -> bool:
    """Build unless the build is fresh; True when it built. Raises GenerationError."""
    with _build_lock():
        if is_fresh():
            return False
        if shutil.which("npm") is None:
            raise GenerationError("npm is not on PATH (Node >= 20.19 with npm is needed)")
        started = time.monotonic()
        print("Building the dashboard (clients/typescript/example) …", flush=True)
        ensure_node_modules(EXAMPLE_DIR)
        stamp = inputs_hash()
        run_tool(["npm", "run", "--silent", "build"], cwd=EXAMPLE_DIR)
        _STAMP.write_text(stamp + "\n")
        print(f"Dashboard built in {time.monotonic() - started:.0f}s", flush=True)
        return True


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.build_dashboard", description=__doc__)
    parser.add_argument(
        "--optional", action="store_true", help="on failure, warn and exit 0 (the API still runs)"
    )
    args = parser.parse_args(argv)
    try:
        ensure_dashboard_built()
    except GenerationError as error:
        if not args.optional:
            print(f"dashboard: {error}", file=sys.stderr)
            return 1
        print(f"The dashboard at /app/ is not available: {error}", file=sys.stderr)
        if DIST.exists():
            print("  (serving the previous build)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
