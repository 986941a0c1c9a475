"""rules/security_schemes.py and rules/security_requirements.py."""

import copy

from builders import OP, Schema, api, breaking, changelog, details, operation

BEARER: Schema = {"type": "oauth2", "flows": {"password": {"tokenUrl": "/login", "scopes": {}}}}
API_KEY: Schema = {"type": "apiKey", "in": "header", "name": "X-API-Key"}
BOTH: list[Schema] = [{"Bearer": []}, {"ApiKey": []}]


def secured(security: list[Schema] | None = None, **schemes: Schema) -> Schema:
    doc = api(security=BOTH if security is None else security)
    doc["components"]["securitySchemes"] = schemes or {"Bearer": BEARER, "ApiKey": API_KEY}
    return doc


def test_renamed_api_key_header_is_breaking() -> None:
    head = secured(Bearer=BEARER, ApiKey={**API_KEY, "name": "X-Api-Token"})
    assert breaking(secured(), head) == {
        "security-scheme-changed: #/components/securitySchemes/ApiKey"
    }
    assert details(secured(), head) == 'name "X-API-Key" -> "X-Api-Token"'


def test_api_key_header_names_match_case_insensitively() -> None:
    head = secured(Bearer=BEARER, ApiKey={**API_KEY, "name": "x-api-key", "description": "A key"})
    assert breaking(secured(), head) == changelog(secured(), head) == set()


def test_api_key_moved_to_the_query_is_breaking() -> None:
    head = secured(Bearer=BEARER, ApiKey={**API_KEY, "in": "query"})
    assert breaking(secured(), head) == {
        "security-scheme-changed: #/components/securitySchemes/ApiKey"
    }


def test_removed_security_scheme_is_breaking_where_operations_used_it() -> None:
    head = secured([{"Bearer": []}], Bearer=BEARER)
    assert breaking(secured(), head) == {
        "security-scheme-removed: #/components/securitySchemes/ApiKey",
        f"security-requirement-removed: {OP}",
    }


def test_security_scheme_renamed_with_the_same_definition_is_a_changelog_line() -> None:
    head = secured([{"Bearer": []}, {"Key": []}], Bearer=BEARER, Key=API_KEY)
    assert breaking(secured(), head) == set()
    assert changelog(secured(), head) == {
        "security-scheme-renamed: #/components/securitySchemes/ApiKey"
    }


def test_oauth2_flow_changes() -> None:
    refreshing = copy.deepcopy(BEARER)
    refreshing["flows"]["password"]["refreshUrl"] = "/refresh"
    moved = copy.deepcopy(BEARER)
    moved["flows"]["password"]["tokenUrl"] = "/token"
    location = "#/components/securitySchemes/Bearer"
    base = secured(Bearer=BEARER, ApiKey=API_KEY)
    assert changelog(base, secured(Bearer=refreshing, ApiKey=API_KEY)) == {
        f"security-scheme-extended: {location}"
    }
    assert breaking(base, secured(Bearer=moved, ApiKey=API_KEY)) == {
        f"security-scheme-changed: {location}"
    }


def test_operation_losing_a_security_scheme_is_breaking() -> None:
    assert breaking(secured(), secured([{"Bearer": []}])) == {f"security-requirement-removed: {OP}"}


def test_operation_gaining_a_security_scheme_is_additive() -> None:
    base, head = secured([{"Bearer": []}]), secured()
    assert breaking(base, head) == set()
    assert changelog(base, head) == {f"security-requirement-added: {OP}"}


def test_operation_needing_both_schemes_together_is_breaking() -> None:
    assert breaking(secured(), secured([{"Bearer": [], "ApiKey": []}])) == {
        f"security-requirement-removed: {OP}"
    }


def test_operation_needing_a_new_scope_is_breaking() -> None:
    base, head = secured([{"Bearer": []}]), secured([{"Bearer": ["admin"]}])
    assert breaking(base, head) == {f"security-requirement-removed: {OP}"}
    assert breaking(head, base) == set()


def test_public_operation_becoming_authenticated_is_breaking() -> None:
    assert breaking(secured([]), secured()) == {f"security-became-required: {OP}"}


def test_operation_becoming_public_is_a_changelog_line() -> None:
    assert breaking(secured(), secured([])) == set()
    assert changelog(secured(), secured([])) == {f"security-became-optional: {OP}"}


def test_document_security_applies_where_an_operation_says_nothing() -> None:
    public, inherited = secured(), secured()
    del operation(public)["security"], operation(inherited)["security"]
    inherited["security"] = [{"Bearer": []}]
    assert breaking(public, inherited) == {f"security-became-required: {OP}"}
    explicit = secured([{"Bearer": []}])
    assert breaking(inherited, explicit) == changelog(inherited, explicit) == set()


def test_optional_authentication_made_mandatory_is_breaking() -> None:
    base, head = secured([{}, {"Bearer": []}]), secured([{"Bearer": []}])
    assert breaking(base, head) == {f"security-became-required: {OP}"}
