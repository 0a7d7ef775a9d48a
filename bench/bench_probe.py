"""Probe of a 20-minute 1280x720 clip (target <= 1 s) and memory after opening it in VFA
(target <= 300 MB RSS). Run: ``.venv/bin/python -m bench.bench_probe``.
"""

from __future__ import annotations

import time
from pathlib import Path

from bench.common import long_clip, median, run_gui_child

ROOT = Path(__file__).resolve().parents[1]

OPEN_CHILD = r"""
import json, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from bench.common import rss_mb
from vfa.app import build_window
from vfa.services.clips import add_clip
from vfa.storage.workspace import open_workspace

app = QApplication(sys.argv[:1])
window = build_window()
window.show()
ws = open_workspace(sys.argv[1], create=True)
clip_id = add_clip(ws, sys.argv[2], "BENCH-1", "Visit 1").clip_id
window.set_workspace(ws)
result = {}

def shown(index):
    result.update(backend=window.ctx.player.name, rss_mb=rss_mb())
    app.quit()

window.player_view.frame_shown.connect(shown)
window.open_clip(clip_id)
QTimer.singleShot(30000, app.quit)
app.exec()
print(json.dumps(result))
"""


def main() -> None:
    clip = long_clip()
    from vfa.media.probe import probe

    times = []
    for _ in range(5):
        t0 = time.perf_counter()
        result = probe(clip)
        times.append(time.perf_counter() - t0)
    print(
        f"probe of {clip.name} ({result.frame_count} frames, {result.duration_ms / 60000:.1f} "
        f"min, {result.width}x{result.height}): median {median(times):.3f} s over 5 runs "
        "(target <= 1 s)"
    )
    data = run_gui_child(["-c", OPEN_CHILD, "{tmp}/bench.vfa", str(clip)])
    print(
        f"memory with the clip open in VFA ({data['backend']} backend, first frame "
        f"shown): {data['rss_mb']:.0f} MB RSS (target <= 300 MB)"
    )


if __name__ == "__main__":
    main()
