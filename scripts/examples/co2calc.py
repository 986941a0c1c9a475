"""co2calc: the co2calculator API from a terminal, through the generated Python client only.

    export CO2CALC_BASE_URL=https://co2.example.org   # default http://127.0.0.1:8000
    export CO2CALC_API_KEY=co2k_...                    # co2calc api-key create --email you@...
    co2calc upload BIO-3 activities.csv                # progress bar, then row errors as a table
    co2calc report BIO-3 --year 2025 -o report.csv     # the yearly report as CSV
    co2calc factors list --category electricity --year 2025
    co2calc factors import factors.csv                 # admins; also: co2calc factors sync

LAB arguments take a lab's id or its code. Exit status: 0 done; 1 an error (refused request,
unreachable server, missing key: one line on stderr, never a traceback); 2 bad usage; 3 the job
ran and failed or was cancelled; 130 interrupted.

Every API call goes through `co2calculator_client` (clients/python, generated from the spec);
the one operation whose answer the generated client cannot parse (the report's `text/csv`
variant) still goes through the generated `AuthenticatedClient`, see `report`.
"""

import json
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from typing import Annotated, TypeVar
from uuid import UUID

import httpx
import typer
from co2calculator_client import AuthenticatedClient, Client, errors
from co2calculator_client.api.auth import login
from co2calculator_client.api.factors import list_factors
from co2calculator_client.api.imports import (
    get_import,
    get_import_status,
    sync_factors,
    upload_activities,
    upload_factors,
)
from co2calculator_client.api.labs import list_labs
from co2calculator_client.api.reports import get_lab_report
from co2calculator_client.api.users import create_my_api_key
from co2calculator_client.models import (
    ApiKeyCreate,
    BodyUploadActivities,
    BodyUploadFactors,
    ErrorPolicy,
    FactorCategory,
    FactorPublic,
    GetLabReportFormatType0,
    JobKind,
    JobPublic,
    JobState,
    JobStatus,
    LoginForm,
    ProblemDetails,
    TokenPair,
)
from co2calculator_client.types import UNSET, File, Response, Unset
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

API_KEY_ENV = "CO2CALC_API_KEY"
BASE_URL_ENV = "CO2CALC_BASE_URL"
DEFAULT_BASE_URL = "http://127.0.0.1:8000"
PASSWORD_ENV = "CO2CALC_PASSWORD"  # noqa: S105 (a variable name) only for `api-key create`
DEBUG_ENV = "CO2CALC_DEBUG"  # set to 1 to see a traceback instead of the one-line message

EXIT_ERROR = 1
EXIT_JOB_FAILED = 3
EXIT_INTERRUPTED = 130
ENDED = frozenset({JobState.SUCCEEDED, JobState.FAILED, JobState.CANCELLED})
PAGE_SIZE = 200  # the API's largest page
API_ANSWER_TYPES = frozenset({"application/json", "application/problem+json"})

T = TypeVar("T")

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

app = typer.Typer(
    name="co2calc",
    help="The co2calculator API from the command line (API key in $CO2CALC_API_KEY).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
factors_app = typer.Typer(help="Emission factors.", no_args_is_help=True)
app.add_typer(factors_app, name="factors")
api_key_app = typer.Typer(help="API keys for scripts.", no_args_is_help=True)
app.add_typer(api_key_app, name="api-key")


class Failure(Exception):
    """A reason to stop: one line for the user, and the exit status."""

    def __init__(self, message: str, exit_code: int = EXIT_ERROR) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@dataclass(frozen=True)
class Target:
    base_url: str
    timeout: float


# -- talking to the API --------------------------------------------------------------------------


def _refuse_foreign_answers(response: httpx.Response) -> None:
    """An error that is not problem+json did not come from the API (a proxy, a wrong URL)."""
    content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if response.status_code >= 400 and content_type not in API_ANSWER_TYPES:
        raise Failure(
            f"{response.request.url} answered HTTP {response.status_code} "
            f"{response.reason_phrase}, which is not an answer of the co2calculator API "
            f"(is {BASE_URL_ENV} right?)"
        )


def _httpx_args() -> dict[str, object]:
    return {"event_hooks": {"response": [_refuse_foreign_answers]}}


def _target(ctx: typer.Context) -> Target:
    target = ctx.find_root().obj
    assert isinstance(target, Target)
    return target


def _connect(ctx: typer.Context) -> AuthenticatedClient:
    """The generated client, authenticated with the API key from the environment."""
    key = os.environ.get(API_KEY_ENV, "").strip()
    if not key:
        raise Failure(
            f"{API_KEY_ENV} is not set: create a key with `co2calc api-key create --email "
            f"YOU` and export it"
        )
    target = _target(ctx)
    return AuthenticatedClient(
        base_url=target.base_url,
        token=key,
        prefix="",
        auth_header_name="X-API-Key",
        timeout=httpx.Timeout(target.timeout),
        raise_on_unexpected_status=True,
        httpx_args=_httpx_args(),
    )


def _problem_text(problem: ProblemDetails, retry_after: str | None = None) -> str:
    text = f"{problem.title} ({problem.status})"
    if isinstance(problem.detail, str) and problem.detail and problem.detail != problem.title:
        text += f": {problem.detail}"
    if isinstance(problem.errors, list) and problem.errors:
        fields = (f"{'.'.join(str(p) for p in e.loc)}: {e.msg}" for e in problem.errors)
        text += " [" + "; ".join(fields) + "]"
    if retry_after:
        text += f" (retry after {retry_after} s)"
    return text


def _parsed(response: Response[T | ProblemDetails]) -> T:
    """The typed answer, or a Failure with the problem+json text."""
    parsed = response.parsed
    if isinstance(parsed, ProblemDetails):
        raise Failure(_problem_text(parsed, response.headers.get("retry-after")))
    if parsed is None:  # only without raise_on_unexpected_status; kept for safety
        raise Failure(f"unexpected answer: HTTP {response.status_code}")
    return parsed


def _lab_id(client: AuthenticatedClient, lab: str) -> UUID:
    """A lab given by id or by code (resolved among the labs the caller can see)."""
    try:
        return UUID(lab)
    except ValueError:
        pass
    cursor: str | Unset = UNSET
    while True:
        page = _parsed(
            list_labs.sync_detailed(client=client, search=lab, limit=PAGE_SIZE, cursor=cursor)
        )
        for found in page.items:
            if found.code.casefold() == lab.casefold():
                return found.id
        if not isinstance(page.next_cursor, str):
            raise Failure(f"no lab with the code {lab!r} among the labs you can see")
        cursor = page.next_cursor


# -- imports -------------------------------------------------------------------------------------


def _follow(client: AuthenticatedClient, job_id: UUID, label: str, poll: float) -> JobStatus:
    """Poll the job's status with a progress bar (on stderr) until it ends."""
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("rows"),
        TimeElapsedColumn(),
    )
    try:
        with Progress(*columns, console=err) as progress:
            label = escape(label)  # a file name is not rich markup
            task = progress.add_task(label, total=None)
            while True:
                status = _parsed(get_import_status.sync_detailed(job_id, client=client))
                progress.update(
                    task,
                    description=f"{label}: {status.state}",
                    total=status.rows_total or None,
                    completed=status.rows_processed,
                )
                if status.state in ENDED:
                    return status
                time.sleep(poll)
    except KeyboardInterrupt:
        raise Failure(
            f"stopped waiting; import {job_id} goes on on the server "
            f"(`co2calc watch {job_id}` follows it again)",
            EXIT_INTERRUPTED,
        ) from None


def _row_error_table(job: JobPublic) -> Table:
    shown = len(job.row_errors)
    title = f"Row errors ({shown} of {job.row_errors_total})"
    table = Table(title=title, title_justify="left")
    table.add_column("Row", justify="right")
    table.add_column("Column")
    table.add_column("Error", overflow="fold")
    for error in job.row_errors:
        column = error.column if isinstance(error.column, str) else ""
        table.add_row(str(error.row), Text(column), Text(error.message))
    return table


JOB_NAMES = {
    JobKind.ACTIVITIES: "Import",
    JobKind.FACTORS: "Factor import",
    JobKind.FACTOR_SYNC: "Factor sync",
    JobKind.RECALCULATE: "Recalculation",
}


def _finish(client: AuthenticatedClient, job_id: UUID) -> None:
    """Print how the job ended, with its row errors; a failed job is exit status 3."""
    job = _parsed(get_import.sync_detailed(job_id, client=client))
    name = JOB_NAMES.get(job.target_type, "Job")
    if job.row_errors:
        out.print(_row_error_table(job))
    if job.state == JobState.SUCCEEDED:
        line = f"{name} {job.id} succeeded: {job.rows_ok} of {job.rows_total} rows imported"
        if job.rows_failed:
            line += f", {job.rows_failed} skipped"
        out.print(line, markup=False, soft_wrap=True)
        return
    if job.state == JobState.CANCELLED:
        raise Failure(
            f"{name.lower()} {job.id} was cancelled; nothing was imported", EXIT_JOB_FAILED
        )
    reason = job.message or f"{job.rows_failed} of {job.rows_total} rows are invalid"
    raise Failure(f"{name.lower()} {job.id} failed: {reason}", EXIT_JOB_FAILED)


def _run_job(
    client: AuthenticatedClient,
    response: Response[JobPublic | ProblemDetails],
    label: str,
    poll: float,
) -> None:
    """Wait for a job the server accepted (202), then print how it ended."""
    job = _parsed(response)
    _follow(client, job.id, label, poll)
    _finish(client, job.id)


PollOption = Annotated[float, typer.Option(min=0.05, help="Seconds between status checks.")]
OnErrorOption = Annotated[
    ErrorPolicy,
    typer.Option(help="fail: any bad row fails the job; skip: import the valid rows."),
]


@app.command()
def upload(
    ctx: typer.Context,
    lab: Annotated[str, typer.Argument(help="The lab's id or code.")],
    file: Annotated[
        Path,
        typer.Argument(exists=True, dir_okay=False, readable=True, help="An activities CSV."),
    ],
    on_error: OnErrorOption = ErrorPolicy.FAIL,
    poll: PollOption = 0.5,
) -> None:
    """Upload an activities CSV to a lab and wait for the import to end."""
    with _connect(ctx) as client:
        lab_id = _lab_id(client, lab)
        with file.open("rb") as payload:
            body = BodyUploadActivities(
                file=File(payload=payload, file_name=file.name, mime_type="text/csv")
            )
            response = upload_activities.sync_detailed(
                lab_id, client=client, body=body, on_error=on_error
            )
        _run_job(client, response, f"Importing {file.name}", poll)


@app.command()
def watch(
    ctx: typer.Context,
    job_id: Annotated[UUID, typer.Argument(help="The import's id.")],
    poll: PollOption = 0.5,
) -> None:
    """Follow an import that is already queued or running until it ends."""
    with _connect(ctx) as client:
        _follow(client, job_id, f"Import {job_id}", poll)
        _finish(client, job_id)


# -- reports -------------------------------------------------------------------------------------


@app.command()
def report(
    ctx: typer.Context,
    lab: Annotated[str, typer.Argument(help="The lab's id or code.")],
    year: Annotated[int | None, typer.Option(help="Default: the current year.")] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", dir_okay=False, help="Write here (default: stdout)."),
    ] = None,
) -> None:
    """Export a lab's yearly report as CSV."""
    with _connect(ctx) as client:
        lab_id = _lab_id(client, lab)
        # openapi-python-client types only the JSON variant of a 200 (LabReport), so
        # `get_lab_report.sync(format_=CSV)` would try to parse CSV as JSON. We take the request
        # the generated module builds, send it with the generated client's own httpx client
        # (same base URL, key, timeout, hooks) and read the CSV ourselves; any other answer is
        # parsed by the generated code into its typed ProblemDetails.
        request = get_lab_report._get_kwargs(lab_id, year=year, format_=GetLabReportFormatType0.CSV)
        response = client.get_httpx_client().request(**request)
        if response.status_code != httpx.codes.OK:
            _parsed(get_lab_report._build_response(client=client, response=response))
        if output is None:
            sys.stdout.buffer.write(response.content)
            sys.stdout.buffer.flush()
            return
        output.write_bytes(response.content)
        err.print(f"Wrote {output} ({len(response.content)} bytes)", markup=False)


# -- factors -------------------------------------------------------------------------------------


def _factor_table(factors: list[FactorPublic]) -> Table:
    table = Table()
    table.add_column("Key", no_wrap=True)  # keys are what one copies: never cut
    for name in ("Category", "Unit", "kg CO2e", "Scope", "Year", "Region", "Source"):
        numeric = name in ("kg CO2e", "Scope")
        table.add_column(name, justify="right" if numeric else "left", overflow="fold")
    for factor in factors:
        region = factor.region if isinstance(factor.region, str) else ""
        source = factor.source if isinstance(factor.source, str) else ""
        cells = [factor.key, str(factor.category), factor.unit, factor.kg_co2e_per_unit]
        cells += [str(factor.scope), str(factor.year), region, source]
        table.add_row(*(Text(cell) for cell in cells))  # data, not rich markup
    return table


@factors_app.command("list")
def factors_list(
    ctx: typer.Context,
    category: Annotated[FactorCategory | None, typer.Option(help="Only this category.")] = None,
    year: Annotated[int | None, typer.Option(help="Only factors valid in this year.")] = None,
    region: Annotated[str | None, typer.Option(help="Only this region (e.g. CH).")] = None,
    search: Annotated[str | None, typer.Option(help="Text in the key or source.")] = None,
    limit: Annotated[
        int | None, typer.Option(min=1, help="At most this many (default: all).")
    ] = None,
) -> None:
    """List emission factors (every page), as a table."""
    factors: list[FactorPublic] = []
    with _connect(ctx) as client:
        cursor: str | Unset = UNSET
        while limit is None or len(factors) < limit:
            page = _parsed(
                list_factors.sync_detailed(
                    client=client,
                    limit=PAGE_SIZE if limit is None else min(PAGE_SIZE, limit - len(factors)),
                    cursor=cursor,
                    category=category,
                    year=year,
                    region=region,
                    search=search,
                )
            )
            factors.extend(page.items)
            if not isinstance(page.next_cursor, str):
                break
            cursor = page.next_cursor
    if not factors:
        err.print("No factors match.")
        return
    out.print(_factor_table(factors))
    err.print(f"{len(factors)} factor{'s' if len(factors) != 1 else ''}")


@factors_app.command("import")
def factors_import(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(exists=True, dir_okay=False, readable=True, help="A factors CSV."),
    ],
    on_error: OnErrorOption = ErrorPolicy.FAIL,
    poll: PollOption = 0.5,
) -> None:
    """Upload a factors CSV (admins) and wait for the import to end."""
    with _connect(ctx) as client, file.open("rb") as payload:
        body = BodyUploadFactors(
            file=File(payload=payload, file_name=file.name, mime_type="text/csv")
        )
        response = upload_factors.sync_detailed(client=client, body=body, on_error=on_error)
        _run_job(client, response, f"Importing {file.name}", poll)


@factors_app.command("sync")
def factors_sync(
    ctx: typer.Context,
    on_error: OnErrorOption = ErrorPolicy.FAIL,
    poll: PollOption = 0.5,
) -> None:
    """Import the factors CSV the server fetches from its FACTOR_SYNC_URL (admins)."""
    with _connect(ctx) as client:
        response = sync_factors.sync_detailed(client=client, on_error=on_error)
        _run_job(client, response, "Syncing factors", poll)


# -- API keys ------------------------------------------------------------------------------------


@api_key_app.command("create")
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
    target = _target(ctx)
    timeout = httpx.Timeout(target.timeout)
    with Client(
        base_url=target.base_url,
        timeout=timeout,
        raise_on_unexpected_status=True,
        httpx_args=_httpx_args(),
    ) as anonymous:
        form = LoginForm(username=email, password=password)
        tokens: TokenPair = _parsed(login.sync_detailed(client=anonymous, body=form))
    with AuthenticatedClient(
        base_url=target.base_url,
        token=tokens.access_token,
        timeout=timeout,
        raise_on_unexpected_status=True,
        httpx_args=_httpx_args(),
    ) as client:
        created = _parsed(
            create_my_api_key.sync_detailed(client=client, body=ApiKeyCreate(name=name))
        )
    print(created.key)
    err.print(f"Created API key {created.name!r} ({created.prefix}…); export {API_KEY_ENV}=<it>")


def _read_password() -> str:
    if sys.stdin.isatty():
        return str(typer.prompt("Password", hide_input=True, err=True))
    return sys.stdin.readline().rstrip("\r\n")  # piped: no prompt, no echo warning


# -- entry point ---------------------------------------------------------------------------------


def _base_url(value: str) -> str:
    if not value.startswith(("http://", "https://")):
        raise typer.BadParameter(f"{value!r} is not an http:// or https:// URL")
    return value.rstrip("/")


@app.callback()
def configure(
    ctx: typer.Context,
    base_url: Annotated[
        str,
        typer.Option(envvar=BASE_URL_ENV, callback=_base_url, help="The server."),
    ] = DEFAULT_BASE_URL,
    timeout: Annotated[float, typer.Option(min=1, help="Seconds per request.")] = 60.0,
) -> None:
    ctx.obj = Target(base_url=base_url, timeout=timeout)


@contextmanager
def _one_line_errors() -> Iterator[None]:
    """Every failure ends as `co2calc: <reason>` on stderr and a non-zero exit status."""
    try:
        yield
    except Failure as failure:
        _exit(str(failure), failure.exit_code)
    except errors.UnexpectedStatus as error:  # a status the spec does not declare there
        _exit(_unexpected_status_text(error))
    except httpx.TimeoutException as error:
        _exit(f"no answer from {_where(error)} in time ({error or 'timeout'}); try --timeout")
    except httpx.TransportError as error:
        _exit(f"cannot reach {_where(error)}: {error}")
    except OSError as error:  # e.g. the report's output file cannot be written
        _exit(f"{error.strerror or error}: {error.filename or ''}".rstrip(": "))
    except Exception as error:
        if os.environ.get(DEBUG_ENV):
            raise
        text = " ".join(str(error).split())  # one line
        _exit(f"unexpected error ({type(error).__name__}: {text}); {DEBUG_ENV}=1 shows more")


def _unexpected_status_text(error: errors.UnexpectedStatus) -> str:
    try:
        problem = ProblemDetails.from_dict(json.loads(error.content))
    except (ValueError, KeyError, TypeError):
        phrase = HTTPStatus(error.status_code).phrase if error.status_code in _STATUSES else ""
        return f"unexpected answer HTTP {error.status_code} {phrase}".rstrip()
    return _problem_text(problem)


_STATUSES = frozenset(status.value for status in HTTPStatus)


def _where(error: httpx.RequestError) -> str:
    try:
        url = error.request.url
    except RuntimeError:
        return "the server"
    return f"{url.scheme}://{url.netloc.decode()}"


def _exit(message: str, code: int = EXIT_ERROR) -> None:
    err.print(f"co2calc: {message}", markup=False, soft_wrap=True)
    raise SystemExit(code)


def main() -> None:
    with _one_line_errors():
        app(prog_name="co2calc")


if __name__ == "__main__":
    main()
