"""rules/operations.py: operations matched by method and path template."""

import pytest
from builders import OP, Schema, api, breaking, changelog, document, operation, param
from openapi_diff import compare


def test_removed_operation_is_breaking() -> None:
    assert breaking(api(), document()) == {f"operation-removed: {OP}"}


def test_added_operation_is_additive() -> None:
    assert breaking(document(), api()) == set()
    assert changelog(document(), api()) == {f"operation-added: {OP}"}


def test_renamed_path_parameter_matches_the_operation_but_is_breaking() -> None:
    def labs(name: str) -> Schema:
        path_parameter = param(name, "path", required=True)
        return api(path=f"/api/v1/labs/{{{name}}}", method="get", parameters=[path_parameter])

    assert breaking(labs("lab_id"), labs("id")) == {
        "path-parameter-renamed: GET /api/v1/labs/{} path.lab_id"
    }
    assert breaking(labs("lab_id"), labs("lab_id")) == set()


@pytest.mark.parametrize("new_id", [None, "makeLab"], ids=["removed", "renamed"])
def test_removed_or_renamed_operation_id_is_breaking(new_id: str | None) -> None:
    assert breaking(api(), api(operation_id=new_id)) == {f"operation-id-changed: {OP}"}


def test_unchanged_operation_id_and_documentation_edits_pass() -> None:
    head = api()
    operation(head)["summary"] = "Create a lab"
    assert compare(api(), head).breaking == ()
    assert compare(api(), head).changelog == ()


def test_deprecated_operation_is_a_changelog_line() -> None:
    head = api()
    operation(head)["deprecated"] = True
    assert breaking(api(), head) == set()
    assert changelog(api(), head) == {f"operation-deprecated: {OP}"}
