"""``vfa reliability`` on big ratings files: reading the CSV and every statistic (each item,
the pooled ratings, and with the KIPS scheme its total), end to end as the command runs
it. The files hold KIPS ratings (12 items, 1–5 or NOB) of two coders; 1,000,000 rows is
41,667 clips. Target: 1,000,000 rows <= 10 s, and time in proportion to the rows (the
100,000- and 200,000-row files show the slope).

Run: ``.venv/bin/python -m bench.bench_reliability_csv``.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from bench.common import OUT, median
from vfa.services.reliability import ratings_report
from vfa.services.schemes import get_scheme

CODERS = ("Ann", "Ben")
TARGET_ROWS, TARGET_S = 1_000_000, 10.0


def ratings_file(rows: int) -> Path:
    """ROWS ratings of the KIPS items by two coders (a true score per clip and item, the
    coders off by at most one point, about 2% NOB), made once in bench/out."""
    OUT.mkdir(exist_ok=True)
    path = OUT / f"ratings_{rows}.csv"
    if path.exists():
        return path
    items = [i.id for i in (get_scheme("kips").ratings or ()).items]  # type: ignore[union-attr]
    per_clip = len(items) * len(CODERS)
    clips = -(-rows // per_clip)
    rng = np.random.default_rng(2026)
    truth = rng.integers(1, 6, size=(clips, len(items), 1))
    noise = rng.choice([-1, 0, 0, 0, 1], size=(clips, len(items), len(CODERS)))
    values = np.clip(truth + noise, 1, 5).astype(str).astype(object)
    values[rng.random(values.shape) < 0.02] = "NOB"
    part = path.with_suffix(".part")
    with part.open("w", encoding="utf-8") as out:
        out.write("unit,coder,item,value\n")
        written = 0
        for clip in range(clips):
            lines = [
                f"clip{clip},{coder},{item},{values[clip, i, c]}\n"
                for i, item in enumerate(items)
                for c, coder in enumerate(CODERS)
            ]
            take = lines[: rows - written]
            out.writelines(take)
            written += len(take)
    part.replace(path)
    return path


def timed(path: Path, scheme: str | None, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        ratings_report(path, scheme=scheme, reference="Ann")
        times.append(time.perf_counter() - started)
    return median(times)


def main() -> None:
    for rows in (100_000, 200_000, TARGET_ROWS):
        path = ratings_file(rows)
        runs = 3 if rows == TARGET_ROWS else 5
        for scheme in (None, "kips"):
            seconds = timed(path, scheme, runs)
            how = "with --scheme kips (checked, total)" if scheme else "without a scheme"
            target = f" (target <= {TARGET_S:.0f} s)" if rows == TARGET_ROWS else ""
            print(
                f"vfa reliability, {rows:,} rows {how}: median {seconds:.2f} s over {runs} "
                f"runs, {seconds / rows * 1e6:.2f} µs a row{target}"
            )


if __name__ == "__main__":
    main()
