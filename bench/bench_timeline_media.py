"""Filmstrip and waveform of a 20-minute 1280x720 clip, uncached (target: both <= 10 s).

Run: ``.venv/bin/python -m bench.bench_timeline_media``.
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import time

from bench.common import long_clip, rss_mb

TARGET_S = 10.0


def peak_rss_mb() -> float:
    """This process's peak resident memory so far, in MB (ru_maxrss is KB on Linux)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def main() -> None:
    clip = long_clip()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["VFA_CACHE_DIR"] = tmp  # nothing cached: both are built from the file
        from vfa.media.filmstrip import build_filmstrip
        from vfa.media.probe import probe
        from vfa.media.waveform import build_waveform

        rotation = probe(clip).rotation
        before = peak_rss_mb()
        print(f"{clip.name}: RSS before {rss_mb():.0f} MB (peak so far {before:.0f} MB)")

        t0 = time.perf_counter()
        strip = build_filmstrip(clip, rotation)
        film_s = time.perf_counter() - t0
        n, h, w, _ = strip.images.shape
        print(
            f"filmstrip: {n} thumbnails of {w}x{h} ({strip.images.nbytes / 1e6:.1f} MB) "
            f"in {film_s:.2f} s, peak RSS {peak_rss_mb():.0f} MB"
        )

        t0 = time.perf_counter()
        wave = build_waveform(clip)
        wave_s = time.perf_counter() - t0
        buckets = 0 if wave is None else len(wave.peaks)
        print(
            f"waveform: {buckets} buckets of 10 ms in {wave_s:.2f} s, "
            f"peak RSS {peak_rss_mb():.0f} MB"
        )

        total = film_s + wave_s
        verdict = "ok" if total <= TARGET_S else "OVER TARGET"
        print(f"both: {total:.2f} s (target <= {TARGET_S:.0f} s): {verdict}")


if __name__ == "__main__":
    main()
