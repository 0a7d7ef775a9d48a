"""Score and band edges, each at the edge and one rating point (or one band step) either
side, from the published structure: KIPS is the mean of items rated 1–5 with NOB left out,
bands 1.0–2.9 low, 3.0–3.9 moderate, 4.0–5.0 high (a band runs up to the next band's min);
the CARE-Index Sensitivity total is 0–14 with bands 0–4 at risk, 5–6 inept, 7–10 adequate,
11–14 sensitive (/work/shared/domain/instruments.md, coding_schemes/*.yaml)."""

from __future__ import annotations

import pytest

from tests.unit.scheme_files import summed
from vfa.domain.schemes import parse_scheme
from vfa.domain.scoring import band_for, check_rating, score
from vfa.errors import InvalidInputError, SchemeError


def twelve(kips, total: int):
    """Twelve KIPS ratings adding up to ``total`` (12–60): as many 5s as fit, then the
    rest, then 1s; so one rating point more or less moves the total by exactly one."""
    values, left = [], total
    for n in range(12):
        rest = 11 - n  # items still to rate after this one, each at least 1
        value = min(5, left - rest)
        values.append(value)
        left -= value
    assert sum(values) == total and all(1 <= v <= 5 for v in values)
    return {item.id: v for item, v in zip(kips.ratings.items, values, strict=True)}


# -- KIPS: a mean of 12 items, so one rating point is 1/12 of the mean ------------------


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (12, "low"),  # every item 1: the mean is 1.0, the lowest band's min
        (35, "low"),  # 35 / 12 = 2.917: above 2.9 but below 3.0, still low
        (36, "moderate"),  # 36 / 12 = 3.0 exactly: the moderate band's min
        (37, "moderate"),  # 3.083
        (47, "moderate"),  # 47 / 12 = 3.917: above 3.9 but below 4.0
        (48, "high"),  # 48 / 12 = 4.0 exactly
        (49, "high"),  # 4.083
        (59, "high"),  # 4.917
        (60, "high"),  # every item 5: the mean is 5.0, the last band's max is included
    ],
)
def test_kips_mean_of_twelve_items_one_point_either_side_of_each_edge(kips, total, band):
    result = score(kips, twelve(kips, total))
    assert result.total == total / 12
    assert result.band == band
    assert result.counted == 12 and result.missing == ()


@pytest.mark.parametrize(
    ("value", "band"),
    [
        (0.999, None),  # below the first band
        (1.0, "low"),
        (2.9, "low"),  # the low band's written max
        (2.95, "low"),  # between the written bands: the band below (scores are not rounded)
        (2.999, "low"),
        (3.0, "moderate"),
        (3.001, "moderate"),
        (3.9, "moderate"),
        (3.999, "moderate"),
        (4.0, "high"),
        (5.0, "high"),
        (5.001, None),  # above the last band's max
    ],
)
def test_kips_bands_at_each_written_edge(kips, value, band):
    found = band_for(kips.ratings.bands, value)
    assert (found.label if found else None) == band


def test_nob_is_left_out_of_the_mean_not_counted_as_zero(kips):
    items = [i.id for i in kips.ratings.items]
    # 3 + NOB × 11: the mean of the one rated item is 3.0 (moderate); were NOB a zero it
    # would be 3 / 12 = 0.25 and have no band at all
    result = score(kips, {items[0]: 3, **{i: "NOB" for i in items[1:]}})
    assert (result.total, result.band, result.counted, result.missing) == (3.0, "moderate", 1, ())
    # one point less on the one rated item: 2.0, low
    result = score(kips, {items[0]: 2, **{i: "NOB" for i in items[1:]}})
    assert (result.total, result.band) == (2.0, "low")


def test_a_partial_kips_coding_is_banded_on_the_items_rated_so_far(kips):
    items = [i.id for i in kips.ratings.items]
    # three items rated 4, 4, 4: 12 / 3 = 4.0, high; nine still missing
    partial = {items[0]: 4, items[1]: 4, items[2]: 4}
    result = score(kips, partial)
    assert (result.total, result.band, result.counted) == (4.0, "high", 3)
    assert result.missing == tuple(items[3:])
    # one point less: 11 / 3 = 3.667, moderate
    result = score(kips, {**partial, items[2]: 3})
    assert result.total == 11 / 3 and result.band == "moderate"


@pytest.mark.parametrize(("value", "allowed"), [(0, False), (1, True), (5, True), (6, False)])
def test_kips_scale_ends_one_point_either_side(kips, value, allowed):
    item = kips.ratings.items[0].id
    if allowed:
        check_rating(kips, item, value)
    else:
        with pytest.raises(InvalidInputError, match=rf"{item}.*{value}.*1–5 or NOB"):
            check_rating(kips, item, value)


# -- CARE-Index: the Sensitivity total of 7 aspects × 0–2 points -------------------------


ROWS = (
    "facial_expression",
    "vocal_expression",
    "position_and_body_contact",
    "expression_of_affection",
    "turn_taking_contingencies",
    "control",
    "choice_of_activity",
)


def care_grid(sensitivity_total: int, *, adult_rows: int = 7, infant_rows: int = 7):
    """Grid points whose Sensitivity adds up to the total (each aspect 2 points between
    Sensitivity and Control; the infant's 2 on Cooperativeness), for the first rows."""
    points: dict[str, dict[str, dict[str, int]]] = {}
    left = sensitivity_total
    for n, row in enumerate(ROWS):
        s = min(2, left)
        left -= s
        cells = {}
        if n < adult_rows:
            cells["adult"] = {"sensitivity": s, "control": 2 - s} if s < 2 else {"sensitivity": 2}
        if n < infant_rows:
            cells["infant"] = {"cooperativeness": 2}
        points[row] = cells
    assert left == 0 or adult_rows < 7
    return {"care_index": points}


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "at risk"),
        (4, "at risk"),
        (5, "inept"),
        (6, "inept"),
        (7, "adequate"),
        (10, "adequate"),
        (11, "sensitive"),
        (14, "sensitive"),
    ],
)
def test_care_index_sensitivity_on_both_sides_of_every_band_edge(care, total, band):
    result = score(care, {}, care_grid(total))
    assert result.grid_totals["care_index"]["sensitivity"] == total
    assert result.grid_totals["care_index"]["control"] == 14 - total
    assert result.grid_bands["care_index"] == band
    assert result.grid_missing["care_index"] == ()


def test_care_index_band_waits_for_the_adults_last_aspect_not_the_infants(care):
    # six of seven adult aspects: Sensitivity 12 so far, but a partial total has no band
    partial = care_grid(12, adult_rows=6)
    result = score(care, {}, partial)
    assert result.grid_totals["care_index"]["sensitivity"] == 12
    assert result.grid_bands["care_index"] is None
    assert result.grid_missing["care_index"] == ("choice_of_activity/adult",)
    # the adult complete and the infant's last aspect missing: Sensitivity is final
    result = score(care, {}, care_grid(12, infant_rows=6))
    assert result.grid_bands["care_index"] == "sensitive"
    assert result.grid_missing["care_index"] == ("choice_of_activity/infant",)


@pytest.mark.parametrize(("points", "ok"), [(1, False), (2, True), (3, False)])
def test_a_care_aspect_gives_exactly_two_points(care, points, ok):
    grid = care_grid(14)
    grid["care_index"]["facial_expression"]["adult"] = {"sensitivity": points}
    if ok:
        assert score(care, {}, grid).grid_totals["care_index"]["sensitivity"] == 14
    else:
        with pytest.raises(InvalidInputError, match=f"add up to {points}, not 2"):
            score(care, {}, grid)


# -- a sum: banded only when complete -----------------------------------------------------


@pytest.mark.parametrize(
    ("values", "total", "band"),
    [
        ((2, 2, 0), 4, "low"),
        ((2, 2, 1), 5, "high"),
        ((3, 3, 3), 9, "high"),
        ((0, 0, 0), 0, "low"),
    ],
)
def test_a_complete_sum_on_both_sides_of_its_band_edge(values, total, band):
    result = score(summed(), dict(zip("xyz", values, strict=True)))
    assert (result.total, result.band) == (total, band)


def test_a_partial_sum_has_its_total_but_no_band():
    result = score(summed(), {"x": 3, "y": 3})
    assert (result.total, result.band, result.missing) == (6, None, ("z",))


# -- scheme files: band gaps and ranges at the step their bands are written in -----------


def mean_scheme(bands):
    return {
        "id": "m",
        "name": "M",
        "version": "1",
        "description": "",
        "source": "test",
        "ratings": {
            "verified": False,
            "aggregate": "mean",
            "scale": {"min": 1, "max": 5},
            "bands": [
                {"label": label, "min": lo, "max": hi, "verified": False} for label, lo, hi in bands
            ],
            "items": [{"id": "x", "name": "X", "verified": False}],
        },
    }


@pytest.mark.parametrize(
    "bands",
    [
        [("low", 1.0, 2.9), ("high", 3.0, 5.0)],  # one step of 0.1 between: allowed
        [("low", 1.0, 3.0), ("high", 3.0, 5.0)],  # touching: allowed
        [("low", 1, 2), ("high", 3, 5)],  # one whole step between whole numbers
    ],
)
def test_bands_one_written_step_apart_or_touching_are_accepted(bands):
    assert len(parse_scheme(mean_scheme(bands), "m.yaml").ratings.bands) == 2


@pytest.mark.parametrize(
    ("bands", "reason"),
    [
        ([("low", 1.0, 2.8), ("high", 3.0, 5.0)], "gap between band 'low'"),  # two steps
        ([("low", 1, 2), ("high", 4, 5)], "gap between band 'low'"),
        ([("low", 1.0, 3.1), ("high", 3.0, 5.0)], "overlaps band 'low'"),  # one step over
        ([("low", 0.9, 2.9), ("high", 3.0, 5.0)], "outside the items' scale"),
        ([("low", 1.0, 2.9), ("high", 3.0, 5.1)], "outside the items' scale"),
    ],
)
def test_bands_beyond_one_step_or_outside_the_scale_are_refused_naming_the_place(bands, reason):
    with pytest.raises(SchemeError, match=rf"m\.yaml: ratings\.bands.*{reason}"):
        parse_scheme(mean_scheme(bands), "m.yaml")
