"""End to end under Xvfb with the real libVLC backend (see vlc_scenarios.py)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.requirements import need

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


@pytest.fixture(scope="module")
def xvfb_display():
    binary = shutil.which("Xvfb")
    if binary is None:
        need("Xvfb", "no Xvfb on PATH")
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen(
        [binary, "-displayfd", str(write_fd), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=[write_fd],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    with os.fdopen(read_fd) as fh:
        number = fh.readline().strip()  # Xvfb writes the display number once it is ready
    if not number:
        proc.kill()
        need("Xvfb", "Xvfb did not start")
    yield f":{number}"
    proc.terminate()
    proc.wait(timeout=10)


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
    env = {
        **os.environ,
        "DISPLAY": xvfb_display,
        "QT_QPA_PLATFORM": "xcb",
        "VFA_E2E_RESULT": str(result),
    }
    env.pop("WAYLAND_DISPLAY", None)
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-o",
            "addopts=",
            str(HERE / "vlc_scenarios.py"),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-3000:]
    data = json.loads(result.read_text())
    assert data["backend"] == "vlc"
    assert data["paused_on_screen"] == data["paused_index"]
    print("VLC e2e:", json.dumps(data))
