"""The reliability commands as a user or a script meets them."""

from __future__ import annotations

import json

import pytest
from pypdf import PdfReader

from vfa.cli import main
from vfa.services import assignments as asg
from vfa.services import clips as clip_service
from vfa.services import coding
from vfa.services.reliability import events_report, ratings_report
from vfa.services.schemes import get_scheme
from vfa.storage.workspace import open_workspace

RATINGS = "unit,coder,item,value\n" + "".join(
    f"u{u},{c},{item},{v}\n"
    for u, (a, b) in enumerate([(1, 1), (2, 3), (4, 4), (5, 4), (3, 3)])
    for item in ("i1", "i2")
    for c, v in (("A", a), ("B", b if item == "i1" else a))
)
EVENTS = (
    "unit,coder,code,start_ms,end_ms,duration_ms\n"
    "c1,A,look,0,2000,8000\n"
    "c1,B,look,200,2000,8000\n"
    "c1,A,smile,3000,,8000\n"
    "c1,B,smile,4500,,8000\n"
)


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_reliability_json_is_the_ratings_report(capsys, tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(RATINGS)
    code, out, _ = run(capsys, "reliability", path, "--reference", "A", "--json")
    data = json.loads(out)
    assert code == 0
    assert set(data) == {"coders", "items", "total", "pooled"}
    assert data == json.loads(json.dumps(ratings_report(path, reference="A").as_dict()))
    code, out, _ = run(capsys, "reliability", path)
    assert code == 0 and "i1" in out and "(pooled)" in out


def test_reliability_with_a_scheme_checks_values_and_names_the_row(capsys, tmp_path):
    path = tmp_path / "k.csv"
    item = get_scheme("kips").ratings.items[0].id
    path.write_text(f"unit,coder,item,value\nu1,A,{item},3\nu1,B,{item},9\n")
    code, out, err = run(capsys, "reliability", path, "--scheme", "kips", "--json")
    assert code == 2 and out == ""
    assert "row 3" in err and "9 is not a rating" in err


def test_reliability_refuses_an_unknown_reference(capsys, tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(RATINGS)
    code, _, err = run(capsys, "reliability", path, "--reference", "Z")
    assert code == 2 and "'Z'" in err


def test_agreement_json_is_the_events_report(capsys, tmp_path):
    path = tmp_path / "e.csv"
    path.write_text(EVENTS)
    code, out, _ = run(
        capsys, "agreement", path, "--unit-ms", 500, "--tolerance-ms", 2000, "--json"
    )
    data = json.loads(out)
    assert code == 0
    assert set(data) == {"coders", "time_unit", "event", "units"}
    expected = events_report(path, unit_ms=500, tolerance_ms=2000).as_dict()
    assert data == json.loads(json.dumps(expected))
    assert data["event"]["tolerance_ms"] == 2000 and data["event"]["overlap"] is None
    code, out, _ = run(capsys, "agreement", path, "--overlap", 0.5, "--json")
    assert code == 0 and json.loads(out)["event"]["overlap"] == 0.5


TIME_UNIT_KEYS = ["n_units", "percent_agreement", "kappa", "kappa_max", "confusion", "per_code"]
EVENT_KEYS = [
    "n_tallies", "percent_agreement", "kappa", "kappa_max", "matched", "unmatched", "confusion",
    "per_code",
]  # fmt: skip


@pytest.mark.parametrize("json_first", [True, False])
def test_agreement_json_keeps_its_keys_and_their_order(capsys, tmp_path, json_first):
    # scripts read this JSON: the typed results print the shape it always had, the
    # settings first in the pooled sections and left out of each unit's
    path = tmp_path / "e.csv"
    path.write_text(EVENTS)
    argv = ("--json", "agreement", path) if json_first else ("agreement", path, "--json")
    code, out, err = run(capsys, *argv, "--tolerance-ms", 2000)
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert list(data) == ["coders", "time_unit", "event", "units"]
    assert data["coders"] == {"c1": ["A", "B"]}
    assert list(data["time_unit"]) == ["unit_ms", *TIME_UNIT_KEYS]
    assert list(data["event"]) == ["overlap", "tolerance_ms", *EVENT_KEYS]
    assert list(data["units"]["c1"]) == ["time_unit", "event"]
    assert list(data["units"]["c1"]["time_unit"]) == TIME_UNIT_KEYS
    assert list(data["units"]["c1"]["event"]) == EVENT_KEYS
    assert list(data["time_unit"]["confusion"]) == ["labels", "counts"]
    assert list(data["time_unit"]["per_code"]["look"]) == [
        "percent_agreement", "kappa", "both", "first_only", "second_only", "neither",
    ]  # fmt: skip
    assert list(data["event"]["per_code"]["look"]) == [
        "first", "second", "agreed", "percent_agreement", "kappa",
    ]  # fmt: skip
    assert data["event"]["unmatched"] == {"first": 0, "second": 0}  # both pairs within 2 s
    code, text, _ = run(capsys, *[a for a in argv if a != "--json"], "--tolerance-ms", 2000)
    assert code == 0 and text.startswith("time units (1000 ms): 8 units, agreement ")
    assert "events: 2 tallies, 2 matched, agreement 1.00" in text


def test_agreement_bad_rows_exit_2_naming_the_row(capsys, tmp_path):
    path = tmp_path / "e.csv"
    path.write_text(EVENTS + "c1,A,look,5000,4000,8000\n")
    code, out, err = run(capsys, "agreement", path, "--json")
    assert code == 2 and out == ""
    assert "row 6" in err and "not after start_ms" in err


def test_overlap_and_tolerance_exclude_each_other(capsys, tmp_path):
    path = tmp_path / "e.csv"
    path.write_text(EVENTS)
    with pytest.raises(SystemExit) as stop:
        main(["agreement", str(path), "--overlap", "0.6", "--tolerance-ms", "2000"])
    assert stop.value.code == 2
    assert "not allowed with" in capsys.readouterr().err


# -- workspace commands ------------------------------------------------------------------


@pytest.fixture
def ws_path(tmp_path, clips):
    path = tmp_path / "rel.vfa"
    ws = open_workspace(path, create=True)
    try:
        for n in range(6):
            clip_service.add_clip(ws, clips["cfr25"], "FAM-1", f"Visit {n}")
    finally:
        ws.close()
    return path


def test_assign_every_nth_and_list_assignments(capsys, ws_path):
    code, out, _ = run(
        capsys, "assign", "--scheme", "kips", "--coders", "Ann,Ben", "--every", 3,
        "--workspace", ws_path, "--json",
    )  # fmt: skip
    data = json.loads(out)
    assert code == 0 and data["blind"] is True
    ws = open_workspace(ws_path)
    try:
        order = asg.catalogue_clips(ws)
    finally:
        ws.close()
    assert data["clips"] == [order[2], order[5]]
    code, out, _ = run(capsys, "assignments", "--coder", "Ben", "--workspace", ws_path, "--json")
    rows = json.loads(out)
    assert [r["clip_id"] for r in rows] == data["clips"]
    assert {r["status"] for r in rows} == {"assigned"} and all(r["blind"] for r in rows)


def test_assign_needs_one_way_of_choosing_clips(capsys, ws_path):
    with pytest.raises(SystemExit):
        main(["assign", "--scheme", "kips", "--coders", "A,B", "--workspace", str(ws_path)])
    capsys.readouterr()
    code, _, err = run(
        capsys, "assign", "--scheme", "kips", "--coders", "A,B", "--clips", "1,x",
        "--workspace", ws_path,
    )  # fmt: skip
    assert code == 2 and "clip ids" in err


@pytest.fixture
def coded(ws_path):
    """Clips 1–3 double-coded (blind) on KIPS by Rita and Tess, all submitted but clip 3's
    Tess run."""
    kips = get_scheme("kips")
    items = [i.id for i in kips.ratings.items]
    ws = open_workspace(ws_path)
    try:
        order = asg.catalogue_clips(ws)[:3]
        runs = asg.assign(ws, order, kips, ["Rita", "Tess"])
        for run in runs:
            for n, item in enumerate(items):
                value = 1 + (n + run.clip_id) % 5
                if run.coder == "Tess" and n % 4 == 0:
                    value = max(1, value - 1)
                coding.set_rating(ws, run.id, kips, item, value)
            if not (run.clip_id == order[2] and run.coder == "Tess"):
                coding.submit_run(ws, run.id)
    finally:
        ws.close()
    return ws_path, order


def test_reliability_report_from_the_workspace(capsys, coded, tmp_path):
    ws_path, order = coded
    out_pdf = tmp_path / "report.pdf"
    code, out, _ = run(
        capsys, "reliability-report", "--scheme", "kips", "--reference", "Rita", "--as", "Sue",
        "-o", out_pdf, "--workspace", ws_path, "--json",
    )  # fmt: skip
    data = json.loads(out)
    assert code == 0 and data["clips"] == order[:2]
    assert [p["clip_id"] for p in data["pending"]] == [order[2]]
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(out_pdf).pages).split())
    assert "Methods" in text and "ICC(2,1)" in text and "2 clip(s)" in text
    out_csv = tmp_path / "report.csv"
    code, _, _ = run(
        capsys, "reliability-report", "--scheme", "kips", "-o", out_csv, "--workspace", ws_path
    )
    assert code == 0 and "# method:" in out_csv.read_text()
    code, _, err = run(
        capsys, "reliability-report", "--scheme", "kips", "-o", tmp_path / "r.txt",
        "--workspace", ws_path,
    )  # fmt: skip
    assert code == 2 and ".pdf or .csv" in err


def test_criterion_and_certification(capsys, coded):
    ws_path, _ = coded
    code, out, _ = run(
        capsys, "criterion", "show", "--scheme", "kips", "--workspace", ws_path, "--json"
    )
    assert code == 0 and json.loads(out)["stored"] is False
    code, out, _ = run(
        capsys, "criterion", "set", "--scheme", "kips", "--statistic", "within_one_agreement",
        "--threshold", 0.9, "--window", 2, "--workspace", ws_path, "--json",
    )  # fmt: skip
    assert code == 0 and json.loads(out)["window"] == 2
    code, out, _ = run(
        capsys, "certification", "--scheme", "kips", "--coder", "Tess", "--reference", "Rita",
        "--workspace", ws_path, "--json",
    )  # fmt: skip
    data = json.loads(out)
    assert code == 0
    assert set(data) >= {"status", "points", "criterion", "latest"}
    assert len(data["points"]) == 2  # clip 3 waits for Tess
    # Tess is at most one point off everywhere: within-one agreement 1.0 on both clips
    assert data["points"][1]["rolling"] == 1.0 and data["status"] == "reliable"
    code, _, err = run(
        capsys, "criterion", "set", "--scheme", "kips", "--statistic", "fleiss",
        "--threshold", 0.7, "--workspace", ws_path,
    )  # fmt: skip
    assert code == 2 and "unknown statistic" in err


# -- special codes, sizes, strict JSON ---------------------------------------------------


def strict_json(text):
    """JSON as a strict parser reads it: a bare NaN or Infinity fails the test."""

    def refuse(constant):
        raise AssertionError(f"bare {constant} in the JSON output")

    return json.loads(text, parse_constant=refuse)


def six(tmp_path, last="3"):
    path = tmp_path / "six.csv"
    pairs = [(1, 1), (2, 3), (4, 4), (5, 4), (3, 3), (2, last)]
    path.write_text(
        "unit,coder,item,value\n"
        + "".join(
            f"u{n},{c},i1,{v}\n" for n, p in enumerate(pairs) for c, v in zip("AB", p, strict=True)
        )
    )
    return path


@pytest.mark.parametrize("word", ["banana", "NaN", "inf", "one", "x"])
def test_reliability_refuses_a_word_that_is_no_special_code(capsys, tmp_path, word):
    code, out, err = run(capsys, "reliability", six(tmp_path, word), "--json")
    assert code == 2 and out == ""
    assert err.startswith("vfa: ") and "row 13, column value" in err and repr(word) in err
    assert "Traceback" not in err


def test_special_codes_are_named_before_or_after_the_file(capsys, tmp_path):
    path = six(tmp_path, "NA")
    for argv in (
        ("reliability", "--special", "NOB,NA", path, "--json"),
        ("--json", "reliability", path, "--special", "NOB,NA"),
    ):
        code, out, _ = run(capsys, *argv)
        assert code == 0 and strict_json(out)["items"]["i1"]["n_units"] == 5
    code, _, err = run(capsys, "reliability", path, "--special", "NaN")
    assert code == 2 and err.startswith("vfa: special code 'NaN'")
    code, _, err = run(capsys, "reliability", path, "--scheme", "kips", "--special", "NA")
    assert code == 2 and "names its own special codes" in err


def test_agreement_refuses_a_clip_longer_than_a_day_before_allocating(capsys, tmp_path):
    path = tmp_path / "e.csv"
    path.write_text(EVENTS + "c2,A,look,0,1000,1000000000000\nc2,B,look,0,1000,1000000000000\n")
    code, out, err = run(capsys, "agreement", path, "--unit-ms", 1)
    assert code == 2 and out == ""
    assert "row 6, column duration_ms: 1000000000000 ms is more than 24 hours" in err


def test_reliability_commands_never_print_nan_on_degenerate_inputs(capsys, tmp_path, coded):
    ws_path, _ = coded
    ratings = {
        "all_nob": "unit,coder,item,value\nu1,A,i1,NOB\nu1,B,i1,NOB\n",
        "one_unit": "unit,coder,item,value\nu1,A,i1,3\nu1,B,i1,4\n",
        "constant": "unit,coder,item,value\n" + "u1,A,i1,3\nu1,B,i1,3\nu2,A,i1,3\nu2,B,i1,3\n",
        "one_coder": "unit,coder,item,value\nu1,A,i1,3\nu2,A,i1,4\n",
        "three_constant": "unit,coder,item,value\n"
        + "".join(f"u{u},{c},i1,2\n" for u in range(4) for c in "ABC"),
    }
    for name, text in ratings.items():
        path = tmp_path / f"{name}.csv"
        path.write_text(text)
        code, out, err = run(capsys, "reliability", path, "--reference", "A", "--json")
        assert code == 0, (name, err)
        strict_json(out)
    events = {
        "nothing": "unit,coder,code,start_ms,end_ms,duration_ms\nc,A,,,,5000\nc,B,,,,5000\n",
        "one_side": "unit,coder,code,start_ms,end_ms,duration_ms\nc,A,x,0,1000,5000\nc,B,,,,5000\n",
        "points": "unit,coder,code,start_ms,end_ms,duration_ms\nc,A,x,0,,5000\nc,B,x,0,,5000\n",
    }
    for name, text in events.items():
        path = tmp_path / f"{name}.csv"
        path.write_text(text)
        code, out, err = run(capsys, "agreement", path, "--json")
        assert code == 0, (name, err)
        data = strict_json(out)
        if name == "nothing":
            assert data["time_unit"]["percent_agreement"] is None
    workspace_commands = [
        ("certification", "--scheme", "kips", "--coder", "Tess", "--reference", "Rita"),
        ("certification", "--scheme", "kips", "--coder", "Nobody", "--reference", "Rita"),
        ("criterion", "show", "--scheme", "kips"),
        ("assignments",),
        ("reliability-report", "--scheme", "kips", "--as", "Sue", "-o", tmp_path / "r.csv"),
    ]
    for argv in workspace_commands:
        code, out, err = run(capsys, *argv, "--workspace", ws_path, "--json")
        assert code == 0, (argv, err)
        strict_json(out)
