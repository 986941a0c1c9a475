"""rules/objects.py: properties and additionalProperties, in requests and responses."""

from builders import OP, STRING, api, breaking, changelog, obj


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


def test_removed_request_property_is_breaking_only_when_extra_properties_are_rejected() -> None:
    base = api(body=obj({"name": STRING, "note": STRING}))
    ignored = api(body=obj({"name": STRING}))
    rejected = api(body=obj({"name": STRING}, additionalProperties=False))
    assert breaking(base, rejected) == {f"request-property-removed: {OP} body.note"}
    assert breaking(base, ignored) == set()
    assert changelog(base, ignored) == {f"request-property-removed: {OP} body.note"}


def test_forbidding_declared_additional_properties_is_breaking() -> None:
    base = api(body=obj({}, additionalProperties=STRING))
    head = api(body=obj({}, additionalProperties=False))
    assert breaking(base, head) == {f"request-additional-properties-forbidden: {OP} body"}
    assert breaking(api(body=obj({})), head) == set()


def test_additional_properties_schemas_are_compared() -> None:
    base = api(response=obj({}, additionalProperties=STRING))
    head = api(response=obj({}, additionalProperties={"type": "integer"}))
    assert breaking(base, head) == {f"response-type-changed: {OP} 200 body{{}}"}


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
