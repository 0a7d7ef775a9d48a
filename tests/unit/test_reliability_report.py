"""The reliability report: PDF pages, tables and Methods text; CSV rows read back."""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import pytest
from pypdf import PdfReader

import vfa
from vfa.domain.agreement import landis_koch
from vfa.errors import InvalidInputError
from vfa.reports import reliability as rel
from vfa.services.reliability import events_report, ratings_report

RATINGS = {  # unit -> (A, B, C) on item i1; i2 is 1 point off for C
    "u1": (1, 1, 2),
    "u2": (2, 3, 2),
    "u3": (4, 4, 4),
    "u4": (5, 4, 5),
    "u5": (3, 3, "NOB"),
    "u6": (2, 2, 1),
}


def ratings_file(tmp_path: Path, coders: str = "AB") -> Path:
    rows = ["unit,coder,item,value"]
    for unit, values in RATINGS.items():
        for coder, value in zip("ABC", values, strict=True):
            if coder in coders:
                rows.append(f"{unit},{coder},i1,{value}")
                second = value if value == "NOB" or coder != "C" else value + 1
                rows.append(f"{unit},{coder},i2,{second}")
    path = tmp_path / "ratings.csv"
    path.write_text("\n".join(rows) + "\n")
    return path


def events_file(tmp_path: Path) -> Path:
    rows = [
        "unit,coder,code,start_ms,end_ms,duration_ms",
        "c1,A,look,0,2000,8000",
        "c1,B,look,200,2000,8000",
        "c1,A,smile,3000,,8000",
        "c1,B,look,3100,4000,8000",
        "c1,A,look,6000,7000,8000",
    ]
    path = tmp_path / "events.csv"
    path.write_text("\n".join(rows) + "\n")
    return path


def pdf_text(path: Path) -> tuple[int, str]:
    reader = PdfReader(path)
    text = "\n".join(page.extract_text() for page in reader.pages)
    return len(reader.pages), " ".join(text.split())


def read_back(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    comments = [line for line in lines if line.startswith("#")]
    body = [line for line in lines if not line.startswith("#")]
    return comments, list(csv.DictReader(io.StringIO("\n".join(body))))


def test_the_pdf_has_the_tables_and_names_every_method(tmp_path):
    agreement = ratings_report(ratings_file(tmp_path), reference="A")
    report = agreement.as_dict()
    out = rel.write_reliability_pdf(
        tmp_path / "r.pdf", agreement, {"scheme": "test scale", "reference": "A"}, "Reliability"
    )
    pages, text = pdf_text(out)
    assert pages >= 2
    for needle in (
        "Reliability",
        "Methods",
        "Exact agreement",
        "Within-one agreement",
        "Weighted kappa, quadratic weights",
        "quadratic weights (1 - (i - j)^2 / range^2)",
        "ICC(2,1) two-way random effects, absolute agreement, single rater",
        "ICC(3,1) two-way mixed effects, consistency",
        "Satterthwaite",
        "Krippendorff's alpha",
        "percentile bootstrap",
        "Fisher's z",
        "Landis & Koch",
        f"VFA (Video Feedback Annotator) {vfa.__version__}",
        "reference coder A",
    ):
        assert needle in text, needle
    kq = report["items"]["i1"]["kappa_quadratic"]
    assert f"{kq:.2f}" in text
    assert landis_koch(kq) in text


def test_the_pdf_of_events_has_both_kappas_confusion_and_the_pairing(tmp_path):
    report = events_report(events_file(tmp_path), unit_ms=500, tolerance_ms=2000)
    out = rel.write_reliability_pdf(tmp_path / "e.pdf", report, None, "Event reliability")
    _, text = pdf_text(out)
    assert "time-unit agreement (500 ms units)" in text
    assert "units of 500 ms" in text
    assert "onsets differ by at most 2000 ms (onset tolerance)" in text
    assert "Confusion matrix (events)" in text and "Confusion matrix (time units)" in text
    assert "<nothing>" in text and "<none>" in text
    assert "Kappa max" in text and "Bakeman, Quera & Gnisci" in text


def test_a_report_without_data_is_refused(tmp_path):
    with pytest.raises(InvalidInputError):
        rel.write_reliability_pdf(tmp_path / "x.pdf", rel.Content(), None, "Empty")


def test_the_csv_reads_back_to_the_report(tmp_path):
    agreement = ratings_report(ratings_file(tmp_path), reference="A")
    report = agreement.as_dict()
    out = rel.write_reliability_csv(tmp_path / "r.csv", agreement, {"scheme": "test scale"})
    comments, rows = read_back(out)
    # each method is one row: the label, then the sentence as one (quoted) cell
    assert comments and all(line.startswith("# method:,") for line in comments)
    assert any("ICC(2,1) two-way random effects" in line for line in comments)
    assert list(rows[0]) == list(rel.CSV_COLUMNS)
    by_key = {(r["item"], r["statistic"]): r for r in rows}
    for item, stats in [
        *report["items"].items(),
        ("(total)", None),
        ("(pooled)", report["pooled"]),
    ]:
        if stats is None:
            assert not any(r["item"] == item for r in rows)  # no scheme: no total
            continue
        for name in ("exact_agreement", "kappa_quadratic", "icc_2_1", "alpha_ordinal"):
            row = by_key[(item, name)]
            value = stats[name]
            assert (float(row["value"]) if row["value"] else None) == value
            assert int(row["n_units"]) == stats["n_units"]
            ci = stats.get(f"{name}_ci")
            if ci:
                assert [float(row["ci_low"]), float(row["ci_high"])] == ci
        assert by_key[(item, "kappa_quadratic")]["label"] == (
            stats["landis_koch"]["kappa_quadratic"] or ""
        )
        r_b = by_key[(item, "pearson_r:B")]["value"]
        assert math.isclose(float(r_b), stats["pearson_r"]["B"])
    assert not any(r["statistic"] == "fleiss_kappa" for r in rows)  # two coders


def test_with_three_coders_the_csv_has_fleiss_not_cohen(tmp_path):
    agreement = ratings_report(ratings_file(tmp_path, "ABC"))
    report = agreement.as_dict()
    _, rows = read_back(rel.write_reliability_csv(tmp_path / "r3.csv", agreement))
    statistics = {r["statistic"] for r in rows}
    assert "fleiss_kappa" in statistics and "cohen_kappa" not in statistics
    fleiss = next(r for r in rows if r["item"] == "i1" and r["statistic"] == "fleiss_kappa")
    assert float(fleiss["value"]) == report["items"]["i1"]["fleiss_kappa"]


def test_the_events_csv_has_time_unit_and_event_rows(tmp_path):
    report = events_report(events_file(tmp_path), unit_ms=1000, overlap=0.6)
    comments, rows = read_back(rel.write_reliability_csv(tmp_path / "e.csv", report))
    by_key = {(r["item"], r["statistic"]): r for r in rows}
    time_kappa = report.time_unit.kappa
    assert float(by_key[("time_unit", "kappa")]["value"]) == time_kappa
    assert by_key[("time_unit", "kappa")]["label"] == landis_koch(time_kappa)
    assert int(by_key[("time_unit", "kappa")]["n_units"]) == report.time_unit.n_units
    assert int(by_key[("event", "kappa_max")]["n_units"]) == report.event.n_tallies
    look = report.event.code("look")
    assert float(by_key[("event:look", "percent_agreement")]["value"]) == look.percent_agreement
    assert any("overlap is at least 60%" in line for line in comments)
    assert any("units of 1000 ms" in line for line in comments)
