"""Reliability reports from CSV files: shape, scheme checks, totals, refusals naming rows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from vfa.domain.ratings_agreement import item_agreement
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
    report = ratings_report(ratings_csv(tmp_path, rows), reference="A").as_dict()
    assert report["coders"] == ["A", "B"]
    assert list(report["items"]) == ["i1", "i2"] and report["total"] is None
    i1 = report["items"]["i1"]
    # u5 has one rating (NOB is missing): 4 units; exact 2/4, within one 4/4
    assert i1["n_units"] == 4
    assert i1["exact_agreement"] == pytest.approx(0.5)
    assert i1["within_one_agreement"] == pytest.approx(1.0)
    # by hand, pairs (1,1) (2,3) (4,4) (5,4): observed 2/4; chance: A gives 1, 2, 4, 5 a
    # quarter each, B gives 1 and 3 a quarter and 4 a half, so 1/16 + 2/16 = 3/16;
    # kappa = (1/2 - 3/16) / (1 - 3/16) = 5/13
    assert i1["cohen_kappa"] == pytest.approx(5 / 13)
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
    report = ratings_report(ratings_csv(tmp_path, rows), scheme=kips).as_dict()
    assert list(report["items"]) == items
    # by hand: u1 A 3, B 4; u2 A 1.5, B 2; u3 A 5 (NOB excluded), B 4
    expected = item_agreement([[3, 4], [1.5, 2], [5, 4]]).as_dict()
    assert report["total"] == expected
    assert report["pooled"]["n_units"] == 3 * 12 - 1 - 6  # NOB leaves a unit×item unpaired


def test_a_scheme_can_be_named_by_id(tmp_path):
    rows = ["u1,A,sensitivity_of_responses,3", "u1,B,sensitivity_of_responses,4"]
    report = ratings_report(ratings_csv(tmp_path, rows), scheme="kips").as_dict()
    assert report["items"]["sensitivity_of_responses"]["n_units"] == 1


def test_an_item_with_nob_everywhere_has_no_statistics(tmp_path, kips):
    rows = [f"u{n},{c},supports_emotions,NOB" for n in range(4) for c in "AB"]
    rows += [f"u{n},{c},physical_interaction,{n % 3 + 1}" for n in range(4) for c in "AB"]
    report = ratings_report(ratings_csv(tmp_path, rows), scheme=kips).as_dict()
    stats = report["items"]["supports_emotions"]
    assert stats["n_units"] == 0
    assert stats["cohen_kappa"] is None and stats["alpha_interval"] is None
    json.dumps(report, allow_nan=False)


def test_grid_scales_are_items_with_their_total_range(tmp_path):
    care = shipped("care_index_infant.yaml")
    rows = ["u1,A,sensitivity,14", "u1,B,sensitivity,12", "u2,A,sensitivity,3"]
    report = ratings_report(ratings_csv(tmp_path, rows), scheme=care).as_dict()
    assert report["items"]["sensitivity"]["n_units"] == 1 and report["total"] is None
    bad = ratings_csv(tmp_path, ["u1,A,sensitivity,15"])
    with pytest.raises(
        InvalidInputError, match=r"row 2, column value: grid scale sensitivity: '15'"
    ):
        ratings_report(bad, scheme=care)


@pytest.mark.parametrize(
    ("rows", "scheme", "message"),
    [
        (["u1,A,no_such_item,3"], True, r"row 2: unknown item"),
        (
            ["u1,A,supports_emotions,6"],
            True,
            r"row 2, column value: item supports_emotions .*allowed: 1–5",
        ),
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
    assert [u.unit for u in report.units] == ["clip1", "clip2"]
    assert report.time_unit.n_units == 20 + 8
    assert report.unit("clip1").event.matched == 2
    clip2 = report.unit("clip2").event
    assert (clip2.unmatched_first, clip2.unmatched_second) == (1, 0)
    pooled = report.event.confusion
    assert pooled.labels == ("cry", "play", "smile", "<nothing>")
    # play-play and smile-smile from clip1, cry-nothing from clip2
    assert pooled.as_dict()["counts"] == [[0, 0, 0, 1], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 0]]
    assert report.event.matched == 2
    assert [c.code for c in report.event.per_code] == ["cry", "play", "smile"]
    assert report.time_unit.code("cry").first_only == 4
    json.dumps(report.as_dict(), allow_nan=False)


def test_tolerance_mode_pairs_by_onset(tmp_path):
    rows = ["c,A,play,0,1000,10000", "c,B,play,1500,9000,10000"]
    path = events_csv(tmp_path, rows)
    assert events_report(path).event.matched == 0
    assert events_report(path, tolerance_ms=2000).event.matched == 1


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


# -- special codes, numbers and sizes ----------------------------------------------------


SIX = [(1, 1), (2, 3), (4, 4), (5, 4), (3, 3), (2, 2)]


def six_units(tmp_path, extra_value=None, name="six.csv"):
    rows = [
        f"u{n},{c},i1,{v}" for n, pair in enumerate(SIX) for c, v in zip("AB", pair, strict=True)
    ]
    if extra_value is not None:
        rows[-1] = f"u5,B,i1,{extra_value}"
    return write(tmp_path, "unit,coder,item,value\n" + "".join(f"{r}\n" for r in rows), name)


@pytest.mark.parametrize("word", ["banana", "NaN", "nan", "inf", "-Infinity", "one", "x", "NA"])
def test_a_word_that_is_no_named_special_code_is_refused_naming_row_and_column(tmp_path, word):
    path = six_units(tmp_path, word)
    with pytest.raises(InvalidInputError) as caught:
        ratings_report(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: row 13, column value: {word!r} is neither a number")
    assert "NOB" in message


def test_the_default_special_code_is_nob_in_any_case(tmp_path):
    full = ratings_report(six_units(tmp_path)).as_dict()["items"]["i1"]
    for code in ("NOB", "nob"):
        report = ratings_report(six_units(tmp_path, code)).as_dict()["items"]["i1"]
        assert report["n_units"] == full["n_units"] - 1 == 5


def test_the_special_codes_the_user_names_are_the_only_words_allowed(tmp_path):
    path = six_units(tmp_path, "na")
    assert ratings_report(path, special=["NOB", "NA"]).as_dict()["items"]["i1"]["n_units"] == 5
    with pytest.raises(InvalidInputError, match=r"row 13, column value: 'na' .*\(NOB\)"):
        ratings_report(path, special=["NOB"])
    with pytest.raises(InvalidInputError, match=r"row 13, column value: 'na' .*\(X\)"):
        ratings_report(path, special=["X"])


@pytest.mark.parametrize("code", ["NaN", "inf", "Infinity", "3", "", "two words", "-x"])
def test_nan_infinities_and_numbers_are_no_special_codes(tmp_path, code):
    with pytest.raises(InvalidInputError, match="special code"):
        ratings_report(six_units(tmp_path), special=[code])


def test_a_scheme_names_its_own_special_codes(tmp_path, kips):
    path = ratings_csv(tmp_path, ["u1,A,supports_emotions,NA"])
    with pytest.raises(InvalidInputError, match="names its own special codes"):
        ratings_report(path, scheme=kips, special=["NA"])
    with pytest.raises(InvalidInputError, match=r"row 2, column value: .*'NA' is not a rating"):
        ratings_report(path, scheme=kips)


@pytest.mark.parametrize(
    "value",
    ["1e400", "9" * 400, "9" * 5000, "2000000000", "-2000000000", "1e3", "0x10", "1_000"],
)
def test_numbers_no_rating_can_be_are_refused_before_they_are_converted(tmp_path, value):
    with pytest.raises(InvalidInputError, match=r"row 13, column value: "):
        ratings_report(six_units(tmp_path, value))


def test_a_scheme_rating_with_thousands_of_digits_is_refused(tmp_path, kips):
    for value in ("9" * 5000, "-" + "9" * 5000):
        path = ratings_csv(tmp_path, [f"u1,A,supports_emotions,{value}"])
        with pytest.raises(InvalidInputError, match=r"row 2, column value: .*is not a rating"):
            ratings_report(path, scheme=kips)


def test_an_item_with_only_empty_values_has_no_units(tmp_path):
    path = ratings_csv(tmp_path, ["u1,A,i1,3", "u1,B,i1,3", "u1,A,i2,", "u1,B,i2,"])
    report = ratings_report(path).as_dict()
    assert report["items"]["i2"]["n_units"] == 0
    json.dumps(report, allow_nan=False)


def test_files_too_big_for_the_statistics_are_refused_before_they_start(tmp_path, monkeypatch):
    import vfa.services.reliability as rel

    monkeypatch.setattr(rel, "MAX_ITEMS", 3)
    rows = [f"u1,A,i{n},3" for n in range(5)]
    with pytest.raises(InvalidInputError, match=r"row 5: item i3 is one more than the 3 items"):
        ratings_report(ratings_csv(tmp_path, rows))
    monkeypatch.setattr(rel, "MAX_CELLS", 10)
    rows = [f"u{n},{c},i1,3" for n in range(6) for c in "AB"]
    with pytest.raises(InvalidInputError, match=r"6 rated units × 2 coders is more than"):
        ratings_report(ratings_csv(tmp_path, rows))


def test_a_file_that_is_not_utf8_is_refused_naming_the_row(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes("unit,coder,item,value\nu1,A,i1,3\nu1,Bé,i1,3\n".encode("latin-1"))
    with pytest.raises(InvalidInputError, match=r"row 3: not UTF-8 text"):
        ratings_report(path)
    path.write_bytes(b"unit,coder,item,value\nu1,A,i1,3\nu1,B,i1,3\x00\n")
    with pytest.raises(InvalidInputError, match=r"row 3, column value: '3\\x00'"):
        ratings_report(path)
    path.write_bytes("\ufeffunit,coder,item,value\nu1,A,i1,3\nu1,Bé,i1,4\n".encode())
    assert ratings_report(path).as_dict()["coders"] == ["A", "Bé"]
    path.write_bytes("unit,coder,item,value\nu1,A,i1,3\n".encode("utf-16"))
    with pytest.raises(InvalidInputError, match=r"row 1: not UTF-8 text"):
        ratings_report(path)


def reference_report(path, special=("NOB",)):
    """What a ratings report holds, read the plain way: every row into nested dicts, the
    matrices built by hand (the reader before it was made linear)."""
    import csv

    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    coders, units, items, values = [], [], [], {}
    for row in rows:
        for known, name in ((coders, row["coder"]), (units, row["unit"]), (items, row["item"])):
            if name not in known:
                known.append(name)
        text = row["value"].strip()
        if text:
            value = None if text.casefold() in {s.casefold() for s in special} else float(text)
            values.setdefault(row["item"], {}).setdefault(row["unit"], {})[row["coder"]] = value

    def matrix(item):
        by_unit = values.get(item, {})
        return [[by_unit[u].get(c) for c in coders] for u in units if u in by_unit]

    out = {item: item_agreement(matrix(item), None, 0, coders).as_dict() for item in items}
    pooled = [row for item in items for row in matrix(item)]
    return coders, out, item_agreement(pooled, None, 0, coders).as_dict()


@pytest.mark.parametrize("seed", range(4))
def test_the_reader_gives_what_reading_row_by_row_into_dicts_gives(tmp_path, seed):
    import random

    rng = random.Random(seed)
    coders = ["A", "B", "C"][: rng.choice([2, 3])]
    lines = []
    for unit in rng.sample(range(1000), 40):
        for item in rng.sample(["x", "y", "z"], rng.choice([1, 2, 3])):
            truth = rng.randint(1, 5)
            for coder in coders:
                if rng.random() < 0.9:
                    value = rng.choice([truth, truth, truth + 1, "NOB", "", f"{truth}.5"])
                    lines.append(f"unit{unit},{coder},{item},{value}")
    rng.shuffle(lines)
    path = ratings_csv(tmp_path, lines)
    names, items, pooled = reference_report(path)
    report = ratings_report(path, reference=names[0]).as_dict()
    assert report["coders"] == names
    for item, stats in items.items():
        assert flat(report["items"][item]) == pytest.approx(flat(stats)), item
    assert flat(report["pooled"]) == pytest.approx(flat(pooled))


def flat(data, prefix=""):
    """A nested statistics dict as {path: number or text} (lists and dicts opened)."""
    if isinstance(data, dict):
        return {
            k: v for key, value in data.items() for k, v in flat(value, f"{prefix}/{key}").items()
        }
    if isinstance(data, list):
        return {
            k: v for n, value in enumerate(data) for k, v in flat(value, f"{prefix}/{n}").items()
        }
    return {prefix: data}


# -- events: sizes -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("c,A,play,0,1000,1000000000000", r"row 2, column duration_ms: 1000000000000 ms is more"),
        ("c,A,play,86400001,,86400000", r"row 2, column start_ms: 86400001 ms is more than 24"),
        ("c,A,play,0," + "9" * 5000 + ",5000", r"row 2, column end_ms: '9999"),
        ("c,A,play,-5,1000,5000", r"row 2, column start_ms: '-5' is not a whole number"),
        ("c,A,play,1.5,1000,5000", r"row 2, column start_ms: '1.5'"),
    ],
)
def test_times_no_recording_can_have_are_refused_before_allocating(tmp_path, row, message):
    path = events_csv(tmp_path, [row, "c,B,play,0,1000,5000"])
    with pytest.raises(InvalidInputError, match=message):
        events_report(path)


def test_a_day_long_clip_in_one_ms_units_is_counted_without_a_unit_array(tmp_path):
    day = 24 * 60 * 60 * 1000
    rows = [f"c,A,play,0,{day},{day}", f"c,B,play,0,{day // 2},{day}", f"c,B,cry,{day - 1},,{day}"]
    report = events_report(events_csv(tmp_path, rows), unit_ms=1)
    assert report.time_unit.n_units == day
    assert report.time_unit.code("play").both == day // 2


def test_event_settings_beyond_a_recording_are_refused(tmp_path):
    path = events_csv(tmp_path, ["c,A,play,0,1000,5000", "c,B,play,0,1000,5000"])
    with pytest.raises(InvalidInputError, match="time unit must be 1 ms to 24 hours"):
        events_report(path, unit_ms=10**12)
    with pytest.raises(InvalidInputError, match="onset tolerance must be 0 ms to 24 hours"):
        events_report(path, tolerance_ms=10**12)


def test_more_codes_than_an_events_file_may_hold_are_refused(tmp_path, monkeypatch):
    import vfa.services.reliability as rel

    monkeypatch.setattr(rel, "MAX_CODES", 3)
    rows = [f"c,A,code{n},{n * 10},,5000" for n in range(5)] + ["c,B,code0,0,,5000"]
    with pytest.raises(InvalidInputError, match=r"row 5, column code: 'code3' is one more"):
        events_report(events_csv(tmp_path, rows))


def test_a_tolerance_that_pairs_everything_with_everything_is_refused(tmp_path, monkeypatch):
    import vfa.domain.event_agreement as ea

    monkeypatch.setattr(ea, "MAX_CANDIDATE_PAIRS", 50)
    rows = [f"c,{coder},x,{n * 100},,100000" for n in range(10) for coder in "AB"]
    path = events_csv(tmp_path, rows)
    assert events_report(path, tolerance_ms=50).event.matched == 10
    with pytest.raises(InvalidInputError, match=r"unit c: 100 possible pairs of events"):
        events_report(path, tolerance_ms=86_400_000)


def test_the_scorer_refuses_a_rating_of_thousands_of_digits_naming_the_row(tmp_path, kips):
    from vfa.services.scoring import score_ratings_csv

    path = ratings_csv(
        tmp_path, ["u1,A,supports_emotions,3", f"u1,B,supports_emotions,{'9' * 5000}"]
    )
    with pytest.raises(InvalidInputError, match=r"row 3: item supports_emotions .*not a rating"):
        score_ratings_csv(path, kips)
