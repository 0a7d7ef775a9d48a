"""What a coder's key press costs in the database at each SQLite ``synchronous`` level:
``code_event`` (the hotkey path: run check, insert, audit, one commit) 1,000 times on a
workspace file, with synchronous=NORMAL and FULL. The hotkey target (key press to event
drawn, bench_coding) is p95 <= 16 ms; the commit is part of it.
Run: ``.venv/bin/python -m bench.bench_commit``.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np

from vfa.media.synth import make_clip
from vfa.storage import engine

PRESSES = 1000


def measure(folder: Path, clip: Path, level: str) -> np.ndarray:
    from vfa.media.probe import probe
    from vfa.services import coding, events
    from vfa.services.clips import add_clip
    from vfa.services.schemes import get_scheme
    from vfa.storage.workspace import open_workspace

    engine.SYNCHRONOUS = level
    ws = open_workspace(folder / f"{level}.vfa", create=True)
    try:
        clip_id = add_clip(ws, clip, "BENCH-1", "Visit 1").clip_id
        scheme = get_scheme("vig")
        run = coding.open_run(ws, clip_id, scheme, "Ann").id
        table = probe(clip).frame_table
        codes = (
            [c.id for c in scheme.ethogram.codes if c.kind == "point"] if scheme.ethogram else []
        )
        times = []
        for n in range(PRESSES):
            t0 = time.perf_counter()
            events.code_event(ws, run, scheme, codes[n % len(codes)], None, (n * 37) % 5000, table)
            times.append((time.perf_counter() - t0) * 1000)
        with ws.engine.connect() as conn:
            actual = conn.exec_driver_sql("PRAGMA synchronous").scalar()
        assert actual == {"NORMAL": 1, "FULL": 2}[level], actual
    finally:
        ws.close()
    return np.array(times)


def main() -> None:
    with tempfile.TemporaryDirectory(dir=Path.home()) as tmp:
        folder = Path(tmp)
        clip = make_clip(folder / "clip.mp4", seconds=6, rate=25, gop=50)
        for level in ("NORMAL", "FULL", "NORMAL", "FULL"):
            t = measure(folder, clip, level)
            print(
                f"synchronous={level:<6}  code_event median {np.median(t):.2f} ms, "
                f"p95 {np.percentile(t, 95):.2f} ms, max {t.max():.1f} ms  ({PRESSES} presses)"
            )


if __name__ == "__main__":
    main()
