"""rules/enums.py: enum and const values in requests and responses."""

from builders import OP, STRING, Schema, api, breaking, changelog, obj, param, ref
from openapi_diff import Policy


def order(*values: str) -> Schema:
    return api(parameters=[param("order", schema={"type": "string", "enum": list(values)})])


def test_removed_request_enum_value_is_breaking() -> None:
    assert breaking(order("asc", "desc"), order("asc")) == {
        f"request-enum-value-removed: {OP} query.order"
    }


def test_added_request_enum_value_is_additive() -> None:
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


def test_added_response_enum_value_is_breaking() -> None:
    """openapi-python-client parses enums strictly: `Role("auditor")` raises ValueError."""
    base = role_api("admin", "member", request=False)
    head = role_api("admin", "member", "auditor", request=False)
    assert breaking(base, head) == {f"response-enum-value-added: {OP} 200 body.role"}


def test_added_response_enum_value_passes_when_clients_tolerate_it() -> None:
    tolerant = Policy(response_enum_addition_breaks=False)
    base, head = role_api("admin", request=False), role_api("admin", "auditor", request=False)
    assert breaking(base, head, tolerant) == set()
    assert changelog(base, head, tolerant) == {f"response-enum-value-added: {OP} 200 body.role"}


def test_removed_response_enum_value_is_not_breaking() -> None:
    base, head = role_api("admin", "member", request=False), role_api("admin", request=False)
    assert breaking(base, head) == set()
    assert changelog(base, head) == {f"response-enum-value-removed: {OP} 200 body.role"}


def test_enum_shared_by_request_and_response_is_checked_in_both_directions() -> None:
    base, head = role_api("admin", "member", request=True), role_api("admin", request=True)
    assert breaking(base, head) == {f"request-enum-value-removed: {OP} body.role"}
    assert breaking(head, base) == {f"response-enum-value-added: {OP} 200 body.role"}


def test_response_enum_dropped_is_breaking() -> None:
    base = api(response={"type": "string", "enum": ["a", "b"]})
    assert breaking(base, api(response=STRING)) == {f"response-type-changed: {OP} 200 body"}


def test_changed_response_const_is_breaking() -> None:
    def kind(value: str) -> Schema:
        return api(response=obj({"type": {"type": "string", "const": value}}, ("type",)))

    assert breaking(kind("ready"), kind("done")) == {
        f"response-enum-value-added: {OP} 200 body.type"
    }
    assert changelog(kind("ready"), kind("done")) == {
        f"response-enum-value-removed: {OP} 200 body.type"
    }


def test_changed_request_const_is_breaking() -> None:
    def kind(value: str) -> Schema:
        return api(body=obj({"type": {"type": "string", "const": value}}, ("type",)))

    assert breaking(kind("ready"), kind("done")) == {f"request-enum-value-removed: {OP} body.type"}
