"""Presentation mode: key press to the next moment's first frame on screen (target
<= 300 ms), with the real player backend on an X display (a private Xvfb when there is
none), three 10-second moments of the 20-minute 720p clip; also the time until the player
surface plays the moment, and what is on screen while one moment loops.
Run: ``.venv/bin/python -m bench.bench_presentation``.
"""

from __future__ import annotations

from pathlib import Path

from bench.common import long_clip, median, run_gui_child

ROOT = Path(__file__).resolve().parents[1]
PRESSES = 20
LOOP_SECONDS = 12
TARGET_MS = 300


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[round(q * (len(ordered) - 1))]


def main() -> None:
    clip = long_clip()
    data = run_gui_child(
        [
            str(ROOT / "bench" / "presentation_child.py"),
            str(clip),
            str(PRESSES),
            str(LOOP_SECONDS),
        ]
    )
    shown, handover = data["shown_ms"], data["handover_ms"]
    print(
        f"presentation ({data['backend']} backend, {clip.name}, screen "
        f"{data['screen'][0]}x{data['screen'][1]}), {len(shown)} moment switches (Right/Left)"
    )
    print(
        f"  key press -> first frame painted: median {median(shown):.0f} ms, p95 "
        f"{percentile(shown, 0.95):.0f} ms, max {max(shown):.0f} ms (target <= {TARGET_MS} ms); "
        f"the exact first frame read back from the screen {data['first_exact']}/{len(shown)}"
    )
    print(
        f"  key press -> player surface playing the moment: median {median(handover):.0f} ms, "
        f"p95 {percentile(handover, 0.95):.0f} ms, max {max(handover):.0f} ms; picture inside "
        f"the moment just after the handover {data['handover_in_moment']}/{len(handover)}"
    )
    print(
        f"  one moment looping for {LOOP_SECONDS} s: {data['loop_inside']}/{data['loop_samples']} "
        f"screen samples inside the moment; outside: {data['loop_outside'] or 'none'}"
    )


if __name__ == "__main__":
    main()
