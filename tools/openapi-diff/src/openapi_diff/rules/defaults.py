"""Defaults: what the server does when a client leaves a field out.

In a request, a changed or removed default silently changes what an existing call means (a
client that omits `limit` gets another page size), so it is breaking; a new default on a field
that had none only documents behaviour. In a response a default is documentation (generated
clients leave an absent field unset): a changelog line."""

from typing import Any

from openapi_diff.branches import merge_all_of
from openapi_diff.context import Diff
from openapi_diff.model import Direction, same, show
from openapi_diff.spec import Spec

_NONE = object()


def default_of(spec: Spec, node: Any) -> Any:
    """The `default` of a schema (through `$ref`, siblings winning, and `allOf`), else _NONE."""
    schema, pointer = spec.resolve(node)
    if not isinstance(schema, dict):
        return _NONE
    merged = merge_all_of(spec, schema, frozenset({pointer}) if pointer else frozenset())
    return merged.get("default", _NONE)


def _unchanged(before: Any, after: Any) -> bool:
    if before is _NONE or after is _NONE:
        return before is after
    return same(before, after)


def compare(diff: Diff, old: Any, new: Any, location: str, direction: Direction) -> None:
    before, after = default_of(diff.base, old), default_of(diff.head, new)
    if _unchanged(before, after):
        return
    shown = (show(None if value is _NONE else value) for value in (before, after))
    detail = "default {} -> {}".format(*shown)
    if direction == "response":
        diff.add("response-default-changed", location, detail, breaking=False)
    elif before is _NONE:
        diff.add("request-default-added", location, detail, breaking=False)
    else:
        diff.add("request-default-changed", location, detail, breaking=True)
