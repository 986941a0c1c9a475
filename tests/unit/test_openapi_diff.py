"""scripts/openapi_diff.py: each rule has a breaking case and an additive counterpart."""

import copy
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from scripts.openapi_diff import SpecError, compare, load_accepted, main

ROOT = Path(__file__).resolve().parents[2]
OP = "POST /api/v1/labs"

Schema = dict[str, Any]
STRING: Schema = {"type": "string"}
INTEGER: Schema = {"type": "integer"}
NUMBER: Schema = {"type": "number"}


def nullable(schema: Schema) -> Schema:
    return {"anyOf": [schema, {"type": "null"}]}


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def obj(properties: Schema, required: tuple[str, ...] = (), **extra: Any) -> Schema:
    return {"type": "object", "properties": properties, "required": list(required), **extra}


def content(schema: Schema, media: str = "application/json") -> Schema:
    return {"description": "", "content": {media: {"schema": schema}}}


def param(
    name: str, where: str = "query", *, required: bool = False, schema: Schema = STRING
) -> Schema:
    return {"name": name, "in": where, "required": required, "schema": schema}


def api(
    *,
    path: str = "/api/v1/labs",
    method: str = "post",
    operation_id: str | None = "createLab",
    parameters: list[Schema] | None = None,
    body: Schema | None = None,
    body_required: bool = True,
    body_media: str = "application/json",
    response: Schema | None = None,
    responses: Schema | None = None,
    schemas: Schema | None = None,
) -> Schema:
    """A document with one operation; by default a 200 JSON string response and nothing else."""
    operation: Schema = {"responses": responses or {"200": content(response or STRING)}}
    if operation_id is not None:
        operation["operationId"] = operation_id
    if parameters is not None:
        operation["parameters"] = parameters
    if body is not None:
        operation["requestBody"] = {
            "required": body_required,
            "content": {body_media: {"schema": body}},
        }
    return document({path: {method: operation}}, schemas)


def document(paths: Schema | None = None, schemas: Schema | None = None) -> Schema:
    return {
        "openapi": "3.1.0",
        "info": {"title": "test", "version": "1"},
        "paths": paths or {},
        "components": {"schemas": schemas or {}},
    }


def breaking(base: Schema, head: Schema) -> set[str]:
    return {change.identifier for change in compare(base, head).breaking}


def changelog(base: Schema, head: Schema) -> set[str]:
    return {change.identifier for change in compare(base, head).changelog}


def details(base: Schema, head: Schema) -> str:
    return " | ".join(change.detail for change in compare(base, head).breaking)


# Operations


def test_removed_operation_is_breaking() -> None:
    assert breaking(api(), document()) == {f"operation-removed: {OP}"}


def test_added_operation_is_additive() -> None:
    assert breaking(document(), api()) == set()
    assert changelog(document(), api()) == {f"operation-added: {OP}"}


def test_renamed_path_parameter_matches_the_operation_but_is_breaking() -> None:
    def labs(name: str) -> Schema:
        path_parameter = param(name, "path", required=True)
        return api(path=f"/api/v1/labs/{{{name}}}", method="get", parameters=[path_parameter])

    assert breaking(labs("lab_id"), labs("id")) == {
        "path-parameter-renamed: GET /api/v1/labs/{} path.lab_id"
    }
    assert breaking(labs("lab_id"), labs("lab_id")) == set()


@pytest.mark.parametrize("new_id", [None, "makeLab"], ids=["removed", "renamed"])
def test_removed_or_renamed_operation_id_is_breaking(new_id: str | None) -> None:
    assert breaking(api(), api(operation_id=new_id)) == {f"operation-id-changed: {OP}"}


def test_unchanged_operation_id_and_documentation_edits_pass() -> None:
    head = api()
    head["paths"]["/api/v1/labs"]["post"]["summary"] = "Create a lab"
    assert compare(api(), head).breaking == ()


# Responses and media types


def test_removed_response_status_is_breaking() -> None:
    base = api(responses={"201": content(STRING), "409": content(STRING)})
    head = api(responses={"201": content(STRING)})
    assert breaking(base, head) == {f"response-status-removed: {OP} 409"}


def test_added_response_status_is_additive() -> None:
    base = api(responses={"201": content(STRING)})
    head = api(responses={"201": content(STRING), "409": content(STRING)})
    assert breaking(base, head) == set()
    assert changelog(base, head) == {f"response-status-added: {OP} 409"}


def test_removed_response_media_type_is_breaking() -> None:
    both = {
        "200": {"content": {"application/json": {"schema": STRING}, "text/csv": {"schema": STRING}}}
    }
    json_only = {"200": content(STRING)}
    assert breaking(api(responses=both), api(responses=json_only)) == {
        f"response-media-type-removed: {OP} 200 text/csv"
    }
    assert breaking(api(responses=json_only), api(responses=both)) == set()


def test_removed_request_media_type_is_breaking() -> None:
    body = obj({"name": STRING})
    base, head = api(body=body), api(body=body, body_media="multipart/form-data")
    assert breaking(base, head) == {f"request-media-type-removed: {OP} application/json"}
    assert changelog(base, head) == {f"request-media-type-added: {OP} multipart/form-data"}


@pytest.mark.parametrize(
    ("responses", "expected"),
    [
        (
            {"200": content(STRING, "text/csv")},
            f"response-type-changed: {OP} 200 text/csv body",
        ),
        (
            {"404": content(obj({"detail": STRING}), "application/problem+json")},
            f"response-type-changed: {OP} 404 application/problem+json body.detail",
        ),
    ],
    ids=["text/csv", "problem+json"],
)
def test_response_media_types_are_compared_separately(responses: Schema, expected: str) -> None:
    head = copy.deepcopy(responses)
    media = next(iter(head.values()))["content"]
    schema = next(iter(media.values()))["schema"]
    if "properties" in schema:
        schema["properties"]["detail"] = INTEGER
    else:
        schema["type"] = "integer"
    assert breaking(api(responses=responses), api(responses=head)) == {expected}


def test_multipart_request_body_is_compared_on_its_own() -> None:
    def upload(required: tuple[str, ...]) -> Schema:
        form = obj({"file": {"type": "string", "format": "binary"}}, required)
        return api(body=form, body_media="multipart/form-data")

    assert breaking(upload(()), upload(("file",))) == {
        f"request-property-became-required: {OP} multipart/form-data body.file"
    }
    assert breaking(upload(("file",)), upload(())) == set()


# Parameters


def test_removed_parameter_is_breaking() -> None:
    base, head = api(parameters=[param("search")]), api(parameters=[])
    assert breaking(base, head) == {f"parameter-removed: {OP} query.search"}


@pytest.mark.parametrize("where", ["query", "header", "cookie", "path"])
def test_new_required_parameter_is_breaking(where: str) -> None:
    path = "/api/v1/labs/{x}" if where == "path" else "/api/v1/labs"
    base = api(path=path, parameters=[])
    head = api(path=path, parameters=[param("x", where, required=True)])
    operation = "POST /api/v1/labs/{}" if where == "path" else OP
    assert breaking(base, head) == {f"parameter-added-required: {operation} {where}.x"}


@pytest.mark.parametrize("where", ["query", "header", "cookie"])
def test_new_optional_parameter_is_additive(where: str) -> None:
    base, head = api(parameters=[]), api(parameters=[param("x", where)])
    assert breaking(base, head) == set()
    assert changelog(base, head) == {f"parameter-added-optional: {OP} {where}.x"}


def test_optional_parameter_made_required_is_breaking() -> None:
    base = api(parameters=[param("year")])
    head = api(parameters=[param("year", required=True)])
    assert breaking(base, head) == {f"parameter-became-required: {OP} query.year"}


def test_required_parameter_made_optional_is_additive() -> None:
    base = api(parameters=[param("year", required=True)])
    head = api(parameters=[param("year")])
    assert breaking(base, head) == set()
    assert changelog(base, head) == {f"parameter-became-optional: {OP} query.year"}


def test_header_parameter_names_match_case_insensitively() -> None:
    base = api(parameters=[param("X-Request-Id", "header")])
    head = api(parameters=[param("x-request-id", "header")])
    assert compare(base, head).breaking == ()


# Request bodies


def test_new_required_request_property_is_breaking() -> None:
    base = api(body=obj({"name": STRING}, ("name",)))
    head = api(body=obj({"name": STRING, "code": STRING}, ("name", "code")))
    assert breaking(base, head) == {f"request-property-added-required: {OP} body.code"}


def test_new_optional_request_property_is_additive() -> None:
    base = api(body=obj({"name": STRING}, ("name",)))
    head = api(body=obj({"name": STRING, "code": STRING}, ("name",)))
    assert breaking(base, head) == set()
    assert changelog(base, head) == {f"request-property-added-optional: {OP} body.code"}


def test_optional_request_property_made_required_is_breaking() -> None:
    base = api(body=obj({"code": STRING}))
    head = api(body=obj({"code": STRING}, ("code",)))
    assert breaking(base, head) == {f"request-property-became-required: {OP} body.code"}


def test_required_request_property_made_optional_is_additive() -> None:
    base = api(body=obj({"code": STRING}, ("code",)))
    head = api(body=obj({"code": STRING}))
    assert breaking(base, head) == set()
    assert changelog(base, head) == {f"request-property-became-optional: {OP} body.code"}


@pytest.mark.parametrize("had_body", [True, False], ids=["was-optional", "was-absent"])
def test_request_body_newly_required_is_breaking(had_body: bool) -> None:
    base = api(body=obj({}), body_required=False) if had_body else api()
    head = api(body=obj({}), body_required=True)
    assert breaking(base, head) == {f"request-body-became-required: {OP}"}


@pytest.mark.parametrize("had_body", [True, False], ids=["was-required", "was-absent"])
def test_optional_request_body_is_additive(had_body: bool) -> None:
    base = api(body=obj({}), body_required=True) if had_body else api()
    head = api(body=obj({}), body_required=False)
    assert breaking(base, head) == set()


def test_removed_request_body_is_breaking() -> None:
    assert breaking(api(body=obj({})), api()) == {f"request-body-removed: {OP}"}


def test_removed_request_property_is_breaking_only_when_extra_properties_are_rejected() -> None:
    base = api(body=obj({"name": STRING, "note": STRING}))
    ignored = api(body=obj({"name": STRING}))
    rejected = api(body=obj({"name": STRING}, additionalProperties=False))
    assert breaking(base, rejected) == {f"request-property-removed: {OP} body.note"}
    assert breaking(base, ignored) == set()
    assert changelog(base, ignored) == {f"request-property-removed: {OP} body.note"}


# Enums


def test_removed_request_enum_value_is_breaking() -> None:
    def order(*values: str) -> Schema:
        return api(parameters=[param("order", schema={"type": "string", "enum": list(values)})])

    assert breaking(order("asc", "desc"), order("asc")) == {
        f"request-enum-value-removed: {OP} query.order"
    }


def test_added_request_enum_value_is_additive() -> None:
    def order(*values: str) -> Schema:
        return api(parameters=[param("order", schema={"type": "string", "enum": list(values)})])

    assert breaking(order("asc"), order("asc", "desc")) == set()
    assert changelog(order("asc"), order("asc", "desc")) == {
        f"request-enum-value-added: {OP} query.order"
    }


def role_api(*values: str, request: bool) -> Schema:
    """`Role` in the 200 response, and in the request body too when `request`."""
    schemas = {
        "Role": {"type": "string", "enum": list(values)},
        "Member": obj({"role": ref("Role")}),
    }
    return api(body=ref("Member") if request else None, response=ref("Member"), schemas=schemas)


def test_added_response_enum_value_is_not_breaking() -> None:
    base, head = (
        role_api("admin", "member", request=False),
        role_api("admin", "member", "auditor", request=False),
    )
    assert breaking(base, head) == set()
    assert changelog(base, head) == {f"response-enum-value-added: {OP} 200 body.role"}


def test_removed_response_enum_value_is_not_breaking() -> None:
    base, head = role_api("admin", "member", request=False), role_api("admin", request=False)
    assert breaking(base, head) == set()
    assert changelog(base, head) == {f"response-enum-value-removed: {OP} 200 body.role"}


def test_response_enum_policy_can_be_switched_to_breaking(monkeypatch: pytest.MonkeyPatch) -> None:
    """openapi-python-client parses enums strictly; the policy is one switch away."""
    monkeypatch.setattr("scripts.openapi_diff.RESPONSE_ENUM_ADDITION_BREAKS", True)
    base, head = role_api("admin", request=False), role_api("admin", "auditor", request=False)
    assert breaking(base, head) == {f"response-enum-value-added: {OP} 200 body.role"}


def test_enum_shared_by_request_and_response_is_checked_in_both_directions() -> None:
    base, head = role_api("admin", "member", request=True), role_api("admin", request=True)
    assert breaking(base, head) == {f"request-enum-value-removed: {OP} body.role"}
    assert breaking(head, base) == set()


def test_response_enum_dropped_is_breaking() -> None:
    base = api(response={"type": "string", "enum": ["a", "b"]})
    assert breaking(base, api(response=STRING)) == {f"response-type-changed: {OP} 200 body"}


# Request types and constraints


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
    assert (
        breaking(lower, abc) == breaking(abc, lower) == {f"request-constraint-tightened: {OP} body"}
    )


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


# Response properties and types


def test_removed_response_property_is_breaking() -> None:
    base = api(response=obj({"name": STRING, "note": STRING}, ("name",)))
    head = api(response=obj({"name": STRING}, ("name",)))
    assert breaking(base, head) == {f"response-property-removed: {OP} 200 body.note"}


def test_added_response_property_is_additive() -> None:
    base = api(response=obj({"name": STRING}, ("name",)))
    head = api(response=obj({"name": STRING, "code": STRING, "note": STRING}, ("name", "code")))
    assert breaking(base, head) == set()
    assert changelog(base, head) == {
        f"response-property-added: {OP} 200 body.code",
        f"response-property-added: {OP} 200 body.note",
    }


def test_response_property_no_longer_required_is_breaking() -> None:
    base, head = api(response=obj({"code": STRING}, ("code",))), api(response=obj({"code": STRING}))
    assert breaking(base, head) == {f"response-property-became-optional: {OP} 200 body.code"}


def test_response_property_made_required_is_additive() -> None:
    base, head = api(response=obj({"code": STRING})), api(response=obj({"code": STRING}, ("code",)))
    assert breaking(base, head) == set()
    assert changelog(base, head) == {f"response-property-became-required: {OP} 200 body.code"}


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
    base, head = (
        api(response=obj({"region": STRING})),
        api(response=obj({"region": nullable(STRING)})),
    )
    assert breaking(base, head) == {f"response-type-changed: {OP} 200 body.region"}
    assert details(base, head) == "may now be null"


def test_response_type_changed_inside_any_of_is_breaking() -> None:
    base = api(response=obj({"share": nullable(STRING)}))
    head = api(response=obj({"share": nullable(NUMBER)}))
    assert breaking(base, head) == {f"response-type-changed: {OP} 200 body.share"}


# Component schemas, $ref, recursion and direction


def test_removed_component_schema_is_breaking() -> None:
    base = document(schemas={"Lab": obj({}), "Old": obj({})})
    assert breaking(base, document(schemas={"Lab": obj({})})) == {
        "schema-removed: #/components/schemas/Old"
    }


def test_added_component_schema_is_additive() -> None:
    base, head = (
        document(schemas={"Lab": obj({})}),
        document(schemas={"Lab": obj({}), "New": obj({})}),
    )
    assert breaking(base, head) == set()
    assert changelog(base, head) == {"schema-added: #/components/schemas/New"}


def test_locations_follow_refs_and_array_items() -> None:
    schemas = {
        "Page": obj({"items": {"type": "array", "items": ref("Lab")}}),
        "Lab": obj({"code": STRING}),
    }
    head_schemas = copy.deepcopy(schemas)
    head_schemas["Lab"]["properties"]["code"] = INTEGER
    base, head = (
        api(response=ref("Page"), schemas=schemas),
        api(response=ref("Page"), schemas=head_schemas),
    )
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


# Invalid input and the real document


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


def test_real_document_has_no_change_against_itself() -> None:
    spec = json.loads((ROOT / "openapi" / "openapi.json").read_text(encoding="utf-8"))
    report = compare(spec, copy.deepcopy(spec))
    assert (report.breaking, report.changelog) == ((), ())


def test_real_document_change_is_reported_in_every_operation_using_the_schema() -> None:
    spec = json.loads((ROOT / "openapi" / "openapi.json").read_text(encoding="utf-8"))
    if "code" not in spec["components"]["schemas"].get("LabPublic", {}).get("properties", {}):
        pytest.skip("openapi.json no longer has LabPublic.code")
    head = copy.deepcopy(spec)
    del head["components"]["schemas"]["LabPublic"]["properties"]["code"]
    found = breaking(spec, head)
    assert "response-property-removed: GET /api/v1/labs 200 body.items[].code" in found
    assert "response-property-removed: GET /api/v1/labs/{} 200 body.code" in found
    assert all(identifier.startswith("response-property-removed: ") for identifier in found)


# CLI


def write(tmp_path: Path, name: str, doc: Any) -> str:
    path = tmp_path / name
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc), encoding="utf-8")
    return str(path)


def test_cli_exits_0_when_changes_are_additive(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main([write(tmp_path, "base.json", document()), write(tmp_path, "head.json", api())]) == 0
    )
    assert f"+ operation-added: {OP}" in capsys.readouterr().out


def test_cli_exits_1_on_a_breaking_change(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main([write(tmp_path, "base.json", api()), write(tmp_path, "head.json", document())]) == 1
    )
    assert f"BREAKING operation-removed: {OP}" in capsys.readouterr().out


@pytest.mark.parametrize(
    "head",
    [None, "{not json", json.dumps({"paths": {}}), json.dumps(api(response=ref("Missing")))],
    ids=["missing-file", "not-json", "not-openapi", "dangling-ref"],
)
def test_cli_exits_2_on_invalid_input(
    tmp_path: Path, head: str | None, capsys: pytest.CaptureFixture[str]
) -> None:
    head_path = (
        str(tmp_path / "absent.json") if head is None else write(tmp_path, "head.json", head)
    )
    assert main([write(tmp_path, "base.json", api()), head_path]) == 2
    assert "openapi-diff: error:" in capsys.readouterr().err


def test_cli_accepts_breaking_changes_listed_in_breaking_md(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = [write(tmp_path, "base.json", api()), write(tmp_path, "head.json", document())]
    accepted = write(
        tmp_path, "BREAKING.md", f"# Accepted\n\n- `operation-removed: {OP}`: labs moved\n"
    )
    assert main([*files, "--accepted", accepted]) == 0
    line = f"accepted operation-removed: {OP}  -- {OP} (createLab)  [accepted: labs moved]"
    assert line in [text.strip() for text in capsys.readouterr().out.splitlines()]


@pytest.mark.parametrize(
    "text",
    [
        None,
        f"- `operation-removed: {OP}`:\n",
        f"```\n- `operation-removed: {OP}`: only an example\n```\n",
        "- `operation-removed: GET /api/v1/labs`: another operation\n",
    ],
    ids=["missing-file", "no-reason", "in-code-block", "other-identifier"],
)
def test_cli_does_not_accept_unlisted_or_unexplained_changes(
    tmp_path: Path, text: str | None
) -> None:
    files = [write(tmp_path, "base.json", api()), write(tmp_path, "head.json", document())]
    accepted = (
        str(tmp_path / "BREAKING.md") if text is None else write(tmp_path, "BREAKING.md", text)
    )
    assert main([*files, "--accepted", accepted]) == 1


def test_repository_breaking_md_entries_name_a_rule_a_location_and_a_reason() -> None:
    accepted = load_accepted(ROOT / "openapi" / "BREAKING.md")
    for identifier, reason in accepted.items():
        rule, _, location = identifier.partition(": ")
        assert re.fullmatch(r"[a-z]+(-[a-z]+)+", rule), identifier
        assert location.strip(), identifier
        assert reason.strip(), identifier


def test_module_runs_as_python_dash_m(tmp_path: Path) -> None:
    files = [write(tmp_path, "base.json", api()), write(tmp_path, "head.json", document())]
    command = [sys.executable, "-m", "scripts.openapi_diff", *files]
    result = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, check=False, timeout=60
    )
    assert (result.returncode, result.stderr) == (1, "")
    assert f"operation-removed: {OP}" in result.stdout
