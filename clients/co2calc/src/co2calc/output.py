"""Where things are printed, and how: results on stdout, progress and notes on stderr."""

from co2calculator_client.models import FactorPublic, JobPublic
from rich.console import Console, JustifyMethod
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

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

_FACTOR_COLUMNS = ("Category", "Unit", "kg CO2e", "Scope", "Year", "Region", "Source")
_NUMERIC_COLUMNS = frozenset({"kg CO2e", "Scope"})


def job_progress() -> Progress:
    """A progress bar of rows on stderr (so that stdout can be piped)."""
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("rows"),
        TimeElapsedColumn(),
    )
    return Progress(*columns, console=err)


def row_error_table(job: JobPublic) -> Table:
    """The job's row errors (the first 100 the API returns, titled with the total)."""
    title = f"Row errors ({len(job.row_errors)} of {job.row_errors_total})"
    table = Table(title=title, title_justify="left")
    table.add_column("Row", justify="right")
    table.add_column("Column")
    table.add_column("Error", overflow="fold")
    for error in job.row_errors:
        column = error.column if isinstance(error.column, str) else ""
        table.add_row(str(error.row), Text(column), Text(error.message))
    return table


def factor_table(factors: list[FactorPublic]) -> Table:
    table = Table()
    table.add_column("Key", no_wrap=True)  # keys are what one copies: never cut
    for name in _FACTOR_COLUMNS:
        justify: JustifyMethod = "right" if name in _NUMERIC_COLUMNS else "left"
        table.add_column(name, justify=justify, overflow="fold")
    for factor in factors:
        region = factor.region if isinstance(factor.region, str) else ""
        source = factor.source if isinstance(factor.source, str) else ""
        cells = [factor.key, str(factor.category), factor.unit, factor.kg_co2e_per_unit]
        cells += [str(factor.scope), str(factor.year), region, source]
        table.add_row(*(Text(cell) for cell in cells))  # data, not rich markup
    return table


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' if count != 1 else ''}"
