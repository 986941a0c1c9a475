"""Keyset (cursor) pagination: `?limit=&cursor=` → `{items, next_cursor}`.

A cursor is the opaque, URL-safe encoding of the sort key of the last item returned; the next page
is `WHERE (key) > (cursor)` on an index, so a deep page costs the same as the first.
"""

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Annotated, Any, Generic, TypeVar
from uuid import UUID

from fastapi import Query
from pydantic import BaseModel

from app.core.errors import FieldError, InvalidInput

T = TypeVar("T")

DEFAULT_LIMIT = 50
MAX_LIMIT = 200

LimitQuery = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size")]
CursorQuery = Annotated[
    str | None,
    Query(
        max_length=200,
        pattern=r"^[A-Za-z0-9_-]*$",
        description="`next_cursor` of the previous page",
    ),
]


class Page(BaseModel, Generic[T]):
    """A page of a list. Response models subclass it concretely (`class UserPage(Page[UserPublic])`)
    so the OpenAPI schema gets a readable name."""

    items: list[T]
    next_cursor: str | None = None


CursorPart = str | int | datetime | date | UUID | None
CursorKey = tuple[CursorPart, ...]


def _text(value: str) -> str:
    if "\x00" in value:  # PostgreSQL text cannot hold NUL: psycopg would raise a DataError
        raise ValueError("NUL in a cursor")
    return value


_DECODERS: dict[type, Callable[[Any], CursorPart]] = {
    datetime: datetime.fromisoformat,
    date: date.fromisoformat,
    UUID: lambda value: UUID(str(value)),
    int: int,
    str: lambda value: _text(str(value)),
}


def encode_cursor(key: CursorKey) -> str:
    """The sort key of the last item, as an opaque URL-safe token."""
    parts = [part.isoformat() if isinstance(part, date) else part for part in key]
    raw = json.dumps([str(p) if isinstance(p, UUID) else p for p in parts], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None, types: Sequence[type]) -> CursorKey | None:
    """Decode a cursor whose parts have `types` (a `None` part stays None)."""
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        parts = json.loads(base64.urlsafe_b64decode(padded))
        if not isinstance(parts, list) or len(parts) != len(types):
            raise ValueError("wrong shape")
        key = tuple(
            None if part is None else _DECODERS[kind](part)
            for part, kind in zip(parts, types, strict=True)
        )
        if any(isinstance(part, datetime) and part.tzinfo is None for part in key):
            raise ValueError("naive timestamp")
    except (ValueError, TypeError, binascii.Error) as error:
        raise InvalidInput(
            "The cursor is not one this API returned.",
            errors=[FieldError(loc=["query", "cursor"], msg="invalid cursor", type="cursor")],
        ) from error
    return key


def page_of(rows: Sequence[T], *, limit: int, key_of: Callable[[T], CursorKey]) -> Page[T]:
    """Rows were fetched with `limit + 1`: the extra one only says whether a next page exists."""
    items = list(rows[:limit])
    next_cursor = encode_cursor(key_of(items[-1])) if len(rows) > limit and items else None
    return Page[T](items=items, next_cursor=next_cursor)
