"""Opening a workspace of 1,000,000 events (target <= 1 s) and listing its clips (target
<= 0.2 s), as `vfa clip list` and the window do (the window opens workspaces off the GUI
thread), with the integrity check every open makes (SQLite's quick_check).
Run: ``.venv/bin/python -m bench.bench_open``.
"""

from __future__ import annotations

import sqlite3
import statistics
import tempfile
import time
from contextlib import closing
from pathlib import Path

from bench.bench_export import build
from vfa.services.clips import catalog
from vfa.storage.workspace import open_workspace


def main() -> None:
    with tempfile.TemporaryDirectory(dir=Path.home()) as tmp:
        path = build(Path(tmp))
        size = path.stat().st_size
        with closing(sqlite3.connect(path)) as raw:
            raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            t0 = time.perf_counter()
            raw.execute("PRAGMA quick_check").fetchall()
            quick = time.perf_counter() - t0
        opens, lists = [], []
        for _ in range(5):
            t0 = time.perf_counter()
            ws = open_workspace(path)
            opened = time.perf_counter()
            catalog(ws)
            listed = time.perf_counter()
            ws.close()
            opens.append(opened - t0)
            lists.append(listed - opened)
        mib = size / 2**20
        print(f"workspace of 1,000,000 events: {mib:.0f} MiB; quick_check alone {quick:.2f} s")
        print(
            f"open: median {statistics.median(opens):.3f} s, max {max(opens):.3f} s (target <= 1 s)"
        )
        print(
            f"clip list: median {statistics.median(lists) * 1000:.0f} ms, "
            f"max {max(lists) * 1000:.0f} ms (target <= 200 ms)"
        )


if __name__ == "__main__":
    main()
