"""Agreement statistics on synthetic data: ratings for 1,000 clips × 12 items × 3 coders
(every statistic on every item, the pooled ratings and the total; target <= 1 s) and event
agreement of two coders with 5,000 events each on a 20-minute clip (target <= 1 s).
Run: ``.venv/bin/python -m bench.bench_agreement``.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from bench.common import median
from vfa.domain.agreement import rating_stats
from vfa.domain.event_agreement import Event, event_agreement, time_unit_agreement
from vfa.domain.event_results import EventBasedAgreement, Pairing

CLIPS, ITEMS, CODERS = 1000, 12, 3
EVENTS, CLIP_MS = 5000, 20 * 60 * 1000


def ratings(rng: np.random.Generator) -> np.ndarray:
    """clips × items × coders on 1–5: a true score per clip and item, coders off by <= 1,
    about 5% NOB (NaN)."""
    truth = rng.integers(1, 6, size=(CLIPS, ITEMS, 1))
    noise = rng.choice([-1, 0, 0, 0, 1], size=(CLIPS, ITEMS, CODERS))
    values = np.clip(truth + noise, 1, 5).astype(float)
    values[rng.random(values.shape) < 0.05] = np.nan
    return values


def all_rating_stats(values: np.ndarray) -> None:
    """What ``vfa reliability`` computes: each item, the pooled ratings, the mean total."""
    scale = [1, 2, 3, 4, 5]
    for item in range(ITEMS):
        rating_stats(values[:, item, :], scale, reference_index=0)
    rating_stats(values.transpose(0, 1, 2).reshape(-1, CODERS), scale, reference_index=0)
    rating_stats(np.nanmean(values, axis=1), None, reference_index=0)


def coders_events(rng: np.random.Generator) -> tuple[list[Event], list[Event]]:
    """5,000 states per coder (about 100–400 ms each, 4 codes); the second coder moves
    onsets by up to ±50 ms, lengths by ±30 ms, and changes 15% of the codes."""
    codes = ["look", "touch", "vocal", "smile"]
    starts = np.sort(rng.integers(0, CLIP_MS - 2000, EVENTS))
    lengths = rng.integers(100, 400, EVENTS)
    first = [
        Event(codes[int(rng.integers(4))], int(s), int(s + n))
        for s, n in zip(starts, lengths, strict=True)
    ]
    second = []
    for event in first:
        start = max(0, event.start_ms + int(rng.integers(-50, 51)))
        length = max(
            10, (event.end_ms or event.start_ms) - event.start_ms + int(rng.integers(-30, 31))
        )
        code = event.code if rng.random() < 0.85 else codes[int(rng.integers(4))]
        second.append(Event(code, start, start + length))
    return first, second


def timed(work: Callable[[], object], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return median(times)


def main() -> None:
    rng = np.random.default_rng(2009)
    values = ratings(rng)
    seconds = timed(lambda: all_rating_stats(values))
    print(
        f"ratings agreement, {CLIPS} clips × {ITEMS} items × {CODERS} coders (every item, "
        f"pooled, total; all statistics with bootstrap CIs): median {seconds:.3f} s over 5 "
        "runs (target <= 1 s)"
    )
    a, b = coders_events(rng)
    for label, options in (("overlap 60%", {}), ("onset tolerance 2 s", {"tolerance_ms": 2000})):
        seconds = timed(
            lambda options=options: (
                time_unit_agreement(a, b, CLIP_MS, 1000),
                EventBasedAgreement.of(
                    event_agreement(a, b, **options),
                    Pairing.of(0.6, options.get("tolerance_ms")),
                ),
            )
        )
        print(
            f"event agreement, 2 coders × {EVENTS} events on a 20-minute clip ({label}; "
            f"time units + events): median {seconds:.3f} s over 5 runs (target <= 1 s)"
        )


if __name__ == "__main__":
    main()
