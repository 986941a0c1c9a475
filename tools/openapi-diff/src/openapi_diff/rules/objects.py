"""Object properties and `additionalProperties`.

Requests: a new required property, or an optional one made required, breaks old clients; a
removed property breaks them only when HEAD forbids additional properties (old clients get a
422), otherwise the value is ignored (a changelog line). Responses: a removed property, or a
required one made optional, breaks code that reads it; additions are safe."""

from typing import Any, Protocol

from openapi_diff.context import Diff, Stack
from openapi_diff.model import Direction, Schema, names, obj


class Walk(Protocol):
    """The schema walker (`rules.schemas.compare`), passed in to recurse into properties."""

    def __call__(
        self, diff: Diff, old: Any, new: Any, location: str, direction: Direction, stack: Stack
    ) -> None: ...


def compare(
    diff: Diff,
    old: Schema,
    new: Schema,
    location: str,
    direction: Direction,
    stack: Stack,
    *,
    walk: Walk,
) -> None:
    old_properties, new_properties = obj(old.get("properties")), obj(new.get("properties"))
    for name in dict.fromkeys([*old_properties, *new_properties]):
        where = f"{location}.{name}"
        if name not in new_properties:
            _removed(diff, new, where, direction)
        elif name not in old_properties:
            _added(diff, name in names(new.get("required")), where, direction)
        else:
            was_required = name in names(old.get("required"))
            is_required = name in names(new.get("required"))
            if was_required != is_required:
                rule = "became-required" if is_required else "became-optional"
                breaking = is_required == (direction == "request")
                diff.add(f"{direction}-property-{rule}", where, breaking=breaking)
            walk(diff, old_properties[name], new_properties[name], where, direction, stack)
    _additional(diff, old, new, location, direction, stack, walk)


def _removed(diff: Diff, new: Schema, where: str, direction: Direction) -> None:
    if direction == "request":
        forbidden = new.get("additionalProperties") is False
        detail = "now rejected" if forbidden else "now ignored"
        diff.add("request-property-removed", where, detail, breaking=forbidden)
    else:
        diff.add("response-property-removed", where, breaking=True)


def _added(diff: Diff, required: bool, where: str, direction: Direction) -> None:
    if direction == "request":
        rule = "added-required" if required else "added-optional"
        diff.add(f"request-property-{rule}", where, breaking=required)
    else:
        diff.add("response-property-added", where, breaking=False)


def _additional(
    diff: Diff,
    old: Schema,
    new: Schema,
    location: str,
    direction: Direction,
    stack: Stack,
    walk: Walk,
) -> None:
    before, after = old.get("additionalProperties"), new.get("additionalProperties")
    if isinstance(before, dict) and isinstance(after, dict):
        walk(diff, before, after, f"{location}{{}}", direction, stack)
    elif direction == "request" and after is False and before is not False:
        declared = before is not None and before is not False
        detail = "declared" if declared else "undeclared properties were ignored"
        rule = "request-additional-properties-forbidden"
        diff.add(rule, location, detail, breaking=declared)
