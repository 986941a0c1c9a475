"""Small query-building helpers shared by repositories."""

from sqlalchemy import ColumnElement
from sqlmodel import col


def contains(column: object, text: str) -> ColumnElement[bool]:
    """Case-insensitive substring match with LIKE wildcards in `text` taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return col(column).ilike(f"%{escaped}%", escape="\\")
