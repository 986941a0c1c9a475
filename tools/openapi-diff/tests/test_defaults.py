"""rules/defaults.py: what the server does with a field a client leaves out."""

from builders import OP, STRING, Schema, api, breaking, changelog, details, nullable, obj, param
from builders import ref as component


def limit(**extra: object) -> Schema:
    return api(parameters=[param("limit", schema={"type": "integer", **extra})])


def test_changed_request_default_is_breaking() -> None:
    base = api(body=obj({"policy": {**STRING, "default": "skip"}}))
    head = api(body=obj({"policy": {**STRING, "default": "abort"}}))
    assert breaking(base, head) == {f"request-default-changed: {OP} body.policy"}
    assert details(base, head) == 'default "skip" -> "abort"'


def test_changed_parameter_default_is_breaking() -> None:
    assert breaking(limit(default=50), limit(default=20)) == {
        f"request-default-changed: {OP} query.limit"
    }


def test_removed_request_default_is_breaking() -> None:
    assert breaking(limit(default=50), limit()) == {f"request-default-changed: {OP} query.limit"}


def test_new_request_default_is_a_changelog_line() -> None:
    assert breaking(limit(), limit(default=50)) == set()
    assert changelog(limit(), limit(default=50)) == {f"request-default-added: {OP} query.limit"}


def test_default_beside_a_ref_and_in_the_component_are_the_same() -> None:
    schemas = {"Policy": {**STRING, "default": "skip"}}
    inline = api(body=obj({"policy": {**component("Policy"), "default": "skip"}}), schemas=schemas)
    from_component = api(body=obj({"policy": component("Policy")}), schemas=schemas)
    assert breaking(inline, from_component) == changelog(inline, from_component) == set()


def test_default_of_a_nullable_field_is_compared() -> None:
    base = api(body=obj({"note": {**nullable(STRING), "default": None}}))
    head = api(body=obj({"note": {**nullable(STRING), "default": ""}}))
    assert breaking(base, head) == {f"request-default-changed: {OP} body.note"}


def test_changed_response_default_is_a_changelog_line() -> None:
    base = api(response=obj({"policy": {**STRING, "default": "skip"}}))
    head = api(response=obj({"policy": {**STRING, "default": "abort"}}))
    assert breaking(base, head) == set()
    assert changelog(base, head) == {f"response-default-changed: {OP} 200 body.policy"}
