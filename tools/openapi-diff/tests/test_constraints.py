"""rules/constraints.py: validation keywords and format."""

from typing import Any

import pytest
from builders import INTEGER, OP, STRING, Schema, api, breaking, changelog, nullable, obj


def string(**constraints: Any) -> Schema:
    return {"type": "string", **constraints}


def integer(**constraints: Any) -> Schema:
    return {"type": "integer", **constraints}


def strings(**constraints: Any) -> Schema:
    return {"type": "array", "items": STRING, **constraints}


# (looser, tighter); each is also checked the other way round, as an additive change.
TIGHTER = {
    "maxLength-lowered": (string(maxLength=200), string(maxLength=100)),
    "maxLength-added": (STRING, string(maxLength=100)),
    "minLength-raised": (string(minLength=1), string(minLength=2)),
    "minimum-raised": (integer(minimum=0), integer(minimum=1)),
    "maximum-lowered": (integer(maximum=10), integer(maximum=9.5)),
    "exclusiveMinimum-raised": (integer(exclusiveMinimum=0), integer(exclusiveMinimum=1)),
    "pattern-added": (STRING, string(pattern="^[a-z]+$")),
    "format-added": (STRING, string(format="uuid")),
    "enum-added": (STRING, string(enum=["a"])),
    "maxItems-added": (strings(), strings(maxItems=5)),
    "uniqueItems-added": (strings(), strings(uniqueItems=True)),
    "multipleOf-added": (INTEGER, integer(multipleOf=5)),
    "inside-anyOf": (nullable(string(maxLength=9)), nullable(string(maxLength=8))),
}


@pytest.mark.parametrize(("before", "after"), TIGHTER.values(), ids=TIGHTER.keys())
def test_tighter_request_constraint_is_breaking(before: Schema, after: Schema) -> None:
    base, head = api(body=obj({"field": before})), api(body=obj({"field": after}))
    assert breaking(base, head) == {f"request-constraint-tightened: {OP} body.field"}


def test_changed_request_pattern_is_breaking_either_way() -> None:
    """Whether one regular expression accepts less than another is not decided: any change."""
    lower, abc = api(body=string(pattern="^[a-z]+$")), api(body=string(pattern="^[a-c]+$"))
    expected = {f"request-constraint-tightened: {OP} body"}
    assert breaking(lower, abc) == breaking(abc, lower) == expected


@pytest.mark.parametrize(("before", "after"), TIGHTER.values(), ids=TIGHTER.keys())
def test_looser_request_constraint_is_additive(before: Schema, after: Schema) -> None:
    base, head = api(body=obj({"field": after})), api(body=obj({"field": before}))
    assert breaking(base, head) == set()
    assert changelog(base, head) == {f"request-constraint-relaxed: {OP} body.field"}


def test_response_constraint_changes_are_not_breaking() -> None:
    base = api(response={"type": "string", "maxLength": 10})
    head = api(response={"type": "string", "maxLength": 20, "pattern": "^x"})
    assert breaking(base, head) == set()
    assert changelog(base, head) == {f"response-constraint-changed: {OP} 200 body"}
