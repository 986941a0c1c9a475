"""`co2calc report`: a lab's yearly report as CSV."""

import sys
from pathlib import Path
from typing import Annotated
from uuid import UUID

import httpx
import typer
from co2calculator_client import AuthenticatedClient
from co2calculator_client.api.reports import get_lab_report
from co2calculator_client.models import GetLabReportFormatType0

from co2calc.answers import lab_id, parsed
from co2calc.commands.options import LabArgument
from co2calc.config import connect
from co2calc.output import err

OutputOption = Annotated[
    Path | None,
    typer.Option("--output", "-o", dir_okay=False, help="Write here (default: stdout)."),
]


def report(
    ctx: typer.Context,
    lab: LabArgument,
    year: Annotated[int | None, typer.Option(help="Default: the current year.")] = None,
    output: OutputOption = None,
) -> None:
    """Export a lab's yearly report as CSV."""
    with connect(ctx) as client:
        csv = _report_csv(client, lab_id(client, lab), year)
    if output is None:
        sys.stdout.buffer.write(csv)
        sys.stdout.buffer.flush()
        return
    output.write_bytes(csv)
    err.print(f"Wrote {output} ({len(csv)} bytes)", markup=False)


def _report_csv(client: AuthenticatedClient, lab: UUID, year: int | None) -> bytes:
    """The report's `text/csv` variant, through the generated client's request and parser.

    openapi-python-client types only the JSON variant of a 200 (LabReport), so
    `get_lab_report.sync(format_=CSV)` would try to parse CSV as JSON. We take the request the
    generated module builds, send it with the generated client's own httpx client (same base URL,
    key, timeout, hooks) and read the CSV ourselves; any other answer is parsed by the generated
    code into its typed ProblemDetails.
    """
    csv_format = GetLabReportFormatType0.CSV
    request = get_lab_report._get_kwargs(lab, year=year, format_=csv_format)
    response = client.get_httpx_client().request(**request)
    if response.status_code != httpx.codes.OK:
        parsed(get_lab_report._build_response(client=client, response=response))
    return response.content
