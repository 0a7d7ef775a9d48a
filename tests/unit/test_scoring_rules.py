"""Scoring by its stated rules: the values an item takes as a person reads them, a grid
row refused with its place when its points do not add up or it names an unknown row,
member or scale (even when empty), and no band for a total outside every band."""

from __future__ import annotations

import pytest

from tests.unit.test_schemes import base
from vfa.domain.schemes import parse_scheme
from vfa.domain.scoring import ItemCheck, allowed_values, check_grid_row, check_item, score
from vfa.errors import InvalidInputError


def scheme(data=None):
    return parse_scheme(data or base(), "demo.yaml")


def test_the_allowed_values_list_every_special_code():
    data = base()
    data["ratings"]["special"].append(
        {"code": "NA", "label": "Not applicable", "counts_as": "excluded", "verified": True}
    )
    assert allowed_values(scheme(data).ratings.items[0]) == "1–5 or NOB, NA"
    assert allowed_values(scheme().ratings.items[0]) == "1–5 or NOB"
    del data["ratings"]["special"]
    assert allowed_values(scheme(data).ratings.items[0]) == "1–5"


@pytest.mark.parametrize(
    ("row", "member", "points", "message"),
    [
        ("nose", "adult", {"sens": 2}, "grid grid: no row 'nose' (rows: face, voice)"),
        ("face", "parent", {"sens": 2}, "grid grid: no member 'parent' (members: adult, infant)"),
        (
            "face", "adult", {"warmth": 2},
            "grid grid, row Face, Adult: unknown scale 'warmth' (scales: sens, ctrl)",
        ),
        (
            "voice", "infant", {"coop": 2, "pass": 1},
            "grid grid, row Voice, Infant: the points add up to 3, not 2",
        ),
        (
            "face", "adult", {"sens": 3, "ctrl": -1},
            "grid grid, row Face, Adult: ctrl has -1 points; give a whole number, 0 or more",
        ),
    ],
)  # fmt: skip
def test_a_grid_row_is_refused_with_its_place_and_reason(row, member, points, message):
    grid = scheme().grid("grid")
    with pytest.raises(InvalidInputError) as refused:
        check_grid_row(grid, row, member, points)
    assert str(refused.value) == message


@pytest.mark.parametrize(
    "given",
    [
        {"nose": {"adult": {}}},  # an empty entry for an unknown row
        {"face": {"parent": {}}},  # an empty entry for an unknown member
        {"face": {"adult": {"sens": 1}}},  # a known place whose points do not add up
    ],
)
def test_scoring_refuses_a_grid_entry_that_is_not_a_row_yet_to_fill(given):
    with pytest.raises(InvalidInputError):
        score(scheme(), {}, {"grid": given})


def test_an_empty_entry_for_a_known_place_is_a_row_not_filled_in():
    result = score(scheme(), {}, {"grid": {"face": {"adult": {}}}})
    assert result.grid_missing["grid"] == (
        "face/adult",
        "face/infant",
        "voice/adult",
        "voice/infant",
    )


def test_a_total_outside_every_band_has_no_band():
    data = base()
    data["grids"][0]["bands"] = [{"label": "high", "min": 2, "max": 4, "verified": False}]
    rows = {
        row: {"adult": {"sens": 0, "ctrl": 2}, "infant": {"coop": 1, "pass": 1}}
        for row in ("face", "voice")
    }
    result = score(scheme(data), {}, {"grid": rows})
    assert result.grid_totals["grid"] == {"sens": 0, "ctrl": 4, "coop": 2, "pass": 2}
    assert result.grid_bands == {"grid": None}
    rows["face"]["adult"] = {"sens": 2, "ctrl": 0}
    assert score(scheme(data), {}, {"grid": rows}).grid_bands == {"grid": "high"}


def test_a_grid_is_banded_once_the_band_scales_member_has_every_row():
    # the band scale (sens) is the adult's: the infant's rows may still be missing
    rows = {row: {"adult": {"sens": 1, "ctrl": 1}} for row in ("face", "voice")}
    result = score(scheme(), {}, {"grid": rows})
    assert result.grid_totals["grid"] == {"sens": 2, "ctrl": 2, "coop": 0, "pass": 0}
    assert result.grid_bands == {"grid": "high"}  # 2 is in high (2–4)
    assert result.grid_missing["grid"] == ("face/infant", "voice/infant")
    del rows["voice"]
    rows["face"]["infant"] = {"coop": 2, "pass": 0}
    rows["voice"] = {"infant": {"coop": 2, "pass": 0}}
    assert score(scheme(), {}, {"grid": rows}).grid_bands == {"grid": None}


def test_a_checked_rating_keeps_its_item_value_and_what_it_adds():
    data = base()
    data["ratings"]["special"].append(
        {"code": "ZERO", "label": "Counts as 0", "counts_as": "zero", "verified": True}
    )
    item = scheme(data).ratings.items[0]
    assert check_item(item, 4) == ItemCheck("a", 4, 4)
    assert check_item(item, "NOB") == ItemCheck("a", "NOB", None)
    assert check_item(item, "ZERO") == ItemCheck("a", "ZERO", 0)
