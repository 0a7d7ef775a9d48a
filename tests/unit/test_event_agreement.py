"""Event agreement: time-unit and event-based kappa (Bakeman, Quera & Gnisci 2009), checked
by hand-tallied tables and by independent brute-force computations in plain Python."""

from __future__ import annotations

import numpy as np
import pytest

import vfa.domain.event_agreement as ea
from vfa.domain.event_agreement import (
    NONE,
    NOTHING,
    Event,
    event_agreement,
    time_unit_agreement,
)
from vfa.domain.event_results import EventBasedAgreement, Pairing, TimeUnitAgreement


def units_of(a, b, duration_ms, unit_ms=1000):
    """Two coders' time-unit agreement as every view reads it."""
    return TimeUnitAgreement.of(time_unit_agreement(a, b, duration_ms, unit_ms), unit_ms)


def events_of(a, b, overlap=0.6, tolerance_ms=None):
    """Two coders' event-based agreement as every view reads it."""
    result = event_agreement(a, b, overlap, tolerance_ms)
    return EventBasedAgreement.of(result, Pairing.of(overlap, tolerance_ms))


def plain_kappa(table):
    """Cohen's kappa from a list-of-lists table, written out longhand."""
    n = sum(map(sum, table))
    k = len(table)
    p_o = sum(table[i][i] for i in range(k)) / n
    rows = [sum(table[i]) / n for i in range(k)]
    cols = [sum(table[i][j] for i in range(k)) / n for j in range(k)]
    p_e = sum(r * c for r, c in zip(rows, cols, strict=True))
    return (p_o - p_e) / (1 - p_e)


def brute_force_units(events, duration_ms, unit_ms):
    """Each unit's code by scanning every event at the unit's midpoint (latest start wins)."""
    labels = []
    for u in range(-(-duration_ms // unit_ms)):
        mid = (u * unit_ms + min((u + 1) * unit_ms, duration_ms)) / 2  # a short last unit too
        best = None
        for e in events:
            hit = e.start_ms // unit_ms == u if e.end_ms is None else e.start_ms <= mid < e.end_ms
            if hit and (best is None or e.start_ms >= best.start_ms):
                best = e
        labels.append(best.code if best else NONE)
    return labels


def table_of(a_labels, b_labels, order):
    return [[sum(1 for x, y in zip(a_labels, b_labels, strict=True) if (x, y) == (r, c))
             for c in order] for r in order]  # fmt: skip


# -- the BORIS case: state events overlapping 95% ---------------------------------------


def alternating_states(shift_ms):
    """Six 10-s states, play and cry alternating, one every 20 s, shifted by ``shift_ms``."""
    return [
        Event(
            "play" if n % 2 == 0 else "cry", n * 20_000 + shift_ms, n * 20_000 + 10_000 + shift_ms
        )
        for n in range(6)
    ]


def test_states_overlapping_95_percent_agree_in_time_units_and_as_events():
    # the issue: BORIS's time-slice kappa gives 0 here and its event kappa pairs only
    # identical timestamps; each pair below overlaps 9500 of 10000 ms
    a, b = alternating_states(0), alternating_states(500)
    duration = 120_000
    units = units_of(a, b, duration, 1000)
    order = ["cry", "play", NONE]
    # by hand: a unit takes the code covering its midpoint (u s + 0.5 s). Coder A's state n
    # covers [20n, 20n + 10) s, coder B's [20n + 0.5, 20n + 10.5) s: both cover the
    # midpoints of units 20n .. 20n + 9 and no others, so the 120 units agree everywhere:
    # 3 cry states x 10 units, 3 play states x 10 units, the other 60 units uncoded
    assert units.confusion.as_dict() == {
        "labels": order,
        "counts": [[30, 0, 0], [0, 30, 0], [0, 0, 60]],
    }
    assert units.kappa == pytest.approx(1.0)  # full agreement
    events = events_of(a, b)
    assert events.matched == 6 and (events.unmatched_first, events.unmatched_second) == (0, 0)
    assert events.percent_agreement == 1.0 and events.kappa == pytest.approx(1.0)


def test_time_unit_kappa_equals_a_brute_force_tally_with_overlaps_and_points():
    rng = np.random.default_rng(11)
    duration, unit = 60_500, 700
    coders = []
    for _ in range(2):
        events = []
        for _ in range(25):
            start = int(rng.integers(0, duration - 3000))
            code = str(rng.choice(["a", "b", "c"]))
            end = None if rng.random() < 0.3 else start + int(rng.integers(300, 3000))
            events.append(Event(code, start, end))
        coders.append(events)
    result = units_of(coders[0], coders[1], duration, unit)
    order = list(result.confusion.labels)
    expected = table_of(
        brute_force_units(coders[0], duration, unit),
        brute_force_units(coders[1], duration, unit),
        order,
    )
    assert result.confusion.as_dict()["counts"] == expected
    assert result.kappa == pytest.approx(plain_kappa(expected))


def test_per_code_time_units_are_presence_tables():
    a = [Event("x", 0, 4000), Event("y", 2000, 6000)]  # x and y overlap for coder a
    b = [Event("x", 1000, 4000)]
    result = units_of(a, b, 8000, 1000)
    x, y = result.code("x"), result.code("y")
    # x: a units 0-3, b units 1-3 -> both 3, a only 1, b only 0, neither 4
    assert x.both == 3 and x.first_only == 1
    assert x.second_only == 0 and x.neither == 4
    assert x.kappa == pytest.approx(plain_kappa([[3, 1], [0, 4]]))
    # y: a units 2-5, b none -> kappa undefined (b never codes y: 0 whatever a does)
    assert y.both == 0 and y.first_only == 4
    assert y.kappa is None
    assert [p.code for p in result.per_code] == ["x", "y"]


# -- events ------------------------------------------------------------------------------


def test_event_confusion_matrix_by_hand():
    a = [
        Event("c", 0, 1000),
        Event("d", 5000, 6000),
        Event("p", 8000),  # a point nobody else codes
    ]
    b = [
        Event("c", 100, 1100),  # overlaps a's c by 900 / 1000
        Event("e", 5000, 6000),  # same span, another code: a disagreement
        Event("c", 10_000, 11_000),  # only b
    ]
    result = events_of(a, b)
    labels = ["c", "d", "e", "p", NOTHING]
    counts = [
        [1, 0, 0, 0, 0],
        [0, 0, 1, 0, 0],
        [0, 0, 0, 0, 0],
        [0, 0, 0, 0, 1],
        [1, 0, 0, 0, 0],
    ]
    assert result.confusion.as_dict() == {"labels": labels, "counts": counts}
    assert result.matched == 2
    assert (result.unmatched_first, result.unmatched_second) == (1, 1)
    # four tallies (two pairs, two unpaired events), one on the diagonal
    assert result.percent_agreement == pytest.approx(1 / 4)
    assert result.kappa == pytest.approx(plain_kappa(counts))
    # kappa_max (Umesh et al. 1989): the diagonal filled as far as the margins allow
    rows = [sum(r) / 4 for r in counts]
    cols = [sum(r[j] for r in counts) / 4 for j in range(5)]
    p_e = sum(r * c for r, c in zip(rows, cols, strict=True))
    p_max = sum(min(r, c) for r, c in zip(rows, cols, strict=True))
    assert result.kappa_max == pytest.approx((p_max - p_e) / (1 - p_e))
    assert result.code("c").agreed == 1 and result.code("c").second == 2


def test_overlap_threshold_is_relative_to_the_longer_event():
    a = [Event("c", 0, 1000)]
    b = [Event("c", 450, 1450)]  # overlap 550 / 1000 = 55%
    assert event_agreement(a, b, overlap=0.6).matched == 0
    assert event_agreement(a, b, overlap=0.5).matched == 1
    long_b = [Event("c", 0, 2000)]  # overlap 1000 / 2000 = 50%
    assert event_agreement(a, long_b, overlap=0.6).matched == 0


def test_onset_tolerance_pairs_by_start_only():
    a = [Event("c", 0, 500)]
    b = [Event("c", 1500, 9000)]
    assert event_agreement(a, b, tolerance_ms=2000).matched == 1
    assert event_agreement(a, b, tolerance_ms=1000).matched == 0


def test_point_events_fall_back_to_onset_tolerance_when_pairing_by_overlap():
    a = [Event("smile", 10_000)]
    assert event_agreement(a, [Event("smile", 10_800)], point_tolerance_ms=1000).matched == 1
    assert event_agreement(a, [Event("smile", 11_200)], point_tolerance_ms=1000).matched == 0


def test_pairing_is_optimal_where_greedy_closest_first_is_not():
    # greedy by closest onset takes a0-b0 (100 ms) and leaves a1 (1900 ms from b1) alone;
    # the best pairing is a0-b1 (900) and a1-b0 (900): two agreements
    a = [Event("c", 1000), Event("c", 2000)]
    b = [Event("c", 1100), Event("c", 100)]
    assert event_agreement(a, b, tolerance_ms=1000).matched == 2


def test_same_code_partners_are_preferred():
    a = [Event("c", 1000, 2000)]
    b = [Event("d", 1000, 2000), Event("c", 1100, 2050)]  # d fits better, c has the code
    result = events_of(a, b)
    assert result.confusion.labels == ("c", "d", NOTHING)
    assert result.confusion.as_dict()["counts"] == [[1, 0, 0], [0, 0, 0], [0, 1, 0]]


def test_sparse_and_dense_assignment_find_equally_heavy_pairings():
    for seed in range(15):
        rng = np.random.default_rng(seed)
        m = int(rng.integers(5, 40))
        i, j = rng.integers(0, m, 90), rng.integers(0, m, 90)
        keep = np.unique(i * 1000 + j, return_index=True)[1]
        i, j, w = i[keep], j[keep], rng.random(len(keep)) * 3 + 0.1
        weight = {(int(p), int(q)): float(x) for p, q, x in zip(i, j, w, strict=True)}
        dense = ea._assign(i, j, w)
        rows, row_at = np.unique(i, return_inverse=True)
        cols, col_at = np.unique(j, return_inverse=True)
        r, c = ea._sparse_assign(row_at, col_at, w, len(rows), len(cols))
        sparse = [(int(rows[x]), int(cols[y])) for x, y in zip(r, c, strict=True)]
        assert len({p for p, _ in sparse}) == len(sparse) == len({q for _, q in sparse})
        assert sum(weight[p] for p in sparse) == pytest.approx(sum(weight[p] for p in dense))


def test_no_events_at_all_give_undefined_kappas():
    result = events_of([], [])
    assert result.kappa is None and result.percent_agreement is None
    units = units_of([], [], 5000, 1000)
    # nothing coded by either: nothing to agree on, so no agreement of 1.00 either
    assert units.percent_agreement is None and units.kappa is None
    assert units.kappa_max is None and units.n_units == 5
    assert units.no_events and result.no_events


@pytest.mark.parametrize("seed", range(4))
def test_long_nested_states_are_counted_as_a_unit_by_unit_scan_counts_them(seed):
    # states spanning most of the clip, nested and sharing onsets: the latest-started wins
    rng = np.random.default_rng(seed)
    duration, unit = 30_000, int(rng.choice([1, 250, 1000, 7000]))
    if unit == 1:
        duration = 3_000
    coders = []
    for _ in range(2):
        starts = np.sort(rng.integers(0, duration, 30))
        starts[5:8] = starts[5]  # shared onsets: the later listed wins
        coders.append(
            [
                Event(str(rng.choice(["a", "b", "c"])), int(s), int(min(duration, s + span)))
                if rng.random() < 0.85
                else Event("p", int(s))
                for s, span in zip(starts, rng.integers(1, duration, 30), strict=True)
            ]
        )
    result = units_of(coders[0], coders[1], duration, unit)
    order = list(result.confusion.labels)
    expected = table_of(
        brute_force_units(coders[0], duration, unit),
        brute_force_units(coders[1], duration, unit),
        order,
    )
    assert result.confusion.as_dict()["counts"] == expected


def test_a_day_of_one_ms_units_costs_what_its_events_cost():
    day = 24 * 60 * 60 * 1000
    a = [Event("x", n * 1000, day) for n in range(2000)]  # 2,000 states to the end
    b = [Event("x", 0, day // 2)]
    result = units_of(a, b, day, 1)
    assert result.n_units == day
    assert result.code("x").both == day // 2
