"""Event pairing on large blocks and the refusal of a window that pairs nearly everything
(vfa.domain.event_agreement's notes): a block of more than 400 events is matched on a
sparse graph and must give the same, heaviest, pairing as a small one."""

from __future__ import annotations

import pytest

import vfa.domain.event_agreement as ea
from tests.unit.test_event_agreement import events_of
from vfa.domain.event_agreement import (
    DENSE_BLOCK_LIMIT,
    MAX_CANDIDATE_PAIRS,
    NOTHING,
    Event,
    TooManyPairs,
    event_agreement,
    merge_events,
    pair_events,
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
    found = events_of(a, b).as_dict(settings=False)
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


# -- the pairing rules at their edges (the module's notes) -------------------------------


def pairs_of(a, b, **options):
    return sorted(pair_events(a, b, **options), key=lambda p: (p[0] is None, p))


@pytest.mark.parametrize(
    ("b_start", "paired"),
    [
        (400, True),  # overlap 600 of the longer 1000: exactly 60%
        (399, True),
        (401, False),  # 599 of 1000: just under
    ],
)
def test_states_pair_from_an_overlap_of_60_percent_of_the_longer(b_start, paired):
    a = [Event("x", 0, 1000)]
    b = [Event("x", b_start, 1000)]  # the overlap is 1000 - b_start of a's 1000 ms
    assert event_agreement(a, b).matched == (1 if paired else 0)


@pytest.mark.parametrize(
    ("lead", "paired"),
    [(400, True), (401, False)],  # the second coder's state starts earlier
)
def test_a_state_starting_earlier_pairs_while_the_overlap_holds(lead, paired):
    # a [1000, 2000); b [1000 - lead, 2000 - lead): the overlap is 1000 - lead of 1000
    a = [Event("x", 1000, 2000)]
    b = [Event("x", 1000 - lead, 2000 - lead)]
    assert event_agreement(a, b).matched == (1 if paired else 0)
    assert event_agreement(b, a).matched == (1 if paired else 0)


def test_one_millisecond_states_that_coincide_pair():
    assert event_agreement([Event("x", 5, 6)], [Event("x", 5, 6)]).matched == 1


@pytest.mark.parametrize("overlap", [0.6, 1.0])
def test_overlap_one_pairs_only_the_same_span(overlap):
    a = [Event("x", 0, 1000)]
    assert event_agreement(a, [Event("x", 0, 1000)], overlap=overlap).matched == 1
    near = event_agreement(a, [Event("x", 1, 1000)], overlap=overlap).matched
    assert near == (1 if overlap < 1 else 0)


@pytest.mark.parametrize("overlap", [0, -0.1, 1.01, 1.5])
def test_an_overlap_outside_above_0_to_1_is_refused(overlap):
    a = [Event("x", 0, 1000)]
    for pairing in (event_agreement, pair_events):
        with pytest.raises(ValueError, match=r"^the overlap must be above 0 and at most 1$"):
            pairing(a, a, overlap=overlap)


@pytest.mark.parametrize(("gap", "paired"), [(0, True), (250, True), (251, False)])
def test_onsets_pair_up_to_exactly_the_tolerance_either_side(gap, paired):
    a = [Event("x", 1000, 1100)]
    for b in ([Event("x", 1000 + gap, 9000)], [Event("x", 1000 - gap, 1001)]):
        assert event_agreement(a, b, tolerance_ms=250).matched == (1 if paired else 0)
        assert pairs_of(a, b, tolerance_ms=250) == ([(0, 0)] if paired else [(0, None), (None, 0)])


def test_a_tolerance_of_0_pairs_equal_onsets_only():
    a = [Event("x", 1000, 1100)]
    assert event_agreement(a, [Event("x", 1000, 5000)], tolerance_ms=0).matched == 1
    assert event_agreement(a, [Event("x", 1001, 1100)], tolerance_ms=0).matched == 0


@pytest.mark.parametrize("tolerance", [-1, -1000])
def test_a_negative_tolerance_is_refused(tolerance):
    a = [Event("x", 0, 1000)]
    for pairing in (event_agreement, pair_events):
        with pytest.raises(ValueError, match=r"^the onset tolerance must be 0 ms or more$"):
            pairing(a, a, tolerance_ms=tolerance)


def test_a_point_pairs_with_a_state_by_onset_within_the_point_tolerance():
    a = [Event("p", 500)]
    assert event_agreement(a, [Event("x", 0, 2000)]).matched == 1  # 500 ms apart, <= 1 s
    assert event_agreement(a, [Event("x", 1600, 3000)]).matched == 0  # 1100 ms apart
    assert event_agreement(a, [Event("x", 0, 2000)], point_tolerance_ms=499).matched == 0
    assert pairs_of(a, [Event("x", 0, 2000)], point_tolerance_ms=499) == [(0, None), (None, 0)]
    assert pairs_of(a, [Event("x", 0, 2000)], point_tolerance_ms=500) == [(0, 0)]


def test_of_two_onsets_in_the_window_the_nearer_is_paired():
    a = [Event("p", 0)]
    b = [Event("p", 900), Event("p", 100)]
    assert pairs_of(a, b) == [(0, 1), (None, 0)]
    assert pairs_of(a, b, tolerance_ms=1000) == [(0, 1), (None, 0)]


def test_one_same_code_pair_outweighs_two_disagreements_however_well_they_fit():
    # tolerance 1000: a1 (x, 0 ms) may pair with b1 (x, 1000 ms: the edge of the window) or
    # with b2 (y, 50 ms before); a2 (z, 1050 ms) only with b1. Same codes weigh 3, others
    # 1, plus half the fit: one x-x pair (3.0005) beats two near-perfect disagreements (2.95)
    a = [Event("x", 0), Event("z", 1050)]
    b = [Event("x", 1000), Event("y", -50)]
    assert pairs_of(a, b, tolerance_ms=1000) == [(0, 0), (1, None), (None, 1)]
    counts = event_agreement(a, b, tolerance_ms=1000).confusion.counts.tolist()
    assert counts == [[1, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 1], [0, 1, 0, 0]]  # x y z <nothing>


def test_pairs_map_back_to_the_events_as_given_whatever_their_order():
    # same onset, different ends: the pairing must name the events by their place in a
    a = [Event("x", 0, 2000), Event("y", 0, 1000)]
    b = [Event("y", 0, 1000)]
    assert pair_events(a, b) == [(1, 0), (0, None)]
    mixed = [Event("x", 0, 1000), Event("p", 0)]  # a state and a point at one onset
    assert event_agreement(mixed, list(reversed(mixed))).matched == 2


def test_the_pairing_is_listed_by_onset_then_end_then_place():
    # unpaired events: by onset first (a's x at 0 before b's y at 1000, though y ends first)
    assert pair_events([Event("x", 0, 5000)], [Event("y", 1000, 2000)]) == [(0, None), (None, 0)]
    # one onset: the earlier end first, whatever the order given
    assert pair_events([Event("x", 0, 5000), Event("z", 0, 1000)], []) == [(1, None), (0, None)]
    # one span: b's second copy, unpaired, comes before the pair (no first-coder event)
    twins = pair_events([Event("x", 0, 1000)], [Event("x", 0, 1000), Event("x", 0, 1000)])
    assert twins in ([(None, 1), (0, 0)], [(None, 0), (0, 1)])


def test_pair_events_takes_the_same_edges_as_event_agreement():
    a = [Event("x", 0, 1000)]
    assert pair_events(a, [Event("x", 0, 1000)], overlap=1.0) == [(0, 0)]
    assert pair_events(a, [Event("x", 0, 1000)], tolerance_ms=0) == [(0, 0)]
    assert pair_events(a, [Event("x", 1, 1000)], tolerance_ms=0) == [(0, None), (None, 0)]


def test_each_block_of_candidates_is_paired_one_to_one():
    # two separate blocks: a0 with b0 alone; a1 with b1 or b2 (b1 fits exactly)
    a = [Event("x", 0, 1000), Event("x", 5000, 6000)]
    b = [Event("x", 0, 1000), Event("x", 5000, 6000), Event("x", 5100, 6000)]
    result = event_agreement(a, b)
    assert (result.matched, result.unmatched_first, result.unmatched_second) == (2, 0, 1)
    assert pair_events(a, b) == [(0, 0), (1, 1), (None, 2)]


def test_pooled_clips_sum_their_tallies_and_counts():
    one = event_agreement([Event("x", 0, 1000)], [Event("x", 0, 1000), Event("y", 5000, 6000)])
    two = event_agreement([Event("z", 0, 1000), Event("x", 3000, 4000)], [Event("z", 0, 1000)])
    pooled = merge_events([one, two])
    assert (pooled.matched, pooled.unmatched_first, pooled.unmatched_second) == (2, 1, 1)
    assert pooled.confusion.labels == ("x", "y", "z", NOTHING)
    assert pooled.confusion.counts.tolist() == [
        [1, 0, 0, 1], [0, 0, 0, 0], [0, 0, 1, 0], [0, 1, 0, 0]
    ]  # fmt: skip
