"""Event pairing and time units at their edges, one ms either side, from the definitions in
``vfa.domain.event_agreement``: two states pair when their overlap is at least the given
share (60%) of the longer one; point events (and every event in tolerance mode) pair when
their onsets differ by at most the tolerance; a time unit takes the code of the state
covering its midpoint (a state [start, end) covers t when start <= t < end), a point
event the unit containing it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.unit.test_event_agreement import events_of
from tests.unit.test_event_agreement import units_of as time_units_of
from vfa.domain.event_agreement import (
    NONE,
    NOTHING,
    Event,
    event_agreement,
    pair_events,
    time_unit_agreement,
)


def matched(a, b, **options) -> int:
    """Pairs found, checked to be the same with the coders swapped."""
    forward = event_agreement(a, b, **options)
    backward = event_agreement(b, a, **options)
    assert forward.matched == backward.matched
    return forward.matched


# -- overlap: at least 60% of the longer event ----------------------------------------------


@pytest.mark.parametrize(
    ("b", "pairs"),
    [
        # a = [1000, 2000): 1000 ms; b as long, shifted later
        ((1399, 2399), 1),  # overlap 601 ms = 60.1%
        ((1400, 2400), 1),  # overlap 600 ms = 60% exactly
        ((1401, 2401), 0),  # overlap 599 ms = 59.9%
        # shifted earlier
        ((601, 1601), 1),
        ((600, 1600), 1),
        ((599, 1599), 0),
    ],
)
def test_equal_states_pair_from_exactly_sixty_percent_overlap(b, pairs):
    a = [Event("c", 1000, 2000)]
    assert matched(a, [Event("c", *b)]) == pairs


@pytest.mark.parametrize(
    ("short", "pairs"),
    [
        # the long event is [1000, 2000); the share is of the longer one
        ((1000, 1601), 1),  # 601 of 1000
        ((1000, 1600), 1),  # 600 of 1000: exactly 60%
        ((1000, 1599), 0),  # 599 of 1000
        ((1399, 2000), 1),  # ends together, starts later
        ((1400, 2000), 1),
        ((1401, 2000), 0),
        ((1200, 1800), 1),  # inside the long one, 600 of 1000
        ((1200, 1799), 0),
    ],
)
def test_a_short_state_inside_a_long_one_pairs_from_sixty_percent_of_the_long_one(short, pairs):
    assert matched([Event("c", 1000, 2000)], [Event("c", *short)]) == pairs


@pytest.mark.parametrize(
    ("share", "b", "pairs"),
    [
        (0.5, (1500, 2500), 1),  # 500 of 1000 = 50% exactly
        (0.5, (1501, 2501), 0),
        (1.0, (1000, 2000), 1),  # identical spans are a 100% overlap
        (1.0, (1000, 1999), 0),
        (1.0, (1001, 2000), 0),
    ],
)
def test_other_overlap_shares_have_their_edge_at_the_share_too(share, b, pairs):
    assert matched([Event("c", 1000, 2000)], [Event("c", *b)], overlap=share) == pairs


def test_a_pair_at_the_edge_is_tallied_as_agreement_and_one_ms_less_as_two_unpaired():
    a = [Event("c", 1000, 2000)]
    agreed = events_of(a, [Event("c", 1400, 2400)]).as_dict()
    assert agreed["confusion"] == {"labels": ["c", NOTHING], "counts": [[1, 0], [0, 0]]}
    apart = events_of(a, [Event("c", 1401, 2401)]).as_dict()
    assert apart["confusion"] == {"labels": ["c", NOTHING], "counts": [[0, 1], [1, 0]]}
    assert apart["unmatched"] == {"first": 1, "second": 1}


# -- onsets: point events (1 s by default) and tolerance mode ---------------------------------


@pytest.mark.parametrize(
    ("onset", "pairs"),
    [(8_999, 0), (9_000, 1), (9_001, 1), (10_999, 1), (11_000, 1), (11_001, 0)],
)
def test_point_events_pair_within_the_point_tolerance_inclusive(onset, pairs):
    a = [Event("smile", 10_000)]
    assert matched(a, [Event("smile", onset)]) == pairs
    # a point against a state uses the onsets too
    assert matched(a, [Event("smile", onset, onset + 5_000)]) == pairs


@pytest.mark.parametrize(
    ("onset", "pairs"),
    [(2_999, 0), (3_000, 1), (3_001, 1), (6_999, 1), (7_000, 1), (7_001, 0)],
)
def test_tolerance_mode_pairs_onsets_at_most_the_tolerance_apart(onset, pairs):
    # states that never overlap still pair by onset; their ends do not matter
    a = [Event("c", 5_000, 5_100)]
    b = [Event("c", onset, onset + 9_000)]
    assert matched(a, b, tolerance_ms=2_000) == pairs
    assert matched(a, [Event("c", onset)], tolerance_ms=2_000) == pairs


@pytest.mark.parametrize(("onset", "pairs"), [(4_999, 0), (5_000, 1), (5_001, 0)])
def test_a_zero_tolerance_pairs_equal_onsets_only(onset, pairs):
    assert matched([Event("c", 5_000, 6_000)], [Event("c", onset, 6_000)], tolerance_ms=0) == pairs


def test_pair_events_lists_the_edge_pair_as_one_and_the_step_beyond_as_two():
    a = [Event("c", 1000, 2000), Event("p", 10_000)]
    b = [Event("p", 11_001), Event("c", 1400, 2400)]
    # the states overlap exactly 60%: paired; the points are 1001 ms apart: not
    assert pair_events(a, b) == [(0, 1), (1, None), (None, 0)]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"overlap": 0.0}, "overlap must be above 0"),
        ({"overlap": 1.0000001}, "at most 1"),
        ({"tolerance_ms": -1}, "0 ms or more"),
    ],
)
def test_settings_just_outside_their_range_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        event_agreement([], [], **kwargs)
    with pytest.raises(ValueError, match=message):
        pair_events([], [], **kwargs)


# -- time units: the code at each unit's midpoint -------------------------------------------


def units_of(event, duration_ms=5_000, unit_ms=1_000) -> list[str]:
    """Each unit's code for one coder, read from the confusion table against a coder who
    coded nothing: row ``code``, column ``<none>``."""
    result = time_unit_agreement([event], [], duration_ms, unit_ms)
    labels = result.confusion.labels
    assert labels == (event.code, NONE)
    covered = int(result.confusion.counts[0, 1])
    per_code = result.per_code[event.code]
    return [covered, int(per_code[0, 1]), int(result.confusion.counts.sum())]


@pytest.mark.parametrize(
    ("span", "units"),
    [
        # units of 1000 ms have midpoints 500, 1500, 2500, ...
        ((500, 1500), 1),  # starts on unit 0's midpoint, ends on unit 1's: unit 0 only
        ((501, 1500), 0),  # misses unit 0's midpoint, ends on unit 1's: no unit
        ((499, 1501), 2),  # both midpoints
        ((501, 1501), 1),  # unit 1 only
        ((0, 2500), 2),  # ends on unit 2's midpoint: units 0 and 1
        ((0, 2501), 3),
        ((0, 2499), 2),
    ],
)
def test_a_state_covers_the_units_whose_midpoint_it_covers(span, units):
    covered, present, n_units = units_of(Event("x", *span))
    assert (covered, present, n_units) == (units, units, 5)


@pytest.mark.parametrize(("at", "unit"), [(0, 0), (999, 0), (1_000, 1), (1_001, 1), (4_999, 4)])
def test_a_point_event_occupies_the_unit_it_falls_in(at, unit):
    result = time_units_of([Event("p", at)], [Event("p", unit * 1_000)], 5_000, 1_000)
    # both coders' points fall in the same unit exactly when ``at`` is in unit ``unit``
    assert result.as_dict()["confusion"]["counts"] == [[1, 0], [0, 4]]


@pytest.mark.parametrize(("duration", "n_units"), [(4_999, 5), (5_000, 5), (5_001, 6), (1, 1)])
def test_the_clip_is_cut_into_whole_units_and_a_short_last_one(duration, n_units):
    assert time_units_of([], [], duration, 1_000).n_units == n_units


@pytest.mark.parametrize(
    "duration",
    [
        # the last unit is [5000, duration): its midpoint is (5000 + duration) / 2
        5_400,  # midpoint 5200: inside a state running to the clip's end
        5_002,  # midpoint 5001
        5_900,  # midpoint 5450
    ],
)
def test_a_state_to_the_clips_end_covers_a_short_last_unit(duration):
    covered, _, n_units = units_of(Event("x", 0, duration), duration)
    assert (covered, n_units) == (6, 6)


def test_a_state_ending_before_a_short_last_units_midpoint_misses_it():
    # last unit [5000, 5400), midpoint 5200
    assert units_of(Event("x", 4_600, 5_200), 5_400)[0] == 0  # ends on the midpoint
    assert units_of(Event("x", 4_600, 5_201), 5_400)[0] == 1
    assert units_of(Event("x", 5_200, 5_400), 5_400)[0] == 1  # starts on it
    assert units_of(Event("x", 5_201, 5_400), 5_400)[0] == 0


@settings(max_examples=300, deadline=None)
@given(
    duration=st.integers(1, 200_000),
    unit=st.integers(1, 20_000),
    cuts=st.lists(st.floats(0, 1), min_size=2, max_size=2),
)
def test_states_that_tile_the_clip_cover_every_unit_once(duration, unit, cuts):
    """Every unit's midpoint lies inside the clip, so three states tiling [0, duration)
    give every unit exactly one code and leave none without."""
    s, e = sorted(round(c * duration) for c in cuts)
    tiles = [Event(code, a, b) for code, a, b in (("p", 0, s), ("q", s, e), ("r", e, duration))]
    coded = [t for t in tiles if t.end_ms > t.start_ms]
    result = time_unit_agreement(coded, [], duration, unit)
    n_units = -(-duration // unit)
    assert int(result.confusion.counts.sum()) == n_units
    covered = sum(int(result.per_code[t.code][0, 1]) for t in coded)
    assert covered == n_units
    assert NONE not in result.confusion.labels[:-1]
    assert int(result.confusion.counts[-1].sum()) == 0  # the coder has no <none> unit
