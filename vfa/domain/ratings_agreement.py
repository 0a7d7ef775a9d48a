"""Agreement on ratings over a units × coders table, as typed results: the one function the
ratings CSV (``vfa.services.reliability``) and the workspace's runs
(``vfa.services.reliability_runs``) both call, and the types every view reads.

Per item (and for the scheme's total and the pooled units) an ``ItemAgreement`` holds
the number of units that two or more coders rated, one ``Estimate`` per registered
statistic (``vfa.domain.rating_statistics``: value, 95% CI, Landis & Koch label) and,
with a reference coder, each other coder's Pearson r against the reference.
``as_dict`` gives the JSON the CLI prints: ``n_units``, each statistic and its
``KEY_ci`` ([lo, hi] or None; only for statistics with a CI), ``pearson_r``,
``pearson_r_ci`` and ``landis_koch`` (the labelled statistics).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from vfa.domain.agreement import FloatArray, Interval, Matrix, as_matrix, landis_koch
from vfa.domain.rating_statistics import Estimate, Ratings, statistics
from vfa.domain.ratings_table import RatingsTable
from vfa.domain.schemes import Scheme
from vfa.domain.scoring import score
from vfa.errors import InvalidInputError

TOTAL = "(total)"
POOLED = "(pooled)"


@dataclass(frozen=True)
class Correlation:
    """A coder's Pearson r against the reference coder, with its 95% CI."""

    coder: str
    value: float | None
    ci: Interval | None


@dataclass(frozen=True)
class ItemAgreement:
    """Agreement on one item (or the total, or the pooled units)."""

    item: str
    n_units: int
    n_coders: int
    estimates: tuple[Estimate, ...]
    correlations: tuple[Correlation, ...] | None = None  # None: no reference coder

    def get(self, key: str) -> Estimate:
        """The estimate of one statistic (undefined when it was not computed)."""
        for estimate in self.estimates:
            if estimate.key == key:
                return estimate
        return Estimate(key, None)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: every statistic, its ``KEY_ci``, Pearson r and the labels."""
        out: dict[str, Any] = {"n_units": self.n_units}
        for e in self.estimates:
            out[e.key] = e.value
            if e.has_ci:
                out[f"{e.key}_ci"] = list(e.ci) if e.ci is not None else None
        found = self.correlations
        out["pearson_r"] = {c.coder: c.value for c in found} if found is not None else None
        out["pearson_r_ci"] = (
            {c.coder: list(c.ci) if c.ci is not None else None for c in found}
            if found is not None
            else None
        )
        out["landis_koch"] = {e.key: e.label for e in self.estimates if e.labelled}
        return out


@dataclass(frozen=True)
class RatingsAgreement:
    """Agreement on a ratings table: per item, the scheme's total, the pooled units."""

    coders: tuple[str, ...]
    items: tuple[ItemAgreement, ...]
    pooled: ItemAgreement
    total: ItemAgreement | None = None  # None without a scheme with rating items
    reference: str | None = None

    @property
    def n_coders(self) -> int:
        return len(self.coders)

    def rows(self) -> tuple[ItemAgreement, ...]:
        """The items, then the total (when there is one) and the pooled units."""
        return (*self.items, *((self.total,) if self.total is not None else ()), self.pooled)

    def item(self, item: str) -> ItemAgreement:
        """One item's agreement (KeyError for an item not in the table)."""
        for found in self.items:
            if found.item == item:
                return found
        raise KeyError(item)

    def as_dict(self) -> dict[str, Any]:
        """``{"coders", "items": {ITEM: STATS}, "total": STATS | None, "pooled": STATS}``."""
        return {
            "coders": list(self.coders),
            "items": {i.item: i.as_dict() for i in self.items},
            "total": self.total.as_dict() if self.total is not None else None,
            "pooled": self.pooled.as_dict(),
        }


def item_agreement(
    matrix: Matrix | FloatArray,
    categories: Sequence[float] | None = None,
    reference_index: int | None = None,
    coder_names: Sequence[str] | None = None,
    item: str = "",
    bootstrap: bool = True,
) -> ItemAgreement:
    """Every registered statistic of one units × coders matrix (None or NaN: not rated)."""
    x = as_matrix(matrix)
    ratings = Ratings(x, categories, reference_index, coder_names, bootstrap)
    n_coders = x.shape[1]
    estimates = []
    for statistic in statistics():
        value, ci = statistic.compute(ratings)
        estimates.append(
            Estimate(
                statistic.key,
                value,
                ci if statistic.has_ci else None,
                landis_koch(value) if statistic.landis_koch else None,
                statistic.has_ci,
                statistic.landis_koch,
            )
        )
    found = ratings.standard
    correlations = None
    if found.pearson_r is not None:
        intervals = found.pearson_r_ci or {}
        correlations = tuple(
            Correlation(coder, r, intervals.get(coder)) for coder, r in found.pearson_r.items()
        )
    return ItemAgreement(item, found.n_units, n_coders, tuple(estimates), correlations)


def grid_scale_maxima(scheme: Scheme) -> dict[str, int]:
    """Each grid scale's id and its largest total (points per row × rows)."""
    return {
        scale.id: grid.points_per_row * len(grid.rows)
        for grid in scheme.grids
        for member in grid.members
        for scale in member.scales
    }


def scale_values(scheme: Scheme | None, item_id: str) -> list[float] | None:
    """The values an item or grid scale can take (None without a scheme, or for an item
    the scheme lacks)."""
    if scheme is None:
        return None
    grids = grid_scale_maxima(scheme)
    if item_id in grids:
        return [float(v) for v in range(grids[item_id] + 1)]
    for item in scheme.ratings.items if scheme.ratings else ():
        if item.id == item_id:
            return [float(v) for v in range(item.scale_min, item.scale_max + 1)]
    return None


def table_agreement(
    table: RatingsTable,
    scheme: Scheme | None = None,
    reference: str | None = None,
    source: str = "ratings",
) -> RatingsAgreement:
    """Agreement per item, on the scheme's total and over the pooled (unit, item) units.

    The total is the scheme's score per unit and coder (``vfa.domain.scoring.score``: e.g.
    the KIPS mean without NOB), None without a scheme or when it has no rating items.
    ``reference`` names the coder the others are correlated with (Pearson r); one not in
    the table is refused naming ``source``.
    """
    coders = table.coders
    if reference is not None and reference not in coders:
        known = ", ".join(coders) or "none"
        raise InvalidInputError(
            f"{source}: reference coder {reference!r} not found (coders: {known})"
        )
    ref = coders.index(reference) if reference is not None else None

    def agreement(item: str, matrix: FloatArray, scale: list[float] | None) -> ItemAgreement:
        return item_agreement(matrix, scale, ref, coders, item)

    matrices = table.matrices()
    items = tuple(
        agreement(item, matrices[item], scale_values(scheme, item)) for item in table.items
    )
    pooled_rows = (
        np.vstack([matrices[item] for item in table.items])
        if table.items
        else np.zeros((0, len(coders)))
    )
    pooled_scale = None
    if scheme is not None and scheme.ratings is not None and not grid_scale_maxima(scheme):
        pooled_scale = sorted({v for i in table.items for v in scale_values(scheme, i) or []})
    total = None
    if scheme is not None and scheme.ratings is not None:
        unit_at = {u: n for n, u in enumerate(table.units)}
        coder_at = {c: n for n, c in enumerate(coders)}
        totals = np.full((len(table.units), len(coders)), np.nan)
        for (unit, coder), ratings in table.raw.items():
            value = score(scheme, ratings).total
            if value is not None:
                totals[unit_at[unit], coder_at[coder]] = value
        total = agreement(TOTAL, totals, None)
    return RatingsAgreement(
        tuple(coders),
        items,
        agreement(POOLED, pooled_rows, pooled_scale),
        total,
        reference,
    )
