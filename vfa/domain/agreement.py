"""Agreement between coders on ordinal ratings: a units × coders matrix, missing as None.

What is computed, and how:

- Units are the rows. A unit with fewer than two ratings cannot show agreement and is left
  out of the pairwise statistics (``n_units`` counts the units with two or more ratings);
  Krippendorff's alpha takes every rating as the package does (single ratings add nothing).
- Exact and within-one-point agreement: per unit, the share of its coder pairs that agree
  (|difference| = 0, resp. <= 1), averaged over the units; with two coders this is the
  share of units on which they agree.
- Cohen's kappa (two coders, units both rated): unweighted, and with linear
  (1 - |i - j| / range) and quadratic (1 - (i - j)² / range²) agreement weights on the
  scale values (Cohen 1968). 95% CI: kappa ± 1.96 · SE, with the large-sample (non-null)
  SE of Fleiss, Cohen & Everitt (1969), clipped to [-1, 1].
- Fleiss' kappa (more than two coders): Fleiss (1971); a unit rated by r of the coders
  adds its r(r - 1) ordered pairs (so units may have different numbers of ratings; with
  complete data this is Fleiss' formula exactly). 95% CI: percentile bootstrap over units.
- ICCs on the units every coder rated (complete cases), from the two-way ANOVA mean
  squares (Shrout & Fleiss 1979): ICC(1,1) one-way random; ICC(2,1) two-way random,
  absolute agreement (McGraw & Wong's ICC(A,1)); ICC(3,1) two-way mixed, consistency
  (ICC(C,1)). 95% CIs from the F distribution: exact F bounds for ICC(1,1) and ICC(3,1),
  the Satterthwaite approximation of McGraw & Wong (1996) for ICC(2,1).
- Krippendorff's alpha (nominal, ordinal, interval), computed from per-unit sums in
  ``vfa.domain.rating_patterns`` (the ``krippendorff`` package's values; the tests
  compare them). 95% CI: percentile bootstrap over units (not Krippendorff's own
  bootstrap of pairable values).
- Bootstraps draw BOOTSTRAP_SAMPLES resamples of the units with a fixed seed, so a report
  is reproducible; units with the same ratings are drawn as one pattern, in chunks of
  bounded size (``vfa.domain.rating_patterns``).
- Kappas take the values as categories (values × values tables): with more than
  MAX_CATEGORIES distinct values (continuous data) they are None; ICCs and alphas remain.
  Memory grows with the ratings, never with units × distinct values.
- Pearson r of each coder against a reference coder on the units both rated (at least
  three, both varying); 95% CI from Fisher's z.
- Kappas are None when a coder gave one value only (every kappa is then 0 / 0 or 0 by
  construction, whatever the agreement: nothing to report, not "poor").
- A statistic that cannot be computed (no ratable units, no variance: 0 / 0) is None,
  never NaN.
- Landis & Koch (1977) labels for the kappas: <= 0 poor, .01–.20 slight, .21–.40 fair,
  .41–.60 moderate, .61–.80 substantial, .81–1 almost perfect. The table's bounds are
  two-decimal, as every view shows a statistic (``SHOWN_PLACES``): the label is that of
  the value as shown, so 0.6049, shown as 0.60, is moderate, and the number and its label
  never disagree.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import NDArray
from scipy import stats

from vfa.domain.rating_patterns import (
    LEVELS,
    Weighted,
    agreement_proportions,
    patterns_of,
    percentile_interval,
    resamples,
)

Matrix = Sequence[Sequence[float | None]]
FloatArray = NDArray[np.float64]
Interval = tuple[float, float]
Level = Literal["nominal", "ordinal", "interval"]

Z95 = 1.959963984540054  # the standard normal's 97.5th percentile
SHOWN_PLACES = 2  # decimals every view shows a statistic with (vfa.reports.statistic_text)
MAX_CATEGORIES = 1000  # distinct values above which the kappas are None (values² tables)
_EPS = 1e-12

KAPPA_FIELDS = ("cohen_kappa", "kappa_linear", "kappa_quadratic", "fleiss_kappa")


@dataclass(frozen=True)
class RatingStats:
    """Agreement statistics of one rated variable; None where they cannot be computed.

    The computation behind the registry's built-in statistics
    (``vfa.domain.rating_statistics``); results travel as ``ItemAgreement``.
    """

    n_units: int
    exact_agreement: float | None = None
    within_one_agreement: float | None = None
    cohen_kappa: float | None = None
    kappa_linear: float | None = None
    kappa_quadratic: float | None = None
    fleiss_kappa: float | None = None
    icc_1_1: float | None = None
    icc_2_1: float | None = None
    icc_3_1: float | None = None
    alpha_nominal: float | None = None
    alpha_ordinal: float | None = None
    alpha_interval: float | None = None
    pearson_r: dict[str, float | None] | None = None
    ci: dict[str, Interval | None] = field(default_factory=dict)
    pearson_r_ci: dict[str, Interval | None] | None = None


def as_shown(value: float) -> float:
    """A statistic rounded as every view shows it (``SHOWN_PLACES`` decimals)."""
    return float(f"{value:.{SHOWN_PLACES}f}")


def landis_koch(value: float | None) -> str | None:
    """The Landis & Koch (1977) label of a kappa as shown (0.6049 shows as 0.60:
    moderate); None for None."""
    if value is None or not math.isfinite(value):
        return None
    shown = as_shown(value)
    for upper, label in ((0.0, "poor"), (0.2, "slight"), (0.4, "fair"), (0.6, "moderate")):
        if shown <= upper:
            return label
    return "substantial" if shown <= 0.8 else "almost perfect"


def _clean(value: float) -> float | None:
    """A finite float, or None for NaN and infinities."""
    return float(value) if math.isfinite(value) else None


def as_matrix(matrix: Matrix | FloatArray) -> FloatArray:
    """Units × coders as floats, missing ratings as NaN."""
    if isinstance(matrix, np.ndarray):
        array = np.asarray(matrix, dtype=np.float64)
    else:
        rows = [[np.nan if v is None else float(v) for v in row] for row in matrix]
        widths = {len(row) for row in rows}
        if len(widths) > 1:
            raise ValueError("every unit needs one entry per coder (None when not rated)")
        array = np.array(rows, dtype=np.float64).reshape(len(rows), widths.pop() if rows else 0)
    if array.ndim != 2:
        raise ValueError("ratings must be a units × coders matrix")
    return array


# -- Cohen's kappa -----------------------------------------------------------------------


def weight_matrix(values: FloatArray, kind: str) -> FloatArray:
    """Agreement weights between scale values: ``identity``, ``linear`` or ``quadratic``."""
    if kind == "identity":
        return np.eye(len(values))
    span = float(values.max() - values.min()) if len(values) else 0.0
    if span <= 0:
        return np.ones((len(values), len(values)))
    diff = np.abs(values[:, None] - values[None, :]) / span
    return 1 - (diff if kind == "linear" else diff**2)


def weighted_kappa(table: FloatArray, weights: FloatArray) -> tuple[float | None, float | None]:
    """Kappa of a two-coder contingency table under agreement weights, and its large-sample SE.

    The SE is Fleiss, Cohen & Everitt's (1969) non-null formula. Both are None when a
    coder used one category only: kappa is then 0 / 0 (both coders constant and equal)
    or 0 by construction whatever the agreement (observed = chance agreement, SE 0), and
    neither says anything about agreement.
    """
    n = float(table.sum())
    if n <= 0:
        return None, None
    p = table / n
    rows, cols = p.sum(axis=1), p.sum(axis=0)
    if int((rows > 0).sum()) < 2 or int((cols > 0).sum()) < 2:
        return None, None
    p_o = float((weights * p).sum())
    p_e = float((weights * np.outer(rows, cols)).sum())
    if 1 - p_e <= _EPS:
        return None, None
    kappa = (p_o - p_e) / (1 - p_e)
    w_row = weights @ cols  # w̄_i. = Σ_j p_.j w_ij
    w_col = rows @ weights  # w̄_.j = Σ_i p_i. w_ij
    inner = (weights - (w_row[:, None] + w_col[None, :]) * (1 - kappa)) ** 2
    variance = ((p * inner).sum() - (kappa - p_e * (1 - kappa)) ** 2) / (n * (1 - p_e) ** 2)
    se = math.sqrt(max(float(variance), 0.0))
    return _clean(kappa), se


def contingency(a: FloatArray, b: FloatArray, values: FloatArray) -> FloatArray:
    """The values × values table of two coders' ratings (rows: first coder)."""
    k = len(values)
    ia = np.searchsorted(values, a)
    ib = np.searchsorted(values, b)
    return np.bincount(ia * k + ib, minlength=k * k).reshape(k, k).astype(np.float64)


def _kappa_ci(kappa: float | None, se: float | None) -> Interval | None:
    if kappa is None or se is None:
        return None
    return (max(-1.0, kappa - Z95 * se), min(1.0, kappa + Z95 * se))


# -- Fleiss' kappa and alpha (counts per unit) -------------------------------------------


def value_counts(x: FloatArray, values: FloatArray) -> FloatArray:
    """Units × values: how many coders gave each value to each unit."""
    n, k = x.shape[0], len(values)
    rated = ~np.isnan(x)
    rows = np.broadcast_to(np.arange(n)[:, None], x.shape)[rated]
    cols = np.searchsorted(values, x[rated])
    return np.bincount(rows * k + cols, minlength=n * k).reshape(n, k).astype(np.float64)


def fleiss_kappa_from_counts(counts: FloatArray, weights: FloatArray | None = None) -> float | None:
    """Fleiss' kappa of units × categories counts (units with < 2 ratings must be removed).

    ``weights`` (units,) weigh the units, as a bootstrap resample does.
    """
    w = np.ones(len(counts)) if weights is None else weights
    r = counts.sum(axis=1)
    if len(counts) == 0 or w.sum() <= 0:
        return None
    agree = ((counts * (counts - 1)).sum(axis=1)) / (r * (r - 1))
    p_bar = float(w @ agree / w.sum())
    shares = (w @ counts) / float(w @ r)
    p_e = float((shares**2).sum())
    if 1 - p_e <= _EPS:
        return None
    return _clean((p_bar - p_e) / (1 - p_e))


def coincidences(counts: FloatArray) -> FloatArray:
    """Per unit, Krippendorff's coincidence matrix flattened: n_uc (n_uk - [c = k]) / (m_u - 1)."""
    m = counts.sum(axis=1)
    k = counts.shape[1]
    outer = counts[:, :, None] * counts[:, None, :]
    outer[:, np.arange(k), np.arange(k)] -= counts
    return (outer / (m - 1)[:, None, None]).reshape(len(counts), k * k)


def alpha_from_coincidences(o: FloatArray, values: FloatArray, level: str) -> FloatArray:
    """Alpha of (resamples × values²) coincidence matrices at a level of measurement."""
    k = len(values)
    o3 = o.reshape(-1, k, k)
    n_c = o3.sum(axis=2)
    n = n_c.sum(axis=1)
    if level == "nominal":
        delta = np.broadcast_to(1 - np.eye(k), o3.shape)
    elif level == "interval":
        delta = np.broadcast_to((values[:, None] - values[None, :]) ** 2, o3.shape)
    else:
        cum = np.cumsum(n_c, axis=1)
        lo = np.minimum.outer(np.arange(k), np.arange(k))
        hi = np.maximum.outer(np.arange(k), np.arange(k))
        between = cum[:, hi] - cum[:, lo] + n_c[:, lo]
        delta = (between - (n_c[:, :, None] + n_c[:, None, :]) / 2) ** 2
    observed = (o3 * delta).sum(axis=(1, 2))
    expected = (n_c[:, :, None] * n_c[:, None, :] * delta).sum(axis=(1, 2))
    with np.errstate(divide="ignore", invalid="ignore"):
        result: FloatArray = 1 - (n - 1) * observed / expected
    return result


# -- ICC ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class IccResult:
    icc_1_1: float | None
    icc_2_1: float | None
    icc_3_1: float | None
    ci: dict[str, Interval | None]


def _ratio(num: float, den: float) -> float | None:
    return _clean(num / den) if abs(den) > _EPS else None


def icc(x: FloatArray) -> IccResult:
    """ICC(1,1), ICC(2,1), ICC(3,1) and their 95% CIs on the complete rows of ``x``."""
    none: dict[str, Interval | None] = {"icc_1_1": None, "icc_2_1": None, "icc_3_1": None}
    y = x[~np.isnan(x).any(axis=1)]
    n, k = y.shape
    if n < 2 or k < 2:
        return IccResult(None, None, None, none)
    grand = y.mean()
    ss_rows = k * float(((y.mean(axis=1) - grand) ** 2).sum())
    ss_cols = n * float(((y.mean(axis=0) - grand) ** 2).sum())
    ss_total = float(((y - grand) ** 2).sum())
    ss_error = ss_total - ss_rows - ss_cols
    bms = ss_rows / (n - 1)
    wms = (ss_total - ss_rows) / (n * (k - 1))
    jms = ss_cols / (k - 1)
    ems = max(ss_error, 0.0) / ((n - 1) * (k - 1))
    icc1 = _ratio(bms - wms, bms + (k - 1) * wms)
    icc2 = _ratio(bms - ems, bms + (k - 1) * ems + k * (jms - ems) / n)
    icc3 = _ratio(bms - ems, bms + (k - 1) * ems)
    ci = {
        "icc_1_1": _f_interval(bms, wms, n - 1, n * (k - 1), k),
        "icc_2_1": _icc_a1_interval(icc2, bms, jms, ems, n, k),
        "icc_3_1": _f_interval(bms, ems, n - 1, (n - 1) * (k - 1), k),
    }
    return IccResult(icc1, icc2, icc3, ci)


def _f_interval(top: float, bottom: float, df1: float, df2: float, k: int) -> Interval | None:
    """Exact F-based bounds of ICC(1,1) / ICC(3,1) (Shrout & Fleiss 1979)."""
    if bottom <= _EPS:
        return None
    f_obs = top / bottom
    f_low = f_obs / stats.f.ppf(0.975, df1, df2)
    f_high = f_obs * stats.f.ppf(0.975, df2, df1)
    return (float((f_low - 1) / (f_low + k - 1)), float((f_high - 1) / (f_high + k - 1)))


def _icc_a1_interval(
    value: float | None, bms: float, jms: float, ems: float, n: int, k: int
) -> Interval | None:
    """McGraw & Wong's (1996) Satterthwaite bounds of ICC(A,1) = ICC(2,1)."""
    if value is None or value >= 1 or ems <= _EPS:
        return None
    a = k * value / (n * (1 - value))
    b = 1 + k * value * (n - 1) / (n * (1 - value))
    den = (a * jms) ** 2 / (k - 1) + (b * ems) ** 2 / ((n - 1) * (k - 1))
    if den <= 0:
        return None
    v = (a * jms + b * ems) ** 2 / den
    f_s = stats.f.ppf(0.975, n - 1, v)
    f_i = stats.f.ppf(0.975, v, n - 1)
    c = k * jms + (k * n - k - n) * ems
    lower = float(n * (bms - f_s * ems) / (f_s * c + n * bms))
    upper = float(n * (f_i * bms - ems) / (c + n * f_i * bms))
    lo, hi = _clean(lower), _clean(upper)
    return (lo, hi) if lo is not None and hi is not None else None


# -- Pearson r ---------------------------------------------------------------------------


def pearson(a: FloatArray, b: FloatArray) -> tuple[float | None, Interval | None]:
    """Pearson r on the units both rated (>= 3, both varying) and its Fisher-z 95% CI."""
    both = ~np.isnan(a) & ~np.isnan(b)
    n = int(both.sum())
    if n < 3:
        return None, None
    xa, xb = a[both], b[both]
    da, db = xa - xa.mean(), xb - xb.mean()
    den = math.sqrt(float((da * da).sum() * (db * db).sum()))
    if den <= _EPS:
        return None, None
    r = max(-1.0, min(1.0, float((da * db).sum()) / den))
    if n <= 3:
        return r, None
    if abs(r) >= 1:
        return r, (r, r)
    z, half = math.atanh(r), Z95 / math.sqrt(n - 3)
    return r, (math.tanh(z - half), math.tanh(z + half))


# -- everything --------------------------------------------------------------------------


def rating_stats(
    matrix: Matrix | FloatArray,
    categories: Sequence[float] | None = None,
    reference_index: int | None = None,
    coder_names: Sequence[str] | None = None,
    bootstrap: bool = True,
) -> RatingStats:
    """Every agreement statistic of one variable (see the module's notes).

    ``matrix`` is units × coders (None or NaN: not rated, e.g. NOB). ``categories`` are the
    scale's values (they join the observed ones; kappas and alphas do not depend on values
    nobody used). ``reference_index`` picks the coder the others are correlated with;
    ``coder_names`` name them in ``pearson_r`` (default: the column numbers from 0).
    ``bootstrap=False`` skips the bootstrap CIs (Fleiss' kappa, alpha).
    """
    x = as_matrix(matrix)
    n_coders = x.shape[1]
    names = list(coder_names) if coder_names is not None else [str(i) for i in range(n_coders)]
    if len(names) != n_coders:
        raise ValueError(f"{len(names)} coder names for {n_coders} coders")
    if reference_index is not None and not 0 <= reference_index < n_coders:
        raise ValueError(f"reference coder {reference_index} is not among {n_coders} coders")
    rated = (~np.isnan(x)).sum(axis=1)
    pairable = rated >= 2
    n_units = int(pairable.sum())
    pearson_r, pearson_ci = _pearsons(x, names, reference_index)
    if n_units == 0:
        return RatingStats(n_units=0, pearson_r=pearson_r, pearson_r_ci=pearson_ci)
    observed = x[~np.isnan(x)]
    values = np.unique(np.concatenate([observed, np.asarray(categories or [], dtype=float)]))
    patterns = patterns_of(x[pairable], values)
    exact, within = agreement_proportions(patterns)
    ci: dict[str, Interval | None] = {}
    kappas: dict[str, float | None] = dict.fromkeys(KAPPA_FIELDS)
    categorical = len(values) <= MAX_CATEGORIES
    if n_coders == 2 and categorical:
        both = x[~np.isnan(x).any(axis=1)]
        table = contingency(both[:, 0], both[:, 1], values)
        for name, kind in (
            ("cohen_kappa", "identity"),
            ("kappa_linear", "linear"),
            ("kappa_quadratic", "quadratic"),
        ):
            kappa, se = weighted_kappa(table, weight_matrix(values, kind))
            kappas[name] = kappa
            ci[name] = _kappa_ci(kappa, se)
    weighted = Weighted(patterns)
    if n_coders > 2 and categorical:
        kappas["fleiss_kappa"] = _clean(float(weighted.fleiss(patterns.frequency[None, :])[0]))
    alphas: dict[str, float | None] = dict.fromkeys(LEVELS)
    if patterns.n_values_used >= 2:
        point = weighted.alphas(patterns.frequency[None, :])
        alphas = {level: _clean(float(point[level][0])) for level in LEVELS}
    iccs = icc(x)
    ci.update(iccs.ci)
    ci.update(_bootstrap_cis(weighted, kappas["fleiss_kappa"], alphas) if bootstrap else {})
    return RatingStats(
        n_units=n_units,
        exact_agreement=exact,
        within_one_agreement=within,
        cohen_kappa=kappas["cohen_kappa"],
        kappa_linear=kappas["kappa_linear"],
        kappa_quadratic=kappas["kappa_quadratic"],
        fleiss_kappa=kappas["fleiss_kappa"],
        icc_1_1=iccs.icc_1_1,
        icc_2_1=iccs.icc_2_1,
        icc_3_1=iccs.icc_3_1,
        alpha_nominal=alphas["nominal"],
        alpha_ordinal=alphas["ordinal"],
        alpha_interval=alphas["interval"],
        pearson_r=pearson_r,
        ci=ci,
        pearson_r_ci=pearson_ci,
    )


def _bootstrap_cis(
    weighted: Weighted, fleiss: float | None, alphas: dict[str, float | None]
) -> dict[str, Interval | None]:
    """Percentile bootstrap CIs of Fleiss' kappa and the alphas that have a value."""
    wanted = [level for level in LEVELS if alphas[level] is not None]
    if fleiss is None and not wanted:
        return {}
    samples: dict[str, list[FloatArray]] = {}
    p = weighted.p
    for w in resamples(p.frequency, p.counts.shape[1]):
        if fleiss is not None:
            samples.setdefault("fleiss_kappa", []).append(weighted.fleiss(w))
        if wanted:
            for level, values in weighted.alphas(w).items():
                samples.setdefault(f"alpha_{level}", []).append(values)
    out: dict[str, Interval | None] = {}
    for name, parts in samples.items():
        if name == "fleiss_kappa" or alphas[name.removeprefix("alpha_")] is not None:
            out[name] = percentile_interval(np.concatenate(parts))
    return out


def _pearsons(
    x: FloatArray, names: list[str], reference_index: int | None
) -> tuple[dict[str, float | None] | None, dict[str, Interval | None] | None]:
    """Pearson r (and CI) of every other coder against the reference; None without one."""
    if reference_index is None:
        return None, None
    values: dict[str, float | None] = {}
    intervals: dict[str, Interval | None] = {}
    for j, name in enumerate(names):
        if j != reference_index:
            values[name], intervals[name] = pearson(x[:, reference_index], x[:, j])
    return values, intervals
