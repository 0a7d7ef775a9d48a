"""A laptop coming home: Ann's checkout of a 20-minute clip, coded on the laptop with
10,000 events (each with its audit entry, as key presses leave them), merged back into the
team workspace file (target: <= 2 s), and the dry run of the same merge. Each round merges
into a fresh copy of the team workspace.
Run: ``.venv/bin/python -m bench.bench_merge``.
"""

from __future__ import annotations

import datetime as dt
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

EVENTS = 10_000
ROUNDS = 5


def code_laptop(path: Path, events: int) -> None:
    """``events`` point events in Ann's VIG run on the laptop, with their audit entries."""
    from sqlalchemy import insert, select

    from vfa.storage.models import Annotation, AuditEntry, CodingRun, Scheme
    from vfa.storage.workspace import open_workspace

    ws = open_workspace(path)
    try:
        with ws.writes.begin() as db:
            conn = db.connection()
            run_id = conn.scalar(
                select(CodingRun.id)
                .join(Scheme, Scheme.id == CodingRun.scheme_id)
                .where(Scheme.scheme_key == "vig")
            )
            start = dt.datetime.now(dt.UTC)
            rows = [
                {"run_id": run_id, "code": "being_attentive", "subject": "child",
                 "start_ms": n * 120, "end_ms": n * 120, "start_frame": n * 120 // 200,
                 "end_frame": n * 120 // 200, "modifiers": {}}
                for n in range(events)
            ]  # fmt: skip
            conn.execute(insert(Annotation), rows)
            ids = conn.scalars(select(Annotation.id).where(Annotation.run_id == run_id)).all()
            trail = [
                {"at": start + dt.timedelta(milliseconds=n), "actor": "Ann", "action": "code",
                 "entity": "annotation", "entity_id": i,
                 "detail": {"code": "being_attentive", "at_ms": n * 120}}
                for n, i in enumerate(ids)
            ]  # fmt: skip
            conn.execute(insert(AuditEntry), trail)
    finally:
        ws.close()


def main() -> int:
    from vfa.media.synth import make_clip
    from vfa.services import assignments
    from vfa.services.checkout import checkout
    from vfa.services.clips import add_clip
    from vfa.services.merge import merge
    from vfa.services.schemes import get_scheme
    from vfa.storage.workspace import open_workspace

    with tempfile.TemporaryDirectory(dir=Path.home()) as tmp:
        folder = Path(tmp)
        clip = make_clip(folder / "r03.mp4", seconds=1201, rate=5, gop=50, width=160, height=90)
        team = folder / "team.vfa"
        ws = open_workspace(team, create=True)
        clip_id = add_clip(ws, clip, "FAM-1", "Visit 1").clip_id
        for scheme in ("kips", "vig"):
            assignments.assign(ws, [clip_id], get_scheme(scheme), ["Ann", "Ben"], by="Sue")
        checkout(ws, "Ann", folder / "laptop.vfa", viewer="Ann")
        ws.close()
        code_laptop(folder / "laptop.vfa", EVENTS)
        dry, wet = [], []
        added = 0
        for n in range(ROUNDS):
            copy = folder / f"team-{n}.vfa"
            shutil.copyfile(team, copy)
            ws = open_workspace(copy)
            try:
                t0 = time.perf_counter()
                merge(ws, folder / "laptop.vfa", dry_run=True, viewer="Ann")
                t1 = time.perf_counter()
                report = merge(ws, folder / "laptop.vfa", viewer="Ann")
                t2 = time.perf_counter()
            finally:
                ws.close()
            dry.append(t1 - t0)
            wet.append(t2 - t1)
            added = report.tallies["events"].added
    print(
        f"merge of a laptop with {added} new events: median {statistics.median(wet):.2f} s, "
        f"max {max(wet):.2f} s (target <= 2 s); dry run median {statistics.median(dry):.2f} s"
        f" ({ROUNDS} rounds, each into a fresh copy of the team workspace)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
