"""cli.py, accepted.py and render.py: the command line and the accepted list."""

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from builders import OP, api, document, ref
from openapi_diff import main, parse_accepted


def write(tmp_path: Path, name: str, doc: Any) -> str:
    path = tmp_path / name
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc), encoding="utf-8")
    return str(path)


def test_cli_exits_0_when_changes_are_additive(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = [write(tmp_path, "base.json", document()), write(tmp_path, "head.json", api())]
    assert main(files) == 0
    assert f"+ operation-added: {OP}" in capsys.readouterr().out


def test_cli_exits_1_on_a_breaking_change(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = [write(tmp_path, "base.json", api()), write(tmp_path, "head.json", document())]
    assert main(files) == 1
    assert f"BREAKING operation-removed: {OP}" in capsys.readouterr().out


def test_cli_tolerant_enums_option(tmp_path: Path) -> None:
    def answer(*values: str) -> Any:
        return api(response={"type": "string", "enum": list(values)})

    files = [
        write(tmp_path, "base.json", answer("a")),
        write(tmp_path, "head.json", answer("a", "b")),
    ]
    assert main(files) == 1
    assert main([*files, "--tolerant-enums"]) == 0


def test_cli_unused_schemas_option(tmp_path: Path) -> None:
    def message(*required: str) -> Any:
        properties = {"type": {"type": "string"}, "seq": {"type": "integer"}}
        schema = {"type": "object", "properties": properties, "required": list(required)}
        return document(schemas={"Message": schema})

    base, head = message("type"), message("type", "seq")
    files = [write(tmp_path, "base.json", base), write(tmp_path, "head.json", head)]
    assert main(files) == 0
    assert main([*files, "--unused-schemas", "both"]) == 1
    assert main([*files, "--unused-schemas", "request"]) == 1


@pytest.mark.parametrize(
    "head",
    [None, "{not json", json.dumps({"paths": {}}), json.dumps(api(response=ref("Missing")))],
    ids=["missing-file", "not-json", "not-openapi", "dangling-ref"],
)
def test_cli_exits_2_on_invalid_input(
    tmp_path: Path, head: str | None, capsys: pytest.CaptureFixture[str]
) -> None:
    absent = str(tmp_path / "absent.json")
    head_path = absent if head is None else write(tmp_path, "head.json", head)
    assert main([write(tmp_path, "base.json", api()), head_path]) == 2
    assert "openapi-diff: error:" in capsys.readouterr().err


def test_cli_accepts_breaking_changes_listed_in_breaking_md(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = [write(tmp_path, "base.json", api()), write(tmp_path, "head.json", document())]
    text = f"# Accepted\n\n- `operation-removed: {OP}`: labs moved\n"
    accepted = write(tmp_path, "BREAKING.md", text)
    assert main([*files, "--accepted", accepted]) == 0
    line = f"accepted operation-removed: {OP}  -- {OP} (createLab)  [accepted: labs moved]"
    assert line in [text.strip() for text in capsys.readouterr().out.splitlines()]


@pytest.mark.parametrize(
    "text",
    [
        None,
        f"- `operation-removed: {OP}`:\n",
        f"```\n- `operation-removed: {OP}`: only an example\n```\n",
        "- `operation-removed: GET /api/v1/labs`: another operation\n",
    ],
    ids=["missing-file", "no-reason", "in-code-block", "other-identifier"],
)
def test_cli_does_not_accept_unlisted_or_unexplained_changes(
    tmp_path: Path, text: str | None
) -> None:
    files = [write(tmp_path, "base.json", api()), write(tmp_path, "head.json", document())]
    absent = str(tmp_path / "BREAKING.md")
    accepted = absent if text is None else write(tmp_path, "BREAKING.md", text)
    assert main([*files, "--accepted", accepted]) == 1


def test_stale_accepted_entries_are_listed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = [write(tmp_path, "base.json", api()), write(tmp_path, "head.json", api())]
    accepted = write(tmp_path, "BREAKING.md", f"- `operation-removed: {OP}`: released\n")
    assert main([*files, "--accepted", accepted]) == 0
    assert "Listed in BREAKING.md but not in this diff" in capsys.readouterr().out


def test_parse_accepted_reads_list_items_with_a_reason() -> None:
    text = "intro\n* `a-rule: GET /x`:  why \n- `b-rule: GET /y`:\n"
    assert parse_accepted(text) == {"a-rule: GET /x": "why", "b-rule: GET /y": ""}


def test_package_runs_as_python_dash_m(tmp_path: Path) -> None:
    files = [write(tmp_path, "base.json", api()), write(tmp_path, "head.json", document())]
    command = [sys.executable, "-m", "openapi_diff", *files]
    result = subprocess.run(
        command, cwd=tmp_path, capture_output=True, text=True, check=False, timeout=60
    )
    assert (result.returncode, result.stderr) == (1, "")
    assert f"operation-removed: {OP}" in result.stdout
