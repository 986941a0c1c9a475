"""rules/parameters.py: parameters matched by place and name."""

import pytest
from builders import OP, STRING, api, breaking, changelog, param
from openapi_diff import compare


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


def test_changed_serialisation_is_breaking() -> None:
    ids = {**param("id", schema={"type": "array", "items": STRING}), "explode": False}
    base, head = (
        api(parameters=[param("id", schema={"type": "array", "items": STRING})]),
        api(parameters=[ids]),
    )
    assert breaking(base, head) == {f"parameter-serialisation-changed: {OP} query.id"}


def test_serialisation_written_out_as_its_default_is_no_change() -> None:
    explicit = {**param("id"), "style": "form", "explode": True, "allowReserved": False}
    base, head = api(parameters=[param("id")]), api(parameters=[explicit])
    assert breaking(base, head) == changelog(base, head) == set()
