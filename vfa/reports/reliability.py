"""The reliability report: agreement tables and a Methods section, as PDF and as CSV.

``report`` is what ``vfa.services.reliability`` or ``vfa.services.reliability_runs``
returns: a ratings report (``coders``, ``items``, ``total``, ``pooled``), an events
report (``time_unit``, ``event``), or one dict holding both sets of keys. ``methods``
adds what the report cannot know: ``scheme``, ``reference``, ``source`` (a file or the
workspace), ``viewer``, ``clips`` and free ``notes`` (a list of sentences); every key is
optional.

The PDF (A4 landscape) has a table per section: for ratings, per item and for the total
and pooled units, the agreement proportions and kappas (95% CI, Landis & Koch label),
then the ICCs, Krippendorff's alphas and Pearson r; for events, the time-unit and the
event-based summary, per-code table and confusion matrix. The Methods section names every
statistic, its weights, model and CI method, the pairing rule, the unit length and the
software.

The CSV has one row per item × statistic: ``item,statistic,value,ci_low,ci_high,label,
n_units``. Before the header come the Methods as rows ``# method:,TEXT`` (the text one
quoted cell; read the file with ``comment="#"`` in pandas, or skip lines starting with
``#``). Every cell goes through ``vfa.outputs.csv_text``: a cell a spreadsheet would run
as a formula starts with an apostrophe. Items are the
rating items, ``(total)`` and ``(pooled)``; for events ``time_unit``, ``event`` and
``time_unit:CODE`` / ``event:CODE``. Pearson r is ``pearson_r:CODER`` (against the
reference). A statistic that cannot be computed has the value ``n/a`` (pandas reads it as
missing) and empty interval and label cells.

Every view of these statistics (the window, the PDF, the CSV and the CLI text) writes
them through ``vfa.reports.statistic_text``.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import vfa
from vfa.errors import InvalidInputError
from vfa.outputs import check_target, csv_text, write_text
from vfa.reports import Fonts, install_fonts, save_pdf
from vfa.reports.statistic_text import (
    UNDEFINED,
    csv_cell,
    event_statistic,
    statistic_text,
    statistic_with_ci,
)

if TYPE_CHECKING:
    from fpdf import FPDF

MARGIN = 12.0  # mm
TOTAL = "(total)"
POOLED = "(pooled)"
CSV_COLUMNS = ("item", "statistic", "value", "ci_low", "ci_high", "label", "n_units")

STATISTIC_NAMES = {
    "exact_agreement": "Exact agreement",
    "within_one_agreement": "Within-one agreement",
    "cohen_kappa": "Cohen's kappa (unweighted)",
    "kappa_linear": "Weighted kappa, linear weights",
    "kappa_quadratic": "Weighted kappa, quadratic weights",
    "fleiss_kappa": "Fleiss' kappa",
    "icc_1_1": "ICC(1,1)",
    "icc_2_1": "ICC(2,1)",
    "icc_3_1": "ICC(3,1)",
    "alpha_nominal": "Krippendorff's alpha (nominal)",
    "alpha_ordinal": "Krippendorff's alpha (ordinal)",
    "alpha_interval": "Krippendorff's alpha (interval)",
    "pearson_r": "Pearson r against the reference coder",
    "percent_agreement": "Percent agreement",
    "kappa": "Cohen's kappa",
    "kappa_max": "Kappa max",
}
TWO_CODER = ("cohen_kappa", "kappa_linear", "kappa_quadratic")
RATING_ORDER = (
    "exact_agreement",
    "within_one_agreement",
    "cohen_kappa",
    "kappa_linear",
    "kappa_quadratic",
    "fleiss_kappa",
    "icc_1_1",
    "icc_2_1",
    "icc_3_1",
    "alpha_nominal",
    "alpha_ordinal",
    "alpha_interval",
)

RATING_METHODS = (
    "Units are the rated units (clips); a unit enters a statistic when at least two coders "
    "rated it. Special codes such as NOB are missing values for every statistic.",
    "Exact agreement and within-one agreement: per unit, the share of coder pairs whose "
    "ratings are equal, or differ by at most one scale point, averaged over the units.",
    "Cohen's kappa (two coders): unweighted, and weighted with linear weights "
    "(1 - |i - j| / range) and quadratic weights (1 - (i - j)^2 / range^2) over the "
    "scale's values (Cohen 1968). 95% CI: kappa +/- 1.96 SE, with the large-sample SE of "
    "Fleiss, Cohen & Everitt (1969), clipped to [-1, 1].",
    "Fleiss' kappa (more than two coders; Fleiss 1971). 95% CI: percentile bootstrap over units.",
    "Intraclass correlations on the units every coder rated, from the two-way ANOVA mean "
    "squares (Shrout & Fleiss 1979; McGraw & Wong 1996): ICC(1,1) one-way random effects, "
    "single rater; ICC(2,1) two-way random effects, absolute agreement, single rater "
    "(ICC(A,1)); ICC(3,1) two-way mixed effects, consistency, single rater (ICC(C,1)). "
    "95% CIs: exact F bounds for ICC(1,1) and ICC(3,1); McGraw & Wong's Satterthwaite "
    "approximation for ICC(2,1).",
    "Krippendorff's alpha at the nominal, ordinal and interval levels (krippendorff "
    "package); it uses every rating, missing values allowed. 95% CI: percentile bootstrap "
    "over units.",
    "Pearson r of each coder against the reference coder on the units both rated (at "
    "least three); 95% CI from Fisher's z.",
    "Bootstrap CIs: 1000 resamples of the units, fixed seed (the report is reproducible).",
    "Landis & Koch (1977) labels for kappas: <= 0 poor, .01-.20 slight, .21-.40 fair, "
    ".41-.60 moderate, .61-.80 substantial, .81-1 almost perfect.",
    "Total: the scheme's score per unit and coder (e.g. the KIPS mean of the items rated "
    "1-5, NOB excluded). Pooled: every (unit, item) taken as one unit.",
)

EVENT_METHODS = (
    "Timed events follow Bakeman, Quera & Gnisci (2009); both a time-based and an "
    "event-based kappa are reported.",
    "Time-unit kappa: each clip is cut into units of {unit_ms} ms over its whole duration; "
    "a unit's code is the code of the event covering its midpoint (a point event its own "
    "unit; overlapping events of one coder: the latest started), and '<none>' where no "
    "event covers it, a category like any code. Cohen's kappa over the units of all clips "
    "pooled; per code, the kappa of its presence or absence per unit.",
    "Event kappa: the two coders' events are paired one-to-one {pairing}; among the "
    "possible pairings the one of largest total weight is taken (same code 3, other code "
    "1, plus half the fit; Hungarian method). An unpaired event counts against "
    "'<nothing>'. Percent agreement and Cohen's kappa from the confusion matrix; kappa "
    "max is the largest kappa its margins allow (Umesh, Peterson & Sauber 1989).",
    "No confidence intervals for event statistics: successive time units and events are "
    "not independent, so the usual standard error would be too small.",
)


def _pairing(event: Mapping[str, Any]) -> str:
    tolerance = event.get("tolerance_ms")
    if tolerance is not None:
        return f"when their onsets differ by at most {tolerance} ms (onset tolerance)"
    overlap = event.get("overlap")
    share = f"{overlap:.0%}" if isinstance(overlap, (int, float)) else "60%"
    return (
        f"when their overlap is at least {share} of the longer event's duration, point "
        "events when their onsets differ by at most 1000 ms"
    )


def methods_lines(report: Mapping[str, Any], methods: Mapping[str, Any] | None = None) -> list[str]:
    """The Methods section as sentences: what was compared and how each statistic is made."""
    given = dict(methods or {})
    lines = []
    facts = []
    if given.get("scheme"):
        facts.append(f"coding scheme {given['scheme']}")
    if given.get("source"):
        facts.append(f"data from {given['source']}")
    if isinstance(report.get("coders"), list) and report["coders"]:
        facts.append(f"coders {', '.join(map(str, report['coders']))}")
    if given.get("reference"):
        facts.append(f"reference coder {given['reference']}")
    if given.get("clips") is not None:
        facts.append(f"{given['clips']} clip(s)")
    if facts:
        lines.append("Compared: " + "; ".join(facts) + ".")
    if "items" in report:
        lines.extend(RATING_METHODS)
    if "time_unit" in report or "event" in report:
        unit_ms = report.get("time_unit", {}).get("unit_ms", 1000)
        pairing = _pairing(report.get("event", {}))
        lines.extend(m.format(unit_ms=unit_ms, pairing=pairing) for m in EVENT_METHODS)
    lines.extend(str(note) for note in given.get("notes", []))
    version = getattr(vfa, "__version__", "unknown")
    lines.append(
        f"Software: VFA (Video Feedback Annotator) {version}; statistics in "
        "vfa.domain.agreement and vfa.domain.event_agreement (NumPy, SciPy, krippendorff). "
        f"Report written {dt.date.today().isoformat()}."
    )
    return lines


# -- rows --------------------------------------------------------------------------------


def _interval(stats: Mapping[str, Any], name: str) -> tuple[float | None, float | None]:
    ci = stats.get(f"{name}_ci")
    return (ci[0], ci[1]) if ci else (None, None)


def _rating_rows(item: str, stats: Mapping[str, Any], n_coders: int) -> list[dict[str, Any]]:
    rows = []
    labels = stats.get("landis_koch") or {}
    for name in RATING_ORDER:
        if (n_coders > 2 and name in TWO_CODER) or (n_coders <= 2 and name == "fleiss_kappa"):
            continue
        low, high = _interval(stats, name)
        rows.append(
            {
                "item": item,
                "statistic": name,
                "value": stats.get(name),
                "ci_low": low,
                "ci_high": high,
                "label": labels.get(name),
                "n_units": stats.get("n_units"),
            }
        )
    for coder, value in (stats.get("pearson_r") or {}).items():
        ci = (stats.get("pearson_r_ci") or {}).get(coder)
        rows.append(
            {
                "item": item,
                "statistic": f"pearson_r:{coder}",
                "value": value,
                "ci_low": ci[0] if ci else None,
                "ci_high": ci[1] if ci else None,
                "label": None,
                "n_units": stats.get("n_units"),
            }
        )
    return rows


def _event_rows(item: str, stats: Mapping[str, Any], n: int | None) -> list[dict[str, Any]]:
    from vfa.domain.agreement import landis_koch

    rows = []
    for name in ("percent_agreement", "kappa", "kappa_max"):
        if name not in stats:
            continue
        value = stats[name]
        rows.append(
            {
                "item": item,
                "statistic": name,
                "value": value,
                "ci_low": None,
                "ci_high": None,
                "label": landis_koch(value) if name == "kappa" else None,
                "n_units": n,
            }
        )
    return rows


def report_rows(report: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every item × statistic of a report as CSV rows (see the module's notes)."""
    rows: list[dict[str, Any]] = []
    if "items" in report:
        n_coders = len(report.get("coders") or [])
        for item, stats in report["items"].items():
            rows += _rating_rows(item, stats, n_coders)
        if report.get("total") is not None:
            rows += _rating_rows(TOTAL, report["total"], n_coders)
        if report.get("pooled") is not None:
            rows += _rating_rows(POOLED, report["pooled"], n_coders)
    for section, count in (("time_unit", "n_units"), ("event", "n_tallies")):
        stats = report.get(section)
        if stats is None:
            continue
        rows += _event_rows(section, stats, stats.get(count))
        for code, per in stats.get("per_code", {}).items():
            n = (
                per["both"] + per["first_only"] + per["second_only"] + per["neither"]
                if "both" in per
                else per.get("first", 0) + per.get("second", 0) - per.get("agreed", 0)
            )
            rows += _event_rows(f"{section}:{code}", per, n)
    return rows


def write_reliability_csv(
    out: str | os.PathLike[str],
    report: Mapping[str, Any],
    methods: Mapping[str, Any] | None = None,
    *,
    force: bool = False,
) -> Path:
    """Write the report's statistics as CSV (``# method:`` rows, then the table) through
    the one CSV writer (quoted cells, no formulas) and :mod:`vfa.outputs`."""
    check_target(out, force=force, suffixes=(".csv",))
    text = csv_text(
        CSV_COLUMNS,
        ([csv_cell(k, row.get(k)) for k in CSV_COLUMNS] for row in report_rows(report)),
        comments=[("# method:", line) for line in methods_lines(report, methods)],
    )
    return write_text(out, text, force=force, suffixes=(".csv",))


# -- PDF ---------------------------------------------------------------------------------


def _num(value: Any, places: int = 2) -> str:
    return statistic_text(value, places)


def _cell(stats: Mapping[str, Any] | None, name: str, label: bool = False) -> str:
    return statistic_with_ci(stats, name, label=label, sep="\n")


def _pearson(stats: Mapping[str, Any]) -> str:
    found = stats.get("pearson_r") or {}
    if not found:
        return UNDEFINED
    intervals = stats.get("pearson_r_ci") or {}
    parts = []
    for coder, value in found.items():
        ci = intervals.get(coder)
        text = f"{coder}: {_num(value)}"
        if ci and value is not None:
            text += f"\n[{_num(ci[0])}, {_num(ci[1])}]"
        parts.append(text)
    return "\n".join(parts)


class _Doc:
    """The PDF being written and its fonts."""

    def __init__(self, pdf: FPDF, fonts: Fonts) -> None:
        self.pdf = pdf
        self.fonts = fonts

    def heading(self, text: str, size: int = 13) -> None:
        pdf = self.pdf
        if pdf.get_y() > pdf.h - 40:
            pdf.add_page()
        pdf.ln(3)
        pdf.set_font(self.fonts.family, "B", size)
        pdf.multi_cell(0, 7, self.fonts.text(text), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(self.fonts.family, "", 9)

    def paragraph(self, text: str) -> None:
        self.pdf.set_font(self.fonts.family, "", 9)
        self.pdf.multi_cell(0, 4.6, self.fonts.text(text), new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(1)

    def table(self, rows: Sequence[Sequence[str]], widths: Sequence[float], size: int = 8) -> None:
        pdf = self.pdf
        pdf.set_font(self.fonts.family, "", size)
        with pdf.table(
            col_widths=tuple(widths),
            line_height=size * 0.45,
            text_align="LEFT",
            first_row_as_headings=True,
            headings_style=_headings(self.fonts.family, size),
        ) as table:
            for values in rows:
                row = table.row()
                for value in values:
                    row.cell(self.fonts.text(value))
        pdf.ln(2)


def _headings(family: str, size: int) -> Any:
    from fpdf.fonts import FontFace

    return FontFace(family=family, emphasis="BOLD", size_pt=size, fill_color=(225, 225, 225))


def _ratings(doc: _Doc, report: Mapping[str, Any]) -> None:
    coders = list(report.get("coders") or [])
    many = len(coders) > 2
    units: list[tuple[str, Mapping[str, Any] | None]] = list(report["items"].items())
    if report.get("total") is not None:
        units.append(("Total (scheme score)", report["total"]))
    if report.get("pooled") is not None:
        units.append(("Pooled (all items)", report["pooled"]))
    doc.heading("Item ratings: agreement and kappas")
    kappas = ("fleiss_kappa",) if many else TWO_CODER
    head = ["Item", "n", "Exact agreement", "Within-one agreement"]
    head += [STATISTIC_NAMES[k] for k in kappas]
    rows = [head]
    for name, stats in units:
        row = [name, str((stats or {}).get("n_units", 0))]
        row += [
            _num((stats or {}).get("exact_agreement")),
            _num((stats or {}).get("within_one_agreement")),
        ]
        row += [_cell(stats, k, label=True) for k in kappas]
        rows.append(row)
    doc.table(rows, [52, 10, 22, 22] + [34] * len(kappas))
    doc.heading("Item ratings: intraclass correlations, alphas, Pearson r")
    head = ["Item", "ICC(1,1)", "ICC(2,1)", "ICC(3,1)"]
    head += ["Alpha (nominal)", "Alpha (ordinal)", "Alpha (interval)", "Pearson r"]
    rows = [head]
    for name, stats in units:
        row = [name]
        row += [_cell(stats, k) for k in ("icc_1_1", "icc_2_1", "icc_3_1")]
        row += [_cell(stats, k) for k in ("alpha_nominal", "alpha_ordinal", "alpha_interval")]
        row.append(_pearson(stats or {}))
        rows.append(row)
    doc.table(rows, [52, 30, 30, 30, 30, 30, 30, 38])


def _confusion(doc: _Doc, confusion: Mapping[str, Any], what: str) -> None:
    labels = [str(x) for x in confusion.get("labels", [])]
    counts = confusion.get("counts", [])
    if not labels:
        return
    doc.paragraph(f"Confusion matrix ({what}): rows the first coder, columns the second.")
    rows = [["", *labels]]
    rows += [[label, *(str(c) for c in counts[n])] for n, label in enumerate(labels)]
    first = 40.0
    width = min(30.0, (doc.pdf.w - 2 * MARGIN - first) / max(1, len(labels)))
    doc.table(rows, [first] + [width] * len(labels), size=7)


def _events(doc: _Doc, report: Mapping[str, Any]) -> None:
    time_unit = report.get("time_unit")
    if time_unit is not None:
        doc.heading(f"Timed events: time-unit agreement ({time_unit.get('unit_ms')} ms units)")
        rows = [["Time units", "Percent agreement", "Cohen's kappa", "Kappa max", "Label"]]
        kappa = time_unit.get("kappa")
        from vfa.domain.agreement import landis_koch

        rows.append(
            [
                str(time_unit.get("n_units")),
                event_statistic(time_unit, "percent_agreement"),
                event_statistic(time_unit, "kappa"),
                event_statistic(time_unit, "kappa_max"),
                landis_koch(kappa) or UNDEFINED,
            ]
        )
        doc.table(rows, [40, 40, 40, 40, 40])
        per_code = time_unit.get("per_code", {})
        if per_code:
            rows = [["Code", "Both", "First only", "Second only", "Neither", "Agreement", "Kappa"]]
            for code, per in per_code.items():
                rows.append(
                    [
                        code,
                        str(per["both"]),
                        str(per["first_only"]),
                        str(per["second_only"]),
                        str(per["neither"]),
                        _num(per["percent_agreement"]),
                        _num(per["kappa"]),
                    ]
                )
            doc.table(rows, [60, 25, 25, 25, 25, 30, 30])
        _confusion(doc, time_unit.get("confusion", {}), "time units")
    event = report.get("event")
    if event is not None:
        doc.heading("Timed events: event-based agreement (" + _pairing(event) + ")", size=12)
        unmatched = event.get("unmatched", {})
        rows = [["Tallies", "Matched", "Unmatched (first / second)", "Percent agreement"]]
        rows[0] += ["Cohen's kappa", "Kappa max"]
        rows.append(
            [
                str(event.get("n_tallies")),
                str(event.get("matched")),
                f"{unmatched.get('first', 0)} / {unmatched.get('second', 0)}",
                event_statistic(event, "percent_agreement"),
                event_statistic(event, "kappa"),
                event_statistic(event, "kappa_max"),
            ]
        )
        doc.table(rows, [30, 30, 50, 40, 40, 40])
        per_code = event.get("per_code", {})
        if per_code:
            rows = [["Code", "First", "Second", "Agreed", "Agreement", "Kappa"]]
            for code, per in per_code.items():
                rows.append(
                    [
                        code,
                        str(per["first"]),
                        str(per["second"]),
                        str(per["agreed"]),
                        _num(per["percent_agreement"]),
                        _num(per["kappa"]),
                    ]
                )
            doc.table(rows, [60, 25, 25, 25, 30, 30])
        _confusion(doc, event.get("confusion", {}), "events")


def write_reliability_pdf(
    out: str | os.PathLike[str],
    report: Mapping[str, Any],
    methods: Mapping[str, Any] | None,
    title: str,
    *,
    force: bool = False,
) -> Path:
    """Write the reliability report PDF to ``out`` (atomically) and return its path."""
    if "items" not in report and "time_unit" not in report and "event" not in report:
        raise InvalidInputError("a reliability report needs item ratings or timed events")
    from fpdf import FPDF

    class _Report(FPDF):
        def footer(self) -> None:
            self.set_y(-10)
            self.set_font(fonts.family, "", 7)
            self.set_text_color(110)
            self.cell(0, 5, fonts.text(f"{title} - page {self.page_no()}"), align="C")
            self.set_text_color(0)

    pdf = _Report(orientation="L", unit="mm", format="A4")
    fonts = install_fonts(pdf)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=14)
    pdf.set_title(fonts.text(title))
    pdf.set_creator(f"VFA {getattr(vfa, '__version__', '')}".strip())
    pdf.add_page()
    doc = _Doc(pdf, fonts)
    pdf.set_font(fonts.family, "B", 17)
    pdf.multi_cell(0, 9, fonts.text(title), new_x="LMARGIN", new_y="NEXT")
    given = dict(methods or {})
    summary = [f"{k}: {given[k]}" for k in ("scheme", "source", "reference") if given.get(k)]
    if report.get("coders") and isinstance(report["coders"], list):
        summary.append("coders: " + ", ".join(map(str, report["coders"])))
    if summary:
        doc.paragraph("; ".join(summary))
    if "items" in report:
        _ratings(doc, report)
    if "time_unit" in report or "event" in report:
        _events(doc, report)
    doc.heading("Methods")
    for line in methods_lines(report, methods):
        doc.paragraph(line)
    return save_pdf(pdf, out, force=force)
