"""Helpers shared by the benchmarks: the long clip, a virtual screen, RSS."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"
SHARED_MAKE_CLIPS = Path(__file__).resolve().parents[2] / "shared" / "media" / "make_clips.py"


def long_clip() -> Path:
    """The 20-minute 1280x720 25 fps clip (the KIPS maximum), made once and kept in bench/out.

    Made by ``../shared/media/make_clips.py --long`` when ffmpeg is installed, else by VFA's
    own generator with the same size, rate, keyframe interval, encoder settings and audio.
    """
    OUT.mkdir(exist_ok=True)
    path = OUT / "long20min_720p.mp4"
    if path.exists():
        return path
    started = time.perf_counter()
    if shutil.which("ffmpeg") and SHARED_MAKE_CLIPS.exists():
        work = OUT / "shared-long"
        subprocess.run([sys.executable, str(SHARED_MAKE_CLIPS), "--long", str(work)], check=True)
        (work / "long20min_720p.mp4").replace(path)
    else:
        from vfa.media.synth import make_clip

        part = path.with_suffix(".part.mp4")
        make_clip(
            part,
            seconds=1200,
            width=1280,
            height=720,
            rate=25,
            gop=50,
            audio=True,
            barcode=True,
            preset="veryfast",
        )
        part.replace(path)
    print(f"made {path} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return path


@contextlib.contextmanager
def display() -> Iterator[str]:
    """An X display: the current one, or a private Xvfb started for the benchmark."""
    if os.environ.get("DISPLAY"):
        yield os.environ["DISPLAY"]
        return
    with private_xvfb() as name:
        yield name


@contextlib.contextmanager
def private_xvfb() -> Iterator[str]:
    """A private Xvfb (1400x900, no TCP) for the benchmark; yields its display name."""
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1400x900x24", "-nolisten", "tcp"],
        pass_fds=[write_fd],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    with os.fdopen(read_fd) as fh:
        number = fh.readline().strip()
    try:
        yield f":{number}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def rss_mb() -> float:
    """This process's resident memory in MB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def median(values: list[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def run_gui_child(argv: list[str]) -> dict:
    """Run ``python ARGV`` as a VFA GUI process on an X display with a private settings,
    cache and workspace folder (``{tmp}`` in ARGV is replaced by it); return the JSON
    object it prints last."""
    import json
    import tempfile

    root = Path(__file__).resolve().parents[1]
    with tempfile.TemporaryDirectory() as tmp, display() as disp:
        env = {
            **os.environ,
            "DISPLAY": disp,
            "VFA_CONFIG_DIR": f"{tmp}/config",
            "VFA_CACHE_DIR": f"{tmp}/cache",
            "VFA_VLC_ARGS": "--aout=dummy",
        }
        env.pop("QT_QPA_PLATFORM", None)
        args = [a.replace("{tmp}", tmp) for a in argv]
        out = subprocess.run(
            [sys.executable, *args], env=env, cwd=root, capture_output=True, text=True, check=True
        )
    return json.loads(out.stdout.strip().splitlines()[-1])
