"""The `co2calc` command: global options, the commands of each area, and the entry point."""

from typing import Annotated

import typer

from co2calc.commands import api_keys, audit, factors, imports, reports
from co2calc.config import BASE_URL_ENV, DEFAULT_BASE_URL, DEFAULT_TIMEOUT, Target, checked_base_url
from co2calc.failures import one_line_errors

app = typer.Typer(
    name="co2calc",
    help="The co2calculator API from the command line (API key in $CO2CALC_API_KEY).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command()(imports.upload)
app.command()(imports.watch)
app.command()(reports.report)
app.command()(audit.audit)
app.add_typer(factors.app, name="factors")
app.add_typer(api_keys.app, name="api-key")


@app.callback()
def configure(
    ctx: typer.Context,
    base_url: Annotated[
        str,
        typer.Option(envvar=BASE_URL_ENV, callback=checked_base_url, help="The server."),
    ] = DEFAULT_BASE_URL,
    timeout: Annotated[float, typer.Option(min=1, help="Seconds per request.")] = DEFAULT_TIMEOUT,
) -> None:
    ctx.obj = Target(base_url=base_url, timeout=timeout)


def main() -> None:
    """The console script `co2calc` (and `python -m co2calc`)."""
    with one_line_errors():
        app(prog_name="co2calc")
