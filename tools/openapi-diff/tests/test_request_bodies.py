"""rules/request_bodies.py and rules/media.py on the request side."""

import pytest
from builders import OP, STRING, Schema, api, breaking, changelog, obj


def test_removed_request_media_type_is_breaking() -> None:
    body = obj({"name": STRING})
    base, head = api(body=body), api(body=body, body_media="multipart/form-data")
    assert breaking(base, head) == {f"request-media-type-removed: {OP} application/json"}
    assert changelog(base, head) == {f"request-media-type-added: {OP} multipart/form-data"}


def test_multipart_request_body_is_compared_on_its_own() -> None:
    def upload(required: tuple[str, ...]) -> Schema:
        form = obj({"file": {"type": "string", "format": "binary"}}, required)
        return api(body=form, body_media="multipart/form-data")

    assert breaking(upload(()), upload(("file",))) == {
        f"request-property-became-required: {OP} multipart/form-data body.file"
    }
    assert breaking(upload(("file",)), upload(())) == set()


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
