"""Reliability reports from CSV files: shape, scheme checks, totals, refusals naming rows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from vfa.domain.agreement import rating_stats
from vfa.domain.schemes import parse_scheme
from vfa.errors import InvalidInputError
from vfa.services.reliability import events_report, ratings_report

SHIPPED = Path(__file__).resolve().parents[2] / "coding_schemes"


def shipped(name):
    path = SHIPPED / name
    return parse_scheme(yaml.safe_load(path.read_text(encoding="utf-8")), str(path))


@pytest.fixture(scope="module")
def kips():
    return shipped("kips.yaml")


def write(tmp_path, text, name="data.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def ratings_csv(tmp_path, rows):
    return write(tmp_path, "unit,coder,item,value\n" + "".join(f"{r}\n" for r in rows))


# -- ratings -----------------------------------------------------------------------------


def test_ratings_report_shape_and_values_without_a_scheme(tmp_path):
    grid = {"u1": (1, 1), "u2": (2, 3), "u3": (4, 4), "u4": (5, 4), "u5": (3, "NOB")}
    rows = [f"{u},{c},i1,{v}" for u, pair in grid.items() for c, v in zip("AB", pair, strict=True)]
    rows += [f"{u},{c},i2,3" for u in grid for c in "AB"]
    report = ratings_report(ratings_csv(tmp_path, rows), reference="A")
    assert report["coders"] == ["A", "B"]
    assert list(report["items"]) == ["i1", "i2"] and report["total"] is None
    i1 = report["items"]["i1"]
    # u5 has one rating (NOB is missing): 4 units; exact 2/4, within one 4/4
    assert i1["n_units"] == 4
    assert i1["exact_agreement"] == pytest.approx(0.5)
    assert i1["within_one_agreement"] == pytest.approx(1.0)
    assert i1["cohen_kappa"] == rating_stats([[1, 1], [2, 3], [4, 4], [5, 4]]).cohen_kappa
    assert set(i1["pearson_r"]) == {"B"}
    # i2: everyone gives 3: kappa undefined, agreement 1
    assert report["items"]["i2"]["cohen_kappa"] is None
    assert report["items"]["i2"]["exact_agreement"] == 1.0
    assert report["pooled"]["n_units"] == 4 + 5
    json.dumps(report, allow_nan=False)


def test_kips_total_is_the_mean_without_nob(tmp_path, kips):
    items = [i.id for i in kips.ratings.items]
    ratings = {
        ("u1", "A"): [3] * 12,
        ("u1", "B"): [4] * 11 + ["NOB"],
        ("u2", "A"): [1, 2] * 6,
        ("u2", "B"): [2] * 12,
        ("u3", "A"): [5] * 6 + ["nob"] * 6,
        ("u3", "B"): [4] * 12,
    }
    rows = [
        f"{u},{c},{item},{v}"
        for (u, c), values in ratings.items()
        for item, v in zip(items, values, strict=True)
    ]
    report = ratings_report(ratings_csv(tmp_path, rows), scheme=kips)
    assert list(report["items"]) == items
    # by hand: u1 A 3, B 4; u2 A 1.5, B 2; u3 A 5 (NOB excluded), B 4
    expected = rating_stats([[3, 4], [1.5, 2], [5, 4]]).as_dict()
    assert report["total"] == expected
    assert report["pooled"]["n_units"] == 3 * 12 - 1 - 6  # NOB leaves a unit×item unpaired


def test_a_scheme_can_be_named_by_id(tmp_path):
    rows = ["u1,A,sensitivity_of_responses,3", "u1,B,sensitivity_of_responses,4"]
    report = ratings_report(ratings_csv(tmp_path, rows), scheme="kips")
    assert report["items"]["sensitivity_of_responses"]["n_units"] == 1


def test_an_item_with_nob_everywhere_has_no_statistics(tmp_path, kips):
    rows = [f"u{n},{c},supports_emotions,NOB" for n in range(4) for c in "AB"]
    rows += [f"u{n},{c},physical_interaction,{n % 3 + 1}" for n in range(4) for c in "AB"]
    report = ratings_report(ratings_csv(tmp_path, rows), scheme=kips)
    stats = report["items"]["supports_emotions"]
    assert stats["n_units"] == 0
    assert stats["cohen_kappa"] is None and stats["alpha_interval"] is None
    json.dumps(report, allow_nan=False)


def test_grid_scales_are_items_with_their_total_range(tmp_path):
    care = shipped("care_index_infant.yaml")
    rows = ["u1,A,sensitivity,14", "u1,B,sensitivity,12", "u2,A,sensitivity,3"]
    report = ratings_report(ratings_csv(tmp_path, rows), scheme=care)
    assert report["items"]["sensitivity"]["n_units"] == 1 and report["total"] is None
    bad = ratings_csv(tmp_path, ["u1,A,sensitivity,15"])
    with pytest.raises(InvalidInputError, match=r"row 2, column value: grid scale sensitivity: '15'"):
        ratings_report(bad, scheme=care)


@pytest.mark.parametrize(
    ("rows", "scheme", "message"),
    [
        (["u1,A,no_such_item,3"], True, r"row 2: unknown item"),
        (["u1,A,supports_emotions,6"], True, r"row 2, column value: item supports_emotions .*allowed: 1–5"),
        (["u1,A,supports_emotions,3", "u1,A,supports_emotions,4"], True, r"row 3: .*again"),
        (["u1,A,i1,3", "u1,A"], False, r"row 3: 2 values, expected 4"),
        (["u1,A,i1,3", "u1,,i1,3"], False, r"row 3: the coder is empty"),
        (["u1,A,i1,3-4"], False, r"row 2, column value: '3-4' is neither a number"),
    ],
)
def test_bad_rating_rows_are_refused_naming_the_row(tmp_path, kips, rows, scheme, message):
    path = ratings_csv(tmp_path, rows)
    with pytest.raises(InvalidInputError, match=message) as caught:
        ratings_report(path, scheme=kips if scheme else None)
    assert str(caught.value).startswith(str(path))


def test_a_missing_header_and_an_unknown_reference_are_refused(tmp_path):
    with pytest.raises(InvalidInputError, match="row 1: the header must name"):
        ratings_report(write(tmp_path, "u1,A,i1,3\n"))
    with pytest.raises(InvalidInputError, match="reference coder 'Z' not found"):
        ratings_report(ratings_csv(tmp_path, ["u1,A,i1,3"]), reference="Z")


# -- events ------------------------------------------------------------------------------


HEADER = "unit,coder,code,start_ms,end_ms,duration_ms\n"


def events_csv(tmp_path, rows):
    return write(tmp_path, HEADER + "".join(f"{r}\n" for r in rows), "events.csv")


def test_events_report_pools_the_clips(tmp_path):
    rows = [
        "clip1,A,play,0,10000,20000",
        "clip1,B,play,500,10500,20000",
        "clip1,A,smile,15000,,20000",
        "clip1,B,smile,15400,,20000",
        "clip2,A,cry,0,4000,8000",
        "clip2,B,,,,8000",  # B coded clip2 and found nothing
    ]
    report = events_report(events_csv(tmp_path, rows))
    units = report["units"]
    assert set(units) == {"clip1", "clip2"}
    assert report["time_unit"]["n_units"] == 20 + 8
    assert units["clip1"]["event"]["matched"] == 2
    assert units["clip2"]["event"]["unmatched"] == {"first": 1, "second": 0}
    pooled = report["event"]["confusion"]
    assert pooled["labels"] == ["cry", "play", "smile", "<nothing>"]
    # play-play and smile-smile from clip1, cry-nothing from clip2
    assert pooled["counts"] == [[0, 0, 0, 1], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 0]]
    assert report["event"]["matched"] == 2
    assert set(report["event"]["per_code"]) == {"cry", "play", "smile"}
    assert report["time_unit"]["per_code"]["cry"]["first_only"] == 4
    json.dumps(report, allow_nan=False)


def test_tolerance_mode_pairs_by_onset(tmp_path):
    rows = ["c,A,play,0,1000,10000", "c,B,play,1500,9000,10000"]
    path = events_csv(tmp_path, rows)
    assert events_report(path)["event"]["matched"] == 0
    assert events_report(path, tolerance_ms=2000)["event"]["matched"] == 1


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (["c,A,play,0,1000,5000", "c,B,play,0,1000,5000", "c,C,play,0,1000,5000"], "unit c: 3"),
        (["c,A,play,0,1000,5000"], r"unit c: 1 coder"),
        (["c,A,play,2000,1000,5000", "c,B,play,0,1000,5000"], r"row 2: end_ms 1000 is not after"),
        (["c,A,play,x,1000,5000", "c,B,play,0,1000,5000"], r"row 2, column start_ms: 'x'"),
        (["c,A,play,0,1000,5000", "c,B,play,0,1000,6000"], r"row 3: unit c has duration_ms"),
        (["c,A,play,0,7000,5000", "c,B,play,0,1000,5000"], r"row 2: the event ends after"),
    ],
)
def test_bad_event_files_are_refused(tmp_path, rows, message):
    with pytest.raises(InvalidInputError, match=message):
        events_report(events_csv(tmp_path, rows))
