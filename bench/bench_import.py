"""The shared ELAN sample (8,778 annotations over 20 minutes) previewed (read and planned,
as File → Import… shows it) and imported into a clip (target: both together <= 1 s).
Run: ``.venv/bin/python -m bench.bench_import``.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "interop" / "eaf" / "sample_2.7.eaf"


def main() -> int:
    from vfa.media.synth import make_clip
    from vfa.services.clips import add_clip
    from vfa.services.import_writes import run_import, undo_import
    from vfa.services.imports import ImportOptions, plan_import
    from vfa.storage.workspace import open_workspace

    if not SAMPLE.is_file():
        print(f"{SAMPLE} not found")
        return 1
    with tempfile.TemporaryDirectory(dir=Path.home()) as tmp:
        folder = Path(tmp)
        clip = make_clip(folder / "r03.mp4", seconds=1201, rate=5, gop=50, width=160, height=90)
        ws = open_workspace(folder / "import.vfa", create=True)
        clip_id = add_clip(ws, clip, "FAM-1", "Visit 1").clip_id
        previews, imports, totals = [], [], []
        events = 0
        for n in range(5):
            t0 = time.perf_counter()
            plan = plan_import(ws, SAMPLE, ImportOptions(clip_id=clip_id, coder=f"Ann{n}"))
            t1 = time.perf_counter()
            result = run_import(ws, plan)
            t2 = time.perf_counter()
            previews.append(t1 - t0)
            imports.append(t2 - t1)
            totals.append(t2 - t0)
            events = result.events
            undo_import(ws, result.batch)
        ws.close()
    print(
        f"sample_2.7.eaf: {events} events; preview median {statistics.median(previews):.2f} s, "
        f"import median {statistics.median(imports):.2f} s, together median "
        f"{statistics.median(totals):.2f} s, max {max(totals):.2f} s (target <= 1 s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
