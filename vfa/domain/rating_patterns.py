"""Statistics of a units × coders matrix computed on its distinct units.

Exact and within-one agreement, Fleiss' kappa and Krippendorff's alpha depend on a unit
only through the values its coders gave (how many coders gave each value), so units with
the same multiset of ratings are one *pattern* counted as often as it occurs. The
patterns' value counts are kept sparse (patterns × values, at most one entry per rating),
so memory grows with the ratings, never with units × distinct values; the bootstrap
draws its resamples over the patterns in chunks of bounded size.

Krippendorff's alpha at every level is computed from per-unit sums, with no values ×
values matrix: interval alpha from each unit's sum and sum of squares; nominal from each
unit's disagreeing pairs; ordinal as interval alpha on the values' mid-ranks (a value's
mid-rank is the number of pairable values below it plus half of its own), which is
Krippendorff's ordinal metric: (Σ_{g=c..k} n_g - (n_c + n_k) / 2)² equals the squared
difference of the mid-ranks of c and k. These give the ``krippendorff`` package's
values (tests compare them); the resamples recompute the mid-ranks from their own totals.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
Interval = tuple[float, float]

BOOTSTRAP_SAMPLES = 1000
BOOTSTRAP_SEED = 20_090_601
_CHUNK = 250  # bootstrap resamples drawn at a time at most
_DRAW_BUDGET = 4_000_000  # numbers held per chunk of resamples (about 32 MB)
_EPS = 1e-12
LEVELS = ("nominal", "ordinal", "interval")


@dataclass(frozen=True)
class Patterns:
    """The distinct units of a ratings matrix: their value counts and frequencies."""

    counts: csr_matrix  # patterns × values: how many coders gave each value
    frequency: FloatArray  # units with each pattern
    ratings: FloatArray  # ratings per pattern
    values: FloatArray  # the sorted values the columns stand for

    @property
    def n_values_used(self) -> int:
        return int((np.asarray(self.counts.sum(axis=0)).ravel() > 0).sum())


def patterns_of(x: FloatArray, values: FloatArray) -> Patterns:
    """The patterns of the units of ``x`` (NaN: not rated) over the sorted ``values``."""
    k = len(values)
    rated = ~np.isnan(x)
    index = np.where(rated, np.searchsorted(values, np.where(rated, x, values[0])), k)
    index.sort(axis=1)
    width = int(rated.sum(axis=1).max()) if len(x) else 0
    index = index[:, :width]
    if width and (k + 1) ** width < 2**62:
        code = np.zeros(len(index), dtype=np.int64)
        for column in range(width):
            code = code * (k + 1) + index[:, column]
        _, first, frequency = np.unique(code, return_index=True, return_counts=True)
        rows = index[first]
    else:
        rows, frequency = np.unique(index, axis=0, return_counts=True)
    n_patterns = len(rows)
    which = np.broadcast_to(np.arange(n_patterns)[:, None], rows.shape)
    keep = rows < k
    counts = csr_matrix(
        (np.ones(int(keep.sum())), (which[keep], rows[keep])), shape=(n_patterns, k)
    )
    counts.sum_duplicates()
    counts.sort_indices()
    ratings = np.asarray(counts.sum(axis=1), dtype=np.float64).ravel()
    return Patterns(counts, frequency.astype(np.float64), ratings, values)


def _row_of_entries(counts: csr_matrix) -> IntArray:
    return np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))


def agreement_proportions(p: Patterns) -> tuple[float | None, float | None]:
    """Exact and within-one agreement: per unit the share of agreeing coder pairs (equal
    values; values at most one point apart), averaged over the units."""
    c = p.counts
    if p.frequency.sum() <= 0:
        return None, None
    data = c.data
    row = _row_of_entries(c)
    k = c.shape[1]
    # pairs of equal values, and pairs with the other value above by at most one point
    same = np.bincount(row, weights=data * (data - 1) / 2, minlength=c.shape[0])
    cum = np.concatenate([[0.0], np.cumsum(data)])
    key = row * (k + 1) + c.indices
    top = np.searchsorted(p.values, p.values[c.indices] + 1 + 1e-9, side="right") - 1
    last = np.searchsorted(key, row * (k + 1) + top, side="right")
    above = cum[last] - cum[np.arange(len(data)) + 1]
    near = same + np.bincount(row, weights=data * above, minlength=c.shape[0])
    pairs = p.ratings * (p.ratings - 1) / 2
    ok = pairs > 0
    if not ok.any():
        return None, None
    f = p.frequency[ok]
    return (
        float(f @ (same[ok] / pairs[ok]) / f.sum()),
        float(f @ (near[ok] / pairs[ok]) / f.sum()),
    )


# -- bootstrap ---------------------------------------------------------------------------


def resamples(
    frequency: FloatArray, width: int, seed: int = BOOTSTRAP_SEED
) -> Iterator[FloatArray]:
    """BOOTSTRAP_SAMPLES resamples of the units as (resamples × patterns) weights, in chunks
    whose size keeps chunk × max(patterns, ``width``) within _DRAW_BUDGET.

    Resampling n units with replacement is drawing a multinomial over the patterns with
    probabilities frequency / n; when the patterns are nearly as many as the units, the
    units' own indices are drawn instead (the same distribution, cheaper there).
    """
    rng = np.random.default_rng(seed)
    n = int(frequency.sum())
    n_patterns = len(frequency)
    by_index = n_patterns * 4 > n
    span = max(n_patterns, width, n if by_index else 0, 1)
    size = max(1, min(_CHUNK, _DRAW_BUDGET // span))
    shares = frequency / n
    pattern_of_unit = np.repeat(np.arange(n_patterns), frequency.astype(np.int64))
    left = BOOTSTRAP_SAMPLES
    while left > 0:
        chunk = min(size, left)
        if by_index:
            drawn = pattern_of_unit[rng.integers(0, n, size=(chunk, n))]
            offsets = (np.arange(chunk) * n_patterns)[:, None]
            flat = np.bincount((drawn + offsets).ravel(), minlength=chunk * n_patterns)
            yield flat.reshape(chunk, n_patterns).astype(np.float64)
        else:
            yield rng.multinomial(n, shares, size=chunk).astype(np.float64)
        left -= chunk


def percentile_interval(samples: FloatArray) -> Interval | None:
    """The 2.5th and 97.5th percentiles; None when many resamples have no value."""
    finite = samples[np.isfinite(samples)]
    if len(finite) == 0 or len(finite) < 0.9 * len(samples):
        return None
    lo, hi = np.percentile(finite, [2.5, 97.5])
    return (float(lo), float(hi))


# -- Fleiss' kappa and alpha under unit weights -------------------------------------------


class Weighted:
    """Fleiss' kappa and the alphas of the patterns under weights per pattern (one row per
    resample; the frequencies themselves for the estimate)."""

    def __init__(self, p: Patterns) -> None:
        self.p = p
        c, r = p.counts, p.ratings
        squares = c.multiply(c).sum(axis=1)
        sq = np.asarray(squares, dtype=np.float64).ravel()
        with np.errstate(divide="ignore", invalid="ignore"):
            self.agree = (sq - r) / (r * (r - 1))  # Σ c(c-1) / r(r-1)
            self.disagreeing = (r * r - sq) / (r - 1)
            s = c @ p.values
            q = c @ (p.values * p.values)
            self.within = 2 * (r * q - s * s) / (r - 1)
        self.s, self.q = s, q

    def _totals(self, w: FloatArray) -> FloatArray:
        """Resamples × values: how often each value was given."""
        out: FloatArray = np.asarray((self.p.counts.T @ w.T).T, dtype=np.float64)
        return out

    def fleiss(self, w: FloatArray) -> FloatArray:
        """Fleiss' kappa per row of weights (NaN where undefined)."""
        r = self.p.ratings
        with np.errstate(divide="ignore", invalid="ignore"):
            p_bar = (w @ self.agree) / w.sum(axis=1)
            shares = self._totals(w) / (w @ r)[:, None]
            p_e = (shares**2).sum(axis=1)
            out: FloatArray = (p_bar - p_e) / (1 - p_e)
        return np.where(1 - p_e <= _EPS, np.nan, out)

    def alphas(self, w: FloatArray) -> dict[str, FloatArray]:
        """Nominal, ordinal and interval alpha per row of weights (NaN where undefined)."""
        r = self.p.ratings
        n = w @ r
        totals = self._totals(w)
        out: dict[str, FloatArray] = {}
        with np.errstate(divide="ignore", invalid="ignore"):
            expected = n * n - (totals * totals).sum(axis=1)
            out["nominal"] = 1 - (n - 1) * (w @ self.disagreeing) / expected
            big_s, big_q = w @ self.s, w @ self.q
            out["interval"] = 1 - (n - 1) * (w @ self.within) / (2 * (n * big_q - big_s**2))
            # ordinal: interval alpha on each resample's mid-ranks
            ranks = np.cumsum(totals, axis=1) - totals / 2  # resamples × values
            s1 = np.asarray(self.p.counts @ ranks.T)  # patterns × resamples
            s2 = np.asarray(self.p.counts @ (ranks * ranks).T)
            within = 2 * (r[:, None] * s2 - s1 * s1) / (r - 1)[:, None]
            observed = (w * within.T).sum(axis=1)
            rank_s = (totals * ranks).sum(axis=1)
            rank_q = (totals * ranks * ranks).sum(axis=1)
            out["ordinal"] = 1 - (n - 1) * observed / (2 * (n * rank_q - rank_s**2))
        for level, values in out.items():
            out[level] = np.where(np.isfinite(values), values, np.nan)
        return out
