"""Cold start to a shown main window on the demo workspace (target: <= 1.5 s median).

Each run is a new process (``python bench/startup_child.py``) timed from spawn until the
window shows the demo's first clip's first frame, with the real player backend on an X display
(a private Xvfb when there is none). Run: ``.venv/bin/python -m bench.bench_startup``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import display, median

ROOT = Path(__file__).resolve().parents[1]
RUNS = 7


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "VFA_CONFIG_DIR": f"{tmp}/config", "VFA_VLC_ARGS": "--aout=dummy"}
        workspace = Path(tmp) / "demo.vfa"
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "vfa.cli", "demo", "--workspace", str(workspace)],
            check=True,
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
        print(f"first run: the demo workspace made in {time.perf_counter() - started:.2f} s")
        with display() as disp:
            env["DISPLAY"] = disp
            env.pop("QT_QPA_PLATFORM", None)
            times = []
            backend = ""
            for _ in range(RUNS):
                t0 = time.perf_counter()
                proc = subprocess.Popen(
                    [sys.executable, str(ROOT / "bench" / "startup_child.py"), str(workspace)],
                    env=env,
                    cwd=ROOT,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL,
                    text=True,
                )
                assert proc.stdout is not None
                line = proc.stdout.readline()
                times.append(time.perf_counter() - t0)
                backend = line.split()[-1] if line else "?"
                proc.wait(timeout=30)
        print(
            f"cold start to the shown main window ({backend} backend), {RUNS} runs: "
            f"median {median(times):.2f} s, min {min(times):.2f} s, max {max(times):.2f} s "
            "(target <= 1.5 s)"
        )


if __name__ == "__main__":
    main()
