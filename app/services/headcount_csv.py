"""A headcount CSV: `year`, `category`, `fte` (one row per staff category and year), read into
the `HeadcountReplace` of each year, checked as the API checks a `PUT` of that year."""

import csv
import io
from collections import defaultdict

from pydantic import ValidationError

from app.core.errors import FieldError, InvalidInput
from app.models.factor import FIRST_YEAR, LAST_YEAR
from app.models.headcount import HeadcountCreate, HeadcountReplace

COLUMNS = ("year", "category", "fte")


def _problem(line: int, column: str, message: str) -> FieldError:
    return FieldError(loc=["body", "file"], msg=f"line {line}, {column}: {message}", type="csv")


def _refused(errors: list[FieldError]) -> InvalidInput:
    return InvalidInput(
        "The headcount CSV has problems; nothing was changed: "
        + errors[0].msg
        + (f" (and {len(errors) - 1} more)" if len(errors) > 1 else "")
        + ".",
        errors=errors,
    )


def _year(text: str) -> int | None:
    value = text.strip()
    if not value.isdigit() or not FIRST_YEAR <= int(value) <= LAST_YEAR:
        return None
    return int(value)


def parse(data: bytes) -> dict[int, HeadcountReplace]:
    """Each year's categories; InvalidInput (every problem, by line) when any row is bad."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _refused([_problem(1, "file", "not UTF-8 text")]) from error
    lines = text.splitlines()
    delimiter = ";" if lines and lines[0].count(";") > lines[0].count(",") else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    header = [name.strip().lower() for name in rows[0]] if rows else []
    if sorted(header) != sorted(COLUMNS):
        raise _refused([_problem(1, "header", f"expected the columns {', '.join(COLUMNS)}")])
    position = {name: header.index(name) for name in COLUMNS}
    errors: list[FieldError] = []
    by_year: dict[int, list[HeadcountCreate]] = defaultdict(list)
    seen: set[tuple[int, str]] = set()
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(COLUMNS):
            errors.append(_problem(line, "row", f"expected {len(COLUMNS)} fields"))
            continue
        year = _year(row[position["year"]])
        if year is None:
            errors.append(
                _problem(line, "year", f"expected a year from {FIRST_YEAR} to {LAST_YEAR}")
            )
            continue
        category = row[position["category"]].strip().lower()
        try:
            item = HeadcountCreate.model_validate(
                {"category": category, "fte": row[position["fte"]].strip()}
            )
        except ValidationError as error:
            first = error.errors()[0]
            errors.append(_problem(line, str(first["loc"][0]), first["msg"]))
            continue
        if (year, category) in seen:
            errors.append(_problem(line, "category", f"{category} is given twice for {year}"))
            continue
        seen.add((year, category))
        by_year[year].append(item)
    if errors:
        raise _refused(errors)
    if not by_year:
        raise _refused([_problem(2, "row", "no rows")])
    return {year: HeadcountReplace(categories=items) for year, items in by_year.items()}
