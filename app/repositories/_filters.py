"""Small query-building helpers shared by repositories."""

from sqlalchemy import BindParameter, ColumnElement
from sqlmodel import col


def contains_pattern(text: str) -> str:
    """The ILIKE pattern of `contains`: LIKE wildcards in `text` taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def contains(column: object, text: str | BindParameter[str]) -> ColumnElement[bool]:
    """Case-insensitive substring match with LIKE wildcards in `text` taken literally (a bound
    parameter must carry `contains_pattern(text)`)."""
    pattern = text if isinstance(text, BindParameter) else contains_pattern(text)
    return col(column).ilike(pattern, escape="\\")
