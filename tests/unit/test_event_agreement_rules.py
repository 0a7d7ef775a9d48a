"""Event pairing on large blocks and the refusal of a window that pairs nearly everything
(vfa.domain.event_agreement's notes): a block of more than 400 events is matched on a
sparse graph and must give the same, heaviest, pairing as a small one."""

from __future__ import annotations

import pytest

import vfa.domain.event_agreement as ea
from vfa.domain.event_agreement import (
    DENSE_BLOCK_LIMIT,
    MAX_CANDIDATE_PAIRS,
    NOTHING,
    Event,
    TooManyPairs,
    event_agreement,
)

STEP = 100  # ms between onsets
TOLERANCE = 150  # each onset may pair with its twin and with its neighbours either side


def chain(onsets: range) -> list[Event]:
    return [Event("x", t, t + 50) for t in onsets]


@pytest.mark.parametrize("twins", [5, 201, 260])
def test_every_event_pairs_with_its_twin_however_long_the_chain(twins):
    # the first coder has one event more, 100 ms before the chain: it can only pair with
    # the chain's first event, whose twin fits it exactly, so it stays unpaired
    a = chain(range(0, (twins + 1) * STEP, STEP))
    b = chain(range(STEP, (twins + 1) * STEP, STEP))
    assert len(a) + len(b) > DENSE_BLOCK_LIMIT or twins == 5  # 5: a small, dense block
    result = event_agreement(a, b, tolerance_ms=TOLERANCE)
    assert (result.matched, result.unmatched_first, result.unmatched_second) == (twins, 1, 0)
    assert result.confusion.labels == ("x", NOTHING)
    assert result.confusion.counts.tolist() == [[twins, 1], [0, 0]]


def test_a_long_chain_with_a_code_changed_pairs_it_as_a_disagreement():
    a = chain(range(0, 300 * STEP, STEP))
    b = chain(range(0, 300 * STEP, STEP))
    b[150] = Event("y", b[150].start_ms, b[150].end_ms)
    result = event_agreement(a, b, tolerance_ms=TOLERANCE)
    assert result.confusion.labels == ("x", "y", NOTHING)
    assert result.confusion.counts.tolist() == [[299, 1, 0], [0, 0, 0], [0, 0, 0]]


def test_a_window_that_pairs_nearly_everything_is_refused_before_listing_the_pairs():
    side = 2240  # 2240² = 5,017,600 candidate pairs: just over the limit of 5,000,000
    events = [Event("x", t) for t in range(side)]
    with pytest.raises(TooManyPairs) as refused:
        event_agreement(events, events, tolerance_ms=side)
    assert refused.value.pairs == side * side > MAX_CANDIDATE_PAIRS
    message = str(refused.value)
    assert message.startswith("5,017,600 possible pairs of events, more than 5,000,000: ")
    assert message.endswith(
        "the onset tolerance or the overlap lets almost every event pair with every other; "
        "narrow it"
    )


@pytest.mark.parametrize(("limit", "refused"), [(8, True), (9, False), (10, False)])
def test_the_limit_is_on_the_count_of_candidate_pairs(monkeypatch, limit, refused):
    monkeypatch.setattr(ea, "MAX_CANDIDATE_PAIRS", limit)
    events = [Event("x", t) for t in (0, 10, 20)]  # within 100 ms of each other: 3 × 3 pairs
    if refused:
        with pytest.raises(TooManyPairs) as error:
            event_agreement(events, events, tolerance_ms=100)
        assert error.value.pairs == 9
    else:
        assert event_agreement(events, events, tolerance_ms=100).matched == 3


def test_each_code_is_tallied_against_everything_else_by_hand():
    # first coder x x y; second coder x y y and an extra z no event of the first meets
    a = [Event("x", 0, 1000), Event("x", 2000, 3000), Event("y", 4000, 5000)]
    b = [*(Event(e, s, s + 1000) for e, s in (("x", 0), ("y", 2000), ("y", 4000)))]
    b.append(Event("z", 6000, 7000))
    found = event_agreement(a, b).as_dict()
    assert found["confusion"] == {
        "labels": ["x", "y", "z", NOTHING],
        "counts": [[1, 1, 0, 0], [0, 1, 0, 0], [0, 0, 0, 0], [0, 0, 1, 0]],
    }
    # p_o = 2/4; margins (2, 1, 0, 1)/4 and (1, 2, 1, 0)/4: p_e = 1/8 + 1/8 = 1/4;
    # kappa = (1/2 - 1/4) / (3/4); the margins allow at most 1/4 + 1/4 agreement: the same
    assert (found["n_tallies"], found["matched"]) == (4, 3)
    assert found["unmatched"] == {"first": 0, "second": 1}
    assert found["percent_agreement"] == 0.5
    assert found["kappa"] == pytest.approx(1 / 3) and found["kappa_max"] == pytest.approx(1 / 3)
    # x against the rest: [[1, 1], [0, 2]]: p_o 3/4, p_e 1/2·1/4 + 1/2·3/4 = 1/2, kappa 1/2;
    # y: [[1, 0], [1, 2]], kappa 1/2; z: the first coder never coded it, kappa undefined
    x, y, z = (found["per_code"][c] for c in "xyz")
    assert x == {"first": 2, "second": 1, "agreed": 1, "percent_agreement": 0.5, "kappa": 0.5}
    assert y == {"first": 1, "second": 2, "agreed": 1, "percent_agreement": 0.5, "kappa": 0.5}
    assert z == {"first": 0, "second": 1, "agreed": 0, "percent_agreement": 0.0, "kappa": None}
    assert set(found["per_code"]) == {"x", "y", "z"}
