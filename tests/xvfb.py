"""An X server of the tests' own (Xvfb), for what must run on a real X display: the
end-to-end tests with libVLC, and the user guide's screenshots."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.requirements import need

ROOT = Path(__file__).resolve().parents[1]


@contextmanager
def running_xvfb(screen: str = "1280x800x24") -> Iterator[str]:
    """Start Xvfb with one screen of this size and depth; yields its display (":N").
    Without Xvfb: :func:`tests.requirements.need` (a skip, a failure under CI)."""
    binary = shutil.which("Xvfb")
    if binary is None:
        need("Xvfb", "no Xvfb on PATH")
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen(
        [binary, "-displayfd", str(write_fd), "-screen", "0", screen, "-nolisten", "tcp"],
        pass_fds=[write_fd],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    with os.fdopen(read_fd) as fh:
        number = fh.readline().strip()  # Xvfb writes the display number once it is ready
    if not number:
        proc.kill()
        proc.wait(timeout=10)
        need("Xvfb", "Xvfb did not start")
    try:
        yield f":{number}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def run_under_x(
    scenarios: Path, display: str, timeout: float = 300, **extra: str
) -> subprocess.CompletedProcess[str]:
    """Run a file of scenarios in a child pytest whose Qt draws on ``display`` (xcb: a
    process has one Qt platform, and the suite's is offscreen); ``extra``: its
    environment variables."""
    env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb", **extra}
    env.pop("WAYLAND_DISPLAY", None)
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
               "-o", "addopts=", str(scenarios)]  # fmt: skip
    return subprocess.run(
        command, capture_output=True, text=True, cwd=ROOT, env=env, timeout=timeout
    )
