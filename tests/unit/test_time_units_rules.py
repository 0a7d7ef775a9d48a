"""Time units by hand: the midpoint rule (a unit belongs to an event whose [start, end)
holds the unit's midpoint; a point event to the unit it falls in), the latest-started
event winning a unit, and a code's presence whatever started later."""

from __future__ import annotations

import numpy as np
import pytest

from tests.unit.test_event_agreement import units_of
from vfa.domain.confusion import Confusion, Event
from vfa.domain.time_units import (
    merge_time_units,
    presence,
    time_unit_agreement,
    unit_count,
    unit_labels,
)

# 1-second units over 5 seconds: the midpoints are 500, 1500, 2500, 3500 and 4500 ms
UNIT = 1000
UNITS = 5
CODES = ["a", "b", "p"]
NONE_INDEX = len(CODES)


def test_each_unit_takes_the_code_of_the_event_holding_its_midpoint():
    events = [Event("a", 400, 1600), Event("b", 1500, 3000), Event("p", 4999)]
    # unit 1's midpoint (1500) is in both a and b: b started later and wins it
    assert unit_labels(events, UNITS, UNIT, CODES).tolist() == [0, 1, 1, NONE_INDEX, 2]


@pytest.mark.parametrize(
    ("start", "end", "units"),
    [
        (1500, 2500, [1]),  # starts on a midpoint: has it; ends on one: has not
        (1499, 2500, [1]),
        (1501, 2500, []),  # starts a step after the midpoint: misses unit 1
        (1500, 2501, [1, 2]),  # ends a step after the next midpoint: has it
        (1500, 2499, [1]),
    ],
)
def test_a_unit_is_the_events_when_its_midpoint_is_in_start_to_end(start, end, units):
    labels = unit_labels([Event("a", start, end)], UNITS, UNIT, CODES).tolist()
    assert [u for u, label in enumerate(labels) if label == 0] == units
    assert all(label == NONE_INDEX for u, label in enumerate(labels) if u not in units)


@pytest.mark.parametrize(("start", "unit"), [(0, 0), (999, 0), (1000, 1), (4999, 4)])
def test_a_point_event_takes_the_unit_it_falls_in(start, unit):
    labels = unit_labels([Event("p", start)], UNITS, UNIT, CODES).tolist()
    assert labels == [2 if u == unit else NONE_INDEX for u in range(UNITS)]


def test_events_outside_the_clip_are_held_to_its_units():
    events = [Event("p", -5), Event("b", 3000, 99_000), Event("a", -2000, 700)]
    # the point before the clip counts in unit 0 and, started after a (-5 > -2000), wins
    # it; b runs on to the clip's end; a point after the end counts in the last unit
    assert unit_labels(events, UNITS, UNIT, CODES).tolist() == [2, NONE_INDEX, NONE_INDEX, 1, 1]
    late_point = unit_labels([Event("p", 7000)], UNITS, UNIT, CODES).tolist()
    assert late_point == [NONE_INDEX] * 4 + [2]


def test_the_latest_started_event_wins_whatever_the_order_given():
    earlier, later = Event("a", 0, 5000), Event("b", 2000, 3000)
    expected = [0, 0, 1, 0, 0]
    assert unit_labels([earlier, later], UNITS, UNIT, CODES).tolist() == expected
    assert unit_labels([later, earlier], UNITS, UNIT, CODES).tolist() == expected


def test_presence_marks_a_codes_units_even_where_a_later_event_wins():
    events = [Event("a", 400, 1600), Event("b", 1500, 3000), Event("a", 4200)]
    assert presence(events, "a", UNITS, UNIT).tolist() == [1, 1, 0, 0, 1]
    assert presence(events, "b", UNITS, UNIT).tolist() == [0, 1, 1, 0, 0]
    assert presence(events, "p", UNITS, UNIT).tolist() == [0, 0, 0, 0, 0]


def test_presence_of_overlapping_events_of_one_code_is_one_not_a_count():
    events = [Event("a", 0, 3000), Event("a", 1000, 2000)]
    assert presence(events, "a", UNITS, UNIT).tolist() == [1, 1, 1, 0, 0]


@pytest.mark.parametrize(
    ("duration", "units"), [(0, 1), (1, 1), (999, 1), (1000, 1), (1001, 2), (5000, 5)]
)
def test_a_clip_has_its_duration_over_the_unit_rounded_up_and_at_least_one_unit(duration, units):
    assert unit_count(duration, UNIT) == units


def test_a_table_aligned_to_more_labels_keeps_its_counts_under_their_labels():
    table = Confusion(("b", "<none>"), np.array([[1, 2], [3, 4]], dtype=np.int64))
    assert table.aligned(["a", "b", "<none>"]).tolist() == [[0, 0, 0], [0, 1, 2], [0, 3, 4]]
    assert table.aligned(["<none>", "b"]).tolist() == [[4, 3], [2, 1]]


def test_presence_of_events_of_one_code_starting_together_lasts_to_the_later_end():
    events = [Event("a", 0, 3000), Event("a", 0, 1000)]
    assert presence(events, "a", UNITS, UNIT).tolist() == [1, 1, 1, 0, 0]


def test_pooled_clips_add_their_tables_and_a_code_not_coded_in_a_clip_is_neither_there():
    # clip 1, 3 units: first coder a in units 0-1, second in unit 0 only
    one = time_unit_agreement([Event("a", 0, 2000)], [Event("a", 0, 1000)], 3000)
    # clip 2, 2 units: both code a in unit 0, the second coder b in unit 1
    two = time_unit_agreement(
        [Event("a", 0, 1000)], [Event("a", 0, 1000), Event("b", 1000, 2000)], 2000
    )
    # clip 3, 4 units: nobody codes anything
    three = time_unit_agreement([], [], 4000)
    pooled = merge_time_units([one, two, three])
    # a: both in 2 units (clip 1 unit 0, clip 2 unit 0); first only in 1; neither in the
    # 1 + 1 + 4 others. b: second only in 1 unit; neither in all other 3 + 1 + 4 units
    assert pooled.per_code["a"].tolist() == [[2, 1], [0, 6]]
    assert pooled.per_code["b"].tolist() == [[0, 0], [1, 8]]
    assert list(pooled.per_code) == ["a", "b"]
    assert pooled.confusion.labels == ("a", "b", "<none>")
    assert pooled.confusion.counts.tolist() == [[2, 0, 1], [0, 0, 0], [0, 1, 5]]


def test_the_default_unit_is_one_second():
    # 5001 ms: six 1-second units, the last one 1 ms long
    assert units_of([], [], 5001).n_units == 6
    assert units_of([], [], 5000).n_units == 5


@pytest.mark.parametrize("unit", [0, -1])
def test_a_unit_under_1_ms_is_refused(unit):
    with pytest.raises(ValueError, match=r"^the time unit must be at least 1 ms$"):
        time_unit_agreement([Event("a", 0, 1000)], [], 5000, unit_ms=unit)


def test_agreement_is_given_once_a_code_is_coded_and_undefined_before():
    assert units_of([], [], 5000).percent_agreement is None
    one_code = units_of([Event("a", 0, 2000)], [Event("a", 0, 1000)], 5000)
    # units: a a - - - against a - - - -: 4 of 5 agree
    assert one_code.percent_agreement == pytest.approx(0.8)


def test_time_unit_agreement_counts_one_second_units_unless_told():
    a, b = [Event("a", 0, 2002)], [Event("a", 0, 2002)]
    # 2002 ms: three 1-second units (the last 2 ms long), each tallied once
    assert int(time_unit_agreement(a, b, 2002).confusion.counts.sum()) == 3
    assert int(time_unit_agreement(a, b, 2002, unit_ms=500).confusion.counts.sum()) == 5


# 2400 ms in 1-second units: the last unit runs 2000–2400, its midpoint 2200 (not 2500)
SHORT_LAST = 2400
ENDS_IN_LAST = Event("a", 2000, 2300)  # holds 2200 but not 2500


def test_a_short_last_units_midpoint_is_halfway_to_the_clips_end_in_presence_and_labels():
    units = unit_count(SHORT_LAST, UNIT)
    assert units == 3
    found = presence([ENDS_IN_LAST], "a", units, UNIT, SHORT_LAST)
    assert found.tolist() == [0, 0, 1] and found.dtype.kind == "i"  # counts, not floats
    assert presence([ENDS_IN_LAST], "a", units, UNIT).tolist() == [0, 0, 0]  # a whole unit
    assert unit_labels([ENDS_IN_LAST], units, UNIT, CODES, SHORT_LAST).tolist() == [
        NONE_INDEX,
        NONE_INDEX,
        0,
    ]
    assert unit_labels([ENDS_IN_LAST], units, UNIT, CODES).tolist() == [NONE_INDEX] * 3
