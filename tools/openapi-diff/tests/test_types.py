"""rules/schemas.py and branches.py: types, unions (anyOf, oneOf, type lists) and null."""

import pytest
from builders import (
    INTEGER,
    NUMBER,
    OP,
    STRING,
    Schema,
    api,
    breaking,
    changelog,
    details,
    nullable,
    obj,
    param,
    ref,
)


def test_changed_request_type_is_breaking() -> None:
    base, head = api(body=obj({"code": STRING})), api(body=obj({"code": INTEGER}))
    assert breaking(base, head) == {f"request-type-changed: {OP} body.code"}


@pytest.mark.parametrize(
    ("before", "after"),
    [(INTEGER, NUMBER), (STRING, {"anyOf": [STRING, INTEGER]}), (STRING, {})],
    ids=["integer-to-number", "new-branch", "to-any"],
)
def test_widened_request_type_is_additive(before: Schema, after: Schema) -> None:
    assert breaking(api(body=obj({"code": before})), api(body=obj({"code": after}))) == set()


def test_request_type_changed_inside_any_of_is_breaking() -> None:
    base = api(parameters=[param("year", schema=nullable(STRING))])
    head = api(parameters=[param("year", schema=nullable(INTEGER))])
    assert breaking(base, head) == {f"request-type-changed: {OP} query.year"}
    assert details(base, head) == "no longer accepts string; accepts integer"


def test_request_dropping_null_branch_is_breaking() -> None:
    base, head = api(body=obj({"region": nullable(STRING)})), api(body=obj({"region": STRING}))
    assert breaking(base, head) == {f"request-type-changed: {OP} body.region"}
    assert details(base, head) == "no longer accepts null"


def test_request_gaining_null_branch_is_additive() -> None:
    base, head = api(body=obj({"region": STRING})), api(body=obj({"region": nullable(STRING)}))
    assert breaking(base, head) == set()
    assert changelog(base, head) == {f"request-type-widened: {OP} body.region"}


def test_request_losing_a_one_of_branch_is_breaking() -> None:
    schemas = {"Cat": obj({"meow": STRING}), "Dog": obj({"woof": STRING})}
    base = api(body={"oneOf": [ref("Cat"), ref("Dog")]}, schemas=schemas)
    head = api(body={"oneOf": [ref("Cat")]}, schemas=schemas)
    assert breaking(base, head) == {f"request-type-changed: {OP} body"}
    assert breaking(head, base) == set()


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (STRING, INTEGER),
        (INTEGER, NUMBER),
        ({"type": "string", "format": "date-time"}, STRING),
        ({"type": "array", "items": STRING}, STRING),
    ],
    ids=["string-to-integer", "integer-to-number", "format-dropped", "array-to-string"],
)
def test_changed_response_type_is_breaking(before: Schema, after: Schema) -> None:
    base, head = api(response=obj({"code": before})), api(response=obj({"code": after}))
    assert breaking(base, head) == {f"response-type-changed: {OP} 200 body.code"}


@pytest.mark.parametrize(
    ("before", "after"),
    [(NUMBER, INTEGER), (nullable(STRING), STRING), (STRING, {"type": "string", "format": "uuid"})],
    ids=["number-to-integer", "null-dropped", "format-added"],
)
def test_narrowed_response_type_is_additive(before: Schema, after: Schema) -> None:
    base, head = api(response=obj({"code": before})), api(response=obj({"code": after}))
    assert breaking(base, head) == set()
    assert changelog(base, head) == {f"response-type-narrowed: {OP} 200 body.code"}


def test_response_gaining_null_branch_is_breaking() -> None:
    base = api(response=obj({"region": STRING}))
    head = api(response=obj({"region": nullable(STRING)}))
    assert breaking(base, head) == {f"response-type-changed: {OP} 200 body.region"}
    assert details(base, head) == "may now be null"


def test_response_type_changed_inside_any_of_is_breaking() -> None:
    base = api(response=obj({"share": nullable(STRING)}))
    head = api(response=obj({"share": nullable(NUMBER)}))
    assert breaking(base, head) == {f"response-type-changed: {OP} 200 body.share"}


CONSTRAINED = {"type": "string", "maxLength": 8, "pattern": "^[a-z]+$", "format": "email"}
# The same values, written as anyOf and as a type list (constraints beside the list).
AS_ANY_OF = {"anyOf": [CONSTRAINED, {"type": "null"}], "default": None, "title": "Code"}
AS_TYPE_LIST = {**CONSTRAINED, "type": ["string", "null"], "default": None, "title": "Code"}
ENUM_ANY_OF = {"anyOf": [{"type": "string", "enum": ["a", "b"]}, {"type": "null"}]}
ENUM_TYPE_LIST = {"type": ["string", "null"], "enum": ["a", "b", None]}


@pytest.mark.parametrize(
    ("first", "second"),
    [(AS_ANY_OF, AS_TYPE_LIST), (ENUM_ANY_OF, ENUM_TYPE_LIST)],
    ids=["constraints", "enum"],
)
@pytest.mark.parametrize("where", ["request", "response"])
def test_any_of_with_null_rewritten_as_a_type_list_is_no_change(
    first: Schema, second: Schema, where: str
) -> None:
    def spec(schema: Schema) -> Schema:
        body = obj({"code": schema})
        return api(body=body) if where == "request" else api(response=body)

    for base, head in ((spec(first), spec(second)), (spec(second), spec(first))):
        assert (breaking(base, head), changelog(base, head)) == (set(), set())


def test_type_list_still_compares_its_constraints() -> None:
    base = api(body=obj({"code": {"type": ["string", "null"], "maxLength": 9}}))
    head = api(body=obj({"code": {"type": ["string", "null"], "maxLength": 8}}))
    assert breaking(base, head) == {f"request-constraint-tightened: {OP} body.code"}
    assert details(base, head) == "maxLength 9 -> 8"
