"""Fleiss' kappa of bootstrap resamples (weights per rating pattern): the published value
for the data taken once, and NaN, quietly, for a resample with nothing to agree on; the
patterns (units grouped by the values their coders gave, for any number of coders); the
agreement shares without the units that cannot show agreement; and the resamples: the
same every time, within the draw budget, every unit drawn about as often."""

from __future__ import annotations

import math
import warnings
from collections import Counter

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.unit.test_agreement import FLEISS_1971, from_counts
from vfa.domain import rating_patterns
from vfa.domain.agreement import rating_stats
from vfa.domain.rating_patterns import (
    BOOTSTRAP_SAMPLES,
    BOOTSTRAP_SEED,
    Weighted,
    agreement_proportions,
    patterns_of,
    percentile_interval,
    resamples,
)


def test_fleiss_kappa_per_resample_and_nan_where_it_is_undefined():
    x = np.array(from_counts(FLEISS_1971), dtype=float)
    values = np.unique(x)
    patterns = patterns_of(x, values)
    counts = patterns.counts.toarray()
    # a resample of only the patients all six psychiatrists gave the fifth diagnosis (one
    # category: chance agreement 1), and one of no patients at all
    unanimous = (counts[:, 4] == 6).astype(float) * patterns.frequency
    assert unanimous.sum() == 4  # patients 4, 10, 21 and 30
    # and, for the contrast, the patients unanimous on the fourth or the fifth: kappa 1
    two_kinds = ((counts[:, 3] == 6) | (counts[:, 4] == 6)).astype(float) * patterns.frequency
    rows = np.stack([patterns.frequency, unanimous, np.zeros_like(unanimous), two_kinds])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        found = Weighted(patterns).fleiss(rows)
    assert round(float(found[0]), 3) == 0.430  # Fleiss (1971)
    assert np.isnan(found[1]) and np.isnan(found[2])
    assert found[3] == 1.0


def test_a_percentile_interval_cuts_2_5_percent_from_each_end():
    # 0..400: the 2.5th percentile is 10, the 97.5th is 390 (linear interpolation)
    assert percentile_interval(np.arange(401, dtype=float)) == (10.0, 390.0)


@pytest.mark.parametrize(("undefined", "given"), [(0, True), (10, True), (11, False), (100, False)])
def test_a_percentile_interval_needs_nine_resamples_in_ten_with_a_value(undefined, given):
    samples = np.concatenate([np.full(undefined, np.nan), np.linspace(0, 1, 100 - undefined)])
    assert (percentile_interval(samples) is not None) == given


def test_no_resample_with_a_value_has_no_interval():
    assert percentile_interval(np.array([])) is None
    assert percentile_interval(np.array([np.nan, np.inf])) is None
    assert percentile_interval(np.array([0.5])) == (0.5, 0.5)


# -- agreement shares: units that cannot show agreement are left out ---------------------

VALUES = np.array([1.0, 2.0, 3.0])
NAN = np.nan


@pytest.mark.parametrize("left_out", [[3.0, NAN], [NAN, NAN]], ids=["rated once", "not rated"])
def test_units_rated_once_or_not_at_all_are_left_out_of_the_agreement_shares(left_out):
    # (1, 1) agrees, (1, 2) does not but is within one point: 1/2 exact, 2/2 within one
    x = np.array([[1.0, 1.0], [1.0, 2.0], left_out])
    assert agreement_proportions(patterns_of(x, VALUES)) == (0.5, 1.0)


def test_a_single_unit_has_agreement_shares_of_its_own():
    assert agreement_proportions(patterns_of(np.array([[2.0, 3.0]]), VALUES)) == (0.0, 1.0)
    assert agreement_proportions(patterns_of(np.array([[2.0, 2.0, 3.0]]), VALUES)) == (
        pytest.approx(1 / 3),  # one of three coder pairs agrees exactly
        1.0,
    )


# -- the patterns: units grouped by the values their coders gave --------------------------


def test_no_units_make_no_patterns():
    p = patterns_of(np.empty((0, 2)), VALUES)
    assert p.counts.shape == (0, 3) and len(p.frequency) == 0 and len(p.ratings) == 0


def test_a_single_value_and_a_missing_rating_make_patterns():
    p = patterns_of(np.array([[3.0, 3.0], [3.0, NAN], [3.0, 3.0]]), np.array([3.0]))
    assert sorted(zip(p.counts.toarray()[:, 0].tolist(), p.frequency.tolist(), strict=True)) == [
        (1.0, 1.0),
        (2.0, 2.0),
    ]


def by_sorted_ratings(x):
    """Independent grouping: each unit's ratings as a sorted tuple, counted."""
    return Counter(tuple(sorted(v for v in row if not math.isnan(v))) for row in x)


def patterns_as_counter(p):
    out = Counter()
    for counts, n in zip(p.counts.toarray(), p.frequency, strict=True):
        key = tuple(v for v, c in zip(p.values, counts, strict=True) for _ in range(int(c)))
        out[key] += int(n)
    return out


@settings(max_examples=150, deadline=None)
@example(x=[[1.0, 1.0, NAN], [1.0, 2.0, 2.0]], extra=[])
@given(
    x=st.integers(1, 5).flatmap(
        lambda m: st.lists(
            st.lists(st.sampled_from([1.0, 2.0, 3.0, 4.0, NAN]), min_size=m, max_size=m),
            min_size=1,
            max_size=12,
        )
    ),
    extra=st.lists(st.sampled_from([0.0, 5.0, 6.0]), max_size=2),
)
def test_each_pattern_is_a_distinct_set_of_ratings_counted_as_often_as_it_occurs(x, extra):
    x = np.array(x)
    values = np.unique(np.concatenate([x[~np.isnan(x)], extra, [1.0]]))
    p = patterns_of(x, values)
    assert patterns_as_counter(p) == by_sorted_ratings(x)
    assert p.ratings.tolist() == p.counts.toarray().sum(axis=1).tolist()
    assert len(set(map(tuple, p.counts.toarray().tolist()))) == len(p.frequency)


def many_coders(n_coders):
    """Unit A: one coder gives 1, the rest 2; unit B: every coder gives 2 (scale 1–3)."""
    a = [1.0] + [2.0] * (n_coders - 1)
    return np.array([a, [2.0] * n_coders, a])


@pytest.mark.parametrize("n_coders", [30, 40])
def test_units_of_many_coders_that_differ_in_one_rating_are_different_patterns(n_coders):
    # 30 coders on 3 values fit the patterns' integer codes, 40 do not (4^40 > 2^62):
    # either way unit A (one coder apart) and unit B (unanimous) stay apart
    x = many_coders(n_coders)
    p = patterns_of(x, VALUES)
    assert sorted(p.frequency.tolist()) == [1.0, 2.0]
    # exact agreement: A has C(m - 1, 2) of C(m, 2) pairs agreeing, (m - 2) / m; B all
    m = n_coders
    exact, within = agreement_proportions(p)
    assert exact == pytest.approx((2 * (m - 2) / m + 1) / 3)
    assert within == 1.0


def test_the_intervals_do_not_depend_on_scale_values_nobody_used():
    # the bootstrap resamples units, not values: a scale of 1–5 instead of the 1–3 used
    # must give the same intervals (here 30 coders, so 1–5 no longer fits the integer
    # codes of the patterns and the units are grouped the other way)
    rng = np.random.default_rng(11)
    truth = rng.integers(1, 4, 40)
    noise = rng.integers(1, 4, (40, 30))
    x = np.where(rng.random((40, 30)) < 0.8, truth[:, None], noise).astype(float)
    used = rating_stats(x)
    wider = rating_stats(x, categories=[1, 2, 3, 4, 5])
    assert used.fleiss_kappa == pytest.approx(wider.fleiss_kappa)
    assert used.ci == wider.ci


# -- the bootstrap's resamples -------------------------------------------------------------


def test_the_resamples_are_the_same_every_time_and_follow_the_seed():
    frequency = np.array([3.0, 1.0, 4.0, 1.0, 5.0])
    first = np.concatenate(list(resamples(frequency, 2)))
    again = np.concatenate(list(resamples(frequency, 2)))
    other = np.concatenate(list(resamples(frequency, 2, seed=BOOTSTRAP_SEED + 1)))
    assert (first == again).all()
    assert not (first == other).all()
    matrix = [[1, 1, 2], [2, 2, 2], [3, 3, 4], [4, 4, 4], [5, 4, 5], [2, 3, 2]]
    assert rating_stats(matrix).ci == rating_stats(matrix).ci


@pytest.mark.parametrize(
    ("frequency", "width", "held"),
    [
        # 20 patterns of 4 units each: a multinomial over the 20 patterns per resample
        (np.full(20, 4.0), 2, 20),
        # 5 patterns and 100 values: the caller's totals are resamples × 100 values
        (np.full(5, 4.0), 100, 100),
        # 4 patterns of 5 units, nearly one each: the 5 units' indices are drawn
        (np.array([2.0, 1.0, 1.0, 1.0]), 2, 5),
    ],
    ids=["patterns", "values", "units"],
)
def test_every_chunk_of_resamples_stays_within_the_draw_budget(monkeypatch, frequency, width, held):
    monkeypatch.setattr(rating_patterns, "_DRAW_BUDGET", 240)
    chunks = list(resamples(frequency, width))
    assert sum(len(c) for c in chunks) == BOOTSTRAP_SAMPLES
    assert all(len(c) * held <= 240 for c in chunks)
    assert all(c.shape[1] == len(frequency) for c in chunks)
    assert all(c.sum(axis=1).tolist() == [frequency.sum()] * len(c) for c in chunks)


def test_a_resample_larger_than_the_budget_is_drawn_one_at_a_time(monkeypatch):
    monkeypatch.setattr(rating_patterns, "_DRAW_BUDGET", 10)
    chunks = list(resamples(np.full(20, 4.0), 2))
    assert [len(c) for c in chunks] == [1] * BOOTSTRAP_SAMPLES


def test_every_unit_can_be_drawn_about_equally_often():
    # five different units (one pattern each): 1000 resamples of 5 draw each unit about
    # 1000 times (binomial sd about 28)
    total = sum(c.sum(axis=0) for c in resamples(np.ones(5), 2))
    assert total.tolist() == pytest.approx([1000.0] * 5, abs=150)
    # and a single unit is every resample
    assert all((c == 1.0).all() for c in resamples(np.ones(1), 2))


def test_a_resample_with_one_value_has_nan_alphas_quietly():
    x = np.array([[1.0, 1.0], [1.0, 2.0], [2.0, 2.0]])
    p = patterns_of(x, VALUES)
    only_first = np.where(p.counts.toarray()[:, 0] == 2, 1.0, 0.0)  # the (1, 1) unit alone
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        found = Weighted(p).alphas(np.stack([only_first, p.frequency]))
    for level in ("nominal", "ordinal", "interval"):
        assert np.isnan(found[level][0]) and np.isfinite(found[level][1]), level
