"""Agreement formulas at their edges: several bootstrap resamples at once, a single unit,
weighted units, undefined values (None or NaN, quietly), each worked out by hand from the
published definitions (Fleiss 1971; Krippendorff 2011)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from tests.unit.test_agreement import FLEISS_1971, KRIPPENDORFF, units_by_coders
from vfa.domain.agreement import (
    alpha_from_coincidences,
    coincidences,
    fleiss_kappa_from_counts,
    value_counts,
)


def krippendorff_coincidences():
    x = np.array(units_by_coders(KRIPPENDORFF), dtype=float)
    x = x[(~np.isnan(x)).sum(axis=1) >= 2]
    values = np.unique(x[~np.isnan(x)])
    return coincidences(value_counts(x, values)).sum(axis=0), values


@pytest.mark.parametrize(
    ("level", "published"), [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849)]
)
def test_each_resample_gets_its_own_alpha(level, published):
    o, values = krippendorff_coincidences()
    k = len(values)
    # the same data with every unit's values in perfect agreement: alpha 1 at any level
    perfect = np.diag(o.reshape(k, k).sum(axis=1)).reshape(-1)
    found = alpha_from_coincidences(np.stack([o, perfect, o]), values, level)
    assert [round(float(a), 3) for a in found] == [published, 1.0, published]


def test_a_resample_without_variation_has_an_undefined_alpha_and_says_nothing():
    o, values = krippendorff_coincidences()
    k = len(values)
    one_value = np.zeros(k * k)
    one_value[0] = 10.0  # every pairable value is the first: no variation to agree on
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        found = alpha_from_coincidences(np.stack([one_value, o]), values, "nominal")
    assert np.isnan(found[0]) and round(float(found[1]), 3) == 0.743


def test_fleiss_kappa_of_a_single_unit():
    # 3 raters, 2 in category 1, 1 in category 2: P = (2·1 + 1·0) / (3·2) = 1/3;
    # p = (2/3, 1/3), P_e = 4/9 + 1/9 = 5/9; kappa = (1/3 - 5/9) / (1 - 5/9) = -1/2
    assert fleiss_kappa_from_counts(np.array([[2.0, 1.0]])) == pytest.approx(-0.5)


def test_a_units_weight_counts_it_that_many_times():
    counts = np.array(FLEISS_1971[:6], dtype=float)
    weights = np.array([2.0, 1.0, 0.0, 3.0, 1.0, 1.0])
    repeated = np.repeat(counts, weights.astype(int), axis=0)
    assert fleiss_kappa_from_counts(counts, weights) == pytest.approx(
        fleiss_kappa_from_counts(repeated), abs=1e-12
    )
    assert fleiss_kappa_from_counts(counts, weights) != pytest.approx(
        fleiss_kappa_from_counts(counts), abs=1e-3
    )


def test_fleiss_kappa_is_undefined_without_units_or_without_variation():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # and quietly: no division by zero on the way
        assert fleiss_kappa_from_counts(np.zeros((0, 3))) is None
        assert fleiss_kappa_from_counts(np.array([[2.0, 1.0]]), np.array([0.0])) is None
        # every rater chose the same category everywhere: chance agreement 1
        assert fleiss_kappa_from_counts(np.array([[3.0, 0.0], [3.0, 0.0]])) is None
