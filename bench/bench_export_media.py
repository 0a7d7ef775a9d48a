"""A reel's media from the 20-minute 1280x720 clip: three 10-second moments exported
frame-exactly, a still of each, the reel's SRT and the family handout
(target: <= 15 s in all, on two cores).

Runs the reel twice: with the captions as a subtitle track, then burned into the picture.
The clip's frame table is probed once beforehand (a workspace already stores it), and
each exported clip's first and last frames are checked against the source's barcode
after the timing.

Run: ``.venv/bin/python -m bench.bench_export_media``.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from bench.common import long_clip

TARGET_S = 15.0
MOMENT_S = 10
# moment starts (s), each a little after a keyframe (every 2 s) so decoding starts early
STARTS_S = (121.3, 570.5, 1035.7)
CAPTIONS = (
    "You waited, and she turned to you \u2014 \u2018I like it when you wait for me\u2019",
    "You followed her lead with the blocks",
    "She looked back to check you were there",
)


def reel(clip: Path, folder: Path, *, burn: bool) -> dict[str, float]:
    """Export the reel's media into ``folder``; return seconds per step."""
    from vfa.domain.subtitles import reel_srt
    from vfa.media.export import export_clip
    from vfa.media.frames import FrameServer
    from vfa.media.probe import probe
    from vfa.media.stills import write_still
    from vfa.reports.handout import HandoutItem, write_handout

    result = probe(clip)
    table = result.frame_table
    spans = []
    for start_s in STARTS_S:
        first = table.index_at(round(start_s * 1000))
        last = table.index_at(round((start_s + MOMENT_S) * 1000) - 1)
        spans.append((first, last))
    times: dict[str, float] = {}

    t0 = time.perf_counter()
    for n, ((first, last), caption) in enumerate(zip(spans, CAPTIONS, strict=True), start=1):
        export_clip(
            clip,
            table,
            first,
            last,
            folder / f"{n:02d}.mp4",
            rotation=result.rotation,
            caption=caption,
            burn_caption=burn,
            soft_caption=not burn,
        )
    times["clips"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    with FrameServer(clip, table, result.rotation) as server:
        for n, (first, last) in enumerate(spans, start=1):
            write_still(server.frame((first + last) // 2), folder / f"{n:02d}.png")
    times["stills"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    durations = [table.pts_of(last + 1) - table.pts_of(first) for first, last in spans]
    (folder / "reel.srt").write_text(
        reel_srt(list(zip(durations, CAPTIONS, strict=True))), encoding="utf-8"
    )
    times["srt"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    write_handout(
        folder / "handout.pdf",
        case_code="K-4821",
        title="Our moments together",
        items=[
            HandoutItem(folder / f"{n:02d}.png", caption, None)
            for n, caption in enumerate(CAPTIONS, start=1)
        ],
    )
    times["handout"] = time.perf_counter() - t0
    check(folder, spans, result.rotation)
    return times


def check(folder: Path, spans: list[tuple[int, int]], rotation: int) -> None:
    """Each clip starts and ends on its span's frames (the long clip carries barcodes)."""
    import av
    import numpy as np

    from vfa.media.synth import read_barcode

    for n, (first, last) in enumerate(spans, start=1):
        count = 0
        ends: list[av.VideoFrame] = []
        with av.open(str(folder / f"{n:02d}.mp4")) as container:
            for frame in container.decode(video=0):
                count += 1
                ends = [ends[0] if ends else frame, frame]
            images = [f.to_ndarray(format="rgb24") for f in ends]
        k = (rotation % 360) // 90
        codes = [read_barcode(np.rot90(f, -k) if k else f) for f in images]
        ok = codes == [first, last] and count == last - first + 1
        status = "exact" if ok else f"NOT EXACT (got {codes}, {count} frames)"
        print(f"  clip {n}: frames {first}-{last}: {status}")


def main() -> None:
    clip = long_clip()
    for burn in (False, True):
        label = "burned captions" if burn else "subtitle track"
        with tempfile.TemporaryDirectory() as tmp:
            cpu = time.process_time()
            times = reel(clip, Path(tmp), burn=burn)
            cpu = time.process_time() - cpu
        total = sum(times.values())
        steps = ", ".join(f"{k} {v:.2f} s" for k, v in times.items())
        verdict = "ok" if total <= TARGET_S else "OVER TARGET"
        print(
            f"{clip.name}, 3 x {MOMENT_S} s, {label}: {steps}; "
            f"total {total:.2f} s (target <= {TARGET_S:.0f} s): {verdict}; "
            f"CPU {cpu:.1f} s with the probe and checks; load average {os.getloadavg()[0]:.1f}"
        )


if __name__ == "__main__":
    main()
