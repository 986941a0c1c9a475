"""The exported document's promises (docs/api.md): every operation has a
unique readable operationId, one tag, a summary, a stated security requirement and problem+json
error responses; the export is deterministic."""

import json
import re
from typing import Any

import pytest

from app.api.openapi import database_operations
from app.config import settings
from app.main import create_app
from app.models.user import PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, check_password_strength

METHODS = {"get", "put", "post", "delete", "patch", "options", "head", "trace"}
PUBLIC = {
    "getHealth",
    "getReadiness",
    "login",
    "refreshTokens",
    "startBrowserSession",
    "refreshBrowserSession",  # its credential is the session cookie (a cookie parameter)
}


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return create_app().openapi()


def _operations(spec: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [
        (f"{method.upper()} {path}", operation)
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def test_two_builds_give_the_same_bytes(spec: dict[str, Any]) -> None:
    again = create_app().openapi()
    assert json.dumps(again, indent=2) == json.dumps(spec, indent=2)


def test_operation_ids_are_unique_readable_camel_case(spec: dict[str, Any]) -> None:
    ids = [operation["operationId"] for _, operation in _operations(spec)]
    assert len(ids) == len(set(ids))
    for operation_id in ids:
        assert re.fullmatch(r"[a-z][a-zA-Z]*", operation_id), operation_id


def test_every_operation_has_one_tag_a_summary_and_no_tag_stutter(spec: dict[str, Any]) -> None:
    for label, operation in _operations(spec):
        assert len(operation.get("tags", [])) == 1, label
        assert operation.get("summary", "").strip(), label
        tag = operation["tags"][0].replace("-", "").lower()
        assert not operation["operationId"].lower().startswith(tag + tag), label


def test_every_operation_states_its_security(spec: dict[str, Any]) -> None:
    for label, operation in _operations(spec):
        security = operation["security"]  # present on every operation, [] when public
        if operation["operationId"] in PUBLIC:
            assert security == [], label
        else:
            assert {"OAuth2PasswordBearer": []} in security, label
            assert {"APIKeyHeader": []} in security, label


def test_every_error_response_is_problem_json(spec: dict[str, Any]) -> None:
    for label, operation in _operations(spec):
        errors = {status: body for status, body in operation["responses"].items() if status >= "4"}
        assert "500" in errors, label
        if operation["operationId"] not in PUBLIC:
            assert "401" in errors, label
        for status, response in errors.items():
            schema = response["content"]["application/problem+json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/ProblemDetails"}, (label, status)


# -- What a client relies on beyond bodies: headers, tags, servers, flows, limits, links ---------


def _responses(spec: dict[str, Any]) -> list[tuple[str, int, dict[str, Any]]]:
    return [
        (label, int(status), response)
        for label, operation in _operations(spec)
        for status, response in operation["responses"].items()
    ]


def _header(spec: dict[str, Any], response: dict[str, Any], name: str) -> dict[str, Any]:
    """The response's header `name`, resolved; {} when it has none."""
    header: dict[str, Any] = response.get("headers", {}).get(name, {})
    if "$ref" in header:
        header = spec["components"]["headers"][header["$ref"].rsplit("/", 1)[1]]
    return header


def test_every_response_documents_its_request_id(spec: dict[str, Any]) -> None:
    for label, status, response in _responses(spec):
        header = _header(spec, response, "X-Request-ID")
        assert header.get("required") is True, (label, status)
        assert header["schema"] == {"type": "string", "minLength": 1, "maxLength": 128}


def test_429_and_503_always_say_when_to_retry_and_401_how_to_authenticate(
    spec: dict[str, Any],
) -> None:
    seen = set()
    for label, status, response in _responses(spec):
        if status in (429, 503):
            header = _header(spec, response, "Retry-After")
            assert header.get("required") is True, (label, status)
            assert header["schema"] == {"type": "integer", "minimum": 1}
            seen.add(status)
        if status == 401:
            header = _header(spec, response, "WWW-Authenticate")
            assert header.get("required") is True, label
    assert seen == {429, 503}


def test_a_conflict_that_may_carry_retry_after_says_so_but_does_not_promise_it(
    spec: dict[str, Any],
) -> None:
    conflict = spec["paths"]["/api/v1/factors/{factor_id}"]["patch"]["responses"]["409"]
    header = _header(spec, conflict, "Retry-After")
    assert header.get("required") is False
    assert header["schema"] == {"type": "integer", "minimum": 1}
    assert "running imports" in header["description"]
    # Conflicts that never carry it do not mention it.
    other = spec["paths"]["/api/v1/labs/{lab_id}"]["delete"]["responses"]["409"]
    assert _header(spec, other, "Retry-After") == {}


def test_operations_using_the_database_document_503_and_liveness_does_not(
    spec: dict[str, Any],
) -> None:
    for label, operation in _operations(spec):
        expected = operation["operationId"] != "getHealth"  # the only one without a session
        assert ("503" in operation["responses"]) is expected, label


def test_database_operations_follow_the_session_dependency() -> None:
    app = create_app()
    found = database_operations(app.routes)
    assert ("/api/v1/labs/{lab_id}", "get") in found
    assert ("/metrics", "get") in found  # its caller is authenticated against the database
    assert ("/api/v1/health", "get") not in found
    assert ("/api/v1/health/ready", "get") not in found  # it declares its own 503


def test_tags_are_declared_once_with_a_description_and_all_used(spec: dict[str, Any]) -> None:
    declared = [tag["name"] for tag in spec["tags"]]
    assert len(declared) == len(set(declared))
    for tag in spec["tags"]:
        assert len(tag["description"]) > 20, tag["name"]
    used = {operation["tags"][0] for _, operation in _operations(spec)}
    assert used == set(declared)


def test_servers_is_relative_so_clients_keep_a_configurable_base_url(
    spec: dict[str, Any],
) -> None:
    assert [server["url"] for server in spec["servers"]] == ["/"]


def test_the_password_flow_names_its_token_and_refresh_urls(spec: dict[str, Any]) -> None:
    flow = spec["components"]["securitySchemes"]["OAuth2PasswordBearer"]["flows"]["password"]
    by_id = {operation["operationId"]: label for label, operation in _operations(spec)}
    assert by_id["login"] == f"POST {flow['tokenUrl']}"
    assert by_id["refreshTokens"] == f"POST {flow['refreshUrl']}"


def test_new_passwords_state_every_rule_the_server_checks(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    for field in (
        schemas["UserCreate"]["properties"]["password"],
        schemas["PasswordChange"]["properties"]["new_password"],
    ):
        assert (field["minLength"], field["maxLength"]) == (
            PASSWORD_MIN_LENGTH,
            PASSWORD_MAX_LENGTH,
        )
        description = field["description"]
        for rule in (
            "5 of them different",
            "not only letters",
            "not only digits",
            "NUL",
            "whitespace at the start or the end",
        ):
            assert rule in description, rule
    # Each rule the description names is one the server enforces (and nothing more).
    for weak in (
        "aaaaabbbbb",
        "abcdefghij",
        "1234567890",
        "abcd\x00fgh1",
        " abcdefgh1",
        "abcdefgh1 ",
    ):
        with pytest.raises(ValueError, match=r"^must "):
            check_password_strength(weak)
    assert check_password_strength("!@#$%^&*()") == "!@#$%^&*()"  # symbols only: allowed


def test_limits_are_named_with_their_defaults(spec: dict[str, Any]) -> None:
    description = spec["info"]["description"]
    for limit in (
        "`REQUEST_HEAD_MAX_BYTES` (64 KiB",
        "`REQUEST_MAX_BYTES` (1 MiB",
        "`IMPORT_MAX_BYTES` (100 MiB",
    ):
        assert limit in description
    for label, operation in _operations(spec):
        if "413" not in operation["responses"]:
            continue
        too_large = operation["responses"]["413"]["description"]
        upload = "multipart/form-data" in operation["requestBody"]["content"]
        assert ("IMPORT_MAX_BYTES" if upload else "REQUEST_MAX_BYTES") in too_large, label


def test_limit_defaults_in_the_document_do_not_follow_the_environment(
    monkeypatch: pytest.MonkeyPatch, spec: dict[str, Any]
) -> None:
    monkeypatch.setattr(settings, "IMPORT_MAX_BYTES", 5)
    assert create_app().openapi()["info"]["description"] == spec["info"]["description"]


def _links(spec: dict[str, Any]) -> list[tuple[dict[str, Any], str, dict[str, Any]]]:
    return [
        (operation, status, link)
        for _, operation in _operations(spec)
        for status, response in operation["responses"].items()
        for link in response.get("links", {}).values()
    ]


def test_created_resources_link_to_what_reads_changes_and_deletes_them(
    spec: dict[str, Any],
) -> None:
    def links_of(path: str, method: str, status: str) -> dict[str, Any]:
        links: dict[str, Any] = spec["paths"][path][method]["responses"][status]["links"]
        return links

    lab = links_of("/api/v1/labs", "post", "201")
    assert {"getLab", "updateLab", "replaceLab", "deleteLab", "createEntry"} <= set(lab)
    assert lab["getLab"]["parameters"] == {"lab_id": "$response.body#/id"}
    assert lab["updateLab"]["requestBody"] == {"version": "$response.body#/version"}
    entry = links_of("/api/v1/labs/{lab_id}/entries", "post", "201")
    assert set(entry) == {"getEntry", "updateEntry", "deleteEntry"}
    member = links_of("/api/v1/labs/{lab_id}/members", "post", "201")
    assert member["removeLabMember"]["parameters"] == {
        "lab_id": "$request.path.lab_id",
        "user_id": "$response.body#/user_id",
    }
    assert "links" not in spec["paths"]["/api/v1/labs"]["get"]["responses"]["200"]  # a list
    key = links_of("/api/v1/users/me/api-keys", "post", "201")
    assert key["revokeMyApiKey"]["parameters"] == {"key_id": "$response.body#/id"}


def _pointer_exists(spec: dict[str, Any], schema: dict[str, Any], pointer: str) -> bool:
    for part in pointer.strip("/").split("/"):
        if "$ref" in schema:
            schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
        if part.isdigit():
            if schema.get("type") != "array":
                return False
            schema = schema["items"]
        elif part in schema.get("properties", {}):
            schema = schema["properties"][part]
        else:
            return False
    return True


def test_every_link_names_a_real_operation_parameter_and_response_field(
    spec: dict[str, Any],
) -> None:
    operations = {
        operation["operationId"]: (label, operation) for label, operation in _operations(spec)
    }
    for source, status, link in _links(spec):
        label, _ = operations[link["operationId"]]
        wanted = set(re.findall(r"\{(\w+)\}", label))
        assert set(link["parameters"]) == wanted, (source["operationId"], link["operationId"])
        body = source["responses"][status]["content"]["application/json"]["schema"]
        own = {p["name"] for p in source.get("parameters", []) if p["in"] == "path"}
        for expression in (*link["parameters"].values(), *link.get("requestBody", {}).values()):
            if expression.startswith("$request.path."):
                assert expression.removeprefix("$request.path.") in own, expression
            else:
                pointer = expression.removeprefix("$response.body#")
                assert _pointer_exists(spec, body, pointer), (source["operationId"], expression)


def test_every_operation_with_a_path_parameter_is_reached_by_a_link(spec: dict[str, Any]) -> None:
    """The stateful fuzzing phase (and a client following links) can reach each of them with a
    real id; a new route whose id no response supplies fails here."""
    targets = {link["operationId"] for _, _, link in _links(spec)}
    for label, operation in _operations(spec):
        if "{" in label:
            assert operation["operationId"] in targets, label
