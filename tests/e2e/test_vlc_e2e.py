"""End to end under Xvfb with the real libVLC backend (see vlc_scenarios.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.requirements import need
from tests.xvfb import run_under_x, running_xvfb

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


@pytest.fixture(scope="module")
def xvfb_display():
    with running_xvfb() as display:
        yield display


@pytest.mark.e2e
def test_vlc_scenarios_under_xvfb(xvfb_display, tmp_path):
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "from vfa.player.vlc_loader import vlc_status; i, why = vlc_status(); "
            "print(why); raise SystemExit(0 if i is not None else 3)",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if probe.returncode == 3:
        need("libVLC", probe.stdout.strip())
    result = tmp_path / "result.json"
    run = run_under_x(HERE / "vlc_scenarios.py", xvfb_display, VFA_E2E_RESULT=str(result))
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-3000:]
    data = json.loads(result.read_text())
    assert data["backend"] == "vlc"
    assert data["paused_on_screen"] == data["paused_index"]
    print("VLC e2e:", json.dumps(data))
