"""``vfa schemes`` and ``vfa score`` as a user or a script meets them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vfa.cli import main

SHIPPED = Path(__file__).resolve().parents[1] / "coding_schemes"
KIPS_ITEMS = [
    "sensitivity_of_responses",
    "supports_emotions",
    "physical_interaction",
    "involvement_in_childs_activities",
    "open_to_childs_agenda",
    "engagement_in_language_experiences",
    "reasonable_expectations",
    "adapts_strategies_to_child",
    "limits_and_consequences",
    "supportive_directions",
    "encouragement",
    "promotes_exploration_and_curiosity",
]


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_schemes_list_json(capsys):
    code, out, err = run(capsys, "schemes", "list", "--json")
    assert code == 0 and err == ""
    rows = json.loads(out)
    assert [r["id"] for r in rows] == [
        "care_index_infant",
        "kips",
        "vfa_interaction",
        "vig",
        "vipp_sd",
    ]
    assert set(rows[0]) == {"id", "name", "version", "file"}
    assert all(Path(r["file"]).is_file() for r in rows)


def test_schemes_list_reports_a_bad_file_on_stderr_and_goes_on(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("VFA_SCHEMES_DIR", str(tmp_path))
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: [\n")
    code, out, err = run(capsys, "schemes", "list")
    assert code == 0
    assert "kips" in out
    assert str(bad) in err and "YAML syntax" in err


def test_schemes_show_json_names_every_item_and_code(capsys):
    code, out, _ = run(capsys, "schemes", "show", "kips", "--json")
    assert code == 0
    data = json.loads(out)
    assert [i["id"] for i in data["ratings"]["items"]] == KIPS_ITEMS
    assert data["ratings"]["items"][0]["special"] == [
        {"code": "NOB", "label": "Not observed", "counts_as": "excluded"}
    ]
    code, out, _ = run(capsys, "schemes", "show", "vig", "--json")
    codes = json.loads(out)["ethogram"]["codes"]
    # 6 principles + 5 + 5 + 5 + 5 + 5 + 6 sub-behaviours = 37 codes
    assert len(codes) == 37
    assert {"id", "name", "hotkey", "kind", "subjects", "parent", "moment"} <= set(codes[0])


def test_schemes_show_text_and_an_unknown_id(capsys):
    code, out, _ = run(capsys, "schemes", "show", "care_index_infant")
    assert code == 0 and "row facial_expression" in out and "band sensitive" in out
    code, out, err = run(capsys, "schemes", "show", "nope")
    assert code == 2 and out == ""
    assert "nope" in err and "kips" in err


def test_schemes_validate_prints_ok_per_good_file(capsys):
    files = [str(p) for p in sorted(SHIPPED.glob("*.yaml"))]
    code, out, err = run(capsys, "schemes", "validate", *files)
    assert code == 0 and err == ""
    assert out.splitlines() == [f"{f}: ok" for f in files]


def test_schemes_validate_exits_2_with_file_place_reason_per_bad_file(capsys, tmp_path):
    text = (SHIPPED / "kips.yaml").read_text(encoding="utf-8")
    overlap = tmp_path / "overlap.yaml"
    overlap.write_text(text.replace("min: 3.0, max: 3.9", "min: 2.0, max: 3.9"))
    syntax = tmp_path / "syntax.yaml"
    syntax.write_text("id: x\n  name: y\n")
    good = str(SHIPPED / "vig.yaml")
    code, out, err = run(capsys, "schemes", "validate", str(overlap), good, str(syntax))
    assert code == 2
    assert out.splitlines() == [f"{good}: ok"]
    lines = err.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{overlap}: ratings.bands[1] (line ")
    assert "overlaps band 'low'" in lines[0]
    assert lines[1].startswith(f"{syntax}: line 2: YAML syntax error")


def write_csv(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "ratings.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_score_prints_total_band_and_missing_per_unit_and_coder(capsys, tmp_path):
    rows = ["unit,coder,item,value"]
    # unit u1 by ann: items 1–5 rated 1..5, items 6–12 NOB -> (1+2+3+4+5)/5 = 3.0 moderate
    rows += [f"u1,ann,{item},{v}" for item, v in zip(KIPS_ITEMS, [1, 2, 3, 4, 5], strict=False)]
    rows += [f"u1,ann,{item},nob" for item in KIPS_ITEMS[5:]]  # any case
    # unit u1 by bob: 4, 4, 5 on the first three items -> 13/3 = 4.33… high, 9 missing
    rows += [f"u1,bob,{item},{v}" for item, v in zip(KIPS_ITEMS, [4, 4, 5], strict=False)]
    # unit u2 by ann: every item NOB -> no total, no band, nothing missing
    rows += [f"u2,ann,{item},NOB" for item in KIPS_ITEMS]
    code, out, err = run(
        capsys, "score", "--scheme", "kips", str(write_csv(tmp_path, rows)), "--json"
    )
    assert code == 0, err
    data = json.loads(out)
    assert [(d["unit"], d["coder"]) for d in data] == [("u1", "ann"), ("u1", "bob"), ("u2", "ann")]
    assert set(data[0]) == {"unit", "coder", "total", "band", "missing"}
    assert (data[0]["total"], data[0]["band"], data[0]["missing"]) == (3.0, "moderate", [])
    assert data[1]["total"] == pytest.approx(13 / 3)
    assert data[1]["band"] == "high"
    assert data[1]["missing"] == KIPS_ITEMS[3:]
    assert (data[2]["total"], data[2]["band"], data[2]["missing"]) == (None, None, [])
    code, out, _ = run(capsys, "score", "--scheme", "kips", str(tmp_path / "ratings.csv"))
    assert code == 0
    assert out.splitlines()[0] == "u1 / ann: 3.00 (moderate)"
    assert out.splitlines()[2] == "u2 / ann: -"


def test_score_columns_in_any_order_and_blank_values(capsys, tmp_path):
    rows = ["Value,Item,Coder,Unit,note", "5,encouragement,ann,u1,x", ",supports_emotions,ann,u1,"]
    code, out, err = run(
        capsys, "score", "--scheme", "kips", str(write_csv(tmp_path, rows)), "--json"
    )
    assert code == 0, err
    (result,) = json.loads(out)
    # one rating of 5 -> 5 / 1 = 5.0, high; the blank value leaves supports_emotions unrated
    assert (result["total"], result["band"]) == (5.0, "high")
    assert len(result["missing"]) == 11 and "supports_emotions" in result["missing"]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (["unit,coder,item", "u1,ann,encouragement"], "row 1: the header must name"),
        ([], "row 1: the header must name"),
        (["unit,coder,item,value", "u1,ann,warmth,3"], "row 2: unknown item"),
        (["unit,coder,item,value", "u1,ann,encouragement,3", "u1,ann,encouragement,9"], "row 3:"),
        (["unit,coder,item,value", "u1,ann,encouragement,3.5"], "allowed: 1–5 or NOB"),
        (["unit,coder,item,value", "u1,ann,encouragement,NA"], "'NA' is not a rating"),
        (
            ["unit,coder,item,value", "u1,ann,encouragement,3", "", "u1,ann,encouragement,4"],
            "row 4: item encouragement is rated again for unit u1 by coder ann (first in row 2)",
        ),
        (["unit,coder,item,value", ",ann,encouragement,3"], "row 2: the unit is empty"),
        (["unit,coder,item,value", "u1,ann"], "row 2: 2 values, expected 4"),
    ],
)
def test_score_bad_rows_exit_2_naming_the_row(capsys, tmp_path, rows, message):
    path = write_csv(tmp_path, rows)
    code, out, err = run(capsys, "score", "--scheme", "kips", str(path))
    assert code == 2 and out == ""
    assert str(path) in err and message in err


def test_score_needs_a_scheme_with_rating_items_and_an_existing_file(capsys, tmp_path):
    path = write_csv(tmp_path, ["unit,coder,item,value"])
    code, _, err = run(capsys, "score", "--scheme", "vig", str(path))
    assert code == 2 and "no rating items" in err
    code, _, err = run(capsys, "score", "--scheme", "kips", str(tmp_path / "none.csv"))
    assert code == 2 and "not found" in err
    code, _, err = run(capsys, "score", "--scheme", "nope", str(path))
    assert code == 2 and "known schemes" in err


def test_score_takes_a_scheme_file(capsys, tmp_path):
    path = write_csv(tmp_path, ["unit,coder,item,value", "u1,ann,encouragement,2"])
    code, out, _ = run(capsys, "score", "--scheme", str(SHIPPED / "kips.yaml"), str(path), "--json")
    # one rating of 2 -> 2.0, low
    assert code == 0 and json.loads(out)[0]["band"] == "low"
