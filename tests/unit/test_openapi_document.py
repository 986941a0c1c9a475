"""The exported document's promises (README "Clients and the API contract"): every operation has a
unique readable operationId, one tag, a summary, a stated security requirement and problem+json
error responses; the export is deterministic."""

import json
import re
from typing import Any

import pytest

from app.main import create_app

METHODS = {"get", "put", "post", "delete", "patch", "options", "head", "trace"}
PUBLIC = {"getHealth", "getReadiness", "login", "refreshTokens"}


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
