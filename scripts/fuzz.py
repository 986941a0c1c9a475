"""Fuzz every operation of the committed spec against a live server with schemathesis.

    python -m scripts.fuzz                  # the CI run (fixed seed and budget)
    python -m scripts.fuzz -- -n 200        # extra arguments go to `schemathesis run`

A throwaway server (`scripts.live_server`: fresh embedded database, migrations, uvicorn on a free
loopback port) is started. The seeded admin signs in, sets a known password, creates an API key
for the run, a second account and an emission factor (`prepare`). The API key authenticates every
request, in the `X-API-Key` header the spec declares: a key, not a login session, so neither a
fuzzed `logout` (it ends login sessions) nor a password change (it ends the other sessions) ends
the run's own credential, and `scripts/fuzz_hooks.py` keeps `revokeMyApiKey` off that one key.
Then `schemathesis run` goes over `openapi/openapi.json` (which `scripts/check-api` proves equal
to what the app exports) with every check, positive and negative data, and all four phases
(examples, coverage, fuzzing, and stateful, which follows the spec's OpenAPI links: create a lab,
then read, change, fill and delete it), with a fixed seed.
`scripts/fuzz_hooks.py` gives positive cases the few values no JSON Schema can describe (an
existing account, a real factor, a CSV file...) and keeps the run's own fixtures from being
deactivated or deleted; its docstring lists each one and why.

A second schemathesis pass, on the same server, runs only the stateful phase for
`STATEFUL_SECONDS`: one pass of its state machine stops after about 20 scenarios.

The run fails when schemathesis reports any failure, when no test case ran, when an operation
answered only 401/403 (schemathesis' `missing_auth` warning, made an error: a run whose credential
died would otherwise pass while testing nothing), when the run's API key no longer works at the
end, or when the server logged an error (a 500 or a failed background job). The number of test
cases and the stateful phase's links are printed.

No check is excluded; three operations are (`NOT_FUZZED`). refreshBrowserSession answers only
401 without the HttpOnly refresh cookie a browser holds, which the run cannot send
(tests/integration/test_browser_session.py covers it). getTarget and deleteTarget: a lab's
reduction target is an optional singleton under the lab, absent (404) until a PUT and after a
DELETE; the stateful phase's inferred links read a GET of it after POST /labs as the lab itself
(ST302 on the 404) and a GET of its progress after DELETE as the lab's deletion (ST301 on the
200). tests/integration/test_targets.py covers both. (`allow_header_conformance` used to fail:
Starlette's 405 listed only the methods of the one route it matched; `app/core/errors.py` now
answers with every documented one.)
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from scripts.live_server import LiveServer, live_server

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "openapi" / "openapi.json"
SEED = 20261201
# Set on the throwaway admin for the run (changeMyPassword needs the current one).
ADMIN_PASSWORD = "fuzz-Admin-2026!"  # noqa: S105 - a throwaway account on a throwaway server
MAX_EXAMPLES = 20
# One pass of schemathesis' state machine runs about 20 scenarios whatever `--max-examples` says;
# a second, stateful-only pass with a time budget runs about 270 (45 s), covering 69 of 176 links
# instead of 8.
STATEFUL_SECONDS = 45
WORKERS = 2
_CASES = re.compile(r"Test cases:\s*\n?\s*(\d+)\s+generated", re.MULTILINE)
_LINKS = re.compile(r"API Links:\s*(.+)")
# schemathesis' configuration: an operation that answered only 401/403 fails the run.
NOT_FUZZED = ("getTarget", "deleteTarget", "refreshBrowserSession")  # see the docstring
CONFIG = """\
[warnings]
fail-on = ["missing_auth"]
"""


@dataclass(frozen=True)
class RunData:
    """What the run creates before fuzzing, through the API as the seeded admin."""

    api_key: str
    api_key_id: str
    admin_id: str
    admin_password: str
    member_id: str
    member_email: str
    factor: dict[str, str]

    def env(self) -> dict[str, str]:
        """For `scripts.fuzz_hooks` (positive cases that need an existing account or factor)."""
        return {
            "CO2CALC_FUZZ_API_KEY_ID": self.api_key_id,
            "CO2CALC_FUZZ_ADMIN_ID": self.admin_id,
            "CO2CALC_FUZZ_ADMIN_PASSWORD": self.admin_password,
            "CO2CALC_FUZZ_MEMBER_ID": self.member_id,
            "CO2CALC_FUZZ_MEMBER_EMAIL": self.member_email,
            "CO2CALC_FUZZ_FACTOR_ID": self.factor["id"],
            "CO2CALC_FUZZ_FACTOR_KEY": self.factor["key"],
            "CO2CALC_FUZZ_FACTOR_YEAR": self.factor["year"],
            "CO2CALC_FUZZ_FACTOR_UNIT": self.factor["unit"],
        }


def prepare(server: LiveServer) -> RunData:
    """Sign in as the admin; set a known strong password (for changeMyPassword), create the run's
    API key, a second account and a factor."""
    factor = {"key": "electricity.fuzz", "year": "2025", "unit": "kWh"}
    member_email = "member@example.com"
    with httpx.Client(base_url=server.base_url, timeout=30) as client:

        def call(method: str, path: str, **kwargs: Any) -> Any:
            response = client.request(method, path, **kwargs)
            response.raise_for_status()
            return response.json() if response.content else None

        credentials = {"username": server.admin.email, "password": server.admin.password}
        tokens = call("POST", "/api/v1/auth/login", data=credentials)
        client.headers["Authorization"] = f"Bearer {tokens['access_token']}"
        change = {"current_password": server.admin.password, "new_password": ADMIN_PASSWORD}
        call("POST", "/api/v1/users/me/password", json=change)
        admin_id = call("GET", "/api/v1/users/me")["id"]
        api_key = call("POST", "/api/v1/users/me/api-keys", json={"name": "schemathesis run"})
        member = {"email": member_email, "password": ADMIN_PASSWORD, "full_name": "Member"}
        member_id = call("POST", "/api/v1/users", json=member)["id"]
        created = call(
            "POST",
            "/api/v1/factors",
            json={
                **factor,
                "year": int(factor["year"]),
                "category": "electricity",
                "kg_co2e_per_unit": "0.125",
                "scope": 2,
                "source": "scripts/fuzz",
            },
        )
    return RunData(
        api_key=str(api_key["key"]),
        api_key_id=str(api_key["id"]),
        admin_id=str(admin_id),
        admin_password=ADMIN_PASSWORD,
        member_id=str(member_id),
        member_email=member_email,
        factor={**factor, "id": str(created["id"])},
    )


def schemathesis_command(
    base_url: str, api_key: str, extra: Sequence[str], config: Path
) -> list[str]:
    return [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "--config-file",
        str(config),
        "run",
        str(SPEC),
        "--url",
        base_url,
        "--header",
        f"X-API-Key: {api_key}",
        "--checks",
        "all",
        *(part for operation in NOT_FUZZED for part in ("--exclude-operation-id", operation)),
        "--mode",
        "all",
        "--phases",
        "examples,coverage,fuzzing,stateful",
        "--max-examples",
        str(MAX_EXAMPLES),
        "--workers",
        str(WORKERS),
        "--seed",
        str(SEED),
        "--generation-database",
        "none",
        # Default 10 s; a CI machine under load must not turn a slow answer into a failure.
        "--request-timeout",
        "60",
        "--no-color",
        *extra,
    ]


def case_count(output: str) -> int | None:
    match = _CASES.search(output)
    return int(match.group(1)) if match else None


def links_summary(output: str) -> str | None:
    """The stateful phase's `covered / selected / total` links, as schemathesis printed them."""
    match = _LINKS.search(output)
    return match.group(1).strip() if match else None


def credential_works(base_url: str, api_key: str) -> bool:
    """Whether the run's API key still authenticates (nothing the fuzzer did ended it)."""
    with httpx.Client(base_url=base_url, timeout=30) as client:
        return client.get("/api/v1/users/me", headers={"X-API-Key": api_key}).status_code == 200


def _run(command: Sequence[str], env: dict[str, str]) -> tuple[int, str]:
    """Run schemathesis, echoing its output as it comes; its exit code and the whole output."""
    lines: list[str] = []
    with subprocess.Popen(
        command,
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    ) as process:
        assert process.stdout is not None
        for line in process.stdout:
            print(line, end="", flush=True)
            lines.append(line)
    return process.returncode, "".join(lines)


# CPython 3.11.7's parser can raise this for valid source, depending on the C stack depth at the
# call (python/cpython gh-106905, fixed in 3.11.8 and 3.12.1); Hypothesis hits it when it parses
# schemathesis's own modules to describe a filter. Seen once in CI (2026-12-03): a "Runtime Error"
# of the tool, not a finding.
CPYTHON_PARSER_BUG = "AST constructor recursion depth mismatch"


def only_the_parser_bug(output: str) -> bool:
    """Whether a failed schemathesis run's only trouble was the CPython parser bug: its output
    names the bug and reports no failed check (schemathesis marks those with ❌)."""
    return CPYTHON_PARSER_BUG in output and "❌" not in output


def _run_once_more_after_the_parser_bug(
    command: Sequence[str], env: dict[str, str]
) -> tuple[int, str]:
    code, output = _run(command, env)
    if code != 0 and only_the_parser_bug(output):
        print(
            f"schemathesis crashed on the CPython 3.11.7 parser bug ({CPYTHON_PARSER_BUG!r}), "
            "with no failed check: running this pass once more",
            flush=True,
        )
        code, output = _run(command, env)
    return code, output


def server_errors(log: str) -> list[str]:
    """Errors the server logged (a 500, or a failure in a background job) during the run."""
    return [line for line in log.splitlines() if "[error" in line or "Traceback" in line]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/fuzz", description=__doc__.splitlines()[0])
    parser.add_argument("--server-log", type=Path, help="keep the server's output in this file")
    parser.add_argument("extra", nargs=argparse.REMAINDER, help="-- SCHEMATHESIS ARGS...")
    args = parser.parse_args(argv)
    extra = args.extra[1:] if args.extra[:1] == ["--"] else args.extra
    with tempfile.TemporaryDirectory(prefix="co2fuzz-") as scratch:
        server_log = args.server_log or Path(scratch) / "server.log"
        config = Path(scratch) / "schemathesis.toml"
        config.write_text(CONFIG)
        with live_server(server_log=server_log) as server:
            data = prepare(server)
            print(f"fuzzing {SPEC.relative_to(ROOT)} against {server.base_url}", flush=True)
            env = {**data.env(), "SCHEMATHESIS_HOOKS": "scripts.fuzz_hooks"}
            runs = []
            for more in ((), ("--phases", "stateful", "--max-time", str(STATEFUL_SECONDS))):
                command = schemathesis_command(
                    server.base_url, data.api_key, [*more, *extra], config
                )
                runs.append(_run_once_more_after_the_parser_bug(command, env))
            still_authenticated = credential_works(server.base_url, data.api_key)
        log = server_log.read_text(errors="replace") if server_log.exists() else ""
        status = next((code for code, _ in runs if code != 0), 0)
        counts = [case_count(output) for _, output in runs]
        cases = sum(count or 0 for count in counts) if None not in counts else None
        errors = server_errors(log)
        print(
            f"schemathesis: {cases if cases is not None else 'unknown number of'} test cases "
            f"(all phases: {counts[0]}, stateful pass: {counts[1]}), stateful links "
            f"{links_summary(runs[1][1]) or 'unknown'}, exit code {status}; server errors "
            f"logged: {len(errors)}; run's API key still valid: "
            f"{'yes' if still_authenticated else 'NO'}",
            flush=True,
        )
        if status == 0 and not cases:
            print("no test case ran: that is a failure", file=sys.stderr)
            status = 1
        if not still_authenticated:
            print("the run's API key stopped working during the run", file=sys.stderr)
            status = status or 1
        if errors:
            print("the server logged errors:\n" + "\n".join(errors[:20]), file=sys.stderr)
            status = status or 1
        if status != 0:
            print(f"--- server log (tail) ---\n{_tail(log)}", file=sys.stderr)
        return status


def _tail(log: str, lines: int = 60) -> str:
    return "\n".join(log.splitlines()[-lines:])


if __name__ == "__main__":
    sys.exit(main())
