"""Validation keywords and `format`.

In a request, a tighter bound (maxLength lowered, minimum raised, a new or changed pattern,
multipleOf, uniqueItems, a new format) refuses values that BASE accepted: breaking. In a
response, bounds are changelog lines only (generated clients do not validate them), but a
changed or dropped `format` changes the generated type (a date-time parsed as a datetime)."""

from typing import Any

from openapi_diff.context import Diff
from openapi_diff.model import Direction, Schema, show

UPPER_BOUNDS = ("maxLength", "maximum", "exclusiveMaximum", "maxItems", "maxProperties")
LOWER_BOUNDS = ("minLength", "minimum", "exclusiveMinimum", "minItems", "minProperties")
EXACT = ("pattern", "multipleOf", "uniqueItems")


def compare(diff: Diff, old: Schema, new: Schema, location: str, direction: Direction) -> None:
    for key in (*UPPER_BOUNDS, *LOWER_BOUNDS, *EXACT):
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        detail = f"{key} {show(before)} -> {show(after)}"
        if direction == "response":
            diff.add("response-constraint-changed", location, detail, breaking=False)
        elif tightened(key, before, after):
            diff.add("request-constraint-tightened", location, detail, breaking=True)
        else:
            diff.add("request-constraint-relaxed", location, detail, breaking=False)


def compare_formats(diff: Diff, old: Any, new: Any, location: str, direction: Direction) -> None:
    if old == new:
        return
    detail = f"format {show(old)} -> {show(new)}"
    if direction == "request" and new is not None:
        diff.add("request-constraint-tightened", location, detail, breaking=True)
    elif direction == "request":
        diff.add("request-constraint-relaxed", location, detail, breaking=False)
    elif old is not None:
        diff.add("response-type-changed", location, detail, breaking=True)
    else:
        diff.add("response-type-narrowed", location, detail, breaking=False)


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def tightened(key: str, before: Any, after: Any) -> bool:
    """Whether a request constraint going from `before` to `after` refuses more values. Whether
    one pattern accepts less than another is not decided: any change counts."""
    if key in UPPER_BOUNDS or key in LOWER_BOUNDS:
        if after is None or before is None:
            return after is not None
        if _number(before) and _number(after):
            return bool(after < before) if key in UPPER_BOUNDS else bool(after > before)
    if key == "uniqueItems":
        return after is True
    return after is not None
