"""A fast first window: ``vfa`` paints a window that says it is opening before it loads the
database layer, numpy, PyAV, libVLC or the scheme files' validator; the main window then
takes its place. Each start runs in a process of its own (tests/startup_probe.py), since
this test run has loaded all of them long ago. Nothing here is timed (bench_first_window)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# what takes tenths of a second to import, and what only the main window needs
HEAVY = (
    "sqlalchemy", "alembic", "numpy", "av", "cv2", "vlc", "jsonschema", "yaml", "scipy",
    "PIL", "fpdf", "uharfbuzz", "fontTools", "krippendorff", "PySide6.QtMultimedia",
    "vfa.storage.engine", "vfa.storage.models", "vfa.services.schemes", "vfa.services.clips",
    "vfa.player.vlc_backend", "vfa.ui.main_window",
)  # fmt: skip


def start(argv: list[str], **env: str) -> dict:
    """Run ``vfa ARGV`` until its main window shows; what the probe saw."""
    environ = dict(os.environ, VFA_PLAYER="qt", **env)  # offscreen: no libVLC window
    environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), environ.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, "-m", "tests.startup_probe", *argv],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert "timed_out" not in seen, f"vfa {' '.join(argv)}: the main window never showed"
    return seen


def heavy_in(modules: list[str]) -> list[str]:
    """The heavy modules (or their submodules) among ``modules``."""
    return sorted(m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY))


@pytest.fixture
def own_workspace(isolated_user, tmp_path) -> Path:
    from vfa.storage.workspace import open_workspace

    path = tmp_path / "team.vfa"
    open_workspace(path, create=True).close()
    return path


@pytest.mark.parametrize(
    "argv",
    [[], ["gui", "--workspace", "{ws}"], ["--workspace", "{ws}", "gui"]],
    ids=["bare", "gui-then-workspace", "workspace-then-gui"],
)
def test_the_first_window_is_painted_before_the_heavy_modules_load(own_workspace, argv):
    seen = start([a.replace("{ws}", str(own_workspace)) for a in argv])
    first = seen["first"]
    assert seen["code"] == 0
    assert heavy_in(first["modules"]) == []
    # it is not blank: VFA's title and a word that it is opening
    assert first["title"] == "VFA"
    assert any("Opening" in text for text in first["texts"]), first["texts"]
    # the probe does see them once the main window is there, which has taken the place
    # of the first window (same geometry; the first one is gone)
    assert {"sqlalchemy", "numpy", "vfa.ui.main_window"} <= set(seen["modules_at_main"])
    assert seen["then_shown"] == ["MainWindow"]
    assert seen["main_geometry"] == first["geometry"]


def test_the_first_paint_and_the_main_window_are_reported_when_asked(isolated_user, tmp_path):
    report = tmp_path / "first-paint.jsonl"
    seen = start([], VFA_REPORT_FIRST_PAINT=str(report))
    lines = [json.loads(line) for line in report.read_text().splitlines()]
    # the first paint only, not every paint; then the main window once
    assert [line["event"] for line in lines] == ["first paint", "main window"]
    assert heavy_in(lines[0]["modules"]) == []
    assert "sqlalchemy" in lines[1]["modules"]
    assert 0 < lines[0]["time"] <= lines[1]["time"] and lines[0]["pid"] > 0
    assert seen["first"]["class"] == "OpeningWindow"


def test_the_command_line_parser_loads_no_heavy_module():
    """Every ``vfa`` command builds the whole parser first, the window's too."""
    code = "import sys; from vfa.cli import build_parser; build_parser(); print(list(sys.modules))"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert heavy_in(json.loads(done.stdout.replace("'", '"'))) == []
