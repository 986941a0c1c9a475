"""Regenerate the TypeScript and Python API clients from `openapi/openapi.json` (no server).

- clients/typescript/src/client/: @hey-api/openapi-ts with `clients/typescript/openapi-ts.config.ts`
  (`npm ci` first when node_modules is missing or older than package-lock.json).
- clients/python/: openapi-python-client with `clients/python/openapi-python-client.yaml`. The
  generator writes a whole project, so it runs in a temp dir and only what it produced replaces
  the old copy; our hand-written files there (`PYTHON_HAND_WRITTEN`) are never touched.

Both generators are deterministic: running this twice leaves `git status` clean.
"""

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "openapi" / "openapi.json"

TYPESCRIPT_DIR = ROOT / "clients" / "typescript"
TYPESCRIPT_OUTPUT = TYPESCRIPT_DIR / "src" / "client"
_NPM_STAMP_NAME = ".co2calc-package-lock.sha256"  # in node_modules: the lock it was installed from

PYTHON_DIR = ROOT / "clients" / "python"
PYTHON_CONFIG = PYTHON_DIR / "openapi-python-client.yaml"
# Top-level entries of clients/python that are ours; everything else there is generated.
PYTHON_HAND_WRITTEN = frozenset({"README.md", "tests", PYTHON_CONFIG.name})


class GenerationError(RuntimeError):
    pass


def run_tool(command: Sequence[str | Path], cwd: Path) -> None:
    # The generators' post hooks (ruff) and npm's scripts must find our venv's tools.
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    result = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        shown = " ".join(str(part) for part in command)
        output = (result.stdout + result.stderr).strip()
        raise GenerationError(f"`{shown}` failed ({result.returncode}):\n{output}")


# -- TypeScript ----------------------------------------------------------------------------------


def ensure_node_modules(package: Path = TYPESCRIPT_DIR) -> None:
    """`npm ci` in `package` unless its node_modules was installed from exactly the current
    package-lock.json."""
    lock_hash = hashlib.sha256((package / "package-lock.json").read_bytes()).hexdigest()
    stamp = package / "node_modules" / _NPM_STAMP_NAME
    if stamp.exists() and stamp.read_text().strip() == lock_hash:
        return
    print(f"{package.relative_to(ROOT)}: npm ci", flush=True)
    run_tool(["npm", "ci", "--no-audit", "--no-fund"], cwd=package)
    stamp.write_text(lock_hash + "\n")


def render_typescript(output: Path = TYPESCRIPT_OUTPUT) -> None:
    """Generate the TypeScript client into `output` (which is replaced)."""
    ensure_node_modules()
    openapi_ts = TYPESCRIPT_DIR / "node_modules" / ".bin" / "openapi-ts"
    command: list[str | Path] = [openapi_ts, "--silent", "--no-log-file"]
    command += ["--input", SPEC, "--output", output]
    run_tool(command, cwd=TYPESCRIPT_DIR)


# -- Python --------------------------------------------------------------------------------------


def render_python(output: Path) -> None:
    """Generate the complete Python client project into `output` (which must not exist)."""
    generator = Path(sys.executable).parent / "openapi-python-client"
    command: list[str | Path] = [generator, "generate", "--path", SPEC, "--config", PYTHON_CONFIG]
    command += ["--meta", "uv", "--output-path", output, "--fail-on-warning"]
    run_tool(command, cwd=output.parent)


def python_generated_entries(rendered: Path) -> list[str]:
    """The top-level names of a rendered project that belong in clients/python."""
    return sorted(e.name for e in rendered.iterdir() if e.name not in PYTHON_HAND_WRITTEN)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def generate_python(project: Path = PYTHON_DIR) -> None:
    """Regenerate clients/python in place, keeping our hand-written files."""
    with tempfile.TemporaryDirectory(prefix="co2pyclient-") as tmp:
        rendered = Path(tmp) / "client"
        render_python(rendered)
        project.mkdir(parents=True, exist_ok=True)
        for name in python_generated_entries(rendered):
            _remove(project / name)
            source = rendered / name
            if source.is_dir():
                shutil.copytree(source, project / name)
            else:
                shutil.copy2(source, project / name)


# -- command line --------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/generate-clients", description=__doc__)
    parser.add_argument(
        "--only", choices=("typescript", "python"), help="regenerate just one of the clients"
    )
    args = parser.parse_args(argv)
    if not SPEC.exists():
        print(f"{SPEC.relative_to(ROOT)} is missing: run scripts/export-openapi", file=sys.stderr)
        return 1
    steps: dict[str, Callable[[], None]] = {
        "typescript": render_typescript,
        "python": generate_python,
    }
    for name, step in steps.items():
        if args.only not in (None, name):
            continue
        started = time.monotonic()
        try:
            step()
        except GenerationError as error:
            print(f"{name} client: {error}", file=sys.stderr)
            return 1
        print(f"{name} client regenerated ({time.monotonic() - started:.1f}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
