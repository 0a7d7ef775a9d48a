"""Time-unit agreement of two coders in one clip (see ``vfa.domain.event_agreement`` for
the rules): counted over runs of units in which no event begins or ends, so time and
memory follow the events, never the clip's length over the unit."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from vfa.domain.confusion import (
    NONE,
    Confusion,
    Event,
    IntArray,
    merge_confusions,
)


def unit_count(duration_ms: int, unit_ms: int) -> int:
    return max(1, math.ceil(duration_ms / unit_ms))


def _covered_units(
    event: Event, n_units: int, unit_ms: int, duration_ms: int | None = None
) -> tuple[int, int]:
    """[first, stop) of the units an event occupies (midpoint rule; a point's own unit).

    The last unit ends with the clip (``duration_ms``; None: a whole unit), so a short last
    unit's midpoint is halfway to the clip's end, not half a unit past its start.
    """
    if event.end_ms is None:
        first = min(max(event.start_ms // unit_ms, 0), n_units - 1)
        return first, first + 1
    half = unit_ms / 2
    last = n_units - 1
    end_of_clip = n_units * unit_ms if duration_ms is None else duration_ms
    last_mid = (last * unit_ms + min(end_of_clip, n_units * unit_ms)) / 2
    # the units before the last one have their midpoint at k * unit + half
    first = min(last, max(0, math.ceil((event.start_ms - half) / unit_ms)))
    if first == last and event.start_ms > last_mid:
        first = n_units
    stop = (
        n_units
        if event.end_ms > last_mid
        else min(last, math.ceil((event.end_ms - half) / unit_ms))
    )
    return first, max(first, stop)


@dataclass(frozen=True)
class Segments:
    """A clip's time units grouped into runs in which no event of either coder begins or
    ends: ``cuts`` are unit indices from 0 to the number of units; every statistic of the
    units is the same over a run's units, so they are counted by ``lengths``. Memory
    follows the events, never the clip's length over the unit."""

    cuts: IntArray
    lengths: IntArray

    @classmethod
    def of(cls, spans: Sequence[tuple[int, int]], n_units: int) -> Segments:
        edges = [0, n_units] + [e for span in spans for e in span]
        cuts = np.unique(np.clip(np.array(edges, dtype=np.int64), 0, n_units))
        return cls(cuts, np.diff(cuts))

    def where(self, first: int, stop: int) -> tuple[int, int]:
        """[first, stop) of units as a range of segments."""
        lo, hi = np.searchsorted(self.cuts, (first, stop))
        return int(lo), int(hi)


def unit_labels(
    events: Sequence[Event],
    n_units: int,
    unit_ms: int,
    codes: list[str],
    duration_ms: int | None = None,
) -> IntArray:
    """Each time unit's code index (``len(codes)`` for ``<none>``); latest-started wins."""
    spans = [_covered_units(e, n_units, unit_ms, duration_ms) for e in events]
    segments = Segments.of(spans, n_units)
    labels = _segment_labels(events, spans, segments, codes)
    return np.repeat(labels, segments.lengths)


def _segment_labels(
    events: Sequence[Event],
    spans: Sequence[tuple[int, int]],
    segments: Segments,
    codes: list[str],
) -> IntArray:
    """Each segment's code index (``len(codes)`` for ``<none>``); latest-started wins.

    The events are painted from the latest-started back, each segment once: ``free[i]``
    leads to the first segment at or after i not yet painted, so long overlapping events
    cost their ends, not their lengths.
    """
    n_segments = len(segments.lengths)
    labels = np.full(n_segments, len(codes), dtype=np.int64)
    index = {code: i for i, code in enumerate(codes)}
    firsts = np.searchsorted(segments.cuts, [s[0] for s in spans]).tolist()
    stops = np.searchsorted(segments.cuts, [s[1] for s in spans]).tolist()
    free = list(range(n_segments + 1))

    def unpainted(i: int) -> int:
        root = i
        while free[root] != root:
            root = free[root]
        while free[i] != root:
            free[i], i = root, free[i]
        return root

    order = sorted(range(len(events)), key=lambda n: events[n].start_ms)
    for n in reversed(order):
        code, stop = index[events[n].code], stops[n]
        i = unpainted(firsts[n])
        while i < stop:
            labels[i] = code
            free[i] = i + 1
            i = unpainted(i + 1)
    return labels


def _segment_presence(
    events: Sequence[Event],
    spans: Sequence[tuple[int, int]],
    segments: Segments,
    code: str,
) -> NDArray[np.bool_]:
    """True in every segment some event of ``code`` occupies."""
    marks = np.zeros(len(segments.lengths) + 1, dtype=np.int64)
    for event, span in zip(events, spans, strict=True):
        if event.code == code:
            lo, hi = segments.where(*span)
            marks[lo] += 1
            marks[hi] -= 1
    return np.cumsum(marks[:-1]) > 0


def presence(
    events: Sequence[Event], code: str, n_units: int, unit_ms: int, duration_ms: int | None = None
) -> IntArray:
    """1 in every time unit some event of ``code`` occupies, else 0."""
    spans = [_covered_units(e, n_units, unit_ms, duration_ms) for e in events]
    segments = Segments.of(spans, n_units)
    found = _segment_presence(events, spans, segments, code)
    return np.repeat(found.astype(np.int64), segments.lengths)


@dataclass(frozen=True)
class TimeUnitResult:
    """Two coders' time units tallied: the confusion matrix and each code's presence
    table (``vfa.domain.event_results.TimeUnitAgreement`` gives the statistics)."""

    confusion: Confusion
    per_code: dict[
        str, IntArray
    ]  # code -> 2 × 2 presence table [[both, a only], [b only, neither]]


def time_unit_agreement(
    a: Sequence[Event], b: Sequence[Event], duration_ms: int, unit_ms: int = 1000
) -> TimeUnitResult:
    """Time-unit confusion matrix and per-code presence tables of two coders in one clip.

    Counted over runs of units in which no event begins or ends (``Segments``): time and
    memory follow the events, whatever the clip's length and the unit.
    """
    if unit_ms <= 0:
        raise ValueError("the time unit must be at least 1 ms")
    codes = sorted({e.code for e in (*a, *b)})
    n_units = unit_count(duration_ms, unit_ms)
    k = len(codes) + 1
    spans_a = [_covered_units(e, n_units, unit_ms, duration_ms) for e in a]
    spans_b = [_covered_units(e, n_units, unit_ms, duration_ms) for e in b]
    segments = Segments.of([*spans_a, *spans_b], n_units)
    la = _segment_labels(a, spans_a, segments, codes)
    lb = _segment_labels(b, spans_b, segments, codes)
    weights = segments.lengths.astype(np.float64)
    counts = np.bincount(la * k + lb, weights=weights, minlength=k * k)
    per_code = {}
    for code in codes:
        pa = _segment_presence(a, spans_a, segments, code)
        pb = _segment_presence(b, spans_b, segments, code)
        per_code[code] = np.array(
            [
                [int(weights[pa & pb].sum()), int(weights[pa & ~pb].sum())],
                [int(weights[~pa & pb].sum()), int(weights[~pa & ~pb].sum())],
            ],
            dtype=np.int64,
        )
    table = np.rint(counts).astype(np.int64).reshape(k, k)
    return TimeUnitResult(Confusion((*codes, NONE), table), per_code)


def merge_time_units(results: Iterable[TimeUnitResult]) -> TimeUnitResult:
    """Several clips' time-unit results pooled (tables summed)."""
    results = list(results)
    per_code: dict[str, IntArray] = {}
    for result in results:
        for code, table in result.per_code.items():
            per_code[code] = per_code.get(code, np.zeros((2, 2), dtype=np.int64)) + table
    for result in results:
        units = int(result.confusion.counts.sum())
        for code in per_code:
            if code not in result.per_code:
                per_code[code] = per_code[code] + np.array([[0, 0], [0, units]])
    confusion = merge_confusions((r.confusion for r in results), NONE)
    return TimeUnitResult(confusion, dict(sorted(per_code.items())))
