"""Fleiss' kappa of bootstrap resamples (weights per rating pattern): the published value
for the data taken once, and NaN, quietly, for a resample with nothing to agree on."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from tests.unit.test_agreement import FLEISS_1971, from_counts
from vfa.domain.rating_patterns import Weighted, patterns_of, percentile_interval


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
