"""Playhead error while playing at 1x with the VLC backend (target <= 40 ms at the 95th
percentile). The error is the distance from the playhead to the display interval of the
frame on screen, read from its barcode. Run: ``.venv/bin/python -m bench.bench_playhead``.
"""

from __future__ import annotations

from pathlib import Path

from bench.common import long_clip, run_gui_child

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    clip = long_clip()
    data = run_gui_child(
        [str(ROOT / "bench" / "playhead_child.py"), "{tmp}/b.vfa", str(clip), "20"]
    )
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
