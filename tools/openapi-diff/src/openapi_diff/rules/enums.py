"""Enums and `const`: which values a request may send, which a response may return.

A request enum losing a value breaks the clients that send it; gaining one is additive. A
response enum gaining a value (a changed `const` is a value removed and one added) is breaking
under the default policy: openapi-python-client parses enums strictly and raises on an unknown
value, TypeScript exhaustive switches stop compiling. Losing a response value is safe (clients
never see it); dropping the enum altogether from a response widens the generated type."""

from openapi_diff.branches import enum_values
from openapi_diff.context import Diff
from openapi_diff.model import Direction, Schema


def compare(diff: Diff, old: Schema, new: Schema, location: str, direction: Direction) -> None:
    before, after = enum_values(old), enum_values(new)
    if before is None and after is None:
        return
    if before is None or after is None:
        _enum_added_or_dropped(
            diff, narrowed=before is None, location=location, direction=direction
        )
        return
    removed = ", ".join(key for key in before if key not in after)
    added = ", ".join(key for key in after if key not in before)
    request = direction == "request"
    if removed:
        diff.add(f"{direction}-enum-value-removed", location, removed, breaking=request)
    if added and request:
        diff.add("request-enum-value-added", location, f"accepts {added}", breaking=False)
    elif added:
        detail = f"may now be {added} (strict enum parsers and exhaustive switches fail)"
        breaking = diff.policy.response_enum_addition_breaks
        diff.add("response-enum-value-added", location, detail, breaking=breaking)


def _enum_added_or_dropped(
    diff: Diff, *, narrowed: bool, location: str, direction: Direction
) -> None:
    detail = "now an enum" if narrowed else "no longer an enum"
    if direction == "request":
        rule = "request-constraint-tightened" if narrowed else "request-constraint-relaxed"
        diff.add(rule, location, detail, breaking=narrowed)
    else:
        rule = "response-type-narrowed" if narrowed else "response-type-changed"
        diff.add(rule, location, detail, breaking=not narrowed)
