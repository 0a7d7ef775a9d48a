"""Playhead error while playing at 1x with the VLC backend (target <= 40 ms at the 95th
percentile). The error is the distance from the playhead to the display interval of the
frame on screen, read from its barcode. Run: ``.venv/bin/python -m bench.bench_playhead``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.common import display, long_clip

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    clip = long_clip()
    with tempfile.TemporaryDirectory() as tmp, display() as disp:
        env = {
            **os.environ,
            "DISPLAY": disp,
            "VFA_CONFIG_DIR": f"{tmp}/config",
            "VFA_VLC_ARGS": "--aout=dummy",
        }
        env.pop("QT_QPA_PLATFORM", None)
        out = subprocess.run(
            [
                sys.executable,
                str(ROOT / "bench" / "playhead_child.py"),
                f"{tmp}/b.vfa",
                str(clip),
                "20",
            ],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
    data = json.loads(out.stdout.strip().splitlines()[-1])
    errors = sorted(data["errors_ms"])
    p95 = errors[int(0.95 * (len(errors) - 1))]
    within = sum(e == 0 for e in errors)
    print(
        f"playhead error at 1x ({data['backend']} backend, {clip.name}, {len(errors)} "
        f"samples): p95 {p95:.0f} ms, median {errors[len(errors) // 2]:.0f} ms, max "
        f"{errors[-1]:.0f} ms; playhead inside the frame on screen {within}/{len(errors)} "
        "(target <= 40 ms p95)"
    )


if __name__ == "__main__":
    main()
