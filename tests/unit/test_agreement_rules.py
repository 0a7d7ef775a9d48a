"""Agreement formulas at their edges: several bootstrap resamples at once, a single unit,
weighted units, undefined values (None or NaN, quietly), the refusals in their words, where
each statistic starts being defined (two units, two coders, two values, MAX_CATEGORIES),
each worked out by hand from the published definitions (Fleiss 1971; Krippendorff 2011;
Shrout & Fleiss 1979; McGraw & Wong 1996)."""

from __future__ import annotations

import json
import math
import warnings

import numpy as np
import pytest
from scipy import stats

from tests.unit.test_agreement import FLEISS_1971, KRIPPENDORFF, SHROUT_FLEISS, units_by_coders
from vfa.domain.agreement import (
    MAX_CATEGORIES,
    IccResult,
    alpha_from_coincidences,
    as_matrix,
    coincidences,
    fleiss_kappa_from_counts,
    icc,
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


# -- the matrix and the refusals' words --------------------------------------------------


@pytest.mark.parametrize("ragged", [[[1, 2], [3]], [[1, 2], [3], [4, 5, 6]]])
def test_units_with_unequal_entries_are_refused_in_words(ragged):
    with pytest.raises(
        ValueError, match=r"^every unit needs one entry per coder \(None when not rated\)$"
    ):
        rating_stats(ragged)


@pytest.mark.parametrize("shape", [(3,), (2, 2, 2)])
def test_ratings_that_are_not_a_table_are_refused_in_words(shape):
    with pytest.raises(ValueError, match=r"^ratings must be a units × coders matrix$"):
        rating_stats(np.ones(shape))


def test_no_units_is_a_table_of_no_units_and_no_coders():
    assert as_matrix([]).shape == (0, 0)
    assert rating_stats([]).n_units == 0


def test_an_array_of_ratings_is_read_as_floats_with_none_as_not_rated():
    assert as_matrix(np.array([[1, 2], [3, 4]])).dtype == np.float64
    # an object array, as a table with gaps arrives from a data frame: None is not rated
    gaps = np.array([[1, None], [2, 2], [3, 3]], dtype=object)
    assert np.isnan(as_matrix(gaps)[0, 1])
    assert rating_stats(gaps).n_units == 2


def test_coder_names_must_match_the_coders_in_number():
    with pytest.raises(ValueError, match=r"^1 coder names for 2 coders$"):
        rating_stats([[1, 2], [2, 2]], coder_names=["ann"])


@pytest.mark.parametrize("reference", [2, 3, -1])
def test_the_reference_coder_must_be_one_of_the_columns(reference):
    with pytest.raises(ValueError, match=rf"^reference coder {reference} is not among 2 coders$"):
        rating_stats([[1, 2], [2, 2], [3, 3]], reference_index=reference)


def test_unnamed_coders_are_named_by_their_column_from_0():
    result = rating_stats([[1, 2, 2], [2, 3, 3], [3, 3, 5], [4, 5, 4]], reference_index=1)
    assert set(result.pearson_r) == {"0", "2"}
    assert set(result.pearson_r_ci) == {"0", "2"}


def test_without_ratable_units_the_reference_still_has_its_correlations_and_they_are_none():
    # nobody shares a unit: no statistic, but the reference coder was asked for, so each
    # other coder is listed with r None (not "no reference coder", which is None itself)
    result = rating_stats([[1, None], [None, 2]], reference_index=0, coder_names=["ann", "ben"])
    assert result.n_units == 0
    assert result.pearson_r == {"ben": None}
    assert result.pearson_r_ci == {"ben": None}


# -- where a statistic starts and stops being defined ------------------------------------


def test_three_coders_who_all_gave_one_value_have_no_fleiss_kappa():
    # chance agreement is 1 (one category): kappa is 0 / 0, None and never NaN
    result = rating_stats([[3, 3, 3]] * 5, categories=[1, 2, 3, 4, 5])
    assert result.fleiss_kappa is None
    assert result.exact_agreement == 1.0


def test_a_single_value_with_no_other_scale_value_is_agreement_without_kappas():
    # the only value anyone used, and no categories: nothing to vary, nothing to crash on
    result = rating_stats([[3, 3, 3], [3, 3, None], [3, 3, 3]])
    assert result.n_units == 3 and result.exact_agreement == 1.0
    assert result.fleiss_kappa is None and result.alpha_nominal is None


def test_two_values_used_are_enough_for_the_alphas():
    # units (1,1) (1,2) (2,2) (2,2): coincidences o11 = 2, o12 = o21 = 1, o22 = 4, so
    # n1 = 3, n2 = 5, n = 8 and alpha = 1 - (n - 1)(o12 + o21) / (2 n1 n2) = 1 - 14/30 = 8/15;
    # with two values there is one distance: nominal, ordinal and interval agree
    result = rating_stats([[1, 1], [1, 2], [2, 2], [2, 2]])
    for level in ("nominal", "ordinal", "interval"):
        assert getattr(result, f"alpha_{level}") == pytest.approx(8 / 15), level


def test_kappas_are_given_up_to_max_categories_distinct_values_and_not_above():
    # two coders agreeing on every unit: kappa 1 while the values are categories
    values = np.arange(float(MAX_CATEGORIES))
    at_limit = rating_stats(np.column_stack([values, values]), bootstrap=False)
    assert at_limit.cohen_kappa == pytest.approx(1.0)
    above = np.arange(float(MAX_CATEGORIES + 1))
    past = rating_stats(np.column_stack([above, above]), bootstrap=False)
    assert past.cohen_kappa is None and past.kappa_quadratic is None
    assert past.icc_2_1 == pytest.approx(1.0)


# -- ICC at its edges ------------------------------------------------------------------

NO_ICC = IccResult(None, None, None, {"icc_1_1": None, "icc_2_1": None, "icc_3_1": None})


@pytest.mark.parametrize(
    "matrix",
    [[[1.0, 2.0]], [[1.0], [2.0], [3.0]], [[1.0, 2.0], [3.0, None]], [[1.0, 2.0], [None, 3.0]]],
)
def test_iccs_need_two_complete_units_and_two_coders(matrix):
    assert icc(np.array(matrix, dtype=float)) == NO_ICC


def test_a_single_unit_has_every_icc_and_its_interval_none():
    result = rating_stats([[1, 2]])
    assert (result.icc_1_1, result.icc_2_1, result.icc_3_1) == (None, None, None)
    assert {name: result.ci[name] for name in NO_ICC.ci} == NO_ICC.ci


def test_two_units_are_enough_for_the_iccs():
    # [[1, 3], [4, 5]] by hand (Shrout & Fleiss 1979): grand mean 3.25; unit means 2, 4.5,
    # coder means 2.5, 4; SS_units = 2 (1.5625 + 1.5625) = 6.25, SS_coders = 2 (0.5625 +
    # 0.5625) = 2.25, SS_total = 8.75, SS_error = 0.25; BMS = 6.25, WMS = 2.5 / 2 = 1.25,
    # JMS = 2.25, EMS = 0.25
    result = icc(np.array([[1.0, 3.0], [4.0, 5.0]]))
    assert result.icc_1_1 == pytest.approx((6.25 - 1.25) / (6.25 + 1.25))  # 2/3
    assert result.icc_2_1 == pytest.approx((6.25 - 0.25) / (6.25 + 0.25 + 2 * 2.0 / 2))  # 12/17
    assert result.icc_3_1 == pytest.approx((6.25 - 0.25) / (6.25 + 0.25))  # 12/13
    assert all(result.ci[name] is not None for name in ("icc_1_1", "icc_3_1"))


@pytest.mark.parametrize(
    ("matrix", "icc_2_1"),
    [
        # BMS = 0, JMS = 0, EMS = 2: ICC(2,1) = -EMS / (EMS - 2 EMS / 3) = -3
        ([[1, 3], [3, 1], [2, 2]], -3.0),
        # BMS = 0, JMS = EMS = 2/3: ICC(2,1) = -EMS / EMS = -1
        ([[1, 1], [0, 2], [1, 1]], -1.0),
    ],
)
@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")  # NaN bounds
def test_units_that_all_have_the_same_mean_have_no_icc_2_1_interval(matrix, icc_2_1):
    # with BMS = 0, McGraw & Wong's a·JMS + b·EMS is 0: the Satterthwaite df is 0 (or 0 / 0)
    # and there is no F quantile to bound ICC(2,1) with
    result = rating_stats(matrix, bootstrap=False)
    assert result.icc_2_1 == pytest.approx(icc_2_1)
    assert result.ci["icc_2_1"] is None


def test_perfect_agreement_on_large_decimal_ratings_has_an_icc_2_1_of_one_without_interval():
    # three coders agree on every unit; at this size the error mean square is a rounding
    # residue, not 0, but ICC(2,1) is 1 and its bounds divide by 1 - ICC: no interval
    result = rating_stats([[1234.5] * 3, [10.2] * 3], bootstrap=False)
    assert result.icc_2_1 == 1.0
    assert result.ci["icc_2_1"] is None


def test_icc_intervals_do_not_depend_on_the_unit_the_ratings_are_in():
    # every ICC is a ratio of mean squares: ratings in tenths or in hundreds change nothing
    y = np.array(SHROUT_FLEISS, dtype=float)
    expected = icc(y)
    for factor in (0.1, 100.0):
        scaled = icc(y * factor)
        for name in ("icc_1_1", "icc_2_1", "icc_3_1"):
            assert getattr(scaled, name) == pytest.approx(getattr(expected, name)), name
            assert scaled.ci[name] == pytest.approx(expected.ci[name]), name
