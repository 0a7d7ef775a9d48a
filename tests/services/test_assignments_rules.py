"""Choosing a share of clips to double-code, at its edges, and what a share's runs are."""

from __future__ import annotations

import pytest

from vfa.errors import InvalidInputError
from vfa.services import assignments as asg
from vfa.services import clips as clip_service
from vfa.services.schemes import get_scheme

POOL = [11, 12, 13, 14, 15, 16, 17]  # seven clip ids in catalogue order


@pytest.mark.parametrize(
    ("every", "expected"),
    [
        (1, POOL),  # every clip
        (2, [12, 14, 16]),  # the 2nd, 4th and 6th
        (6, [16]),
        (7, [17]),  # the last one only
        (8, []),  # fewer clips than n: none
    ],
)
def test_every_nth_clip_counts_from_the_first(every, expected):
    assert asg.choose_share(POOL, every=every) == expected


def test_every_fifth_is_the_default():
    assert asg.choose_share(list(range(1, 11))) == [5, 10]


@pytest.mark.parametrize("every", [0, -1])
def test_every_below_one_is_refused_naming_it(every):
    with pytest.raises(InvalidInputError, match=f"n must be 1 or more, not {every}"):
        asg.choose_share(POOL, every=every)


@pytest.mark.parametrize(
    ("fraction", "count"),
    [
        (1.0, 7),  # a share of exactly 1 takes every clip
        (0.999, 7),
        (0.3, 2),  # 0.3 × 7 = 2.1 → 2
        (0.4, 3),  # 0.4 × 7 = 2.8 → 3
        (0.01, 1),  # 0.07 rounds to none: at least one clip
    ],
)
def test_a_share_takes_round_of_the_share_at_least_one_in_pool_order(fraction, count):
    chosen = asg.choose_share(POOL, fraction=fraction, seed=3)
    assert len(chosen) == count
    assert set(chosen) <= set(POOL)
    assert chosen == sorted(chosen, key=POOL.index)


@pytest.mark.parametrize("fraction", [0.0, -0.1, 1.0001, 2.0])
def test_a_share_outside_zero_to_one_is_refused_naming_it(fraction):
    with pytest.raises(InvalidInputError, match=f"above 0 and at most 1, not {fraction}"):
        asg.choose_share(POOL, fraction=fraction)


def test_a_share_of_no_clips_is_none():
    assert asg.choose_share([], fraction=0.5) == []
    assert asg.choose_share([], every=1) == []


def test_every_and_a_share_together_are_refused():
    with pytest.raises(InvalidInputError, match="not both"):
        asg.choose_share(POOL, every=2, fraction=0.5)


def test_a_share_is_blind_unless_said_otherwise(workspace, clips):
    kips = get_scheme("kips")
    ids = [
        clip_service.add_clip(workspace, clips["cfr25"], "FAM-1", f"V{n}").clip_id for n in (1, 2)
    ]
    assert asg.assign_share(workspace, kips, ["Ann", "Ben"], every=1, clip_ids=[ids[0]]) == [ids[0]]
    assert asg.assign_share(workspace, kips, ["Cal"], every=1, clip_ids=[ids[1]], blind=False) == [
        ids[1]
    ]
    runs = {(a.clip_id, a.coder): a.blind for a in asg.assignments(workspace)}
    assert runs == {(ids[0], "Ann"): True, (ids[0], "Ben"): True, (ids[1], "Cal"): False}
