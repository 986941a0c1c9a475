"""When `scripts/run` rebuilds the dashboard: only when the build is missing or an input changed."""

from collections.abc import Callable
from pathlib import Path

import pytest

from scripts import build_dashboard


@pytest.fixture
def example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A miniature example package, with the module's paths pointed at it."""
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "main.tsx").write_text("render()")
    (tmp_path / "package-lock.json").write_text("{}")
    (tmp_path / "node_modules").mkdir()
    generated = tmp_path / "generated"
    generated.mkdir()
    (generated / "sdk.gen.ts").write_text("export const listLabs = 1;")
    monkeypatch.setattr(build_dashboard, "ROOT", tmp_path)
    monkeypatch.setattr(build_dashboard, "DIST", tmp_path / "dist")
    monkeypatch.setattr(build_dashboard, "_STAMP", tmp_path / "node_modules" / "stamp")
    inputs = (tmp_path / "src", tmp_path / "package-lock.json", tmp_path / "index.html", generated)
    monkeypatch.setattr(build_dashboard, "_INPUTS", inputs)
    return tmp_path


def _pretend_built(example: Path) -> None:
    (example / "dist").mkdir(exist_ok=True)
    (example / "dist" / "index.html").write_text("<!doctype html>")
    (example / "node_modules" / "stamp").write_text(build_dashboard.inputs_hash() + "\n")


def test_a_build_of_the_current_inputs_is_fresh(example: Path) -> None:
    assert not build_dashboard.is_fresh()  # never built
    _pretend_built(example)
    assert build_dashboard.is_fresh()


@pytest.mark.parametrize(
    "change",
    [
        lambda root: (root / "src" / "main.tsx").write_text("render(<App />)"),
        lambda root: (root / "src" / "new.ts").write_text("export {}"),
        lambda root: (root / "package-lock.json").write_text('{"lockfileVersion": 3}'),
        lambda root: (root / "index.html").write_text("<div id=root>"),  # a missing input appears
        lambda root: (root / "generated" / "sdk.gen.ts").write_text("export const listLabs = 2;"),
        lambda root: (root / "dist" / "index.html").unlink(),
    ],
    ids=["source", "new source", "lock", "new input", "generated client", "build removed"],
)
def test_a_changed_input_or_a_removed_build_is_stale(
    example: Path, change: Callable[[Path], object]
) -> None:
    _pretend_built(example)
    change(example)
    assert not build_dashboard.is_fresh()
