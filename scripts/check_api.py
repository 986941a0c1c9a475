"""CI gate for the API contract; prints a summary and exits 1 when any check fails.

1. `openapi/openapi.json` is a valid OpenAPI document (openapi-spec-validator).
2. It is what the code produces now (`scripts.export_openapi.render_spec()`); else a short diff.
3. Both clients are what that spec generates now. Each client is generated into a temp dir and
   compared file by file with the copy in the working tree (clients/typescript/src/client, and the
   generated part of clients/python). The working tree is never modified; only node_modules may be
   (re)installed. So uncommitted edits count: in CI the tree is the commit under test.
4. No unrecorded breaking change (the `openapi_diff` package in tools/openapi-diff, as
   `python -m openapi_diff BASE HEAD --accepted openapi/BREAKING.md`): against
   `git show HEAD~1:openapi/openapi.json` by default (`--base-ref REF` or `--base FILE` to
   choose; before a commit, `--base-ref HEAD` is the useful comparison). Skipped, with a notice,
   when the base has no spec yet.
5. By default also every earlier change of the spec since `HISTORY_FROM`, each commit against its
   parent and its own BREAKING.md. Several commits landed at once are then each gated, not only
   the last. Two commits before HISTORY_FROM (48c89d3, f1aa56b) broke the spec unrecorded, in
   multi-commit landings that only HEAD~1 was gated for; history is not rewritten.
"""

import argparse
import contextlib
import difflib
import io
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import openapi_diff

from scripts import generate_clients as clients

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "openapi" / "openapi.json"
SPEC_IN_GIT = "openapi/openapi.json"
ACCEPTED = ROOT / "openapi" / "BREAKING.md"
DEFAULT_BASE_REF = "HEAD~1"
HISTORY_FROM = (
    "4ada90f6125ea3f4133eebf940ab256d2fee5f51"  # the commit before the history check existed
)
_NOT_COMPARED = {"__pycache__", ".ruff_cache", ".mypy_cache", ".pytest_cache"}
MAX_DIFF_LINES = 40


@dataclass
class Outcome:
    ok: bool | None  # None: skipped
    detail: str = ""


@dataclass
class Result:
    name: str
    outcome: Outcome
    seconds: float


# -- helpers -------------------------------------------------------------------------------------


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def _short_diff(before: str, after: str, before_name: str, after_name: str) -> str:
    lines = list(
        difflib.unified_diff(
            before.splitlines(), after.splitlines(), before_name, after_name, lineterm="", n=2
        )
    )
    if len(lines) > MAX_DIFF_LINES:
        hidden = len(lines) - MAX_DIFF_LINES
        lines = [*lines[:MAX_DIFF_LINES], f"... ({hidden} more diff lines)"]
    return "\n".join(lines)


def _files(root: Path, names: Sequence[str] | None = None) -> dict[str, bytes]:
    """Relative path -> content of every file under `root` (or under its entries `names`)."""
    tops = [root / name for name in names] if names is not None else [root]
    found: dict[str, bytes] = {}
    for top in tops:
        candidates: Iterator[Path] = top.rglob("*") if top.is_dir() else iter([top])
        for path in candidates:
            relative = path.relative_to(root)
            if set(relative.parts) & _NOT_COMPARED or path.suffix == ".pyc" or not path.is_file():
                continue
            found[relative.as_posix()] = path.read_bytes()
    return found


def _compare(expected: dict[str, bytes], actual: dict[str, bytes], where: Path) -> Outcome:
    problems: list[str] = []
    diffs: list[str] = []
    for name in sorted(expected.keys() | actual.keys()):
        if name not in actual:
            problems.append(f"  missing:  {_shown(where / name)}")
        elif name not in expected:
            problems.append(f"  stale:    {_shown(where / name)} (no longer generated)")
        elif expected[name] != actual[name]:
            problems.append(f"  outdated: {_shown(where / name)}")
            if len(diffs) < 3:
                diffs.append(
                    _short_diff(
                        actual[name].decode(errors="replace"),
                        expected[name].decode(errors="replace"),
                        f"{name} (checked in)",
                        f"{name} (generated now)",
                    )
                )
    if not problems:
        return Outcome(True, f"{len(expected)} files match")
    hint = "Fix: scripts/generate-clients, then commit the result."
    detail = "\n".join([*problems, *diffs, hint])
    return Outcome(False, detail)


# -- checks --------------------------------------------------------------------------------------


def check_valid() -> Outcome:
    from openapi_spec_validator import validate

    try:
        validate(json.loads(SPEC.read_text(encoding="utf-8")))
    except Exception as error:  # the validator raises several unrelated types (e.g. a bad $ref)
        message = str(getattr(error, "message", error)).split(" within {")[0]  # not the whole doc
        shown = message if len(message) <= 300 else message[:300] + "..."
        return Outcome(False, f"{type(error).__name__}: {shown}")
    return Outcome(True)


def check_spec_fresh() -> Outcome:
    from scripts.export_openapi import render_spec

    committed = SPEC.read_text(encoding="utf-8") if SPEC.exists() else ""
    current = render_spec()
    if committed == current:
        return Outcome(True)
    diff = _short_diff(committed, current, f"{SPEC_IN_GIT} (checked in)", "generated from app/")
    return Outcome(False, f"{diff}\nFix: scripts/export-openapi, then scripts/generate-clients.")


def check_typescript_fresh() -> Outcome:
    with tempfile.TemporaryDirectory(prefix="co2check-ts-") as tmp:
        rendered = Path(tmp) / "client"
        clients.render_typescript(rendered)
        return _compare(
            _files(rendered), _files(clients.TYPESCRIPT_OUTPUT), clients.TYPESCRIPT_OUTPUT
        )


def check_python_fresh() -> Outcome:
    with tempfile.TemporaryDirectory(prefix="co2check-py-") as tmp:
        rendered = Path(tmp) / "client"
        clients.render_python(rendered)
        names = clients.python_generated_entries(rendered)
        return _compare(
            _files(rendered, names), _files(clients.PYTHON_DIR, names), clients.PYTHON_DIR
        )


def _git(*args: str, repo: Path = ROOT) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, check=False)


def _base_from_git(ref: str, into: Path, *, explicit: bool) -> Outcome | None:
    """Write the spec as of `ref` to `into`; else the outcome of a check that has no base."""
    if _git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").returncode != 0:
        if explicit:
            return Outcome(False, f"--base-ref {ref} is not a commit")
        return Outcome(None, f"skipped: no commit {ref} (first commit, or a shallow clone)")
    shown = _git("show", f"{ref}:{SPEC_IN_GIT}")
    if shown.returncode != 0:
        return Outcome(None, f"skipped: no {SPEC_IN_GIT} at {ref} (the spec's first commit)")
    into.write_bytes(shown.stdout)
    return None


def check_breaking(base_file: Path | None, base_ref: str | None) -> Outcome:
    """Against `base_file`, else the spec at `base_ref`, else at HEAD~1 (skipped when absent;
    an explicit `base_ref` that is not a commit fails instead)."""
    with tempfile.TemporaryDirectory(prefix="co2check-base-") as tmp:
        if base_file is not None:
            base, label = base_file, _shown(base_file)
        else:
            ref = base_ref or DEFAULT_BASE_REF
            base, label = Path(tmp) / "base.json", f"{ref}:{SPEC_IN_GIT}"
            no_base = _base_from_git(ref, base, explicit=base_ref is not None)
            if no_base is not None:
                return no_base
        argv = [str(base), str(SPEC)]
        if ACCEPTED.exists():
            argv += ["--accepted", str(ACCEPTED)]
        output = io.StringIO()
        with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
            try:
                code = openapi_diff.main(argv)
            except SystemExit as exit_:  # argparse
                code = exit_.code if isinstance(exit_.code, int) else 2
    report = output.getvalue().rstrip()
    heading = f"base {label}"
    if code == 0:
        return Outcome(True, f"{heading}\n{report}".rstrip())
    meaning = {1: "breaking changes", 2: "invalid input"}.get(code, f"exit code {code}")
    hint = "Accept a deliberate break in openapi/BREAKING.md (identifier: reason)."
    return Outcome(False, f"{heading}: {meaning}\n{report}\n{hint if code == 1 else ''}".rstrip())


def unrecorded_breaks_in_history(
    repo: Path, spec: str, accepted_file: str, since: str
) -> tuple[int, list[str]]:
    """Each commit after `since` that changed `spec`, against its parent and with the accepted
    list as of that commit (entries are deleted once released, so a later list no longer names
    them): (commits checked, one line per commit with unaccepted breaking changes)."""

    def git(*args: str) -> subprocess.CompletedProcess[bytes]:
        return _git(*args, repo=repo)

    listed = git("rev-list", "--reverse", f"{since}..HEAD", "--", spec)
    if listed.returncode != 0:
        return 0, [f"cannot list the commits after {since} (a shallow clone?)"]
    commits = listed.stdout.decode().split()
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="co2check-history-") as tmp:
        accepted_copy = Path(tmp) / "BREAKING.md"
        for commit in commits:
            before, after = git("show", f"{commit}~1:{spec}"), git("show", f"{commit}:{spec}")
            if before.returncode != 0 or after.returncode != 0:
                continue  # the spec's first commit (or one removing it): nothing to compare
            accepted_copy.write_bytes(git("show", f"{commit}:{accepted_file}").stdout)
            try:
                accepted = openapi_diff.load_accepted(accepted_copy)
                report = openapi_diff.compare(json.loads(before.stdout), json.loads(after.stdout))
            except (openapi_diff.SpecError, ValueError) as error:
                problems.append(f"{commit[:10]}: not comparable ({error})")
                continue
            unaccepted = report.unaccepted(accepted)
            if unaccepted:
                names = "; ".join(change.identifier for change in unaccepted)
                problems.append(f"{commit[:10]}: {names}")
    return len(commits), problems


def check_history() -> Outcome:
    checked, problems = unrecorded_breaks_in_history(
        ROOT, SPEC_IN_GIT, ACCEPTED.relative_to(ROOT).as_posix(), HISTORY_FROM
    )
    if not problems:
        return Outcome(True, f"{checked} spec changes after {HISTORY_FROM[:10]}")
    hint = (
        "Each commit lists its own deliberate breaks in openapi/BREAKING.md (identifier: reason)."
    )
    return Outcome(False, "\n".join([*problems, hint]))


# -- command line --------------------------------------------------------------------------------


def _timed(name: str, check: Callable[[], Outcome]) -> Result:
    started = time.monotonic()
    try:
        outcome = check()
    except clients.GenerationError as error:
        outcome = Outcome(False, str(error))
    return Result(name, outcome, time.monotonic() - started)


def _report(results: Sequence[Result]) -> None:
    marks = {True: "ok  ", False: "FAIL", None: "skip"}
    for result in results:
        if result.outcome.detail and result.outcome.ok is not True:
            print(f"\n== {result.name}\n{result.outcome.detail}")
    print("\nAPI contract checks:")
    for result in results:
        first = result.outcome.detail.splitlines()[0] if result.outcome.detail else ""
        note = f"  ({first})" if result.outcome.ok is not False and first else ""
        print(f"  {marks[result.outcome.ok]}  {result.name:<34} {result.seconds:5.1f}s{note}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="scripts/check-api",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    base = parser.add_mutually_exclusive_group()
    base.add_argument("--base", type=Path, help="base spec file for the breaking-change check")
    base.add_argument("--base-ref", help=f"git revision of the base ({DEFAULT_BASE_REF})")
    args = parser.parse_args(argv)

    if not SPEC.exists():
        print(f"{SPEC_IN_GIT} is missing: run scripts/export-openapi", file=sys.stderr)
        return 1
    results = [
        _timed("spec is valid OpenAPI", check_valid),
        _timed("spec matches the code", check_spec_fresh),
        _timed("TypeScript client matches spec", check_typescript_fresh),
        _timed("Python client matches spec", check_python_fresh),
        _timed("no unrecorded breaking change", lambda: check_breaking(args.base, args.base_ref)),
    ]
    if args.base is None and args.base_ref is None:
        results.append(_timed("... in each earlier spec change", check_history))
    _report(results)
    failed = [result.name for result in results if result.outcome.ok is False]
    print(f"\n{'FAILED: ' + ', '.join(failed) if failed else 'All API checks passed.'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
