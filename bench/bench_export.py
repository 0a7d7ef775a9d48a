"""A million events exported to tidy CSV (target <= 5 s) and to JSON (target <= 10 s).

The workspace is made here: one clip, ten coders' runs of 100,000 events each (states
and points, a tenth with modifiers, a twentieth with captions, moments among them). Each
export runs through ``export_file`` as ``vfa export`` does (temporary file, rename), and
is timed once warm. The JSON is then restored into an empty workspace and exported
again, which must give the same file. Run: ``.venv/bin/python -m bench.bench_export``.
"""

from __future__ import annotations

import filecmp
import os
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert

from vfa.media.synth import make_clip
from vfa.services import clips as clip_service
from vfa.services.coding import open_run
from vfa.services.exports import Selection, export_file
from vfa.services.schemes import get_scheme
from vfa.services.workspace_restore import import_workspace_json
from vfa.storage.models import Annotation, Moment
from vfa.storage.workspace import open_workspace

RUNS = 10
PER_RUN = 100_000


def build(tmp: Path) -> Path:
    """A workspace file holding RUNS × PER_RUN events."""
    clip = make_clip(tmp / "clip.mp4", seconds=2, rate=25, gop=25, audio=False)
    path = tmp / "big.vfa"
    ws = open_workspace(path, create=True)
    try:
        clip_id = clip_service.add_clip(ws, clip, "FAM-1", "Visit 1").clip_id
        scheme = get_scheme("vig")
        codes = [c.id for c in scheme.ethogram.codes] if scheme.ethogram else ["x"]
        for r in range(RUNS):
            run = open_run(ws, clip_id, scheme, f"coder{r:02d}")
            rows = []
            for n in range(PER_RUN):
                start = n * 40
                rows.append(
                    {
                        "run_id": run.id,
                        "code": codes[n % len(codes)],
                        "subject": ("parent", "child")[n % 2],
                        "start_ms": start,
                        "end_ms": start + (0 if n % 3 else 400),
                        "start_frame": n,
                        "end_frame": n + (0 if n % 3 else 10),
                        "modifiers": {"intensity": "high"} if n % 10 == 0 else {},
                        "caption": f'caption {n}, "quoted"' if n % 20 == 0 else None,
                    }
                )
            with ws.write_engine.begin() as conn:
                conn.execute(insert(Annotation), rows)
                first = conn.exec_driver_sql(
                    "SELECT min(id) FROM annotation WHERE run_id = ?", (run.id,)
                ).scalar_one()
                conn.execute(
                    insert(Moment),
                    [
                        {"annotation_id": first + k, "key_ms": k * 40, "key_frame": k,
                         "tags": {"extra": []}, "feedback": False}
                        for k in range(0, PER_RUN, 1000)
                    ],
                )  # fmt: skip
    finally:
        ws.close()
    return path


def timed(label: str, fn: object) -> float:
    started, cpu = time.perf_counter(), time.process_time()
    result = fn()  # type: ignore[operator]
    took = time.perf_counter() - started
    rows = getattr(result, "rows", None) or getattr(result, "events", "?")
    print(
        f"{label}: {took:.2f} s ({time.process_time() - cpu:.2f} s of CPU; {rows} rows; "
        f"load average {os.getloadavg()[0]:.1f})"
    )
    return took


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        os.environ.setdefault("VFA_CONFIG_DIR", str(tmp / "config"))
        started = time.perf_counter()
        path = build(tmp)
        print(f"built {RUNS * PER_RUN:,} events in {time.perf_counter() - started:.1f} s")
        ws = open_workspace(path)
        try:
            sel = Selection(viewer="bench")
            csv_s = timed(
                "CSV export (target <= 5 s)",
                lambda: export_file(ws, "csv", tmp / "events.csv", sel),
            )
            json_s = timed(
                "JSON export (target <= 10 s)",
                lambda: export_file(ws, "json", tmp / "all.json", sel),
            )
            print(
                f"sizes: CSV {os.path.getsize(tmp / 'events.csv') / 1e6:.0f} MB, "
                f"JSON {os.path.getsize(tmp / 'all.json') / 1e6:.0f} MB"
            )
        finally:
            ws.close()
        empty = open_workspace(tmp / "restored.vfa", create=True)
        try:
            timed(
                "restore into an empty workspace",
                lambda: import_workspace_json(empty, tmp / "all.json"),
            )
            export_file(empty, "json", tmp / "again.json", Selection(viewer="bench"))
        finally:
            empty.close()
        same = filecmp.cmp(tmp / "all.json", tmp / "again.json", shallow=False)
        print(f"export, restore, export: {'the same file' if same else 'DIFFERENT FILES'}")
        csv_ok = "ok" if csv_s <= 5 else "OVER TARGET"
        json_ok = "ok" if json_s <= 10 else "OVER TARGET"
        print(f"CSV {csv_ok}, JSON {json_ok}")


if __name__ == "__main__":
    main()
