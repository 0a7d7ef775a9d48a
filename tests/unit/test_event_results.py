"""The event-agreement report's typed tables and their JSON (vfa.domain.event_results).

Every expected value is worked out by hand from small event lists or tables: percent
agreement is the share of tallies on the diagonal, Cohen's kappa (p_o - p_e) / (1 - p_e)
with p_e from the margins, kappa max Σ min(row, column margin) in place of p_o; per code
(events) the agreed events over the tallies with the code on either side and the kappa of
the code against all the others; per code (time units) the 2 × 2 presence table.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from vfa.domain.confusion import NONE, NOTHING, Event
from vfa.domain.event_agreement import EventResult, event_agreement
from vfa.domain.event_results import (
    CodeEvents,
    CodePresence,
    EventBasedAgreement,
    EventsAgreement,
    Pairing,
    TimeUnitAgreement,
)
from vfa.domain.time_units import TimeUnitResult, time_unit_agreement


def rounded(value: Any) -> Any:
    """Floats rounded to 9 places, through dicts, lists and tuples (order kept)."""
    if isinstance(value, float):
        return round(value, 9)
    if isinstance(value, dict):
        return {k: rounded(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [rounded(v) for v in value]
    return value


# One clip of 6 s in 1 s units (midpoints at 0.5 s, 1.5 s, ...):
#   unit       0  1  2     3     4  5
#   first      a  a  -     b     b  -
#   second     a  a  a     -     b  -
TU_FIRST = [Event("a", 0, 2000), Event("b", 3000, 5000)]
TU_SECOND = [Event("a", 0, 3000), Event("b", 4000, 5000)]

# Events paired by overlap: a↔a at 0 s and 12 s, a↔b at 2 s, b↔b at 4 s; the first
# coder's b at 8 s and the second's a at 6 s are unpaired.
EV_FIRST = [
    Event("a", 0, 1000),
    Event("a", 2000, 3000),
    Event("b", 4000, 5000),
    Event("b", 8000, 9000),
    Event("a", 12000, 13000),
]
EV_SECOND = [
    Event("a", 0, 1000),
    Event("b", 2000, 3000),
    Event("b", 4000, 5000),
    Event("a", 6000, 7000),
    Event("a", 12000, 13000),
]


def time_units() -> TimeUnitAgreement:
    return TimeUnitAgreement.of(time_unit_agreement(TU_FIRST, TU_SECOND, 6000, 1000), 1000)


def events(pairing: Pairing | None = None) -> EventBasedAgreement:
    pairing = pairing or Pairing.of(0.6, None)
    return EventBasedAgreement.of(event_agreement(EV_FIRST, EV_SECOND, overlap=0.6), pairing)


# --- time units ---------------------------------------------------------------------


def test_time_unit_json_has_the_statistics_of_the_units():
    # confusion (a, b, <none>): a [2 0 0], b [0 1 1], <none> [1 0 1]; 6 units, 4 agreed
    # margins rows 2 2 2, columns 3 1 2: p_e = (6 + 2 + 4) / 36 = 1/3
    # kappa = (2/3 - 1/3) / (2/3) = 1/2; Σ min = 2 + 1 + 2 = 5: (5/6 - 1/3) / (2/3) = 3/4
    found = time_units().as_dict()
    assert list(found) == [
        "unit_ms",
        "n_units",
        "percent_agreement",
        "kappa",
        "kappa_max",
        "confusion",
        "per_code",
    ]
    assert rounded(found) == rounded(
        {
            "unit_ms": 1000,
            "n_units": 6,
            "percent_agreement": 4 / 6,
            "kappa": 1 / 2,
            "kappa_max": 3 / 4,
            "confusion": {
                "labels": ["a", "b", NONE],
                "counts": [[2, 0, 0], [0, 1, 1], [1, 0, 1]],
            },
            "per_code": {
                # a: first in units 0-1, second in 0-2: both 2, second only 1, neither 3
                # p_o 5/6, p_e = 2/6·3/6 + 4/6·3/6 = 1/2: kappa (5/6 - 1/2) / (1/2) = 2/3
                "a": {
                    "percent_agreement": 5 / 6,
                    "kappa": 2 / 3,
                    "both": 2,
                    "first_only": 0,
                    "second_only": 1,
                    "neither": 3,
                },
                # b: first in 3-4, second in 4: both 1, first only 1, neither 4
                # p_e = 2/6·1/6 + 4/6·5/6 = 11/18: kappa (15/18 - 11/18) / (7/18) = 4/7
                "b": {
                    "percent_agreement": 5 / 6,
                    "kappa": 4 / 7,
                    "both": 1,
                    "first_only": 1,
                    "second_only": 0,
                    "neither": 4,
                },
            },
        }
    )
    assert list(found["per_code"]["a"]) == [
        "percent_agreement",
        "kappa",
        "both",
        "first_only",
        "second_only",
        "neither",
    ]


def test_time_unit_json_leaves_the_unit_out_without_settings():
    assert list(time_units().as_dict(settings=False)) == [
        "n_units",
        "percent_agreement",
        "kappa",
        "kappa_max",
        "confusion",
        "per_code",
    ]


def test_time_units_with_no_event_have_no_statistics():
    # 3 units of <none> on both sides: nothing to agree on, every statistic undefined
    found = TimeUnitAgreement.of(time_unit_agreement([], [], 3000, 1000), 1000)
    assert found.no_events
    assert found.as_dict() == {
        "unit_ms": 1000,
        "n_units": 3,
        "percent_agreement": None,
        "kappa": None,
        "kappa_max": None,
        "confusion": {"labels": [NONE], "counts": [[3]]},
        "per_code": {},
    }


def test_a_code_presence_keeps_each_cell_of_its_table_apart():
    # [[both 4, first only 3], [second only 2, neither 1]]: p_o 5/10;
    # first present 7/10, second 6/10: p_e = 0.42 + 0.12 = 0.54; kappa -0.04 / 0.46
    found = CodePresence.of("x", np.array([[4, 3], [2, 1]], dtype=np.int64))
    assert found.code == "x"
    assert found.n_units == 10
    assert rounded(found.as_dict()) == rounded(
        {
            "percent_agreement": 0.5,
            "kappa": -0.04 / 0.46,
            "both": 4,
            "first_only": 3,
            "second_only": 2,
            "neither": 1,
        }
    )


def test_time_unit_codes_are_found_by_name():
    found = time_units()
    assert [p.code for p in found.per_code] == ["a", "b"]
    assert found.code("b").first_only == 1
    with pytest.raises(KeyError):
        found.code("c")


# --- events -------------------------------------------------------------------------


def test_event_json_has_the_statistics_of_the_tallies():
    # confusion (a, b, <nothing>): a [2 1 0], b [0 1 1], <nothing> [1 0 0]
    # 6 tallies, 3 agreed; margins 3 2 1 both ways: p_e = (9 + 4 + 1) / 36 = 7/18
    # kappa = (1/2 - 7/18) / (11/18) = 2/11; equal margins: kappa max 1
    found = events().as_dict()
    assert list(found) == [
        "overlap",
        "tolerance_ms",
        "n_tallies",
        "percent_agreement",
        "kappa",
        "kappa_max",
        "matched",
        "unmatched",
        "confusion",
        "per_code",
    ]
    assert rounded(found) == rounded(
        {
            "overlap": 0.6,
            "tolerance_ms": None,
            "n_tallies": 6,
            "percent_agreement": 0.5,
            "kappa": 2 / 11,
            "kappa_max": 1.0,
            "matched": 4,
            "unmatched": {"first": 1, "second": 1},
            "confusion": {
                "labels": ["a", "b", NOTHING],
                "counts": [[2, 1, 0], [0, 1, 1], [1, 0, 0]],
            },
            "per_code": {
                # a: 3 and 3 events, 2 agreed, 4 tallies with a: 1/2
                # 2 × 2 [[2, 1], [1, 2]]: p_o 4/6, p_e 1/2: kappa 1/3
                "a": {
                    "first": 3,
                    "second": 3,
                    "agreed": 2,
                    "percent_agreement": 0.5,
                    "kappa": 1 / 3,
                },
                # b: 2 and 2, 1 agreed, 3 tallies: 1/3
                # 2 × 2 [[1, 1], [1, 3]]: p_o 4/6, p_e 4/36 + 16/36 = 5/9: kappa 1/4
                "b": {
                    "first": 2,
                    "second": 2,
                    "agreed": 1,
                    "percent_agreement": 1 / 3,
                    "kappa": 1 / 4,
                },
            },
        }
    )
    assert list(found["per_code"]["a"]) == [
        "first",
        "second",
        "agreed",
        "percent_agreement",
        "kappa",
    ]


def test_event_json_leaves_the_pairing_out_without_settings():
    found = events().as_dict(settings=False)
    assert "overlap" not in found and "tolerance_ms" not in found
    assert next(iter(found)) == "n_tallies"


def test_an_onset_tolerance_replaces_the_overlap():
    assert Pairing.of(0.6, None) == Pairing(0.6, None)
    assert Pairing.of(0.6, 500) == Pairing(None, 500)
    assert Pairing.of(0.8, 0) == Pairing(None, 0)  # 0 ms is a tolerance, not none
    found = events(Pairing.of(0.6, 500)).as_dict()
    assert (found["overlap"], found["tolerance_ms"]) == (None, 500)


def test_a_code_of_an_uneven_table_counts_each_coder_on_their_own_side():
    # (a, b, <nothing>): a [3 1 2], b [0 4 0], <nothing> [1 2 0]; 13 tallies
    counts = np.array([[3, 1, 2], [0, 4, 0], [1, 2, 0]], dtype=np.int64)
    a = CodeEvents.of("a", counts, 0)
    # a: first 6, second 4, agreed 3, tallies 7; 2 × 2 [[3, 3], [1, 6]]:
    # p_o 9/13, p_e = 6/13·4/13 + 7/13·9/13 = 87/169: kappa 30/82
    assert rounded(a.as_dict()) == rounded(
        {"first": 6, "second": 4, "agreed": 3, "percent_agreement": 3 / 7, "kappa": 30 / 82}
    )
    assert a.code == "a" and a.n_tallies == 7
    b = CodeEvents.of("b", counts, 1)
    # b: first 4, second 7, agreed 4, tallies 7; 2 × 2 [[4, 0], [3, 6]]:
    # p_o 10/13, p_e = 4/13·7/13 + 9/13·6/13 = 82/169: kappa 48/87
    assert rounded(b.as_dict()) == rounded(
        {"first": 4, "second": 7, "agreed": 4, "percent_agreement": 4 / 7, "kappa": 48 / 87}
    )


def test_a_code_nobody_used_has_no_statistics():
    counts = np.array([[2, 0], [0, 0]], dtype=np.int64)
    found = CodeEvents.of("b", counts, 1)
    assert found.as_dict() == {
        "first": 0,
        "second": 0,
        "agreed": 0,
        "percent_agreement": None,
        "kappa": None,
    }
    assert found.n_tallies == 0


def test_unpaired_events_are_no_code_of_their_own():
    found = events()
    assert [c.code for c in found.per_code] == ["a", "b"]
    assert found.code("a").agreed == 2
    with pytest.raises(KeyError):
        found.code(NOTHING)


def test_no_events_have_no_event_statistics():
    found = EventBasedAgreement.of(event_agreement([], []), Pairing.of(0.6, None))
    assert found.no_events
    assert found.as_dict(settings=False) == {
        "n_tallies": 0,
        "percent_agreement": None,
        "kappa": None,
        "kappa_max": None,
        "matched": 0,
        "unmatched": {"first": 0, "second": 0},
        "confusion": {"labels": [NOTHING], "counts": [[0]]},
        "per_code": {},
    }


# --- units pooled ---------------------------------------------------------------------


def second_clip() -> tuple[TimeUnitResult, EventResult]:
    # 2 s in 1 s units: first c in unit 0, second c in units 0-1
    units = time_unit_agreement([Event("c", 0, 1000)], [Event("c", 0, 2000)], 2000, 1000)
    # events: c↔c at 0 s; the second coder's c at 5 s unpaired
    paired = event_agreement(
        [Event("c", 0, 1000)], [Event("c", 0, 1000), Event("c", 5000, 6000)], overlap=0.6
    )
    return units, paired


def pooled() -> EventsAgreement:
    units, paired = second_clip()
    return EventsAgreement.pooled(
        [
            (
                "clip-1",
                ("ann", "bo"),
                time_unit_agreement(TU_FIRST, TU_SECOND, 6000, 1000),
                event_agreement(EV_FIRST, EV_SECOND, overlap=0.6),
            ),
            ("clip-2", ("cy", "ann"), units, paired),
        ],
        1000,
        Pairing.of(0.6, None),
    )


def test_pooled_time_units_sum_the_clips():
    # (a, b, c, <none>): a [2 0 0 0], b [0 1 0 1], c [0 0 1 0], <none> [1 0 1 1]
    # 8 units, 5 agreed; rows 2 2 1 3, columns 3 1 2 2: p_e = 16/64 = 1/4
    # kappa (5/8 - 1/4) / (3/4) = 1/2; Σ min = 6: (6/8 - 1/4) / (3/4) = 2/3
    found = pooled().as_dict()["time_unit"]
    assert rounded(
        {k: found[k] for k in ("unit_ms", "n_units", "percent_agreement", "kappa", "kappa_max")}
    ) == rounded(
        {
            "unit_ms": 1000,
            "n_units": 8,
            "percent_agreement": 5 / 8,
            "kappa": 1 / 2,
            "kappa_max": 2 / 3,
        }
    )
    # a absent from clip 2: its 2 units are "neither"; c only in clip 2
    assert {k: found["per_code"]["a"][k] for k in ("both", "first_only", "second_only")} == {
        "both": 2,
        "first_only": 0,
        "second_only": 1,
    }
    assert found["per_code"]["a"]["neither"] == 5
    assert rounded(found["per_code"]["a"]["percent_agreement"]) == rounded(7 / 8)
    assert found["per_code"]["c"]["both"] == 1 and found["per_code"]["c"]["neither"] == 6


def test_pooled_events_sum_the_clips():
    # (a, b, c, <nothing>): a [2 1 0 0], b [0 1 0 1], c [0 0 1 0], <nothing> [1 0 1 0]
    # 8 tallies, 4 agreed; rows 3 2 1 2, columns 3 2 2 1: p_e = 17/64
    # kappa (32/64 - 17/64) / (47/64) = 15/47
    found = pooled().as_dict()["event"]
    assert rounded(
        {
            k: found[k]
            for k in ("overlap", "tolerance_ms", "n_tallies", "percent_agreement", "kappa")
        }
    ) == rounded(
        {
            "overlap": 0.6,
            "tolerance_ms": None,
            "n_tallies": 8,
            "percent_agreement": 0.5,
            "kappa": 15 / 47,
        }
    )
    # matched: 4 pairs in clip 1, 1 in clip 2
    assert (found["matched"], found["unmatched"]) == (5, {"first": 1, "second": 2})
    # c: first 1, second 2, agreed 1: 2 tallies with c, 1/2
    assert found["per_code"]["c"]["first"] == 1 and found["per_code"]["c"]["second"] == 2
    assert found["per_code"]["c"]["percent_agreement"] == 0.5


def test_each_pooled_unit_keeps_its_own_coders_and_tables():
    report = pooled()
    assert report.coders == ("ann", "bo", "cy")
    found = report.as_dict()
    assert list(found) == ["coders", "time_unit", "event", "units"]
    assert found["coders"] == {"clip-1": ["ann", "bo"], "clip-2": ["cy", "ann"]}
    assert list(found["units"]) == ["clip-1", "clip-2"]
    # each unit's sections are its own clip's, without the settings
    assert found["units"]["clip-1"] == {
        "time_unit": time_units().as_dict(settings=False),
        "event": events().as_dict(settings=False),
    }
    clip_2 = found["units"]["clip-2"]
    assert list(clip_2) == ["time_unit", "event"]
    assert clip_2["time_unit"]["n_units"] == 2
    assert clip_2["time_unit"]["confusion"] == {"labels": ["c", NONE], "counts": [[1, 0], [1, 0]]}
    assert clip_2["event"]["n_tallies"] == 2
    assert clip_2["event"]["unmatched"] == {"first": 0, "second": 1}
    assert "unit_ms" not in clip_2["time_unit"] and "overlap" not in clip_2["event"]
    # the settings stay on each unit's typed result
    unit = report.unit("clip-2")
    assert unit.coders == ("cy", "ann")
    assert unit.time_unit.unit_ms == 1000
    assert unit.event.pairing == Pairing(0.6, None)
    with pytest.raises(KeyError):
        report.unit("clip-3")


def test_a_pooled_report_of_one_unit_is_that_unit():
    units, paired = second_clip()
    report = EventsAgreement.pooled(
        [("clip-2", ("cy", "ann"), units, paired)], 500, Pairing(None, 300)
    )
    assert report.time_unit == report.units[0].time_unit
    assert report.event == report.units[0].event
    assert report.time_unit.unit_ms == 500
    assert report.event.pairing.tolerance_ms == 300
