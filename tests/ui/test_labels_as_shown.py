"""A kappa's Landis & Koch label is that of the value as every view shows it (two
decimals): the published table's bounds are two-decimal (.41-.60 moderate, .61-.80
substantial), so a kappa of 0.6047, shown as 0.60, is "moderate" in the JSON, the CLI
text, the window, the PDF and the CSV, never "substantial" beside a 0.60."""

from __future__ import annotations

import csv
import json

import pytest
from pypdf import PdfReader

from tests.ui.test_statistic_registry import window_cells
from vfa.cli import main
from vfa.domain.rating_statistics import statistics
from vfa.reports import reliability as rel
from vfa.services.reliability import ratings_report

# 17 units rated 1 or 2 by A and B: both 1 on 2 units, A 2 and B 1 on 2, both 2 on 13
PAIRS = [(1, 1)] * 2 + [(2, 1)] * 2 + [(2, 2)] * 13
# Cohen's kappa by hand: p_o = 15/17; A's margins 2/17, 15/17, B's 4/17, 13/17, so
# p_e = (2·4 + 15·13) / 17² = 203/289 and kappa = (255 - 203) / (289 - 203) = 52/86
KAPPA = 52 / 86  # 0.6047: above .60, shown as 0.60


@pytest.fixture
def ratings(tmp_path):
    path = tmp_path / "r.csv"
    rows = [f"u{n},A,i1,{a}\nu{n},B,i1,{b}" for n, (a, b) in enumerate(PAIRS)]
    path.write_text("unit,coder,item,value\n" + "\n".join(rows) + "\n")
    return path


def cli(capsys, *argv: object) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_edge_kappa_is_shown_as_0_60_and_labelled_moderate_everywhere(
    ratings, capsys, qtbot, workspace, tmp_path
):
    assert 0.60 < KAPPA < 0.605
    for argv in (("--json", "reliability", ratings), ("reliability", ratings, "--json")):
        code, out, err = cli(capsys, *argv)
        assert (code, err) == (0, "")
        item = json.loads(out)["items"]["i1"]
        for key in ("cohen_kappa", "kappa_linear", "kappa_quadratic"):  # two values: all equal
            assert item[key] == pytest.approx(KAPPA)
            assert item["landis_koch"][key] == "moderate"
    code, out, _ = cli(capsys, "reliability", ratings)
    shown = [s.key for s in statistics("cli")]  # the text's columns after item and n
    row = out.splitlines()[2].split()
    assert code == 0 and row[2 + shown.index("kappa_quadratic")] == "0.60"

    agreement = ratings_report(ratings)
    cell = window_cells(qtbot, workspace, agreement)["κ quadratic"]
    assert cell.text() == "0.60" and cell.toolTip().endswith(" moderate")

    out = rel.write_reliability_csv(tmp_path / "report.csv", agreement)
    with out.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(line for line in fh if not line.startswith("#")))
    found = next(r for r in rows if (r["item"], r["statistic"]) == ("i1", "cohen_kappa"))
    assert float(found["value"]) == pytest.approx(KAPPA) and found["label"] == "moderate"
    pdf = rel.write_reliability_pdf(tmp_path / "r.pdf", agreement, None, "Edge")
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(pdf).pages).split())
    labelled = [s for s in statistics("report") if s.landis_koch and s.applies(2)]
    cells = len(labelled) * len(agreement.rows())  # i1 and the pooled units
    # each kappa cell says moderate; the Methods' table of labels names each label once
    assert text.count("moderate") == cells + 1 and text.count("substantial") == 1
