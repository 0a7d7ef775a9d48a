"""``vfa`` with no subcommand, ``vfa gui`` and ``vfa demo --open``: the desktop app starts
and shows what the command named. Each runs in a process of its own with its real event loop
(tests/window_probe.py), which closes the window once the first view is there (no sleeps)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_cli_surface import run, workspace_with_clip
from vfa.services.viewer import login_name

ROOT = Path(__file__).resolve().parent.parent


def open_window(argv: list[str], ready: str) -> tuple[int, dict]:
    """Run ``vfa ARGV`` until its window is READY; its exit status and what it showed."""
    env = dict(os.environ, VFA_PLAYER="qt")  # no libVLC window offscreen
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, "-m", "tests.window_probe", ready, *argv],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert "timed_out" not in seen, f"vfa {' '.join(argv)}: the window never got ready"
    return seen.pop("code"), seen


def test_bare_vfa_opens_the_window_on_the_welcome_view(isolated_user):
    code, seen = open_window([], "welcome")
    assert code == 0
    assert seen["title"] == "VFA" and seen["welcome"]
    assert seen["ws"] is None and seen["cases"] == []
    # a first start creates no workspace of its own
    assert not (isolated_user / "data" / "workspace.vfa").exists()


def test_bare_vfa_opens_the_users_own_workspace_when_there_is_one(
    capsys, isolated_user, clips, tmp_path
):
    own = isolated_user / "data" / "workspace.vfa"
    workspace_with_clip(capsys, own, clips["noaudio"], tmp_path, case="FAM-3")
    code, seen = open_window([], "workspace")
    assert code == 0
    assert seen["title"] == f"VFA — workspace — {login_name()}" and seen["cases"] == ["FAM-3"]
    assert seen["ws"] == str(own)


@pytest.mark.parametrize(
    "argv",
    [["gui", "--workspace", "{ws}"], ["--workspace", "{ws}", "gui"], ["--workspace", "{ws}"]],
    ids=["gui-after", "gui-before", "bare"],
)
def test_gui_opens_the_named_workspace(capsys, isolated_user, clips, tmp_path, argv):
    ws = tmp_path / "team.vfa"
    workspace_with_clip(capsys, ws, clips["noaudio"], tmp_path, case="FAM-8")
    argv = [a.replace("{ws}", str(ws)) for a in argv]
    code, seen = open_window(argv, "workspace")
    assert code == 0
    assert seen["title"] == f"VFA — team — {login_name()}" and seen["cases"] == ["FAM-8"]
    assert seen["ws"] == str(ws) and not seen["welcome"]


def test_demo_open_prepares_the_demo_and_shows_its_clip(capsys, isolated_user, tmp_path):
    target = tmp_path / "show.vfa"
    code, seen = open_window(["demo", "--open", "--workspace", str(target)], "clip")
    assert code == 0
    # the window shows the same workspace and clip the batch command reports
    code, out, err = run(capsys, "clip", "list", "--workspace", str(target), "--json")
    assert code == 0, err
    cases = list(dict.fromkeys(r["case"] for r in out))
    assert seen["title"] == f"VFA — show — {login_name()}" and seen["cases"] == cases
    assert seen["clip"] == out[0]["clip_id"]


@pytest.mark.parametrize(
    "argv",
    [
        ["--as", "Ben"],
        ["gui", "--as", "Ben"],
        ["--as", "Ben", "gui"],
        ["demo", "--open", "--as", "Ben"],
    ],
)
def test_as_is_refused_before_any_window_opens(capsys, qapp, argv):
    before = list(qapp.topLevelWidgets())
    code, _, err = run(capsys, *argv)
    assert code == 2 and err.startswith("vfa: --as is for the batch commands")
    assert list(qapp.topLevelWidgets()) == before


def test_a_missing_workspace_is_named_in_the_window_and_not_created(isolated_user, tmp_path):
    missing = tmp_path / "nowhere" / "w.vfa"
    code, seen = open_window(["gui", "--workspace", str(missing)], "message")
    assert code == 0 and seen["ws"] is None and seen["title"] == "VFA"
    assert str(missing) in seen["message"]
    assert not missing.parent.exists()
