"""The breaking-change gate on our own spec: single edits of `openapi/openapi.json` that a client
would feel, each reported, and a rewrite that changes nothing, reported as nothing.

The rules themselves are tested in tools/openapi-diff/tests."""

import copy
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openapi_diff import compare, load_accepted

ROOT = Path(__file__).resolve().parents[2]
Schema = dict[str, Any]


@pytest.fixture(scope="module")
def spec() -> Schema:
    document: Schema = json.loads((ROOT / "openapi" / "openapi.json").read_text(encoding="utf-8"))
    return document


def breaking(base: Schema, head: Schema) -> set[str]:
    return {change.identifier for change in compare(base, head).breaking}


def edited(spec: Schema) -> Schema:
    return copy.deepcopy(spec)


def test_real_document_has_no_change_against_itself(spec: Schema) -> None:
    report = compare(spec, edited(spec))
    assert (report.breaking, report.changelog) == ((), ())


def test_change_is_reported_in_every_operation_using_the_schema(spec: Schema) -> None:
    head = edited(spec)
    del head["components"]["schemas"]["LabPublic"]["properties"]["code"]
    found = breaking(spec, head)
    assert "response-property-removed: GET /api/v1/labs 200 body.items[].code" in found
    assert "response-property-removed: GET /api/v1/labs/{} 200 body.code" in found
    assert all(identifier.startswith("response-property-removed: ") for identifier in found)


def test_renamed_api_key_header_is_breaking(spec: Schema) -> None:
    head = edited(spec)
    head["components"]["securitySchemes"]["APIKeyHeader"]["name"] = "X-Api-Token"
    assert breaking(spec, head) == {
        "security-scheme-changed: #/components/securitySchemes/APIKeyHeader"
    }


def test_operation_losing_a_security_scheme_is_breaking(spec: Schema) -> None:
    head = edited(spec)
    head["paths"]["/api/v1/labs"]["get"]["security"] = [{"OAuth2PasswordBearer": []}]
    assert breaking(spec, head) == {"security-requirement-removed: GET /api/v1/labs"}


def test_public_operation_becoming_authenticated_is_breaking(spec: Schema) -> None:
    head = edited(spec)
    head["paths"]["/api/v1/health"]["get"]["security"] = [{"APIKeyHeader": []}]
    assert breaking(spec, head) == {"security-became-required: GET /api/v1/health"}


def test_changed_const_in_a_websocket_message_is_breaking(spec: Schema) -> None:
    """The WebSocket's messages reach the spec only as components (`JobStreamMessage`)."""
    head = edited(spec)
    head["components"]["schemas"]["JobStreamReady"]["properties"]["type"]["const"] = "done"
    found = breaking(spec, head)
    assert "response-enum-value-added: #/components/schemas/JobStreamMessage body.type" in found
    assert all("#/components/schemas/JobStreamMessage body.type" in item for item in found)


def test_new_field_in_a_websocket_message_is_additive(spec: Schema) -> None:
    """The server sends the messages and clients parse them: they are read as responses."""
    head = edited(spec)
    ready = head["components"]["schemas"]["JobStreamReady"]
    ready["properties"]["lag"] = {"type": "integer"}
    ready["required"].append("lag")
    report = compare(spec, head)
    assert report.breaking == ()
    assert [change.identifier for change in report.changelog] == [
        "response-property-added: #/components/schemas/JobStreamMessage body.lag"
    ]


def test_changed_default_of_a_request_field_is_breaking(spec: Schema) -> None:
    head = edited(spec)
    head["components"]["schemas"]["MemberCreate"]["properties"]["role"]["default"] = "manager"
    assert breaking(spec, head) == {
        "request-default-changed: POST /api/v1/labs/{}/members body.role"
    }


def test_removed_response_header_is_breaking(spec: Schema) -> None:
    base = edited(spec)
    response = base["paths"]["/api/v1/labs"]["post"]["responses"]["201"]
    response.setdefault("headers", {})["Location"] = {
        "required": True,
        "schema": {"type": "string"},
    }
    head = edited(base)
    del head["paths"]["/api/v1/labs"]["post"]["responses"]["201"]["headers"]["Location"]
    assert breaking(base, head) == {
        "response-header-removed: POST /api/v1/labs 201 header.Location"
    }


def test_new_value_in_a_response_only_enum_is_breaking(spec: Schema) -> None:
    """openapi-python-client 0.29.1 parses enums strictly: `JobState("paused")` raises."""
    head = edited(spec)
    head["components"]["schemas"]["JobState"]["enum"].append("paused")
    found = breaking(spec, head)
    assert "response-enum-value-added: GET /api/v1/imports/{} 200 body.state" in found
    assert all(identifier.startswith("response-enum-value-added: ") for identifier in found)


def _nullable_unions(node: Any) -> Iterator[Schema]:
    """Every `{"anyOf": [<inline schema with a type>, {"type": "null"}], ...}` in `node`."""
    if isinstance(node, dict):
        branches = node.get("anyOf")
        if (
            isinstance(branches, list)
            and len(branches) == 2
            and branches[1] == {"type": "null"}
            and isinstance(branches[0].get("type"), str)
        ):
            yield node
        for value in node.values():
            yield from _nullable_unions(value)
    elif isinstance(node, list):
        for item in node:
            yield from _nullable_unions(item)


def test_any_of_with_null_rewritten_as_a_type_list_is_no_change(spec: Schema) -> None:
    head = edited(spec)
    unions = list(_nullable_unions(head))
    assert len(unions) > 10  # the spec has many optional fields
    for union in unions:
        typed, _ = union.pop("anyOf")
        union.update({**typed, "type": [typed["type"], "null"]})
    report = compare(spec, head)
    assert (report.breaking, report.changelog) == ((), ())


def test_repository_breaking_md_entries_name_a_rule_a_location_and_a_reason() -> None:
    accepted = load_accepted(ROOT / "openapi" / "BREAKING.md")
    for identifier, reason in accepted.items():
        rule, _, location = identifier.partition(": ")
        assert re.fullmatch(r"[a-z]+(-[a-z]+)+", rule), identifier
        assert location.strip(), identifier
        assert reason.strip(), identifier
