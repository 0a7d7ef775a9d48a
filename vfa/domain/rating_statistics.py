"""The registry of ratings statistics: one entry a statistic, read by every view.

An entry names its key (the JSON key and the CSV ``statistic`` cell), its title (the
report's column heading), its column label (the window and the CLI text), its methods
text (a sentence of the report's Methods section; entries that share a sentence give the
same one, and it is written once), whether it has a 95% CI, whether the Landis & Koch
label applies, which numbers of coders it is defined for, where it is shown, and its
computation: a function of a ``Ratings`` (one item's units × coders matrix) giving an
``Estimate``. Adding a statistic is one ``register`` call with its computation; the
result types (``vfa.domain.ratings_agreement``), the JSON, the CLI text, the window, the
PDF, the CSV and the certification criteria (``pair_statistics``) all list the registry.
Pearson r against the reference (``PEARSON_R``) is described the same way but not
registered: it is one value per coder, a field of its own in every result.

The built-in statistics share their work (the contingency table, the rating patterns,
one bootstrap for Fleiss' kappa and the alphas): their computations read one
``rating_stats`` per matrix (``Ratings.standard``, made once, on first use).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

from vfa.domain.agreement import FloatArray, Interval, RatingStats, rating_stats

Coders = Literal["any", "two", "more"]
View = Literal["cli", "window", "report"]
VIEWS: frozenset[View] = frozenset({"cli", "window", "report"})
Table = Literal["agreement", "correlation"]  # the report's two ratings tables


@dataclass(frozen=True)
class Estimate:
    """A statistic's value (None: undefined), its 95% CI and its Landis & Koch label."""

    key: str
    value: float | None
    ci: Interval | None = None
    label: str | None = None
    has_ci: bool = True  # whether the statistic has a CI at all (JSON ``KEY_ci``)
    labelled: bool = False  # whether the Landis & Koch label applies (JSON ``landis_koch``)


@dataclass
class Ratings:
    """One item's ratings as every computation takes them: units × coders (NaN: not
    rated), the scale's values, the reference coder's column, the coders' names."""

    matrix: FloatArray
    categories: Sequence[float] | None = None
    reference_index: int | None = None
    coder_names: Sequence[str] | None = None
    bootstrap: bool = True

    @cached_property
    def standard(self) -> RatingStats:
        """The built-in statistics, computed together once."""
        return rating_stats(
            self.matrix, self.categories, self.reference_index, self.coder_names, self.bootstrap
        )


@dataclass(frozen=True)
class Statistic:
    """One ratings statistic and everything a view needs to show it."""

    key: str
    title: str
    column: str
    methods: str
    compute: Callable[[Ratings], tuple[float | None, Interval | None]] = field(
        repr=False, compare=False
    )
    has_ci: bool = True
    landis_koch: bool = False
    coders: Coders = "any"
    views: frozenset[View] = VIEWS
    table: Table = "correlation"
    width: float = 30.0  # mm, the report's column

    def applies(self, n_coders: int) -> bool:
        """Whether the statistic is defined (and reported) for this many coders."""
        if self.coders == "two":
            return n_coders <= 2
        if self.coders == "more":
            return n_coders > 2
        return True


_REGISTRY: dict[str, Statistic] = {}


def register(statistic: Statistic) -> None:
    """Add a statistic after the others; a key already used is refused."""
    if statistic.key in _REGISTRY or statistic.key in ("n_units", "pearson_r", "landis_koch"):
        raise ValueError(f"statistic {statistic.key!r} is already registered")
    _REGISTRY[statistic.key] = statistic


def unregister(key: str) -> None:
    """Remove a statistic (tests that register one take it away again)."""
    del _REGISTRY[key]


def statistics(view: View | None = None) -> tuple[Statistic, ...]:
    """The registered statistics in order; only those a view shows when one is named."""
    return tuple(s for s in _REGISTRY.values() if view is None or view in s.views)


def pair_statistics() -> tuple[Statistic, ...]:
    """What a coder can be compared with a reference coder by (a certification
    criterion): every registered statistic defined for two coders, then Pearson r."""
    return (*(s for s in statistics() if s.applies(2)), PEARSON_R)


def _standard(key: str) -> Callable[[Ratings], tuple[float | None, Interval | None]]:
    def compute(ratings: Ratings) -> tuple[float | None, Interval | None]:
        found = ratings.standard
        return getattr(found, key), found.ci.get(key)

    compute.__qualname__ = f"standard:{key}"
    return compute


AGREEMENT = (
    "Exact agreement and within-one agreement: per unit, the share of coder pairs whose "
    "ratings are equal, or differ by at most one scale point, averaged over the units."
)
COHEN = (
    "Cohen's kappa (two coders): unweighted, and weighted with linear weights "
    "(1 - |i - j| / range) and quadratic weights (1 - (i - j)^2 / range^2) over the "
    "scale's values (Cohen 1968). 95% CI: kappa +/- 1.96 SE, with the large-sample SE of "
    "Fleiss, Cohen & Everitt (1969), clipped to [-1, 1]."
)
FLEISS = (
    "Fleiss' kappa (more than two coders; Fleiss 1971). 95% CI: percentile bootstrap over units."
)
ICC = (
    "Intraclass correlations on the units every coder rated, from the two-way ANOVA mean "
    "squares (Shrout & Fleiss 1979; McGraw & Wong 1996): ICC(1,1) one-way random effects, "
    "single rater; ICC(2,1) two-way random effects, absolute agreement, single rater "
    "(ICC(A,1)); ICC(3,1) two-way mixed effects, consistency, single rater (ICC(C,1)). "
    "95% CIs: exact F bounds for ICC(1,1) and ICC(3,1); McGraw & Wong's Satterthwaite "
    "approximation for ICC(2,1)."
)
ALPHA = (
    "Krippendorff's alpha at the nominal, ordinal and interval levels (krippendorff "
    "package); it uses every rating, missing values allowed. 95% CI: percentile bootstrap "
    "over units."
)


PEARSON = (
    "Pearson r of each coder against the reference coder on the units both rated (at "
    "least three); 95% CI from Fisher's z."
)


def _against_reference(ratings: Ratings) -> tuple[float | None, Interval | None]:
    """The r of the first coder but the reference against the reference."""
    found = ratings.standard
    if not found.pearson_r:
        return None, None
    coder, r = next(iter(found.pearson_r.items()))
    return r, (found.pearson_r_ci or {}).get(coder)


# Pearson r is one value per coder against the reference: the reports show it in a
# field of its own (``pearson_r``), so it is described here but not registered
PEARSON_R = Statistic(
    "pearson_r",
    "Pearson r against the reference",
    "r vs reference",
    PEARSON,
    _against_reference,
    coders="two",
    views=frozenset(),
)


def _builtin(key: str, title: str, column: str, methods: str, **options: object) -> None:
    """Register one of the statistics ``rating_stats`` computes."""
    kappa = "kappa" in key
    options.setdefault("width", 34.0 if kappa else 30.0)
    register(
        Statistic(
            key,
            title,
            column,
            methods,
            _standard(key),
            landis_koch=kappa,
            **options,  # type: ignore[arg-type]
        )
    )


_NOT_CLI: frozenset[View] = frozenset({"window", "report"})
_REPORT: frozenset[View] = frozenset({"report"})
_FIRST: dict[str, object] = {"has_ci": False, "table": "agreement", "width": 22.0}
_builtin("exact_agreement", "Exact agreement", "Exact", AGREEMENT, **_FIRST)
_builtin("within_one_agreement", "Within-one agreement", "±1", AGREEMENT, **_FIRST)
_KAPPA: dict[str, object] = {"coders": "two", "table": "agreement"}
_builtin("cohen_kappa", "Cohen's kappa (unweighted)", "κ", COHEN, views=_NOT_CLI, **_KAPPA)
_builtin(
    "kappa_linear", "Weighted kappa, linear weights", "κ linear", COHEN, views=_NOT_CLI, **_KAPPA
)
_builtin("kappa_quadratic", "Weighted kappa, quadratic weights", "κ quadratic", COHEN, **_KAPPA)
_builtin(
    "fleiss_kappa",
    "Fleiss' kappa",
    "Fleiss κ",
    FLEISS,
    coders="more",
    table="agreement",
    views=_NOT_CLI,
)
_builtin("icc_1_1", "ICC(1,1)", "ICC(1,1)", ICC, views=_REPORT)
_builtin("icc_2_1", "ICC(2,1)", "ICC(2,1)", ICC)
_builtin("icc_3_1", "ICC(3,1)", "ICC(3,1)", ICC, views=_NOT_CLI)
_builtin("alpha_nominal", "Krippendorff's alpha (nominal)", "α nominal", ALPHA, views=_REPORT)
_builtin("alpha_ordinal", "Krippendorff's alpha (ordinal)", "α ordinal", ALPHA, views=_NOT_CLI)
_builtin("alpha_interval", "Krippendorff's alpha (interval)", "α interval", ALPHA, views=_REPORT)
