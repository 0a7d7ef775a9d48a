"""Scores by hand: KIPS means with NOB, CARE-Index grid sums and bands, sums, refusals."""

from __future__ import annotations

import pytest

from tests.unit.scheme_files import summed
from vfa.domain.schemes import Band
from vfa.domain.scoring import band_for, check_grid_row, check_rating, score
from vfa.errors import InvalidInputError


def kips_ratings(kips, values):
    """Ratings for the first len(values) KIPS items, in the published order."""
    return {item.id: v for item, v in zip(kips.ratings.items, values, strict=False)}


# -- KIPS -------------------------------------------------------------------------------


def test_kips_mean_excludes_nob(kips):
    result = score(kips, kips_ratings(kips, [1, 2, 3, 4, 5] + ["NOB"] * 7))
    # (1 + 2 + 3 + 4 + 5) / 5 = 15 / 5 = 3.0; the seven NOB are neither counted nor zero
    assert result.total == 3.0
    assert result.band == "moderate"
    assert result.counted == 5
    assert result.missing == ()


def test_all_nob_gives_no_total_and_nothing_missing(kips):
    result = score(kips, kips_ratings(kips, ["NOB"] * 12))
    assert (result.total, result.band, result.missing, result.counted) == (None, None, (), 0)


def test_nothing_rated_lists_every_item_as_missing(kips):
    result = score(kips, {})
    assert result.total is None and result.band is None
    assert result.missing == tuple(item.id for item in kips.ratings.items)


def test_a_partial_kips_coding_has_a_mean_and_band_and_lists_what_is_missing(kips):
    result = score(kips, kips_ratings(kips, [4, 4, 5]))
    # (4 + 4 + 5) / 3 = 13 / 3 = 4.333…, in the high band [4.0, 5.0]
    assert result.total == pytest.approx(13 / 3)
    assert result.band == "high"
    assert result.missing == tuple(item.id for item in kips.ratings.items[3:])  # items 4–12


@pytest.mark.parametrize(
    ("values", "mean", "band"),
    [
        # 5+5+5+5+3+3+3+2+1+1+1+1 = 35; 35 / 12 = 2.9166…: above 2.9, below 3.0 -> low
        ([5, 5, 5, 5, 3, 3, 3, 2, 1, 1, 1, 1], 35 / 12, "low"),
        # 5*8 + 2*4 = 48 - 1 (one 2 is a 1) = 47; 47 / 12 = 3.9166…: below 4.0 -> moderate
        ([5, 5, 5, 5, 5, 5, 5, 5, 2, 2, 2, 1], 47 / 12, "moderate"),
        # 4 * 12 = 48; 48 / 12 = 4.0 -> high (4.0 is the high band's min)
        ([4] * 12, 4.0, "high"),
        # 5 * 12 / 12 = 5.0 -> high (the last band includes its max)
        ([5] * 12, 5.0, "high"),
        # 1 * 12 / 12 = 1.0 -> low
        ([1] * 12, 1.0, "low"),
    ],
)
def test_kips_band_edges(kips, values, mean, band):
    result = score(kips, kips_ratings(kips, values))
    assert result.total == pytest.approx(mean)
    assert result.band == band


def test_band_edges_are_half_open_on_the_next_bands_min(kips):
    bands = kips.ratings.bands
    assert band_for(bands, 2.95).label == "low"  # between 2.9 and 3.0: [1.0, 3.0)
    assert band_for(bands, 2.9999).label == "low"
    assert band_for(bands, 3.0).label == "moderate"
    assert band_for(bands, 3.95).label == "moderate"
    assert band_for(bands, 5.0).label == "high"
    assert band_for(bands, 0.99) is None
    assert band_for(bands, 5.01) is None
    assert band_for((), 3.0) is None
    # the order bands are listed in does not matter
    assert band_for(tuple(reversed(bands)), 2.95).label == "low"


# -- a sum, and special codes that count as zero -----------------------------------------


def test_a_sum_adds_the_points_and_counts_zero_codes_as_zero():
    result = score(summed(), {"x": 3, "y": 2, "z": "NA"})
    # 3 + 2 + 0 (NA counts as zero) = 5 -> high [5, 9]; three ratings counted
    assert (result.total, result.band, result.counted) == (5.0, "high", 3)
    result = score(summed(), {"x": 3, "y": 1, "z": "NOB"})
    # 3 + 1 = 4 (NOB is left out) -> low [0, 5); two ratings counted
    assert (result.total, result.band, result.counted) == (4.0, "low", 2)


def test_a_partial_sum_has_a_total_but_no_band():
    result = score(summed(), {"x": 3, "y": 3})
    # 3 + 3 = 6 so far, but z is missing: a partial sum is not banded
    assert (result.total, result.band, result.missing) == (6.0, None, ("z",))


def test_a_mean_counts_zero_codes_in_the_denominator():
    result = score(summed("mean"), {"x": 3, "y": 3, "z": "NA"})
    # (3 + 3 + 0) / 3 = 2.0
    assert result.total == 2.0 and result.counted == 3


# -- CARE-Index grid -------------------------------------------------------------------------

ROWS = [
    "facial_expression",
    "vocal_expression",
    "position_and_body_contact",
    "expression_of_affection",
    "turn_taking_contingencies",
    "control",
    "choice_of_activity",
]


def care_points(adult: list[dict[str, int]], infant: list[dict[str, int]]):
    return {
        "care_index": {
            row: {"adult": a, "infant": i} for row, a, i in zip(ROWS, adult, infant, strict=True)
        }
    }


ADULT = [
    {"sensitivity": 2},
    {"sensitivity": 2},
    {"sensitivity": 1, "control": 1},
    {"sensitivity": 2},
    {"sensitivity": 1, "unresponsiveness": 1},
    {"control": 2},
    {"sensitivity": 2},
]
INFANT = [
    {"cooperativeness": 2},
    {"cooperativeness": 1, "passivity": 1},
    {"cooperativeness": 2},
    {"cooperativeness": 2},
    {"difficultness": 1, "cooperativeness": 1},
    {"compulsivity": 2},
    {"cooperativeness": 1, "passivity": 1},
]


def test_care_index_scale_totals_and_sensitivity_band(care):
    result = score(care, {}, care_points(ADULT, INFANT))
    totals = result.grid_totals["care_index"]
    # Sensitivity 2 + 2 + 1 + 2 + 1 + 0 + 2 = 10; Control 1 + 2 = 3; Unresponsiveness 1
    assert (totals["sensitivity"], totals["control"], totals["unresponsiveness"]) == (10, 3, 1)
    # 10 + 3 + 1 = 14 = 7 aspects × 2 points
    # Cooperativeness 2 + 1 + 2 + 2 + 1 + 0 + 1 = 9; Compulsivity 2; Difficultness 1;
    # Passivity 1 + 1 = 2; 9 + 2 + 1 + 2 = 14
    assert totals["cooperativeness"] == 9
    assert (totals["compulsivity"], totals["difficultness"], totals["passivity"]) == (2, 1, 2)
    assert result.grid_bands["care_index"] == "adequate"  # 7–10
    assert result.grid_missing["care_index"] == ()
    assert result.total is None and result.missing == ()  # no rating items in this scheme


@pytest.mark.parametrize(
    ("sensitivity_rows", "expected_total", "band"),
    [
        # 2+2+2+2+2+1+0 = 11 -> sensitive (11–14)
        ([2, 2, 2, 2, 2, 1, 0], 11, "sensitive"),
        # 2+2+2+0+0+0+0 = 6 -> inept (5–6)
        ([2, 2, 2, 0, 0, 0, 0], 6, "inept"),
        # 2+2+1+0+0+0+0 = 5 -> inept
        ([2, 2, 1, 0, 0, 0, 0], 5, "inept"),
        # 2+2+0+0+0+0+0 = 4 -> at risk (0–4)
        ([2, 2, 0, 0, 0, 0, 0], 4, "at risk"),
        # 1+1+1+1+1+1+1 = 7 -> adequate (7–10)
        ([1, 1, 1, 1, 1, 1, 1], 7, "adequate"),
        # 2 × 7 = 14 -> sensitive
        ([2] * 7, 14, "sensitive"),
    ],
)
def test_care_index_sensitivity_bands(care, sensitivity_rows, expected_total, band):
    adult = [{"sensitivity": s, "control": 2 - s} for s in sensitivity_rows]
    result = score(care, {}, care_points(adult, INFANT))
    assert result.grid_totals["care_index"]["sensitivity"] == expected_total
    assert result.grid_bands["care_index"] == band


def test_an_unfinished_grid_lists_its_empty_cells_and_has_no_band_yet(care):
    points = care_points(ADULT, INFANT)
    del points["care_index"]["choice_of_activity"]["adult"]
    points["care_index"]["control"]["infant"] = {}  # an empty entry is not filled in either
    result = score(care, {}, points)
    assert result.grid_missing["care_index"] == ("control/infant", "choice_of_activity/adult")
    # Sensitivity without the last aspect: 2 + 2 + 1 + 2 + 1 + 0 = 8, but it is partial
    assert result.grid_totals["care_index"]["sensitivity"] == 8
    assert result.grid_bands["care_index"] is None


def test_no_grid_points_gives_zero_totals_and_every_cell_missing(care):
    result = score(care, {})
    assert set(result.grid_totals["care_index"].values()) == {0}
    assert len(result.grid_missing["care_index"]) == 7 * 2  # 7 aspects × 2 members


# -- refusals ----------------------------------------------------------------------------


@pytest.mark.parametrize("value", [0, 6, -1, "XYZ", "nob", "3", True, 2.5])
def test_check_rating_names_item_value_and_allowed_values(kips, value):
    with pytest.raises(InvalidInputError) as caught:
        check_rating(kips, "encouragement", value)
    text = str(caught.value)
    assert "encouragement" in text and repr(value) in text and "1–5 or NOB" in text


def test_check_rating_accepts_scale_points_and_special_codes(kips):
    for value in [1, 3, 5, "NOB"]:
        check_rating(kips, "encouragement", value)


def test_check_rating_refuses_an_unknown_item(kips):
    with pytest.raises(InvalidInputError, match="no rating item 'warmth'"):
        check_rating(kips, "warmth", 3)


def test_score_refuses_bad_values_unknown_items_and_unknown_grids(kips, care):
    with pytest.raises(InvalidInputError, match="encouragement"):
        score(kips, {"encouragement": 9})
    with pytest.raises(InvalidInputError, match="'warmth'"):
        score(kips, {"warmth": 3})
    with pytest.raises(InvalidInputError, match="no grid 'other'"):
        score(care, {}, {"other": {}})


@pytest.mark.parametrize(
    ("row", "member", "points", "message"),
    [
        # 2 + 1 = 3 points where a row gives 2
        ("control", "adult", {"sensitivity": 2, "control": 1}, "add up to 3, not 2"),
        ("control", "adult", {"sensitivity": 1}, "add up to 1, not 2"),
        ("control", "adult", {"cooperativeness": 2}, "unknown scale 'cooperativeness'"),
        ("control", "adult", {"sensitivity": 3, "control": -1}, "-1 points"),
        ("control", "adult", {"sensitivity": True, "control": 1}, "True points"),
        ("smell", "adult", {"sensitivity": 2}, "no row 'smell'"),
        ("control", "father", {"sensitivity": 2}, "no member 'father'"),
    ],
)
def test_check_grid_row_refusals(care, row, member, points, message):
    with pytest.raises(InvalidInputError, match=message):
        check_grid_row(care.grids[0], row, member, points)


def test_check_grid_row_accepts_a_row_that_adds_up(care):
    check_grid_row(care.grids[0], "control", "adult", {"sensitivity": 1, "control": 1})
    check_grid_row(care.grids[0], "control", "infant", {"passivity": 2, "compulsivity": 0})


def test_band_for_a_custom_list():
    bands = (Band("b", 5, 9, False), Band("a", 0, 4, False))
    # 4.5 lies between a's max (4) and b's min (5): it belongs to a, [0, 5)
    assert band_for(bands, 4.5).label == "a"
    assert band_for(bands, 9).label == "b"
