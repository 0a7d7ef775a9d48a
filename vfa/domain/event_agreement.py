"""Agreement of two coders on timed events in one clip: time-unit and event-based kappa.

Both follow Bakeman, Quera & Gnisci (2009), with these choices:

Time units. The clip is cut into units of ``unit_ms`` from 0 over its whole duration (the
last unit may be short). A coder's code in a unit is the code of the event covering the
unit's midpoint (a state [start, end) covers t when start <= t < end); a point event
occupies the unit containing it. Where one coder's events overlap, the codes are taken as
mutually exclusive and the latest-started event wins. A unit nobody's event covers is
``<none>``, a category like any code. Kappa is Cohen's over the units. ``per_code`` gives,
for each code, the kappa of its presence/absence per unit (any of the coder's events of
that code covering the unit, overlaps included), which needs no exclusivity rule.

Events. Events of the two coders are paired one-to-one. Two events can pair when their
overlap divided by the longer duration is at least ``overlap`` (ELAN's 60% by default);
when either is a point event, or in tolerance mode (``tolerance_ms`` given) for all
events, when their onsets differ by at most the tolerance. Among the possible pairings
the one with the largest total weight is taken (Hungarian method, scipy's
``linear_sum_assignment``, on each connected block of candidate pairs): a pair of the same
code weighs 3, of different codes 1 (a disagreement in the confusion matrix), plus half
its fit (overlap ratio, or 1 - onset gap / (tolerance + 1)) to break ties. An unpaired
event is tallied against ``<nothing>``; the ``<nothing>``/``<nothing>`` cell is empty by
construction. Percent agreement and Cohen's kappa come from that confusion matrix,
kappa_max is the largest kappa its margins allow (Umesh, Peterson & Sauber 1989).
``per_code`` collapses the matrix to the code against everything else (2 × 2).

Undefined values are None: kappa and kappa_max when a coder used one category only (e.g.
never coded the code), and every agreement of time units when neither coder coded any
event (there was nothing to agree on; the <none>/<none> units alone would say 1.00).

The candidate pairs are counted before they are listed: more than MAX_CANDIDATE_PAIRS
(a tolerance or overlap so loose that nearly every event may pair with every other) is
refused with TooManyPairs rather than filling memory.

No confidence intervals: successive time units and events are not independent, so the
usual SE would be too small.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linear_sum_assignment
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import connected_components, min_weight_full_bipartite_matching

from vfa.domain.confusion import (
    NONE,
    NOTHING,
    Confusion,
    Event,
    kappa,
    kappa_max,
    merge_confusions,
    percent_agreement,
)
from vfa.domain.time_units import (
    TimeUnitResult,
    merge_time_units,
    presence,
    time_unit_agreement,
    unit_labels,
)

__all__ = [
    "NONE",
    "NOTHING",
    "Confusion",
    "Event",
    "EventResult",
    "TimeUnitResult",
    "TooManyPairs",
    "event_agreement",
    "kappa",
    "kappa_max",
    "match_events",
    "merge_confusions",
    "merge_events",
    "merge_time_units",
    "pair_events",
    "percent_agreement",
    "presence",
    "time_unit_agreement",
    "unit_labels",
]

SAME_CODE_WEIGHT = 3.0
OTHER_CODE_WEIGHT = 1.0
POINT_TOLERANCE_MS = 1000  # onset tolerance for point events when pairing by overlap
DENSE_BLOCK_LIMIT = 400  # blocks with more events than this are solved on a sparse graph
MAX_CANDIDATE_PAIRS = 5_000_000  # pairs that may match, held at once (about 200 MB)

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]


# -- events ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Arrays:
    """One coder's events as arrays, sorted by onset."""

    events: tuple[Event, ...]
    start: IntArray
    end: IntArray  # == start for point events
    point: NDArray[np.bool_]

    @classmethod
    def of(cls, events: Sequence[Event]) -> _Arrays:
        ordered = tuple(sorted(events, key=lambda e: (e.start_ms, e.end_ms or e.start_ms)))
        start = np.array([e.start_ms for e in ordered], dtype=np.int64)
        end = np.array(
            [e.start_ms if e.end_ms is None else e.end_ms for e in ordered], dtype=np.int64
        )
        point = np.array([e.is_point for e in ordered], dtype=bool)
        return cls(ordered, start, end, point)


class TooManyPairs(ValueError):
    """The pairing window would hold more candidate pairs than MAX_CANDIDATE_PAIRS."""

    def __init__(self, pairs: int) -> None:
        self.pairs = pairs
        super().__init__(
            f"{pairs:,} possible pairs of events, more than {MAX_CANDIDATE_PAIRS:,}: the "
            "onset tolerance or the overlap lets almost every event pair with every other; "
            "narrow it"
        )


def _window_pairs(first: IntArray, lo: IntArray, hi: IntArray) -> tuple[IntArray, IntArray]:
    """Every (i, j) with lo[i] <= j < hi[i], as two index arrays (no Python loop); refused
    (TooManyPairs) before anything is allocated when they are too many."""
    sizes = np.maximum(hi - lo, 0)
    total = int(sizes.sum())
    if total > MAX_CANDIDATE_PAIRS:
        raise TooManyPairs(total)
    i = np.repeat(first, sizes)
    offsets = np.repeat(np.cumsum(sizes) - sizes, sizes)
    j = lo[np.repeat(np.arange(len(first)), sizes)] + (np.arange(int(sizes.sum())) - offsets)
    return i.astype(np.int64), j.astype(np.int64)


def candidate_pairs(
    a: _Arrays, b: _Arrays, overlap: float, tolerance_ms: int | None, point_tolerance_ms: int
) -> tuple[IntArray, IntArray, FloatArray]:
    """The pairs that may match and their fit in [0, 1]; b is searched by onset windows."""
    all_a = np.arange(len(a.start))
    by_onset = tolerance_ms is not None
    tol = tolerance_ms if tolerance_ms is not None else point_tolerance_ms
    lo = np.searchsorted(b.start, a.start - tol, side="left")
    hi = np.searchsorted(b.start, a.start + tol, side="right")
    i, j = _window_pairs(all_a, lo, hi)
    if not by_onset:
        keep = a.point[i] | b.point[j]
        i, j = i[keep], j[keep]
    fit = 1 - np.abs(a.start[i] - b.start[j]) / (tol + 1)
    if by_onset:
        return i, j, fit
    states = all_a[~a.point]
    dur = (a.end - a.start)[states]
    reach = np.ceil(dur * (1 - overlap) / overlap).astype(np.int64)
    lo = np.searchsorted(b.start, a.start[states] - reach, side="left")
    hi = np.searchsorted(b.start, a.end[states], side="left")
    si, sj = _window_pairs(states, lo, hi)
    keep = ~b.point[sj]
    si, sj = si[keep], sj[keep]
    shared = np.minimum(a.end[si], b.end[sj]) - np.maximum(a.start[si], b.start[sj])
    longer = np.maximum(a.end[si] - a.start[si], b.end[sj] - b.start[sj])
    ratio = shared / np.maximum(longer, 1)
    keep = ratio >= overlap
    return (
        np.concatenate([i, si[keep]]),
        np.concatenate([j, sj[keep]]),
        np.concatenate([fit, ratio[keep]]),
    )


def match_events(
    a: _Arrays,
    b: _Arrays,
    overlap: float = 0.6,
    tolerance_ms: int | None = None,
    point_tolerance_ms: int = POINT_TOLERANCE_MS,
) -> list[tuple[int, int]]:
    """The one-to-one pairing of largest total weight (see the module's notes)."""
    i, j, fit = candidate_pairs(a, b, overlap, tolerance_ms, point_tolerance_ms)
    if len(i) == 0:
        return []
    codes_a = np.array([e.code for e in a.events], dtype=object)
    codes_b = np.array([e.code for e in b.events], dtype=object)
    same = codes_a[i] == codes_b[j]
    weight = np.where(same, SAME_CODE_WEIGHT, OTHER_CODE_WEIGHT) + fit / 2
    na, nb = len(a.start), len(b.start)
    graph = coo_matrix((np.ones(len(i)), (i, na + j)), shape=(na + nb, na + nb))
    _, component = connected_components(graph, directed=False)
    block = component[i]
    order = np.argsort(block, kind="stable")
    bounds = np.flatnonzero(np.diff(block[order])) + 1
    pairs: list[tuple[int, int]] = []
    for edges in np.split(order, bounds):
        if len(edges) == 1:
            pairs.append((int(i[edges[0]]), int(j[edges[0]])))
        else:
            pairs.extend(_assign(i[edges], j[edges], weight[edges]))
    return pairs


def _assign(i: IntArray, j: IntArray, weight: FloatArray) -> list[tuple[int, int]]:
    """The largest-weight one-to-one choice among the edges (i[n], j[n]) of one block."""
    rows, row_at = np.unique(i, return_inverse=True)
    cols, col_at = np.unique(j, return_inverse=True)
    if len(rows) + len(cols) <= DENSE_BLOCK_LIMIT:
        table = np.zeros((len(rows), len(cols)))
        table[row_at, col_at] = weight
        picked_r, picked_c = linear_sum_assignment(table, maximize=True)
        chosen = table[picked_r, picked_c] > 0
        picked_r, picked_c = picked_r[chosen], picked_c[chosen]
    else:
        picked_r, picked_c = _sparse_assign(row_at, col_at, weight, len(rows), len(cols))
    return [(int(rows[r]), int(cols[c])) for r, c in zip(picked_r, picked_c, strict=True)]


def _sparse_assign(
    r: IntArray, c: IntArray, weight: FloatArray, n_rows: int, n_cols: int
) -> tuple[IntArray, IntArray]:
    """Maximum-weight matching on a sparse bipartite graph, leaving any node unmatched.

    Each row gets a private "unmatched" column and each column a private "unmatched" row,
    and those stand-ins are linked wherever their real nodes are; every full matching then
    has n_rows + n_cols edges, each costing ``top`` less its weight when real, so the
    cheapest full matching (scipy's LAPJVsp) is the heaviest partial one.
    """
    top = float(weight.max()) + 1
    own_r, own_c = np.arange(n_rows), np.arange(n_cols)
    row_idx = np.concatenate([r, own_r, n_rows + own_c, n_rows + c])
    col_idx = np.concatenate([c, n_cols + own_r, own_c, n_cols + r])
    cost = np.concatenate([top - weight, np.full(n_rows + n_cols + len(r), top)])
    size = n_rows + n_cols
    graph = csr_matrix((cost, (row_idx, col_idx)), shape=(size, size))
    rows, cols = min_weight_full_bipartite_matching(graph)
    real = (rows < n_rows) & (cols < n_cols)
    return rows[real].astype(np.int64), cols[real].astype(np.int64)


@dataclass(frozen=True)
class EventResult:
    """Two coders' events paired and tallied: the confusion matrix and the counts
    (``vfa.domain.event_results.EventBasedAgreement`` gives the statistics)."""

    confusion: Confusion
    matched: int
    unmatched_first: int
    unmatched_second: int


def event_agreement(
    a: Sequence[Event],
    b: Sequence[Event],
    overlap: float = 0.6,
    tolerance_ms: int | None = None,
    point_tolerance_ms: int = POINT_TOLERANCE_MS,
) -> EventResult:
    """Pair two coders' events and tally the pairs (and the unpaired) in a confusion matrix."""
    if not 0 < overlap <= 1:
        raise ValueError("the overlap must be above 0 and at most 1")
    if tolerance_ms is not None and tolerance_ms < 0:
        raise ValueError("the onset tolerance must be 0 ms or more")
    arrays_a, arrays_b = _Arrays.of(a), _Arrays.of(b)
    pairs = match_events(arrays_a, arrays_b, overlap, tolerance_ms, point_tolerance_ms)
    codes = sorted({e.code for e in (*a, *b)})
    labels = (*codes, NOTHING)
    index = {label: n for n, label in enumerate(labels)}
    k = len(labels)
    rows = [index[arrays_a.events[p].code] for p, _ in pairs]
    cols = [index[arrays_b.events[q].code] for _, q in pairs]
    paired_a = {p for p, _ in pairs}
    paired_b = {q for _, q in pairs}
    for n, event in enumerate(arrays_a.events):
        if n not in paired_a:
            rows.append(index[event.code])
            cols.append(index[NOTHING])
    for n, event in enumerate(arrays_b.events):
        if n not in paired_b:
            rows.append(index[NOTHING])
            cols.append(index[event.code])
    flat = np.array(rows, dtype=np.int64) * k + np.array(cols, dtype=np.int64)
    counts = np.bincount(flat, minlength=k * k).reshape(k, k).astype(np.int64)
    return EventResult(
        Confusion(labels, counts),
        matched=len(pairs),
        unmatched_first=len(a) - len(paired_a),
        unmatched_second=len(b) - len(paired_b),
    )


def merge_events(results: Iterable[EventResult]) -> EventResult:
    """Several clips' event results pooled (tables and counts summed)."""
    results = list(results)
    return EventResult(
        merge_confusions((r.confusion for r in results), NOTHING),
        matched=sum(r.matched for r in results),
        unmatched_first=sum(r.unmatched_first for r in results),
        unmatched_second=sum(r.unmatched_second for r in results),
    )


def pair_events(
    a: Sequence[Event],
    b: Sequence[Event],
    overlap: float = 0.6,
    tolerance_ms: int | None = None,
    point_tolerance_ms: int = POINT_TOLERANCE_MS,
) -> list[tuple[int | None, int | None]]:
    """The pairing ``event_agreement`` tallies, as index pairs into ``a`` and ``b`` as given.

    A matched pair is ``(i, j)``, an event of ``a`` without a partner ``(i, None)``, one of
    ``b`` ``(None, j)``. The list is in time order: by the earlier onset of the pair, then
    its earlier end, so a disagreement view can walk it along the timeline.
    """
    if not 0 < overlap <= 1:
        raise ValueError("the overlap must be above 0 and at most 1")
    if tolerance_ms is not None and tolerance_ms < 0:
        raise ValueError("the onset tolerance must be 0 ms or more")

    def onset_order(events: Sequence[Event]) -> list[int]:
        return sorted(
            range(len(events)),
            key=lambda n: (events[n].start_ms, events[n].end_ms or events[n].start_ms),
        )

    order_a, order_b = onset_order(a), onset_order(b)
    # already in _Arrays' order, so its positions map back through order_a / order_b
    arrays_a = _Arrays.of([a[n] for n in order_a])
    arrays_b = _Arrays.of([b[n] for n in order_b])
    matched = match_events(arrays_a, arrays_b, overlap, tolerance_ms, point_tolerance_ms)
    pairs: list[tuple[int | None, int | None]] = [(order_a[p], order_b[q]) for p, q in matched]
    paired_a = {i for i, _ in pairs}
    paired_b = {j for _, j in pairs}
    pairs += [(i, None) for i in range(len(a)) if i not in paired_a]
    pairs += [(None, j) for j in range(len(b)) if j not in paired_b]

    def when(pair: tuple[int | None, int | None]) -> tuple[int, int, int, int]:
        i, j = pair
        events = ([a[i]] if i is not None else []) + ([b[j]] if j is not None else [])
        start = min(e.start_ms for e in events)
        end = min(e.end_ms if e.end_ms is not None else e.start_ms for e in events)
        return (start, end, -1 if i is None else i, -1 if j is None else j)

    return sorted(pairs, key=when)
