"""Agreement on ratings as typed results (vfa.domain.ratings_agreement) and the registry
of statistics they list (vfa.domain.rating_statistics): small tables whose statistics
are worked out by hand from the definitions, and the JSON every view reads."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest

from tests.unit.scheme_files import shipped, summed
from vfa.domain.agreement import MAX_CATEGORIES, as_matrix, rating_stats
from vfa.domain.rating_statistics import (
    PEARSON_R,
    Estimate,
    Ratings,
    Statistic,
    pair_statistics,
    register,
    statistics,
    unregister,
)
from vfa.domain.ratings_agreement import (
    POOLED,
    TOTAL,
    Correlation,
    ItemAgreement,
    RatingsAgreement,
    grid_scale_maxima,
    item_agreement,
    scale_values,
    table_agreement,
)
from vfa.domain.ratings_table import RatingsTable, TableBuilder
from vfa.errors import InvalidInputError

NAN = float("nan")
# two coders on four units, scale 0–1: equal on 3 of 4 units; the marginals are 1/2, 1/2
# and 1/4, 3/4, so chance agreement is 1/2·1/4 + 1/2·3/4 = 1/2 and kappa = (3/4 − 1/2) /
# (1 − 1/2) = 1/2; on a two-point scale linear and quadratic weights are kappa's own
TWO = [[0, 0], [0, 1], [1, 1], [1, 1]]


def constant(value: float | None, ci: tuple[float, float] | None = None):
    return lambda _ratings: (value, ci)


@pytest.fixture
def extra() -> Iterator[Statistic]:
    """A statistic registered for the test (shown in the window only) and taken away."""
    statistic = Statistic(
        "extra", "Extra", "X", "Methods.", constant(0.25, (0.0, 0.5)), views=frozenset({"window"})
    )
    register(statistic)
    yield statistic
    unregister("extra")


# -- the registry ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("coders", "n", "applies"),
    [
        ("two", 1, True),
        ("two", 2, True),
        ("two", 3, False),
        ("more", 2, False),
        ("more", 3, True),
        ("any", 2, True),
        ("any", 9, True),
    ],
)
def test_a_statistic_applies_to_two_coders_or_to_more(coders, n, applies):
    statistic = Statistic("k", "K", "K", "", constant(None), coders=coders)
    assert statistic.applies(n) is applies


def test_a_registered_statistic_comes_last_and_in_the_views_it_names(extra):
    assert statistics()[-1] is extra
    assert statistics("window")[-1] is extra
    assert extra not in statistics("cli") and extra not in statistics("report")
    assert pair_statistics()[-2:] == (extra, PEARSON_R)


@pytest.mark.parametrize("key", ["extra", "exact_agreement", "n_units", "pearson_r", "landis_koch"])
def test_a_key_already_used_or_reserved_by_the_json_is_refused(extra, key):
    before = statistics()
    with pytest.raises(ValueError, match=f"statistic '{key}' is already registered"):
        register(Statistic(key, "T", "C", "", constant(1.0)))
    assert statistics() == before


def test_unregister_takes_it_away():
    register(Statistic("gone", "Gone", "G", "", constant(1.0)))
    unregister("gone")
    assert "gone" not in {s.key for s in statistics()}
    with pytest.raises(KeyError):
        unregister("gone")


def test_each_view_shows_the_statistics_that_name_it_and_every_one_is_in_some_view():
    every = statistics()
    for view in ("cli", "window", "report"):
        assert statistics(view) == tuple(s for s in every if view in s.views)
    assert all(s.views for s in every)
    assert len({s.key for s in every}) == len(every)
    assert len({s.column for s in every}) == len(every)  # told apart in every table


def test_the_pair_statistics_are_those_defined_for_two_coders_then_pearson_r():
    found = pair_statistics()
    assert found[-1] is PEARSON_R and PEARSON_R not in statistics()
    assert found[:-1] == tuple(s for s in statistics() if s.coders != "more")
    assert "fleiss_kappa" not in {s.key for s in found}
    assert {"cohen_kappa", "kappa_linear", "kappa_quadratic"} <= {s.key for s in found}


def test_only_the_kappas_carry_a_landis_koch_label_and_only_agreement_shares_lack_a_ci():
    for s in statistics():
        assert s.landis_koch is ("kappa" in s.key), s.key
        assert s.has_ci is not s.key.endswith("_agreement"), s.key
        assert (s.table == "agreement") is (s.landis_koch or not s.has_ci), s.key


def test_a_builtin_statistic_reads_the_shared_computation_once():
    ratings = Ratings(as_matrix(TWO), [0, 1])
    found = {s.key: s.compute(ratings) for s in statistics()}
    standard = ratings.standard
    assert ratings.standard is standard  # made once
    for key, (value, ci) in found.items():
        assert value == getattr(standard, key), key
        assert ci == standard.ci.get(key), key


def test_pearson_r_against_the_reference_is_the_first_other_coders():
    x = [[1, 2, 5], [2, 4, 3], [3, 6, 1], [4, 8, 2]]  # coder 1 = 2 × coder 0
    ratings = Ratings(as_matrix(x), reference_index=0, coder_names=["R", "A", "B"])
    value, ci = PEARSON_R.compute(ratings)
    assert value == pytest.approx(1.0)
    assert ci == ratings.standard.pearson_r_ci["A"]
    assert PEARSON_R.compute(Ratings(as_matrix(x))) == (None, None)  # no reference
    assert PEARSON_R.applies(2) and not PEARSON_R.applies(3)


# -- one item ---------------------------------------------------------------------------------


def test_two_coders_agreement_worked_out_by_hand():
    found = item_agreement(TWO, [0, 1], item="x", bootstrap=False)
    assert (found.item, found.n_units, found.n_coders) == ("x", 4, 2)
    assert found.get("exact_agreement").value == pytest.approx(0.75)
    assert found.get("within_one_agreement").value == pytest.approx(1.0)
    for key in ("cohen_kappa", "kappa_linear", "kappa_quadratic"):
        estimate = found.get(key)
        assert estimate.value == pytest.approx(0.5), key
        assert estimate.label == "moderate" and estimate.labelled, key
        lo, hi = estimate.ci
        assert -1 <= lo < 0.5 < hi <= 1, key
    assert found.get("fleiss_kappa").value is None  # more than two coders only
    assert found.get("fleiss_kappa").label is None and found.get("fleiss_kappa").labelled
    assert found.correlations is None  # no reference coder


def test_every_registered_statistic_is_reported_with_what_its_entry_says(extra):
    found = item_agreement(TWO, [0, 1], bootstrap=False)
    assert [e.key for e in found.estimates] == [s.key for s in statistics()]
    for statistic, estimate in zip(statistics(), found.estimates, strict=True):
        assert estimate.has_ci is statistic.has_ci
        assert estimate.labelled is statistic.landis_koch
        if not statistic.has_ci:
            assert estimate.ci is None
        if not statistic.landis_koch:
            assert estimate.label is None
    assert found.get("extra") == Estimate("extra", 0.25, (0.0, 0.5), None, True, False)


def test_a_statistic_without_a_ci_drops_one_its_computation_gives():
    register(Statistic("noci", "N", "N", "", constant(0.9, (0.1, 0.2)), has_ci=False))
    try:
        estimate = item_agreement(TWO, [0, 1], bootstrap=False).get("noci")
    finally:
        unregister("noci")
    assert (estimate.value, estimate.ci, estimate.has_ci) == (0.9, None, False)
    assert "noci_ci" not in ItemAgreement("i", 1, 2, (estimate,)).as_dict()


def test_a_labelled_statistic_is_labelled_by_its_value():
    register(Statistic("lab", "L", "L", "", constant(0.85), landis_koch=True))
    try:
        estimate = item_agreement(TWO, [0, 1], bootstrap=False).get("lab")
    finally:
        unregister("lab")
    assert (estimate.label, estimate.labelled) == ("almost perfect", True)


def test_units_rated_by_fewer_than_two_coders_are_not_counted():
    x = [[1, 1], [2, None], [None, 3], [2, 2], [None, None]]
    found = item_agreement(x, [1, 2, 3], bootstrap=False)
    assert found.n_units == 2 and found.n_coders == 2
    assert found.get("exact_agreement").value == pytest.approx(1.0)


def test_correlations_name_each_other_coder_against_the_reference_in_their_order():
    x = [[1, 3, 4], [2, 5, 3], [3, 7, 2], [5, 11, 0]]  # B = 2A + 1, C = 5 − A
    found = item_agreement(x, None, reference_index=0, coder_names=["A", "B", "C"])
    assert [c.coder for c in found.correlations] == ["B", "C"]
    assert found.correlations[0].value == pytest.approx(1.0)
    assert found.correlations[1].value == pytest.approx(-1.0)
    expected = rating_stats(x, None, 0, ["A", "B", "C"]).pearson_r_ci
    assert {c.coder: c.ci for c in found.correlations} == expected


def test_pearson_r_needs_three_units_rated_by_both():
    x = [[1, 2], [2, 3], [3, None]]
    found = item_agreement(x, None, reference_index=1, coder_names=["A", "B"])
    assert found.correlations == (Correlation("A", None, None),)


# -- the JSON ---------------------------------------------------------------------------------


def test_the_json_of_an_item_has_each_statistic_its_ci_where_it_has_one_and_the_labels():
    estimates = (
        Estimate("share", 0.5, None, None, has_ci=False),
        Estimate("k", 0.3, (0.1, 0.5), "fair", True, True),
        Estimate("k2", None, None, None, True, True),
        Estimate("icc", 0.7, None, None, True, False),
    )
    correlations = (Correlation("B", 0.9, (0.5, 0.99)), Correlation("C", None, None))
    assert ItemAgreement("i", 7, 3, estimates, correlations).as_dict() == {
        "n_units": 7,
        "share": 0.5,
        "k": 0.3,
        "k_ci": [0.1, 0.5],
        "k2": None,
        "k2_ci": None,
        "icc": 0.7,
        "icc_ci": None,
        "pearson_r": {"B": 0.9, "C": None},
        "pearson_r_ci": {"B": [0.5, 0.99], "C": None},
        "landis_koch": {"k": "fair", "k2": None},
    }
    bare = ItemAgreement("i", 0, 2, ()).as_dict()
    assert bare == {"n_units": 0, "pearson_r": None, "pearson_r_ci": None, "landis_koch": {}}


def test_an_estimate_not_computed_is_undefined():
    found = ItemAgreement("i", 3, 2, (Estimate("a", 0.1), Estimate("b", 0.2)))
    assert found.get("b") == Estimate("b", 0.2)
    assert found.get("zzz") == Estimate("zzz", None)


def test_a_table_agreement_lists_items_then_the_total_then_the_pooled_units():
    a, b = ItemAgreement("a", 1, 2, ()), ItemAgreement("b", 1, 2, ())
    total, pooled = ItemAgreement(TOTAL, 1, 2, ()), ItemAgreement(POOLED, 2, 2, ())
    found = RatingsAgreement(("Ann", "Ben"), (a, b), pooled, total, "Ann")
    assert found.rows() == (a, b, total, pooled)
    assert RatingsAgreement(("Ann", "Ben"), (a, b), pooled).rows() == (a, b, pooled)
    assert found.n_coders == 2 and found.item("b") is b
    with pytest.raises(KeyError):
        found.item(TOTAL)  # (the total is not an item)
    assert found.as_dict() == {
        "coders": ["Ann", "Ben"],
        "items": {"a": a.as_dict(), "b": b.as_dict()},
        "total": total.as_dict(),
        "pooled": pooled.as_dict(),
    }
    assert RatingsAgreement(("Ann",), (), pooled).as_dict()["total"] is None


# -- scales -----------------------------------------------------------------------------------


def test_a_grid_scale_runs_from_zero_to_its_points_per_row_times_its_rows():
    scheme = shipped("care_index_infant.yaml")
    maxima = grid_scale_maxima(scheme)
    expected = {
        scale.id: grid.points_per_row * len(grid.rows)
        for grid in scheme.grids
        for member in grid.members
        for scale in member.scales
    }
    assert maxima == expected and maxima  # every scale of every member
    some = next(iter(maxima))
    assert scale_values(scheme, some) == [float(v) for v in range(maxima[some] + 1)]
    assert grid_scale_maxima(summed()) == {}


def test_an_items_scale_runs_from_its_minimum_to_its_maximum():
    assert scale_values(summed(), "x") == [0.0, 1.0, 2.0, 3.0]
    assert scale_values(shipped("kips.yaml"), "sensitivity_of_responses") == [
        1.0,
        2.0,
        3.0,
        4.0,
        5.0,
    ]
    assert scale_values(summed(), "nope") is None
    assert scale_values(None, "x") is None


# -- a whole table ----------------------------------------------------------------------------


def table_of(rows: list[tuple[str, str, str, float | str]]) -> RatingsTable:
    """A table as the services build it: NaN and the raw value for a special code."""
    build = TableBuilder()
    for unit, coder, item, value in rows:
        number = float("nan") if isinstance(value, str) else float(value)
        build.add(*build.name(unit, coder, item), number)
        raw = value if isinstance(value, str) else int(value)
        build.raw.setdefault((unit, coder), {})[item] = raw
    return build.table()


# two coders, three units, items x y z of the summed scheme (0–3; NA counts 0, NOB not)
ROWS: list[tuple[str, str, str, float | str]] = [
    ("u1", "Ann", "x", 1),
    ("u1", "Ben", "x", 1),
    ("u2", "Ann", "x", 3),
    ("u2", "Ben", "x", 2),
    ("u1", "Ann", "y", 0),
    ("u1", "Ben", "y", "NA"),
    ("u3", "Ann", "y", 2),
    ("u3", "Ben", "y", 2),
    ("u1", "Ann", "z", 3),
    ("u1", "Ben", "z", 3),
    ("u2", "Ann", "z", 0),
    ("u2", "Ben", "z", "NOB"),
]


def test_per_item_the_units_both_rated_and_pooled_every_item_and_unit():
    found = table_agreement(table_of(ROWS), summed())
    assert found.coders == ("Ann", "Ben") and [i.item for i in found.items] == ["x", "y", "z"]
    x, y, z = found.items
    assert (x.n_units, y.n_units, z.n_units) == (2, 1, 1)  # a special code is not a value
    assert x.get("exact_agreement").value == pytest.approx(0.5)
    assert x.get("within_one_agreement").value == pytest.approx(1.0)
    assert found.pooled.item == POOLED and found.pooled.n_units == 4
    # pooled: (1,1) (3,2) (2,2) (3,3): three of four equal
    assert found.pooled.get("exact_agreement").value == pytest.approx(0.75)


def test_the_total_is_the_schemes_score_of_each_unit_and_coder():
    found = table_agreement(table_of(ROWS), summed())
    assert found.total is not None and found.total.item == TOTAL
    # sums: u1 Ann 1+0+3=4, Ben 1+0(NA)+3=4; u2 Ann 3+0=3, Ben 2 (NOB left out);
    # u3 Ann 2, Ben 2: equal on u1 and u3 of the three units
    assert found.total.n_units == 3
    assert found.total.get("exact_agreement").value == pytest.approx(2 / 3)
    assert found.total.get("within_one_agreement").value == pytest.approx(1.0)


def test_values_on_the_scale_that_nobody_used_leave_kappa_as_it_is():
    # x alone, both coders on 0 and 1 only: kappa over the scale's 0–3 is kappa over 0–1
    rows: list[tuple[str, str, str, float | str]] = [
        (f"u{n}", c, "x", v) for n, (a, b) in enumerate(TWO) for c, v in (("Ann", a), ("Ben", b))
    ]
    found = table_agreement(table_of(rows), summed())
    assert found.pooled.get("cohen_kappa").value == pytest.approx(0.5)
    assert found.items[0].get("cohen_kappa").value == pytest.approx(0.5)


def test_without_a_scheme_there_is_no_total_and_no_scale():
    found = table_agreement(table_of(ROWS))
    assert found.total is None
    assert [r.item for r in found.rows()] == ["x", "y", "z", POOLED]


def test_a_reference_coder_is_correlated_with_each_other_one():
    rows = [(f"u{n}", c, "x", v) for n in range(4) for c, v in (("Ann", n), ("Ben", 3 - n))]
    found = table_agreement(table_of(rows), summed(), reference="Ben")
    assert found.reference == "Ben"
    assert [c.coder for c in found.items[0].correlations] == ["Ann"]
    assert found.items[0].correlations[0].value == pytest.approx(-1.0)
    assert table_agreement(table_of(rows), summed()).items[0].correlations is None


def test_a_reference_coder_not_in_the_table_is_refused_naming_the_source_and_the_coders():
    with pytest.raises(InvalidInputError) as raised:
        table_agreement(table_of(ROWS), summed(), reference="Cat", source="r.csv")
    assert str(raised.value) == "r.csv: reference coder 'Cat' not found (coders: Ann, Ben)"
    with pytest.raises(InvalidInputError, match=r"^ratings: .*\(coders: none\)$"):
        table_agreement(RatingsTable([], [], [], {}), reference="Cat")


def test_an_empty_table_has_an_empty_pooled_row():
    found = table_agreement(RatingsTable(["Ann", "Ben"], [], [], {}), summed())
    assert found.items == () and found.pooled.n_units == 0
    assert found.total is not None and found.total.n_units == 0
    assert all(e.value is None for e in found.pooled.estimates)


def test_a_grid_scheme_pools_without_one_scale():
    scheme = shipped("care_index_infant.yaml")
    scale = next(iter(grid_scale_maxima(scheme)))
    rows = [(f"u{n}", c, scale, v) for n in range(3) for c, v in (("Ann", n), ("Ben", n))]
    found = table_agreement(table_of(rows), scheme)
    assert found.pooled.get("exact_agreement").value == pytest.approx(1.0)
    assert found.total is None  # (a grid scheme without rating items has no total)
    assert found.items[0].n_units == 3


# -- defaults, the bootstrap and scales too long for a kappa ----------------------------------

THREE = [[1, 1, 2], [2, 2, 2], [3, 3, 1], [1, 2, 1], [2, 2, 3], [3, 1, 3]]


def test_an_item_is_unnamed_and_bootstrapped_unless_told():
    found = item_agreement(THREE, [1, 2, 3])
    assert found.item == ""
    for key in ("fleiss_kappa", "alpha_nominal", "alpha_ordinal", "alpha_interval"):
        assert found.get(key).value is not None, key
        assert found.get(key).ci is not None, key  # percentile bootstrap over units


def test_without_the_bootstrap_the_bootstrapped_statistics_have_no_interval():
    found = item_agreement(THREE, [1, 2, 3], bootstrap=False)
    for key in ("fleiss_kappa", "alpha_nominal", "alpha_ordinal", "alpha_interval"):
        assert found.get(key).value is not None, key
        assert found.get(key).ci is None, key
    assert found.get("icc_2_1").ci is not None  # (an exact interval, not bootstrapped)
    assert rating_stats(THREE, [1, 2, 3], bootstrap=False).ci.get("fleiss_kappa") is None


def test_a_scale_of_more_values_than_a_kappa_table_takes_has_no_kappas():
    # the values are the scale's (used or not): over MAX_CATEGORIES, the data is continuous
    long_scale = list(range(MAX_CATEGORIES + 1))
    assert item_agreement(TWO, long_scale, bootstrap=False).get("cohen_kappa").value is None
    assert item_agreement(TWO, long_scale[:MAX_CATEGORIES], bootstrap=False).get(
        "cohen_kappa"
    ).value == pytest.approx(0.5)


def test_each_items_scale_and_the_pooled_scale_come_from_the_scheme():
    scheme = summed()
    ratings = scheme.ratings
    assert ratings is not None
    long = replace(ratings.items[0], scale_max=MAX_CATEGORIES)  # x: 0 to MAX_CATEGORIES
    wide = replace(scheme, ratings=replace(ratings, items=(long, *ratings.items[1:])))
    rows: list[tuple[str, str, str, float | str]] = [
        (f"u{n}", c, item, v)
        for item in ("x", "y")
        for n, (a, b) in enumerate(TWO)
        for c, v in (("Ann", a), ("Ben", b))
    ]
    found = table_agreement(table_of(rows), wide)
    x, y = found.items
    assert x.get("cohen_kappa").value is None  # x's scale is too long for a kappa
    assert y.get("cohen_kappa").value == pytest.approx(0.5)  # y's is 0–3
    assert found.pooled.get("cohen_kappa").value is None  # the pooled scale holds x's
    assert table_agreement(table_of(rows), summed()).pooled.get(
        "cohen_kappa"
    ).value == pytest.approx(0.5)


def test_a_scheme_without_rating_items_gives_no_scale_for_a_name_it_lacks():
    assert scale_values(shipped("care_index_infant.yaml"), "nope") is None


def test_an_item_not_in_the_table_is_named_by_the_key_error():
    found = RatingsAgreement(("Ann",), (), ItemAgreement(POOLED, 0, 1, ()))
    with pytest.raises(KeyError) as raised:
        found.item("sensitivity")
    assert raised.value.args == ("sensitivity",)


def test_a_labelled_statistic_asks_the_report_for_a_wider_column():
    # its cell holds the Landis & Koch label under the value ("almost perfect")
    labelled = [s.width for s in statistics() if s.landis_koch and s.has_ci]
    plain = [s.width for s in statistics() if not s.landis_koch and s.has_ci]
    assert labelled and plain and min(labelled) > max(plain)
