"""`co2calc factors list|import|sync`: emission factors."""

from dataclasses import dataclass
from typing import Annotated

import typer
from co2calculator_client import AuthenticatedClient
from co2calculator_client.api.factors import list_factors
from co2calculator_client.api.imports import sync_factors, upload_factors
from co2calculator_client.models import BodyUploadFactors, ErrorPolicy, FactorCategory, FactorPublic
from co2calculator_client.types import UNSET, File, Unset

from co2calc.answers import PAGE_SIZE, parsed
from co2calc.commands.options import FactorsCsv, OnErrorOption, PollOption
from co2calc.config import connect
from co2calc.jobs import run_job
from co2calc.output import err, factor_table, out, plural

app = typer.Typer(help="Emission factors.", no_args_is_help=True)


@app.command("list")
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
    filters = _Filters(category=category, year=year, region=region, search=search)
    with connect(ctx) as client:
        factors = _every_page(client, filters, limit)
    if not factors:
        err.print("No factors match.")
        return
    out.print(factor_table(factors))
    err.print(plural(len(factors), "factor"))


@dataclass(frozen=True)
class _Filters:
    category: FactorCategory | None
    year: int | None
    region: str | None
    search: str | None


def _every_page(
    client: AuthenticatedClient, filters: _Filters, limit: int | None
) -> list[FactorPublic]:
    factors: list[FactorPublic] = []
    cursor: str | Unset = UNSET
    while limit is None or len(factors) < limit:
        size = PAGE_SIZE if limit is None else min(PAGE_SIZE, limit - len(factors))
        page = parsed(
            list_factors.sync_detailed(
                client=client,
                limit=size,
                cursor=cursor,
                category=filters.category,
                year=filters.year,
                region=filters.region,
                search=filters.search,
            )
        )
        factors.extend(page.items)
        if not isinstance(page.next_cursor, str):
            break
        cursor = page.next_cursor
    return factors


@app.command("import")
def factors_import(
    ctx: typer.Context,
    file: FactorsCsv,
    on_error: OnErrorOption = ErrorPolicy.FAIL,
    poll: PollOption = 0.5,
) -> None:
    """Upload a factors CSV (admins) and wait for the import to end."""
    with connect(ctx) as client, file.open("rb") as payload:
        body = BodyUploadFactors(
            file=File(payload=payload, file_name=file.name, mime_type="text/csv")
        )
        response = upload_factors.sync_detailed(client=client, body=body, on_error=on_error)
        run_job(client, response, f"Importing {file.name}", poll)


@app.command("sync")
def factors_sync(
    ctx: typer.Context,
    on_error: OnErrorOption = ErrorPolicy.FAIL,
    poll: PollOption = 0.5,
) -> None:
    """Import the factors CSV the server fetches from its FACTOR_SYNC_URL (admins)."""
    with connect(ctx) as client:
        response = sync_factors.sync_detailed(client=client, on_error=on_error)
        run_job(client, response, "Syncing factors", poll)
