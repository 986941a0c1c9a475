"""Arguments and options that several commands share."""

from pathlib import Path
from typing import Annotated

import typer
from co2calculator_client.models import ErrorPolicy

LabArgument = Annotated[str, typer.Argument(help="The lab's id or code.")]
PollOption = Annotated[float, typer.Option(min=0.05, help="Seconds between status checks.")]
OnErrorOption = Annotated[
    ErrorPolicy,
    typer.Option(help="fail: any bad row fails the job; skip: import the valid rows."),
]


def _csv(help_text: str) -> object:
    """A file that must exist and be readable (else bad usage, exit status 2)."""
    return typer.Argument(exists=True, dir_okay=False, readable=True, help=help_text)


ActivitiesCsv = Annotated[Path, _csv("An activities CSV.")]
FactorsCsv = Annotated[Path, _csv("A factors CSV.")]
