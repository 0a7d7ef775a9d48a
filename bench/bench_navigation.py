"""Frame-exact navigation figures (run: ``.venv/bin/python -m bench.bench_navigation``).

- exactness: stills, paused frames and steps on every shared barcode clip (counts);
- paused seek to an exact frame on the 20-minute 720p clip (target <= 150 ms median);
- one frame step either direction from random positions (target <= 60 ms median).

Times include turning the decoded frame into the QImage the player view paints.
"""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

import numpy as np

from bench.common import long_clip, median
from vfa.media.frames import FrameServer
from vfa.media.probe import probe
from vfa.media.synth import read_barcode

SHARED = Path(__file__).resolve().parents[2] / "shared" / "media"


def _upright(image: np.ndarray, rotation: int) -> np.ndarray:
    k = (rotation % 360) // 90  # undo the display rotation (counter-clockwise degrees)
    return np.rot90(image, -k) if k else image


def exactness() -> None:
    manifest = json.loads((SHARED / "manifest.json").read_text())
    total_ok = total = 0
    for name in manifest:
        result = probe(SHARED / name)
        truth = list(range(result.frame_count))
        if name == "vfr_phone.mp4":
            truth = [n for n in range(900) if n % 3 != 2 and n % 7 != 6]
        rng = random.Random(name)
        ok = n = 0
        with FrameServer(SHARED / name, result.frame_table, result.rotation) as server:
            # random paused frames / stills, then 10 steps back and 10 forward from each
            for start in rng.sample(range(result.frame_count), 25):
                index = start
                for step in [0] + [-1] * 10 + [1] * 10:
                    index = min(max(index + step, 0), result.frame_count - 1)
                    image = server.frame(index, backward=step < 0)
                    ok += read_barcode(_upright(image, result.rotation)) == truth[index]
                    n += 1
        print(f"  {name}: {ok}/{n} exact")
        total_ok, total = total_ok + ok, total + n
    print(f"exact frames (stills, paused, steps) on the shared clips: {total_ok}/{total}")


def timings() -> None:
    from vfa.ui.player_view import to_qimage

    clip = long_clip()
    result = probe(clip)
    count = result.frame_count
    rng = random.Random(3)
    seeks = []
    with FrameServer(clip, result.frame_table, result.rotation) as server:
        for index in rng.sample(range(count), 40):
            t0 = time.perf_counter()
            to_qimage(server.frame(index))
            seeks.append((time.perf_counter() - t0) * 1000)
    print(
        f"paused seek to an exact frame, {clip.name}: median {median(seeks):.0f} ms, "
        f"max {max(seeks):.0f} ms over {len(seeks)} random seeks (target <= 150 ms)"
    )
    back, forward = [], []
    with FrameServer(clip, result.frame_table, result.rotation) as server:
        for start in rng.sample(range(100, count - 100), 10):
            server.frame(start)
            index = start
            for step in [-1] * 8 + [1] * 16:
                index += step
                t0 = time.perf_counter()
                to_qimage(server.frame(index, backward=step < 0))
                (back if step < 0 else forward).append((time.perf_counter() - t0) * 1000)
    print(
        f"one-frame step back: median {median(back):.1f} ms, max {max(back):.0f} ms; "
        f"forward: median {median(forward):.1f} ms, max {max(forward):.0f} ms "
        "(target <= 60 ms median)"
    )


if __name__ == "__main__":
    if (SHARED / "manifest.json").exists():
        exactness()
    else:
        print(f"shared media not found at {SHARED}: exactness skipped")
    timings()
