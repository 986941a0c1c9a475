"""rules/components.py, and how `$ref`s, recursion and direction are followed."""

import copy
from typing import Any

import pytest
from builders import (
    INTEGER,
    OP,
    STRING,
    Schema,
    api,
    breaking,
    changelog,
    details,
    document,
    nullable,
    obj,
    ref,
)
from openapi_diff import Policy, SpecError, compare
from openapi_diff.rules.components import unused_roots
from openapi_diff.spec import Spec


def test_removed_component_schema_is_breaking() -> None:
    base = document(schemas={"Lab": obj({}), "Old": obj({})})
    assert breaking(base, document(schemas={"Lab": obj({})})) == {
        "schema-removed: #/components/schemas/Old"
    }


def test_added_component_schema_is_additive() -> None:
    base = document(schemas={"Lab": obj({})})
    head = document(schemas={"Lab": obj({}), "New": obj({})})
    assert breaking(base, head) == set()
    assert changelog(base, head) == {"schema-added: #/components/schemas/New"}


def test_locations_follow_refs_and_array_items() -> None:
    schemas = {
        "Page": obj({"items": {"type": "array", "items": ref("Lab")}}),
        "Lab": obj({"code": STRING}),
    }
    head_schemas = copy.deepcopy(schemas)
    head_schemas["Lab"]["properties"]["code"] = INTEGER
    base = api(response=ref("Page"), schemas=schemas)
    head = api(response=ref("Page"), schemas=head_schemas)
    assert breaking(base, head) == {f"response-type-changed: {OP} 200 body.items[].code"}


def test_ref_siblings_are_applied() -> None:
    schemas = {"Code": {"type": "string", "maxLength": 32}}
    base = api(body=obj({"code": ref("Code")}), schemas=schemas)
    head = api(body=obj({"code": {**ref("Code"), "maxLength": 8}}), schemas=schemas)
    assert breaking(base, head) == {f"request-constraint-tightened: {OP} body.code"}
    assert details(base, head) == "maxLength 32 -> 8"


def test_recursive_schema_terminates_and_is_compared() -> None:
    def tree(name: Schema) -> Schema:
        node = obj(
            {
                "name": name,
                "children": {"type": "array", "items": ref("Node")},
                "parent": nullable(ref("Node")),
            }
        )
        return api(body=ref("Node"), response=ref("Node"), schemas={"Node": node})

    assert compare(tree(STRING), tree(STRING)).breaking == ()
    assert breaking(tree(STRING), tree(INTEGER)) == {
        f"request-type-changed: {OP} body.name",
        f"response-type-changed: {OP} 200 body.name",
    }


def test_schema_used_in_request_and_response_is_checked_in_both_directions() -> None:
    def lab(properties: Schema, required: tuple[str, ...]) -> Schema:
        return api(body=ref("Lab"), response=ref("Lab"), schemas={"Lab": obj(properties, required)})

    base = lab({"name": STRING, "region": nullable(STRING)}, ("name",))
    head = lab({"name": STRING, "region": STRING, "code": STRING}, ("name", "code"))
    assert breaking(base, head) == {
        f"request-type-changed: {OP} body.region",
        f"request-property-added-required: {OP} body.code",
    }
    assert changelog(base, head) == {
        f"response-type-narrowed: {OP} 200 body.region",
        f"response-property-added: {OP} 200 body.code",
    }


# Schemas no operation uses: the messages of a WebSocket, added to the document as components.


BOTH_WAYS = Policy(unused_schemas_read_as=("request", "response"))


def stream(ready_type: Schema, *, used: Schema | None = None) -> Schema:
    """An operation using `Lab`, and a message union (`Message`) that no operation uses."""
    schemas = {
        "Lab": obj({"code": STRING}),
        "Message": {"oneOf": [ref("Ready"), ref("Job")], "discriminator": {"propertyName": "type"}},
        "Ready": obj({"type": ready_type, "replayed": INTEGER}, ("type",)),
        "Job": obj({"type": {"const": "job", "type": "string"}, "lab": ref("Lab")}, ("type",)),
    }
    return api(response=used or ref("Lab"), schemas=schemas)


def test_unused_schemas_have_one_root_per_union() -> None:
    assert unused_roots(Spec(stream(STRING), "base")) == ["Message"]


def test_changed_const_in_a_schema_no_operation_uses_is_breaking() -> None:
    ready = {"type": "string", "const": "ready"}
    base, head = stream(ready), stream({**ready, "const": "done"})
    location = "#/components/schemas/Message body.type"
    assert breaking(base, head) == {f"response-enum-value-added: {location}"}
    assert breaking(base, head, BOTH_WAYS) == {
        f"request-enum-value-removed: {location}",
        f"response-enum-value-added: {location}",
    }


def test_schema_no_operation_uses_is_read_as_a_response_by_default() -> None:
    base = stream(STRING)
    head = copy.deepcopy(base)
    ready = head["components"]["schemas"]["Ready"]
    ready["properties"]["progress"] = INTEGER
    ready["required"].append("progress")
    location = "#/components/schemas/Message body.progress"
    assert breaking(base, head) == set()
    assert changelog(base, head) == {f"response-property-added: {location}"}
    assert breaking(base, head, BOTH_WAYS) == {f"request-property-added-required: {location}"}


def test_schema_no_operation_uses_gaining_null_is_breaking() -> None:
    base, head = stream(STRING), stream(nullable(STRING))
    location = "#/components/schemas/Message body.type"
    assert breaking(base, head) == {f"response-type-changed: {location}"}


def test_schema_in_an_operation_and_in_a_message_is_reported_in_both() -> None:
    base = stream(STRING)
    head = copy.deepcopy(base)
    head["components"]["schemas"]["Lab"]["properties"]["code"] = INTEGER
    assert breaking(base, head) == {
        f"response-type-changed: {OP} 200 body.code",
        "response-type-changed: #/components/schemas/Message body.lab.code",
    }


def test_unused_schemas_that_refer_to_each_other_are_still_compared() -> None:
    schemas = {"A": obj({"b": ref("B"), "x": STRING}), "B": obj({"a": ref("A")})}
    head_schemas = copy.deepcopy(schemas)
    head_schemas["A"]["properties"]["x"] = INTEGER
    base, head = document(schemas=schemas), document(schemas=head_schemas)
    assert unused_roots(Spec(base, "base")) == ["A"]
    assert breaking(base, head) == {"response-type-changed: #/components/schemas/A body.x"}


@pytest.mark.parametrize(
    "doc",
    [
        [],
        {"swagger": "2.0", "paths": {}},
        api(response=ref("Missing")),
        api(response={"$ref": "other.json#/components/schemas/Lab"}),
    ],
    ids=["not-an-object", "swagger-2", "dangling-ref", "external-ref"],
)
def test_invalid_document_raises_spec_error(doc: Any) -> None:
    with pytest.raises(SpecError):
        compare(api(), doc)
