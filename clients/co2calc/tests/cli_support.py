"""Running the `co2calc` command as a user would, and reading what the server holds afterwards.

The command is the `co2calc` console script installed next to the running Python (the dev
environment installs clients/co2calc editable), or `CO2CALC_TEST_COMMAND` (e.g. the path of a
`uv tool install`ed co2calc). Its environment puts the checkout's generated client first on
PYTHONPATH, so a client regenerated since the last install is the one tested.
"""

import os
import secrets
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

from co2calculator_client import AuthenticatedClient, Client
from co2calculator_client.api.auth import login
from co2calculator_client.api.entries import list_lab_entries
from co2calculator_client.api.factors import list_factors
from co2calculator_client.api.imports import list_lab_imports
from co2calculator_client.api.labs import add_lab_member
from co2calculator_client.api.users import create_my_api_key, create_user
from co2calculator_client.models import (
    ApiKeyCreate,
    ApiKeyCreated,
    EntryPage,
    FactorPage,
    JobPage,
    JobStatus,
    LabRole,
    LoginForm,
    MemberCreate,
    MemberPublic,
    TokenPair,
    UserCreate,
    UserPublic,
)

REPOSITORY = Path(__file__).resolve().parents[3]
CLIENT_PACKAGE = REPOSITORY / "clients" / "python"
MISSING = "00000000-0000-4000-8000-000000000000"  # an id nothing has
FACTORS_HEADER = "key,category,unit,kg_co2e_per_unit,scope,year,region,source\n"


def command() -> list[str]:
    """The co2calc command under test."""
    chosen = os.environ.get("CO2CALC_TEST_COMMAND")
    return shlex.split(chosen) if chosen else [str(Path(sys.executable).parent / "co2calc")]


@dataclass(frozen=True)
class Live:
    """Where the server is, and the admin account the harness seeded on it."""

    base_url: str
    admin_email: str
    admin_password: str


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


@dataclass(frozen=True)
class Lab:
    id: UUID
    code: str
    factor_key: str


def co2calc(
    live: Live,
    *args: str,
    key: str | None,
    base_url: str | None = None,
    stdin: str = "",
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> Run:
    """Run the command line in its own process; an error must be one line, never a traceback."""
    done = subprocess.run(
        [*command(), *args],
        env=cli_environment(base_url or live.base_url, key, env),
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "Traceback" not in done.stderr, done.stderr
    return Run(done.returncode, done.stdout, done.stderr)


def cli_environment(
    base_url: str, key: str | None, extra: dict[str, str] | None = None
) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CO2CALC_")}
    environment["PYTHONPATH"] = str(CLIENT_PACKAGE)
    environment["CO2CALC_BASE_URL"] = base_url
    environment["COLUMNS"] = "200"  # rich tables: one line per row
    if key is not None:
        environment["CO2CALC_API_KEY"] = key
    environment.update(extra or {})
    return environment


def error_line(run: Run) -> str:
    """The one `co2calc: …` line of a failed run."""
    lines = [line for line in run.err.splitlines() if line.startswith("co2calc: ")]
    assert len(lines) == 1, run.err
    return lines[0]


def write_csv(tmp_path: Path, text: str, name: str = "activities.csv") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


# -- what the server holds -----------------------------------------------------------------------


def entries_of(client: AuthenticatedClient, lab: Lab) -> list[str]:
    page = list_lab_entries.sync(lab.id, client=client, limit=200)
    assert isinstance(page, EntryPage)
    return sorted(entry.kg_co2e for entry in page.items)


def imports_of_lab(client: AuthenticatedClient, lab: Lab) -> list[JobStatus]:
    page = list_lab_imports.sync(lab.id, client=client)
    assert isinstance(page, JobPage)
    return page.items


def imports_of(client: AuthenticatedClient, lab: Lab) -> int:
    return len(imports_of_lab(client, lab))


def factors_like(client: AuthenticatedClient, text: str) -> list[tuple[str, str, int]]:
    page = list_factors.sync(client=client, search=text, limit=200)
    assert isinstance(page, FactorPage), page
    return sorted((f.key, f.kg_co2e_per_unit, f.year) for f in page.items)


# -- accounts and keys ---------------------------------------------------------------------------


def new_password() -> str:
    """Random, and always valid: all letters (1 in ~100 draws) would be refused."""
    return secrets.token_urlsafe(16) + "-7"


def new_user(admin_client: AuthenticatedClient) -> tuple[str, str]:
    """A new account's email and password."""
    email = f"cli-{secrets.token_hex(4)}@example.com"
    password = new_password()
    user = create_user.sync(client=admin_client, body=UserCreate(email=email, password=password))
    assert isinstance(user, UserPublic), user
    return email, password


def sign_in(live: Live, email: str, password: str) -> str:
    """An access token of the account (logins are rate limited per account: sign in once)."""
    with Client(base_url=live.base_url) as anonymous:
        tokens = login.sync(client=anonymous, body=LoginForm(username=email, password=password))
    assert isinstance(tokens, TokenPair), tokens
    return tokens.access_token


def api_key_with(live: Live, access_token: str, name: str = "co2calc tests") -> str:
    """A new API key of the signed-in account."""
    with AuthenticatedClient(base_url=live.base_url, token=access_token) as client:
        created = create_my_api_key.sync(client=client, body=ApiKeyCreate(name=name))
    assert isinstance(created, ApiKeyCreated), created
    return created.key


def key_of_new_member(
    live: Live, admin_client: AuthenticatedClient, lab: Lab, role: LabRole
) -> str:
    """A new account with `role` in the lab, and an API key of its own."""
    email, password = new_user(admin_client)
    member = MemberCreate(email=email, role=role)
    assert isinstance(add_lab_member.sync(lab.id, client=admin_client, body=member), MemberPublic)
    return api_key_with(live, sign_in(live, email, password), name=str(role))
