"""The Linux installer built by packaging/build.py (packaging/dist/vfa/): it starts with a fresh
home, no virtual environment and the outside VLC hidden (a clean environment: no
LD_LIBRARY_PATH, no VLC_PLUGIN_PATH, no PYTHONPATH), loads libVLC and its plugins from the
bundle (read from /proc/PID/maps), shows its window, and its command line finds the shipped
schemes and makes the demo clip.

The installer is built on demand (a few minutes, several hundred MiB), so these tests skip
when there is no build, also under CI: an optional part, not a CI requirement.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BUILT = ROOT / "packaging" / "dist" / "vfa"
EXE = BUILT / "vfa"
BUNDLE = BUILT / "_internal"
WAIT_S = 120

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or not EXE.exists(),
    reason=f"no installer build at {EXE} (made on demand by packaging/build.py; an optional "
    "part, not a CI requirement)",
)


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    """What ``env -i`` plus a fresh home gives: nothing of this test run's environment."""
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "LANG": "C.UTF-8",
        **extra,
    }
    for hidden in ("LD_LIBRARY_PATH", "VLC_PLUGIN_PATH", "PYTHONPATH", "VIRTUAL_ENV"):
        assert hidden not in env
    return env


def run_cli(home: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(EXE), *argv],
        env=clean_env(home),
        cwd=home,
        capture_output=True,
        text=True,
        timeout=WAIT_S,
    )


@pytest.fixture
def home(tmp_path: Path) -> Path:
    path = tmp_path / "home"
    path.mkdir()
    return path


@pytest.fixture
def started(home: Path) -> Iterator[tuple[subprocess.Popen[bytes], Path]]:
    """The installed VFA started as a newcomer would, offscreen; stopped afterwards."""
    report = home / "report.jsonl"
    env = clean_env(home, QT_QPA_PLATFORM="offscreen", VFA_REPORT_FIRST_PAINT=str(report))
    proc = subprocess.Popen(
        [str(EXE)], env=env, cwd=home, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        yield proc, report
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=30)


def wait_for(condition, proc: subprocess.Popen[bytes], what: str):  # type: ignore[no-untyped-def]
    """Poll ``condition()`` on the child's own pace: each look blocks on the child for up to
    50 ms (no sleeps); its value once true."""
    for _ in range(WAIT_S * 20):
        value = condition()
        if value:
            return value
        try:
            proc.wait(timeout=0.05)
        except subprocess.TimeoutExpired:
            continue
        _, err = proc.communicate()
        pytest.fail(f"the installed VFA ended before {what}: {err.decode(errors='replace')}")
    pytest.fail(f"the installed VFA: no {what} in {WAIT_S} s")


def mapped_files(pid: int) -> set[str]:
    """The files a process has mapped (its loaded libraries among them)."""
    lines = Path(f"/proc/{pid}/maps").read_text().splitlines()
    return {line.split(None, 5)[5] for line in lines if len(line.split(None, 5)) == 6}


def events(report: Path) -> list[str]:
    if not report.exists():
        return []
    return [json.loads(line)["event"] for line in report.read_text().splitlines()]


def test_it_starts_with_libvlc_and_its_plugins_from_the_bundle(started):
    proc, report = started
    wait_for(lambda: "main window" in events(report), proc, "main window")
    # libVLC loads on a thread of its own: wait until it and its plugins are mapped
    vlc = wait_for(
        lambda: [f for f in mapped_files(proc.pid) if "libvlc" in Path(f).name],
        proc,
        "libVLC loaded",
    )
    assert vlc and all(Path(f).is_relative_to(BUNDLE) for f in vlc), vlc
    files = mapped_files(proc.pid)
    plugins = [f for f in files if "_plugin." in Path(f).name]
    assert plugins and all(Path(f).is_relative_to(BUNDLE / "vlc-plugins") for f in plugins)
    # nothing of the system's VLC, nor of a virtual environment or this checkout
    assert [f for f in files if "/vlc/" in f and not f.startswith(str(BUNDLE))] == []
    assert [f for f in files if ".venv" in f or f.startswith(str(ROOT / "vfa"))] == []
    assert events(report) == ["first paint", "main window"]


def test_the_bundle_has_a_fresh_plugin_cache_fonts_and_schemes():
    cache = BUNDLE / "vlc-plugins" / "plugins.dat"
    assert cache.exists()
    newest_plugin = max(p.stat().st_mtime for p in (BUNDLE / "vlc-plugins").rglob("*.so"))
    assert cache.stat().st_mtime >= newest_plugin  # made for these files, after the copy
    assert (BUNDLE / "vfa" / "data" / "fonts" / "DejaVuSans.ttf").exists()
    assert (BUNDLE / "vfa" / "data" / "fonts" / "DroidSansFallbackFull.ttf").exists()


def test_its_command_line_lists_the_shipped_schemes_and_makes_the_demo(home):
    listed = run_cli(home, "schemes", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    # every scheme file of the checkout's coding_schemes/, read from the bundle's copy
    assert sorted(Path(r["file"]).name for r in rows) == sorted(
        p.name for p in (ROOT / "coding_schemes").glob("*.yaml")
    )
    assert all(Path(r["file"]).parent == BUNDLE / "coding_schemes" for r in rows)
    demo = run_cli(home, "demo", "--workspace", str(home / "demo.vfa"), "--json")
    assert demo.returncode == 0, demo.stderr
    assert json.loads(demo.stdout)["clip_id"] >= 1
    refused = run_cli(home, "clip", "list", "--workspace", str(home / "none.vfa"))
    assert refused.returncode == 2 and refused.stderr.startswith("vfa: ")
    assert "Traceback" not in refused.stderr
