"""rules/responses.py and rules/media.py: statuses, media types and headers of responses."""

import copy

import pytest
from builders import INTEGER, OP, STRING, Schema, api, breaking, changelog, content, obj


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


def with_headers(**headers: Schema) -> Schema:
    return api(responses={"429": {"description": "", "headers": headers}})


def retry_after(*, required: bool = True, schema: Schema = INTEGER) -> Schema:
    return {"required": required, "schema": schema}


def test_removed_response_header_is_breaking() -> None:
    base, head = with_headers(**{"Retry-After": retry_after()}), with_headers()
    assert breaking(base, head) == {f"response-header-removed: {OP} 429 header.Retry-After"}


def test_added_response_header_is_additive() -> None:
    base, head = with_headers(), with_headers(**{"Retry-After": retry_after()})
    assert breaking(base, head) == set()
    assert changelog(base, head) == {f"response-header-added: {OP} 429 header.Retry-After"}


def test_response_header_names_match_case_insensitively() -> None:
    base = with_headers(**{"Retry-After": retry_after()})
    head = with_headers(**{"retry-after": retry_after()})
    assert breaking(base, head) == changelog(base, head) == set()


def test_response_header_no_longer_required_is_breaking() -> None:
    base = with_headers(**{"Retry-After": retry_after()})
    head = with_headers(**{"Retry-After": retry_after(required=False)})
    assert breaking(base, head) == {f"response-header-became-optional: {OP} 429 header.Retry-After"}
    assert changelog(head, base) == {
        f"response-header-became-required: {OP} 429 header.Retry-After"
    }


def test_response_header_schema_is_compared_as_a_response() -> None:
    base = with_headers(**{"Retry-After": retry_after()})
    head = with_headers(**{"Retry-After": retry_after(schema=STRING)})
    assert breaking(base, head) == {f"response-type-changed: {OP} 429 header.Retry-After"}
