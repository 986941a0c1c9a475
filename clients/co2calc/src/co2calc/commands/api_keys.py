"""`co2calc api-key create`: sign in once and create an API key for scripts."""

import os
import sys
from typing import Annotated

import typer
from co2calculator_client.api.auth import login
from co2calculator_client.api.users import create_my_api_key
from co2calculator_client.models import ApiKeyCreate, ApiKeyCreated, LoginForm

from co2calc.answers import parsed
from co2calc.config import API_KEY_ENV, PASSWORD_ENV, Target, anonymous, signed_in, target_of
from co2calc.output import err

app = typer.Typer(help="API keys for scripts.", no_args_is_help=True)


@app.command("create")
def api_key_create(
    ctx: typer.Context,
    email: Annotated[str, typer.Option(help="Your account's email.")],
    name: Annotated[str, typer.Option(help="What the key is for.")] = "co2calc",
) -> None:
    """Sign in and create an API key; prints the key (shown once) on stdout.

    The password is read from $CO2CALC_PASSWORD, else asked for (on stderr, so that
    `export CO2CALC_API_KEY=$(co2calc api-key create --email …)` works), else read from a
    piped stdin.
    """
    password = os.environ.get(PASSWORD_ENV) or _read_password()
    created = _create_key(target_of(ctx), email, password, name)
    sys.stdout.write(created.key + "\n")
    err.print(f"Created API key {created.name!r} ({created.prefix}…); export {API_KEY_ENV}=<it>")


def _create_key(target: Target, email: str, password: str, name: str) -> ApiKeyCreated:
    with anonymous(target) as client:
        form = LoginForm(username=email, password=password)
        tokens = parsed(login.sync_detailed(client=client, body=form))
    with signed_in(target, tokens.access_token) as client:
        body = ApiKeyCreate(name=name)
        return parsed(create_my_api_key.sync_detailed(client=client, body=body))


def _read_password() -> str:
    if sys.stdin.isatty():
        return str(typer.prompt("Password", hide_input=True, err=True))
    return sys.stdin.readline().rstrip("\r\n")  # piped: no prompt, no echo warning
