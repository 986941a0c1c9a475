"""scripts/check_api.py's history check: every spec change after a commit is gated against its
own BREAKING.md, on a real git repository."""

import json
import subprocess
from pathlib import Path
from typing import Any

from scripts.check_api import unrecorded_breaks_in_history

SPEC = "openapi/openapi.json"
ACCEPTED = "openapi/BREAKING.md"


def document(*operations: str) -> dict[str, Any]:
    paths = {
        f"/api/v1/{name}": {
            "get": {
                "operationId": name,
                "responses": {"200": {"description": "", "content": {"application/json": {}}}},
            }
        }
        for name in operations
    }
    return {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": paths}


def commit(repo: Path, spec: dict[str, Any], accepted: str, message: str) -> str:
    (repo / SPEC).write_text(json.dumps(spec))
    (repo / ACCEPTED).write_text(accepted)
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    subprocess.run(["git", "commit", "-q", "-m", message], cwd=repo, check=True)
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, check=True, capture_output=True)
    return head.stdout.decode().strip()


def test_each_commit_is_gated_with_its_own_accepted_list(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run(["git", "config", "user.email", "t@example.org"], cwd=tmp_path, check=True)
    subprocess.run(["git", "config", "user.name", "t"], cwd=tmp_path, check=True)
    (tmp_path / "openapi").mkdir()
    start = commit(tmp_path, document("labs", "users", "keys"), "# none\n", "start")
    unrecorded = commit(tmp_path, document("labs", "keys"), "# none\n", "drops users")
    commit(tmp_path, document("labs", "keys", "reports"), "# none\n", "adds reports")
    recorded = "- `operation-removed: GET /api/v1/keys`: keys moved to the account page\n"
    commit(tmp_path, document("labs", "reports"), recorded, "drops keys, recorded")
    # The next commit prunes the entry (released): the earlier commit stays accepted.
    commit(tmp_path, document("labs", "reports"), "# none\n", "prunes BREAKING.md")

    checked, problems = unrecorded_breaks_in_history(tmp_path, SPEC, ACCEPTED, start)

    assert checked == 3  # the pruning commit did not change the spec
    assert problems == [f"{unrecorded[:10]}: operation-removed: GET /api/v1/users"]
    assert unrecorded_breaks_in_history(tmp_path, SPEC, ACCEPTED, unrecorded) == (2, [])


def test_an_unknown_start_is_reported_not_passed(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    checked, problems = unrecorded_breaks_in_history(tmp_path, SPEC, ACCEPTED, "0" * 40)
    assert checked == 0
    assert len(problems) == 1
    assert "cannot list the commits" in problems[0]
