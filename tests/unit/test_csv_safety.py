"""Every CSV VFA writes goes through one writer: cells are quoted as needed and a cell a
spreadsheet would run as a formula is plain text; numbers stay numbers."""

from __future__ import annotations

import csv
import io
import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vfa.cli import main
from vfa.outputs import csv_text, safe_cell
from vfa.reports import reliability as rel
from vfa.services import assignments as asg
from vfa.services import clips as clip_service
from vfa.services import coding
from vfa.services.schemes import get_scheme
from vfa.storage.workspace import open_workspace

TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
NUMBER = re.compile(r"^ *[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)? *$")


def runs_as_formula(cell: str) -> bool:
    """What a spreadsheet would evaluate: a cell starting (after spaces) with a trigger
    that is not simply a number."""
    first = cell.lstrip(" ")[:1]
    return bool(first) and first in TRIGGERS and not NUMBER.match(cell)


def parse(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


cells = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1",
                     "\r=1", " =1", "-0.25", "+3", "1e-5", "-", "=", ",=1,", "\"=1\""]),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.none(),
)  # fmt: skip


@given(rows=st.lists(st.lists(cells, min_size=3, max_size=3), max_size=6),
       comments=st.lists(st.text(max_size=40), max_size=3))  # fmt: skip
def test_no_cell_runs_and_every_value_reads_back(rows, comments):
    text = csv_text(["a", "b", "c"], rows, comments=[("# method:", c) for c in comments])
    lines = text.split("\r\n")
    for n in range(len(comments)):
        assert lines[n].startswith("# method:,")  # a comment line stays one line
    parsed = parse(text)
    assert len(parsed) == len(comments) + 1 + len(rows)
    for row in parsed:
        assert not any(runs_as_formula(cell) for cell in row), row
    for (_label, got), want in zip(parsed[: len(comments)], comments, strict=True):
        assert got in (" ".join(want.split()), "'" + " ".join(want.split()))
    for got_row, want_row in zip(parsed[len(comments) + 1 :], rows, strict=True):
        for got, want in zip(got_row, want_row, strict=True):
            if want is None:
                assert got == ""
            elif isinstance(want, int | float):
                assert float(got) == want or math.isclose(float(got), want)  # still a number
            elif runs_as_formula(want):
                assert got == "'" + want
            else:
                assert got == want


@pytest.mark.parametrize("value", [-3, -0.25, "-0.25", "-12", "+4", " 5"])
def test_numbers_stay_numbers(value):
    assert safe_cell(value) == value


@pytest.mark.parametrize("value", ["=1+1", "-1+1", "+A1", "@x", "\t=1", "\r=1", " =1", "-"])
def test_formulas_become_text(value):
    assert safe_cell(value) == "'" + value


def test_the_reliability_csv_of_a_workspace_with_a_comma_in_its_path_runs_nothing(
    capsys, clips, tmp_path
):
    folder = tmp_path / 'visits,=HYPERLINK("evil.example","open")'
    folder.mkdir()
    ws_path = folder / "ws.vfa"
    ws = open_workspace(ws_path, create=True)
    kips = get_scheme("kips")
    try:
        for n in range(2):
            clip_service.add_clip(ws, clips["cfr25"], "FAM-1", f"Visit {n}")
        for run in asg.assign(ws, asg.catalogue_clips(ws)[:2], kips, ["Rita", "Tess"]):
            for n, item in enumerate(kips.ratings.items):
                coding.set_rating(ws, run.id, kips, item.id, 1 + (n + run.clip_id) % 5)
            coding.submit_run(ws, run.id)
    finally:
        ws.close()
    out = tmp_path / "report.csv"
    code = main(["reliability-report", "--scheme", "kips", "-o", str(out),
                 "--workspace", str(ws_path)])  # fmt: skip
    assert code == 0, capsys.readouterr().err
    parsed = parse(out.read_text(encoding="utf-8"))
    methods = [row for row in parsed if row[0] == "# method:"]
    assert methods and all(len(row) == 2 for row in methods)  # one quoted cell each
    assert any("HYPERLINK" in row[1] for row in methods)
    assert not any(runs_as_formula(cell) for row in parsed for cell in row)
    header = parsed.index(list(rel.CSV_COLUMNS))
    assert all(len(row) == len(rel.CSV_COLUMNS) for row in parsed[header:])
