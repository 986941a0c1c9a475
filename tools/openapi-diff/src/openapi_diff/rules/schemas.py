"""The schema walker: a request schema must still accept everything BASE accepted, a response
schema may only return what BASE could return.

Each side is split into branches (see `branches`); branches are paired, and each pair is handed
to the rules for enums, constraints, formats, defaults, object properties and array items."""

from typing import Any

from openapi_diff.branches import Branch, branches, kind, pair
from openapi_diff.context import Diff, Stack
from openapi_diff.model import Direction, Schema
from openapi_diff.rules import constraints, defaults, enums, objects


def compare(
    diff: Diff, old: Any, new: Any, location: str, direction: Direction, stack: Stack = frozenset()
) -> None:
    """Compare two schemas (or `$ref`s) found at `location`, read in `direction`."""
    defaults.compare(diff, old, new, location, direction)
    before = branches(diff.base, old, None, frozenset())
    after = branches(diff.head, new, None, frozenset())
    request = direction == "request"
    pairs, lost, extra = pair(before, after) if request else pair(after, before)
    _branch_changes(diff, location, direction, lost, extra)
    for covered, covering in pairs:
        old_branch, new_branch = (covered, covering) if request else (covering, covered)
        key = (old_branch.guard, new_branch.guard)
        if key in stack:
            continue
        inner = stack if key == (None, None) else stack | {key}
        _branch(diff, old_branch.schema, new_branch.schema, location, direction, inner)


def _branch_changes(
    diff: Diff, location: str, direction: Direction, lost: list[Branch], extra: list[Branch]
) -> None:
    lost_names = ", ".join(dict.fromkeys(branch.name for branch in lost))
    extra_names = ", ".join(dict.fromkeys(branch.name for branch in extra))
    if direction == "request" and lost:
        detail = f"no longer accepts {lost_names}"
        detail += f"; accepts {extra_names}" if extra else ""
        diff.add("request-type-changed", location, detail, breaking=True)
    elif direction == "request" and extra:
        diff.add("request-type-widened", location, f"also accepts {extra_names}", breaking=False)
    elif lost:
        detail = f"may now be {lost_names}"
        detail += f" instead of {extra_names}" if extra else ""
        diff.add("response-type-changed", location, detail, breaking=True)
    elif extra:
        diff.add("response-type-narrowed", location, f"no longer {extra_names}", breaking=False)


def _branch(
    diff: Diff, old: Schema, new: Schema, location: str, direction: Direction, stack: Stack
) -> None:
    enums.compare(diff, old, new, location, direction)
    constraints.compare(diff, old, new, location, direction)
    constraints.compare_formats(diff, old.get("format"), new.get("format"), location, direction)
    if kind(old) != kind(new):  # a covering type: integer -> number, or anything -> any
        rule = "request-type-widened" if direction == "request" else "response-type-narrowed"
        diff.add(rule, location, f"{kind(old)} -> {kind(new)}", breaking=False)
    elif kind(old) == "object":
        objects.compare(diff, old, new, location, direction, stack, walk=compare)
    elif kind(old) == "array":
        items = (old.get("items"), new.get("items"))
        compare(diff, *items, f"{location}[]", direction, stack)
