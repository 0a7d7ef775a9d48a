"""Exporting a session's reel as VFA does it (``vfa reel export``): 3 moments of 10 s
from the 20-minute 720p clip, each as an exact MP4 and its still, with reel.srt and the
handout (target <= 15 s). Run: ``.venv/bin/python -m bench.bench_reel_export``.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from bench.common import long_clip


def main(repeats: int = 3) -> None:
    from vfa.services.clips import add_clip
    from vfa.services.consent import set_consent
    from vfa.services.moments import add_moment
    from vfa.services.reel_export import export_reel
    from vfa.storage.workspace import open_workspace

    clip = long_clip()
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        ws = open_workspace(Path(tmp) / "bench.vfa", create=True)
        added = add_clip(ws, clip, "BENCH-1", "Visit 1")
        for start in (61_000, 412_340, 903_020):  # mid-GOP starts, across the clip
            add_moment(
                ws,
                added.clip_id,
                ["vig:waiting"],
                start,
                start + 10_000,
                caption="You waited, and she turned to you",
                child_line="I like it when you wait for me",
                feedback=True,
            )
        set_consent(ws, added.clip_id, ["feedback", "supervision"])
        for n in range(repeats):
            t0 = time.perf_counter()
            result = export_reel(ws, added.session_id, "supervision", Path(tmp) / f"out{n}")
            times.append(time.perf_counter() - t0)
            assert len(result.files) == 8, result.files
        ws.close()
    print(
        f"reel export, 3 x 10 s from 720p + stills, SRT, handout: median "
        f"{statistics.median(times):.2f} s (min {min(times):.2f}, max {max(times):.2f}) "
        "(target <= 15 s)"
    )


if __name__ == "__main__":
    main()
