"""The reliability report: agreement tables and a Methods section, as PDF and as CSV.

``report`` is a ``Content``: ratings agreement (``RatingsAgreement``, as
``vfa.services.reliability`` and ``vfa.services.reliability_runs`` return it) and/or
agreement on timed events (``EventsAgreement``, as ``vfa.services.reliability`` and
``vfa.services.event_reliability`` return it); either alone is taken as the one part.
``methods``
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
them through ``vfa.reports.statistic_text`` and lists them from the registry
(``vfa.domain.rating_statistics``): a statistic registered there gets its columns, rows
and Methods sentence here without any change to this module.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import vfa
from vfa.domain.agreement import landis_koch
from vfa.domain.event_results import (
    CodePresence,
    ConfusionTable,
    EventBasedAgreement,
    EventsAgreement,
    TimeUnitAgreement,
)
from vfa.domain.rating_statistics import Statistic, statistics
from vfa.domain.ratings_agreement import POOLED, TOTAL, ItemAgreement, RatingsAgreement
from vfa.errors import InvalidInputError
from vfa.outputs import check_target, csv_text, write_text
from vfa.reports import Fonts, save_pdf
from vfa.reports.statistic_text import (
    UNDEFINED,
    csv_cell,
    estimate_text,
    event_statistic,
    methods_lines,
    pairing_text,
    statistic_text,
)

if TYPE_CHECKING:
    from fpdf import FPDF

MARGIN = 12.0  # mm
CSV_COLUMNS = ("item", "statistic", "value", "ci_low", "ci_high", "label", "n_units")


@dataclass(frozen=True)
class Content:
    """What a report shows: ratings agreement and/or agreement on timed events."""

    ratings: RatingsAgreement | None = None
    events: EventsAgreement | None = None

    @property
    def coders(self) -> list[str]:
        """The coders compared: the ratings', else every coder of the events."""
        if self.ratings is not None:
            return list(self.ratings.coders)
        return list(self.events.coders) if self.events is not None else []

    def methods(self, given: Mapping[str, Any] | None) -> list[str]:
        """The Methods section of this content."""
        return methods_lines(self.coders, self.ratings is not None, self.events, given)


Agreements = Content | RatingsAgreement | EventsAgreement  # what the writers take


def as_content(report: Agreements) -> Content:
    """A report's content: ratings agreement, agreement on events, or both."""
    if isinstance(report, Content):
        return report
    if isinstance(report, RatingsAgreement):
        return Content(ratings=report)
    return Content(events=report)


# -- rows --------------------------------------------------------------------------------


def _reported(n_coders: int) -> tuple[Statistic, ...]:
    """The registered statistics a report shows for this many coders."""
    return tuple(s for s in statistics("report") if s.applies(n_coders))


def _rating_rows(stats: ItemAgreement, n_coders: int) -> list[dict[str, Any]]:
    rows = []
    for statistic in _reported(n_coders):
        found = stats.get(statistic.key)
        low, high = found.ci if found.ci is not None else (None, None)
        rows.append(
            {
                "item": stats.item,
                "statistic": statistic.key,
                "value": found.value,
                "ci_low": low,
                "ci_high": high,
                "label": found.label,
                "n_units": stats.n_units,
            }
        )
    for r in stats.correlations or ():
        rows.append(
            {
                "item": stats.item,
                "statistic": f"pearson_r:{r.coder}",
                "value": r.value,
                "ci_low": r.ci[0] if r.ci else None,
                "ci_high": r.ci[1] if r.ci else None,
                "label": None,
                "n_units": stats.n_units,
            }
        )
    return rows


def _event_rows(
    item: str, values: Sequence[tuple[str, float | None]], n: int
) -> list[dict[str, Any]]:
    """An event section's (or code's) statistics as rows; a kappa gets its label."""
    return [
        {
            "item": item,
            "statistic": name,
            "value": value,
            "ci_low": None,
            "ci_high": None,
            "label": landis_koch(value) if name == "kappa" else None,
            "n_units": n,
        }
        for name, value in values
    ]


def _section_rows(
    section: str, stats: TimeUnitAgreement | EventBasedAgreement, n: int
) -> list[dict[str, Any]]:
    """A section's statistics, then each code's (its units or tallies as ``n_units``)."""
    pooled = [("percent_agreement", stats.percent_agreement), ("kappa", stats.kappa)]
    rows = _event_rows(section, [*pooled, ("kappa_max", stats.kappa_max)], n)
    for per in stats.per_code:
        count = per.n_units if isinstance(per, CodePresence) else per.n_tallies
        own = [("percent_agreement", per.percent_agreement), ("kappa", per.kappa)]
        rows += _event_rows(f"{section}:{per.code}", own, count)
    return rows


def report_rows(report: Agreements) -> list[dict[str, Any]]:
    """Every item × statistic of a report as CSV rows (see the module's notes)."""
    content = as_content(report)
    rows: list[dict[str, Any]] = []
    if content.ratings is not None:
        for item in content.ratings.rows():
            rows += _rating_rows(item, content.ratings.n_coders)
    events = content.events
    if events is not None:
        rows += _section_rows("time_unit", events.time_unit, events.time_unit.n_units)
        rows += _section_rows("event", events.event, events.event.n_tallies)
    return rows


def write_reliability_csv(
    out: str | os.PathLike[str],
    report: Agreements,
    methods: Mapping[str, Any] | None = None,
    *,
    force: bool = False,
) -> Path:
    """Write the report's statistics as CSV (``# method:`` rows, then the table) through
    the one CSV writer (quoted cells, no formulas) and :mod:`vfa.outputs`."""
    check_target(out, force=force, suffixes=(".csv",))
    content = as_content(report)
    text = csv_text(
        CSV_COLUMNS,
        ([csv_cell(k, row.get(k)) for k in CSV_COLUMNS] for row in report_rows(content)),
        comments=[("# method:", line) for line in content.methods(methods)],
    )
    return write_text(out, text, force=force, suffixes=(".csv",))


# -- PDF ---------------------------------------------------------------------------------


def _pearson(stats: ItemAgreement) -> str:
    if not stats.correlations:
        return UNDEFINED
    parts = []
    for r in stats.correlations:
        text = f"{r.coder}: {statistic_text(r.value)}"
        if r.ci and r.value is not None:
            text += f"\n[{statistic_text(r.ci[0])}, {statistic_text(r.ci[1])}]"
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


def _widths(fixed: Sequence[float], wanted: Sequence[float], room: float) -> list[float]:
    """Column widths: the fixed ones, then the wanted ones shrunk to fit the page."""
    spare = room - sum(fixed)
    scale = min(1.0, spare / sum(wanted)) if wanted else 1.0
    return [*fixed, *(w * scale for w in wanted)]


def _ratings(doc: _Doc, ratings: RatingsAgreement) -> None:
    shown = _reported(ratings.n_coders)
    first = [s for s in shown if s.table == "agreement"]
    second = [s for s in shown if s.table != "agreement"]
    names = {TOTAL: "Total (scheme score)", POOLED: "Pooled (all items)"}
    rows_of = [(names.get(i.item, i.item), i) for i in ratings.rows()]
    room = doc.pdf.w - 2 * MARGIN
    doc.heading("Item ratings: agreement and kappas")
    rows = [["Item", "n", *(s.title for s in first)]]
    for name, stats in rows_of:
        row = [name, str(stats.n_units)]
        row += [estimate_text(stats.get(s.key), label=True, sep="\n") for s in first]
        rows.append(row)
    doc.table(rows, _widths([52, 10], [s.width for s in first], room))
    doc.heading("Item ratings: intraclass correlations, alphas, Pearson r")
    rows = [["Item", *(s.title for s in second), "Pearson r"]]
    for name, stats in rows_of:
        row = [name, *(estimate_text(stats.get(s.key), sep="\n") for s in second)]
        row.append(_pearson(stats))
        rows.append(row)
    doc.table(rows, _widths([52], [*(s.width for s in second), 38], room))


def _confusion(doc: _Doc, confusion: ConfusionTable, what: str) -> None:
    labels = list(confusion.labels)
    if not labels:
        return
    doc.paragraph(f"Confusion matrix ({what}): rows the first coder, columns the second.")
    rows = [["", *labels]]
    rows += [[label, *(str(c) for c in confusion.counts[n])] for n, label in enumerate(labels)]
    first = 40.0
    width = min(30.0, (doc.pdf.w - 2 * MARGIN - first) / max(1, len(labels)))
    doc.table(rows, [first] + [width] * len(labels), size=7)


def _events(doc: _Doc, events: EventsAgreement) -> None:
    time_unit = events.time_unit
    doc.heading(f"Timed events: time-unit agreement ({time_unit.unit_ms} ms units)")
    rows = [["Time units", "Percent agreement", "Cohen's kappa", "Kappa max", "Label"]]
    rows.append(
        [
            str(time_unit.n_units),
            event_statistic(time_unit, time_unit.percent_agreement),
            event_statistic(time_unit, time_unit.kappa),
            event_statistic(time_unit, time_unit.kappa_max),
            landis_koch(time_unit.kappa) or UNDEFINED,
        ]
    )
    doc.table(rows, [40, 40, 40, 40, 40])
    if time_unit.per_code:
        rows = [["Code", "Both", "First only", "Second only", "Neither", "Agreement", "Kappa"]]
        for presence in time_unit.per_code:
            rows.append(
                [
                    presence.code,
                    str(presence.both),
                    str(presence.first_only),
                    str(presence.second_only),
                    str(presence.neither),
                    statistic_text(presence.percent_agreement),
                    statistic_text(presence.kappa),
                ]
            )
        doc.table(rows, [60, 25, 25, 25, 25, 30, 30])
    _confusion(doc, time_unit.confusion, "time units")
    event = events.event
    doc.heading(
        "Timed events: event-based agreement (" + pairing_text(event.pairing) + ")", size=12
    )
    rows = [["Tallies", "Matched", "Unmatched (first / second)", "Percent agreement"]]
    rows[0] += ["Cohen's kappa", "Kappa max"]
    rows.append(
        [
            str(event.n_tallies),
            str(event.matched),
            f"{event.unmatched_first} / {event.unmatched_second}",
            event_statistic(event, event.percent_agreement),
            event_statistic(event, event.kappa),
            event_statistic(event, event.kappa_max),
        ]
    )
    doc.table(rows, [30, 30, 50, 40, 40, 40])
    if event.per_code:
        rows = [["Code", "First", "Second", "Agreed", "Agreement", "Kappa"]]
        for code in event.per_code:
            rows.append(
                [
                    code.code,
                    str(code.first),
                    str(code.second),
                    str(code.agreed),
                    statistic_text(code.percent_agreement),
                    statistic_text(code.kappa),
                ]
            )
        doc.table(rows, [60, 25, 25, 25, 30, 30])
    _confusion(doc, event.confusion, "events")


def write_reliability_pdf(
    out: str | os.PathLike[str],
    report: Agreements,
    methods: Mapping[str, Any] | None,
    title: str,
    *,
    force: bool = False,
) -> Path:
    """Write the reliability report PDF to ``out`` (atomically) and return its path."""
    content = as_content(report)
    if content.ratings is None and content.events is None:
        raise InvalidInputError("a reliability report needs item ratings or timed events")
    from vfa.reports.document import Document

    class _Report(Document):
        def footer(self) -> None:
            self.set_y(-10)
            self.set_font(fonts.family, "", 7)
            self.set_text_color(110)
            self.cell(0, 5, fonts.text(f"{title} - page {self.page_no()}"), align="C")
            self.set_text_color(0)

    pdf = _Report(orientation="L", unit="mm", format="A4")
    fonts = pdf.typeface
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
    if content.coders:
        summary.append("coders: " + ", ".join(content.coders))
    if summary:
        doc.paragraph("; ".join(summary))
    if content.ratings is not None:
        _ratings(doc, content.ratings)
    if content.events is not None:
        _events(doc, content.events)
    doc.heading("Methods")
    for line in content.methods(methods):
        doc.paragraph(line)
    return save_pdf(pdf, out, force=force)
