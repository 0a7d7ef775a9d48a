"""Agreement formulas at their edges: several bootstrap resamples at once, a single unit,
weighted units, undefined values (None or NaN, quietly), each worked out by hand from the
published definitions (Fleiss 1971; Krippendorff 2011)."""

from __future__ import annotations

import json
import math
import warnings

import numpy as np
import pytest
from scipy import stats

from tests.unit.test_agreement import FLEISS_1971, KRIPPENDORFF, units_by_coders
from vfa.domain.agreement import (
    alpha_from_coincidences,
    coincidences,
    fleiss_kappa_from_counts,
    pearson,
    rating_stats,
    value_counts,
    weight_matrix,
)
from vfa.domain.ratings_agreement import item_agreement


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


# -- Pearson r against the reference coder ----------------------------------------------


def test_pearson_needs_three_units_both_rated_and_a_ci_four():
    assert pearson(np.array([1.0, 2.0]), np.array([2.0, 1.0])) == (None, None)
    a, b = np.array([1.0, 2.0, 3.0]), np.array([2.0, 1.0, 3.0])
    # da = (-1, 0, 1), db = (0, -1, 1): Σ da·db = 1, √(2 · 2) = 2: r = 1/2, no interval
    assert pearson(a, b) == (0.5, None)
    a4, b4 = np.array([1.0, 2.0, 3.0, 4.0]), np.array([1.0, 3.0, 2.0, 4.0])
    r, ci = pearson(a4, b4)
    expected = stats.pearsonr(a4, b4)
    assert r == pytest.approx(0.8) == pytest.approx(expected.statistic)
    low, high = expected.confidence_interval()
    assert ci == pytest.approx((low, high), abs=1e-9)


def test_pearson_counts_only_units_both_coders_rated():
    a = np.array([1.0, 2.0, np.nan, 3.0, 4.0, 9.0])
    b = np.array([2.0, 4.0, 7.0, 6.0, 8.0, np.nan])
    assert pearson(a, b) == (1.0, (1.0, 1.0))  # b = 2a on the four shared units


@pytest.mark.parametrize(
    ("a", "slope", "r"), [([5.5, 0.3, 7.5, 5.4], 3.0, 1.0), ([0.4, 5.3, 4.6, 0.6], -3.0, -1.0)]
)
def test_a_perfect_line_has_r_of_exactly_one_in_size_and_a_point_interval(a, slope, r):
    # these values round Σ da·db / √(Σda² Σdb²) just past ±1: r stays within [-1, 1]
    x = np.array(a)
    assert pearson(x, slope * x + 0.7) == (r, (r, r))


def test_no_variation_has_no_r():
    assert pearson(np.array([3.0, 3.0, 3.0, 3.0]), np.array([1.0, 2.0, 3.0, 4.0])) == (None, None)


# -- weights, intervals and the JSON form ------------------------------------------------


def test_linear_and_quadratic_weights_fall_with_the_distance_over_the_span():
    values = np.array([1.0, 3.0, 5.0])  # span 4: distances 0, 2, 4 are 0, 1/2, 1 of it
    assert weight_matrix(values, "linear").tolist() == [
        [1.0, 0.5, 0.0], [0.5, 1.0, 0.5], [0.0, 0.5, 1.0]
    ]  # fmt: skip
    assert weight_matrix(values, "quadratic").tolist() == [
        [1.0, 0.75, 0.0], [0.75, 1.0, 0.75], [0.0, 0.75, 1.0]
    ]  # fmt: skip
    assert weight_matrix(np.array([1.0, 2.0]), "linear").tolist() == [[1.0, 0.0], [0.0, 1.0]]
    assert weight_matrix(np.array([4.0]), "linear").tolist() == [[1.0]]
    assert weight_matrix(np.array([]), "quadratic").shape == (0, 0)


def test_kappa_intervals_stay_within_minus_one_and_one():
    high = rating_stats([[1, 1], [2, 2], [3, 3], [4, 4], [5, 4]])
    assert high.cohen_kappa == pytest.approx(0.75)  # p_o 4/5, p_e 1/5
    low, top = high.ci["cohen_kappa"]
    assert low < 0.75 and top == 1.0  # 0.75 + 1.96 SE is past 1 with five units
    opposed = rating_stats([[1, 2], [2, 1], [1, 2], [2, 1], [1, 1]])
    assert opposed.cohen_kappa == pytest.approx(-2 / 3)  # p_o 1/5, p_e 13/25
    bottom, high_end = opposed.ci["cohen_kappa"]
    assert bottom == -1.0 and -2 / 3 < high_end < 1.0


def test_two_coders_get_alpha_intervals_without_a_fleiss_kappa():
    result = rating_stats([[1, 1], [2, 2], [3, 3], [4, 4], [5, 4], [2, 3]], bootstrap=True)
    assert result.fleiss_kappa is None
    for level in ("nominal", "ordinal", "interval"):
        lo, hi = result.ci[f"alpha_{level}"]
        assert lo <= getattr(result, f"alpha_{level}") <= hi <= 1


def test_the_json_form_gives_each_statistic_with_its_interval():
    matrix = [[1, 1, 2], [2, 2, 2], [3, 3, 4], [4, 4, 4], [5, 4, 5], [2, 3, 2]]
    result = rating_stats(matrix, reference_index=0, coder_names=["ann", "ben", "cy"])
    data = item_agreement(matrix, None, 0, ["ann", "ben", "cy"]).as_dict()
    assert json.loads(json.dumps(data)) == data
    assert "exact_agreement_ci" not in data and "within_one_agreement_ci" not in data
    assert data["exact_agreement"] == result.exact_agreement
    for name in ("fleiss_kappa", "icc_2_1", "alpha_nominal", "alpha_interval"):
        assert data[name] == getattr(result, name)
        assert data[f"{name}_ci"] == list(result.ci[name])
    assert data["cohen_kappa_ci"] is None  # three coders: no Cohen's kappa
    assert data["pearson_r"] == result.pearson_r and set(data["pearson_r"]) == {"ben", "cy"}
    assert data["pearson_r_ci"] == {k: list(v) for k, v in result.pearson_r_ci.items()}
    three = item_agreement([[1, 1], [2, 3], [3, 2]], None, 0, ["a", "b"])
    assert three.as_dict()["pearson_r_ci"] == {"b": None}  # three units: r but no interval
    assert item_agreement(matrix).as_dict()["pearson_r_ci"] is None  # no reference coder


def test_pearson_uses_only_the_units_both_coders_rated():
    # units 5 and 6 were rated by one coder each and must not count; the four shared units
    # (1,1) (2,3) (3,2) (4,4) have deviations ±1.5, ±0.5: r = 4 / sqrt(5 × 5) = 0.8, and
    # with n = 4 the Fisher-z interval is tanh(atanh(0.8) ∓ 1.959964 / sqrt(1))
    nan = float("nan")
    r, ci = pearson(
        np.array([1.0, 2.0, 3.0, 4.0, nan, 10.0]), np.array([1.0, 3.0, 2.0, 4.0, 7.0, nan])
    )
    assert r == pytest.approx(0.8)
    z = math.atanh(0.8)
    assert ci == pytest.approx((math.tanh(z - 1.959964), math.tanh(z + 1.959964)), abs=1e-6)
