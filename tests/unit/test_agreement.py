"""Agreement on ratings, each statistic checked against a published example or an
independent computation written differently from the module's."""

from __future__ import annotations

import itertools
import json
import math

import krippendorff
import numpy as np
import pytest
from scipy import stats

from vfa.domain.agreement import (
    alpha_from_coincidences,
    coincidences,
    contingency,
    fleiss_kappa_from_counts,
    icc,
    landis_koch,
    rating_stats,
    value_counts,
    weight_matrix,
    weighted_kappa,
)
from vfa.domain.rating_patterns import Weighted, patterns_of
from vfa.domain.ratings_agreement import item_agreement

# Shrout & Fleiss (1979), Table 2: 6 targets rated by 4 judges.
SHROUT_FLEISS = [
    [9, 2, 5, 8],
    [6, 1, 3, 2],
    [8, 4, 6, 8],
    [7, 1, 2, 6],
    [10, 5, 6, 9],
    [6, 2, 4, 7],
]

# Krippendorff (2011), "Computing Krippendorff's alpha-reliability", the example with
# 4 coders (rows) × 12 units and missing values.
N = None
KRIPPENDORFF = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
]

# Fleiss (1971), Table 1: 30 patients, 6 psychiatrists each, counts over 5 diagnoses
# (as transcribed in the quadagree R package, data_raw/fleiss1971.csv).
FLEISS_1971 = [
    [0, 0, 0, 6, 0], [0, 3, 0, 0, 3], [0, 1, 4, 0, 1], [0, 0, 0, 0, 6], [0, 3, 0, 3, 0],
    [2, 0, 4, 0, 0], [0, 0, 4, 0, 2], [2, 0, 3, 1, 0], [2, 0, 0, 4, 0], [0, 0, 0, 0, 6],
    [1, 0, 0, 5, 0], [1, 1, 0, 4, 0], [0, 3, 3, 0, 0], [1, 0, 0, 5, 0], [0, 2, 0, 3, 1],
    [0, 0, 5, 0, 1], [3, 0, 0, 1, 2], [5, 1, 0, 0, 0], [0, 2, 0, 4, 0], [1, 0, 2, 0, 3],
    [0, 0, 0, 0, 6], [0, 1, 0, 5, 0], [0, 2, 0, 1, 3], [2, 0, 0, 4, 0], [1, 0, 0, 4, 1],
    [0, 5, 0, 1, 0], [4, 0, 0, 0, 2], [0, 2, 0, 4, 0], [1, 0, 5, 0, 0], [0, 0, 0, 0, 6],
]  # fmt: skip


def units_by_coders(coder_rows):
    return [list(unit) for unit in zip(*coder_rows, strict=True)]


def from_counts(counts):
    """A units × raters matrix with the given category counts (category k is value k + 1)."""
    return [[k + 1 for k, c in enumerate(row) for _ in range(c)] for row in counts]


def two_coders(table):
    """Rating pairs reproducing a contingency table (values 1..k)."""
    pairs = []
    for i, row in enumerate(table):
        for j, count in enumerate(row):
            pairs += [[i + 1, j + 1]] * count
    return pairs


# -- ICC -------------------------------------------------------------------------------


def test_iccs_match_shrout_and_fleiss_table_2():
    # Shrout & Fleiss (1979), p. 425: ICC(1,1) = .17, ICC(2,1) = .29, ICC(3,1) = .71
    result = rating_stats(SHROUT_FLEISS)
    assert round(result.icc_1_1, 2) == 0.17
    assert round(result.icc_2_1, 2) == 0.29
    assert round(result.icc_3_1, 2) == 0.71


def test_icc_confidence_intervals_match_the_psych_package_example():
    # psych::ICC help page, example ICC(sf) on the Shrout & Fleiss data: ICC1 [-0.133, 0.72],
    # ICC2 [0.019, 0.76], ICC3 [0.342, 0.95] (95%, McGraw & Wong / Shrout & Fleiss bounds)
    ci = icc(np.array(SHROUT_FLEISS, dtype=float)).ci
    assert ci["icc_1_1"] == pytest.approx((-0.133, 0.72), abs=0.005)
    assert ci["icc_2_1"] == pytest.approx((0.019, 0.76), abs=0.005)
    assert ci["icc_3_1"] == pytest.approx((0.342, 0.95), abs=0.005)


def test_icc_3_1_bounds_invert_the_f_test():
    # independent: the bounds are the rho at which F_obs (1 - rho) / (1 + (k - 1) rho)
    # reaches the F quantiles (Shrout & Fleiss 1979, eq. for Case 3)
    y = np.array(SHROUT_FLEISS, dtype=float)
    n, k = y.shape
    resid = y - y.mean(axis=1, keepdims=True) - y.mean(axis=0) + y.mean()
    bms = k * y.mean(axis=1).var(ddof=1)
    ems = (resid**2).sum() / ((n - 1) * (k - 1))
    f_obs = bms / ems
    lo, hi = icc(y).ci["icc_3_1"]
    df1, df2 = n - 1, (n - 1) * (k - 1)
    assert f_obs * (1 - lo) / (1 + (k - 1) * lo) == pytest.approx(stats.f.ppf(0.975, df1, df2))
    assert f_obs * (1 - hi) / (1 + (k - 1) * hi) == pytest.approx(stats.f.ppf(0.025, df1, df2))


def test_icc_2_1_interval_matches_shrout_and_fleiss_form_of_the_satterthwaite_df():
    # independent: Shrout & Fleiss (1979) write the df with F_j = JMS / EMS, not with
    # McGraw & Wong's a and b; both must give the same bounds
    y = np.array(SHROUT_FLEISS, dtype=float)
    n, k = y.shape
    bms = k * y.mean(axis=1).var(ddof=1)
    jms = n * y.mean(axis=0).var(ddof=1)
    resid = y - y.mean(axis=1, keepdims=True) - y.mean(axis=0) + y.mean()
    ems = (resid**2).sum() / ((n - 1) * (k - 1))
    rho = (bms - ems) / (bms + (k - 1) * ems + k * (jms - ems) / n)
    fj = jms / ems
    v = ((k - 1) * (n - 1) * (k * rho * fj + n * (1 + (k - 1) * rho) - k * rho) ** 2) / (
        (n - 1) * k**2 * rho**2 * fj**2 + (n * (1 + (k - 1) * rho) - k * rho) ** 2
    )
    fs, fi = stats.f.ppf(0.975, n - 1, v), stats.f.ppf(0.975, v, n - 1)
    lower = n * (bms - fs * ems) / (fs * (k * jms + (k * n - k - n) * ems) + n * bms)
    upper = n * (fi * bms - ems) / (k * jms + (k * n - k - n) * ems + n * fi * bms)
    assert icc(y).ci["icc_2_1"] == pytest.approx((lower, upper))


# -- Fleiss' kappa ---------------------------------------------------------------------


def test_fleiss_kappa_matches_fleiss_1971():
    # Fleiss (1971), p. 380: kappa = .430
    assert round(fleiss_kappa_from_counts(np.array(FLEISS_1971, dtype=float)), 3) == 0.430
    result = rating_stats(from_counts(FLEISS_1971))
    assert round(result.fleiss_kappa, 3) == 0.430
    assert result.cohen_kappa is None and result.n_units == 30
    lo, hi = result.ci["fleiss_kappa"]
    assert lo < result.fleiss_kappa < hi


# -- Krippendorff's alpha --------------------------------------------------------------


def test_alpha_matches_krippendorffs_worked_example():
    # Krippendorff (2011): nominal .743, ordinal .815, interval .849
    result = rating_stats(units_by_coders(KRIPPENDORFF))
    assert round(result.alpha_nominal, 3) == 0.743
    assert round(result.alpha_ordinal, 3) == 0.815
    assert round(result.alpha_interval, 3) == 0.849
    for level in ("nominal", "ordinal", "interval"):
        lo, hi = result.ci[f"alpha_{level}"]
        assert lo < getattr(result, f"alpha_{level}") <= hi <= 1


def test_the_bootstraps_alpha_formula_reproduces_krippendorffs_example():
    # the bootstrap's own alpha (coincidence matrices) with every unit once
    x = np.array(units_by_coders(KRIPPENDORFF), dtype=float)
    x = x[(~np.isnan(x)).sum(axis=1) >= 2]
    values = np.unique(x[~np.isnan(x)])
    o = coincidences(value_counts(x, values)).sum(axis=0)[None, :]
    for level, published in (("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849)):
        assert round(float(alpha_from_coincidences(o, values, level)[0]), 3) == published


# -- Cohen's kappa ---------------------------------------------------------------------


def test_cohen_kappa_matches_the_textbook_two_by_two_example():
    # Wikipedia "Cohen's kappa", worked example: 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no;
    # p_o = .70, p_e = .50, kappa = .40
    result = rating_stats(two_coders([[20, 5], [10, 15]]))
    assert result.cohen_kappa == pytest.approx(0.4)
    assert result.exact_agreement == pytest.approx(0.7)


def pairwise_weighted_kappa(pairs, power):
    """Weighted kappa from its disagreement definition: observed mean disagreement of the
    units' pairs over the mean disagreement of all first-coder × second-coder combinations."""
    a = [p[0] for p in pairs]
    b = [p[1] for p in pairs]

    def v(x, y):
        return float(x != y) if power == 0 else abs(x - y) ** power

    observed = sum(v(x, y) for x, y in pairs) / len(pairs)
    expected = sum(v(x, y) for x in a for y in b) / (len(a) * len(b))
    return 1 - observed / expected


TABLE_3X3 = [[11, 3, 1], [4, 14, 2], [1, 5, 9]]
TABLE_5X5 = [
    [6, 2, 1, 0, 0],
    [3, 7, 2, 1, 0],
    [0, 2, 8, 3, 1],
    [1, 0, 3, 9, 2],
    [0, 0, 1, 2, 5],
]


@pytest.mark.parametrize("table", [TABLE_3X3, TABLE_5X5])
def test_weighted_kappas_equal_the_pairwise_disagreement_definition(table):
    pairs = two_coders(table)
    result = rating_stats(pairs, categories=range(1, len(table) + 1))
    assert result.kappa_linear == pytest.approx(pairwise_weighted_kappa(pairs, 1))
    assert result.kappa_quadratic == pytest.approx(pairwise_weighted_kappa(pairs, 2))
    assert result.cohen_kappa == pytest.approx(pairwise_weighted_kappa(pairs, 0))


def delta_method_se(table, weights):
    """Independent SE: the multinomial delta method with a numerical gradient of kappa."""
    counts = np.array(table, dtype=float)
    n = counts.sum()
    p = counts / n

    def kappa_of(q):
        rows, cols = q.sum(axis=1), q.sum(axis=0)
        p_o = (weights * q).sum()
        p_e = (weights * np.outer(rows, cols)).sum()
        return (p_o - p_e) / (1 - p_e)

    grad = np.zeros_like(p)
    h = 1e-7
    for i, j in itertools.product(range(len(p)), repeat=2):
        up, down = p.copy(), p.copy()
        up[i, j] += h
        down[i, j] -= h
        grad[i, j] = (kappa_of(up) - kappa_of(down)) / (2 * h)
    variance = ((p * grad**2).sum() - (p * grad).sum() ** 2) / n
    return math.sqrt(variance)


@pytest.mark.parametrize("kind", ["identity", "linear", "quadratic"])
def test_kappa_standard_errors_equal_the_delta_method(kind):
    values = np.arange(1.0, 6.0)
    weights = weight_matrix(values, kind)
    _, se = weighted_kappa(np.array(TABLE_5X5, dtype=float), weights)
    assert se == pytest.approx(delta_method_se(TABLE_5X5, weights), rel=1e-5)


def test_kappa_ci_is_the_estimate_plus_minus_1_96_se():
    pairs = two_coders(TABLE_5X5)
    result = rating_stats(pairs)
    table = contingency(*np.array(pairs, dtype=float).T, np.arange(1.0, 6.0))
    kappa, se = weighted_kappa(table, np.eye(5))
    assert result.ci["cohen_kappa"] == pytest.approx((kappa - 1.96 * se, kappa + 1.96 * se), 1e-4)


# -- agreement proportions, Pearson r --------------------------------------------------


def test_exact_and_within_one_agreement_by_hand():
    matrix = [[1, 1], [2, 3], [4, 2], [5, 5], [3, None]]
    result = rating_stats(matrix)
    # units 1-4 are rated twice: exact 2/4, within one 3/4 (|4 - 2| = 2 is not)
    assert result.n_units == 4
    assert result.exact_agreement == pytest.approx(0.5)
    assert result.within_one_agreement == pytest.approx(0.75)


def test_agreement_of_three_coders_averages_the_units_coder_pairs():
    result = rating_stats([[1, 1, 2], [3, 3, 3]])
    # unit 1: pairs (1,1) agree, (1,2) twice do not -> 1/3; unit 2: 3/3
    assert result.exact_agreement == pytest.approx((1 / 3 + 1) / 2)
    assert result.within_one_agreement == pytest.approx(1.0)


def test_pearson_r_against_the_reference_coder_matches_scipy():
    rng = np.random.default_rng(7)
    truth = rng.integers(1, 6, 40)
    matrix = np.column_stack([truth, np.clip(truth + rng.integers(-1, 2, 40), 1, 5), truth[::-1]])
    result = rating_stats(matrix, reference_index=0, coder_names=["ann", "ben", "cy"])
    for j, name in ((1, "ben"), (2, "cy")):
        expected = stats.pearsonr(matrix[:, 0], matrix[:, j])
        assert result.pearson_r[name] == pytest.approx(expected.statistic)
        ci = expected.confidence_interval(0.95)
        assert result.pearson_r_ci[name] == pytest.approx((ci.low, ci.high), abs=1e-6)
    assert set(result.pearson_r) == {"ben", "cy"}


# -- edge cases ------------------------------------------------------------------------


def test_perfect_agreement_gives_kappas_and_alphas_of_one():
    matrix = [[v, v] for v in (1, 2, 3, 4, 5, 3, 2)]
    result = rating_stats(matrix)
    for name in ("cohen_kappa", "kappa_linear", "kappa_quadratic", "icc_2_1", "icc_3_1"):
        assert getattr(result, name) == pytest.approx(1.0), name
    for level in ("nominal", "ordinal", "interval"):
        assert getattr(result, f"alpha_{level}") == pytest.approx(1.0)
    assert result.exact_agreement == 1.0


def test_no_variance_leaves_kappa_undefined_but_agreement_one():
    result = rating_stats([[3, 3]] * 8, categories=[1, 2, 3, 4, 5])
    assert result.exact_agreement == 1.0 and result.within_one_agreement == 1.0
    assert result.n_units == 8
    for name in ("cohen_kappa", "kappa_linear", "kappa_quadratic", "icc_1_1", "icc_2_1"):
        assert getattr(result, name) is None, name
    assert result.alpha_nominal is None and result.alpha_interval is None
    json.dumps(item_agreement([[3, 3]] * 8, categories=[1, 2, 3, 4, 5]).as_dict(), allow_nan=False)


def test_units_with_one_rating_are_left_out_of_pairs_but_not_of_alpha():
    with_extra = units_by_coders(KRIPPENDORFF)  # unit 12 has one rating
    result = rating_stats(with_extra)
    assert result.n_units == 11
    # Krippendorff's example includes those units and still gives .743
    assert round(result.alpha_nominal, 3) == 0.743
    # ICCs use the units every coder rated (2-9 of the example)
    complete = [u for u in with_extra if None not in u]
    assert icc(np.array(complete, dtype=float)).icc_3_1 == pytest.approx(result.icc_3_1)


def test_an_item_with_nob_everywhere_has_no_ratable_units():
    result = rating_stats([[None, None]] * 5)
    assert result.n_units == 0
    data = item_agreement([[None, None]] * 5).as_dict()
    assert all(v is None for k, v in data.items() if k not in ("n_units", "landis_koch"))
    json.dumps(data, allow_nan=False)


def test_results_are_json_without_nan():
    data = item_agreement(units_by_coders(KRIPPENDORFF), reference_index=1).as_dict()
    text = json.dumps(data, allow_nan=False)
    assert "alpha_ordinal_ci" in text and data["landis_koch"]["fleiss_kappa"] == "substantial"


@pytest.mark.parametrize(
    ("value", "label"),
    [
        (-0.1, "poor"),
        (0.0, "poor"),
        (0.01, "slight"),
        (0.20, "slight"),
        (0.21, "fair"),
        (0.40, "fair"),
        (0.41, "moderate"),
        (0.60, "moderate"),
        (0.61, "substantial"),
        (0.80, "substantial"),
        (0.81, "almost perfect"),
        (1.0, "almost perfect"),
        (None, None),
    ],
)
def test_landis_koch_labels(value, label):
    # Landis & Koch (1977), Table on p. 165
    assert landis_koch(value) == label


def test_the_bootstraps_per_unit_formulas_reproduce_krippendorffs_example():
    # nominal from disagreeing pairs per unit, interval from per-unit sums, ordinal from
    # mid-ranks: weights that take every unit once give Krippendorff's (2011) values
    x = np.array(units_by_coders(KRIPPENDORFF), dtype=float)
    x = x[(~np.isnan(x)).sum(axis=1) >= 2]
    values = np.unique(x[~np.isnan(x)])
    patterns = patterns_of(x, values)
    once = patterns.frequency[None, :]
    found = Weighted(patterns).alphas(once)
    for level, published in (("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849)):
        assert round(float(found[level][0]), 3) == published


@pytest.mark.parametrize("seed", range(6))
def test_alphas_equal_the_krippendorff_package(seed):
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(5, 80)), int(rng.integers(2, 7))
    x = rng.integers(1, 8, size=(n, m)).astype(float)
    x[rng.random((n, m)) < 0.2] = np.nan
    result = rating_stats(x)
    for level in ("nominal", "ordinal", "interval"):
        expected = krippendorff.alpha(
            reliability_data=x.T,
            level_of_measurement=level,
            value_domain=np.unique(x[~np.isnan(x)]),
        )
        assert getattr(result, f"alpha_{level}") == pytest.approx(expected, abs=1e-9), level


def test_agreement_from_patterns_equals_the_pairwise_definition():
    rng = np.random.default_rng(3)
    x = rng.integers(1, 6, size=(200, 4)).astype(float) + rng.choice([0, 0.5], size=(200, 4))
    x[rng.random(x.shape) < 0.25] = np.nan
    exact, within, units = 0.0, 0.0, 0
    for row in x:
        seen = row[~np.isnan(row)]
        pairs = list(itertools.combinations(seen, 2))
        if pairs:
            exact += sum(a == b for a, b in pairs) / len(pairs)
            within += sum(abs(a - b) <= 1 for a, b in pairs) / len(pairs)
            units += 1
    result = rating_stats(x)
    assert result.exact_agreement == pytest.approx(exact / units)
    assert result.within_one_agreement == pytest.approx(within / units)


def test_memory_follows_the_ratings_not_units_times_values():
    # 200,000 units of two coders with continuous values (about 400,000 distinct): a
    # units × values table would need 640 GB; kappas are None (not categories), the rest
    # is computed
    rng = np.random.default_rng(5)
    truth = rng.normal(size=(200_000, 1))
    x = truth + rng.normal(scale=0.3, size=(200_000, 2))
    result = rating_stats(x, bootstrap=False)
    assert result.cohen_kappa is None and result.kappa_quadratic is None
    assert result.icc_2_1 == pytest.approx(1 / 1.09, abs=0.01)
    assert result.alpha_interval == pytest.approx(1 / 1.09, abs=0.01)
    assert result.alpha_nominal is not None and result.alpha_ordinal is not None


def test_bootstrap_chunks_stay_within_the_budget():
    from vfa.domain.rating_patterns import _DRAW_BUDGET, BOOTSTRAP_SAMPLES, resamples

    frequency = np.ones(50_000)
    chunks = list(resamples(frequency, width=10))
    assert sum(len(c) for c in chunks) == BOOTSTRAP_SAMPLES
    assert all(c.size <= _DRAW_BUDGET for c in chunks)
    assert all(c.sum(axis=1).tolist() == [50_000.0] * len(c) for c in chunks)


@pytest.mark.parametrize(
    "matrix",
    [[[3, 4]] * 6, [[1, 3], [2, 3], [3, 3], [4, 3]], [[3, 1], [3, 5], [3, 2]]],
)
def test_kappa_of_a_coder_who_gave_one_value_only_is_undefined(matrix):
    # whatever the other coder does, observed = chance agreement: 0 by construction with a
    # zero-width interval, which would print as "0.00 [0.00, 0.00] poor"
    result = item_agreement(matrix, categories=[1, 2, 3, 4, 5]).as_dict()
    for name in ("cohen_kappa", "kappa_linear", "kappa_quadratic"):
        assert result[name] is None and result[f"{name}_ci"] is None, name
        assert result["landis_koch"][name] is None
    assert result["exact_agreement"] is not None
