"""The supervisor's reliability window: agreement on ratings, the disagreements between
two coders' events on a clip, each coder against the reference over time, and blind
double-coding assignments. Everything is computed by the services (which keep blind runs
blind) off the GUI thread."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from vfa.errors import VfaError
from vfa.services import assignments, certification, event_reliability, reliability_runs
from vfa.services.reliability_report import build_report, write_report
from vfa.services.schemes import available_schemes, get_scheme
from vfa.storage.workspace import Workspace
from vfa.ui.disagreement import DisagreementView
from vfa.ui.tasks import TaskContext, run_task

# (column title, key in a statistics dict)
COLUMNS = [
    ("Units", "n_units"),
    ("Exact", "exact_agreement"),
    ("±1", "within_one_agreement"),
    ("κ", "cohen_kappa"),
    ("κ linear", "kappa_linear"),
    ("κ quadratic", "kappa_quadratic"),
    ("Fleiss κ", "fleiss_kappa"),
    ("ICC(2,1)", "icc_2_1"),
    ("ICC(3,1)", "icc_3_1"),
    ("α ordinal", "alpha_ordinal"),
]


def shown(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, int):
        return str(value)
    return f"{value:.2f}"


def item_names(scheme_id: str) -> dict[str, str]:
    """Item and grid-scale ids → the names the scheme gives them."""
    try:
        scheme = get_scheme(scheme_id)
    except VfaError:
        return {}
    names = {i.id: i.name for i in scheme.ratings.items} if scheme.ratings else {}
    for grid in scheme.grids:
        for member in grid.members:
            names.update({s.id: s.name for s in member.scales})
    return names


class RatingsTab(QWidget):
    """Per item, total and pooled agreement on the scheme's ratings."""

    def __init__(self, owner: ReliabilityWindow) -> None:
        super().__init__()
        self.owner = owner
        self.reference = QComboBox()
        self.reference.setEditable(True)
        edit = self.reference.lineEdit()
        assert edit is not None  # an editable combo box has one
        edit.setPlaceholderText(self.tr("reference coder (optional)"))
        self.show_button = QPushButton(self.tr("Compute"))
        self.show_button.clicked.connect(self.compute)
        self.report_button = QPushButton(self.tr("Report…"))
        self.report_button.clicked.connect(self.save_report)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS) + 2)
        self.table.setObjectName("ratingsAgreement")
        self.table.setHorizontalHeaderLabels(
            [self.tr("Item"), *[t for t, _ in COLUMNS], self.tr("r vs reference")]
        )
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        top = QHBoxLayout()
        top.addWidget(self.reference, 1)
        top.addWidget(self.show_button)
        top.addWidget(self.report_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)
        self.result: dict[str, Any] | None = None

    def compute(self) -> None:
        ws, scheme_id, viewer = self.owner.ws, self.owner.scheme_id(), self.owner.viewer()
        reference = self.reference.currentText().strip() or None

        def work(_ctx: TaskContext) -> dict[str, Any]:
            return reliability_runs.ratings_agreement(ws, scheme_id, viewer, reference=reference)

        self.owner.run(self.tr("Computing agreement…"), work, self.show_result)

    def show_result(self, result: dict[str, Any]) -> None:
        self.result = result
        rows: list[tuple[str, dict[str, Any] | None]] = [
            *result.get("items", {}).items(),
            (self.tr("(total)"), result.get("total")),
            (self.tr("(pooled)"), result.get("pooled")),
        ]
        self.table.setRowCount(len(rows))
        names = item_names(self.owner.scheme_id())
        for r, (name, stats) in enumerate(rows):
            self.table.setItem(r, 0, QTableWidgetItem(names.get(name, name)))
            for c, (_title, key) in enumerate(COLUMNS, start=1):
                value = stats.get(key) if stats else None
                cell = QTableWidgetItem(shown(value))
                ci = stats.get(f"{key}_ci") if stats else None
                label = (stats or {}).get("landis_koch", {}).get(key) if stats else None
                tip = []
                if ci:
                    tip.append(f"95% CI {shown(ci[0])} – {shown(ci[1])}")
                if label:
                    tip.append(label)
                cell.setToolTip("; ".join(tip))
                self.table.setItem(r, c, cell)
            pearson = (stats or {}).get("pearson_r") or {}
            text = ", ".join(f"{k} {shown(v)}" for k, v in pearson.items()) if pearson else "—"
            self.table.setItem(r, len(COLUMNS) + 1, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        coders = ", ".join(result.get("coders", []))
        pending = result.get("pending", [])
        self.note.setText(
            self.tr("{0} double-coded clips; coders: {1}.").format(
                len(result.get("clips", [])), coders
            )
            + (
                self.tr(" {0} clips held back until their blind runs are submitted.").format(
                    len(pending)
                )
                if pending
                else ""
            )
        )

    def save_report(self) -> None:
        out, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Reliability report"),
            str(Path.home() / f"reliability-{self.owner.scheme_id()}.pdf"),
            "PDF (*.pdf);;CSV (*.csv)",
        )
        if not out:
            return
        ws, scheme_id, viewer = self.owner.ws, self.owner.scheme_id(), self.owner.viewer()
        reference = self.reference.currentText().strip() or None

        def work(_ctx: TaskContext) -> Path:
            return write_report(build_report(ws, scheme_id, viewer, reference=reference), out)

        self.owner.run(
            self.tr("Writing the report…"),
            work,
            lambda path: self.note.setText(self.tr("Report written: {0}").format(path)),
        )


class EventsTab(QWidget):
    """One double-coded clip: agreement on timed events and where the coders differ."""

    def __init__(self, owner: ReliabilityWindow) -> None:
        super().__init__()
        self.owner = owner
        self.clips = QComboBox()
        self.clips.setObjectName("doubleCoded")
        self.tolerance = QSpinBox()
        self.tolerance.setRange(0, 10_000)
        self.tolerance.setSingleStep(500)
        self.tolerance.setSuffix(" ms")
        self.tolerance.setSpecialValueText(self.tr("by 60% overlap"))
        self.unit = QSpinBox()
        self.unit.setRange(100, 10_000)
        self.unit.setValue(1_000)
        self.unit.setSuffix(" ms")
        self.compare_button = QPushButton(self.tr("Compare"))
        self.compare_button.clicked.connect(self.compare)
        self.view = DisagreementView()
        self.view.play_from.connect(self._play)
        form = QFormLayout()
        form.addRow(self.tr("Clip"), self.clips)
        form.addRow(self.tr("Onset tolerance"), self.tolerance)
        form.addRow(self.tr("Time unit"), self.unit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.compare_button)
        layout.addWidget(self.view, 1)
        self.result: event_reliability.ClipEventAgreement | None = None

    def refresh(self) -> None:
        self.clips.clear()
        try:
            found = event_reliability.double_coded(self.owner.ws, self.owner.scheme_id())
        except VfaError as exc:
            self.owner.problem(str(exc))
            return
        for d in found:
            coders = list(d.coders)[:2]
            label = f"clip {d.clip_id}: {' & '.join(coders)}"
            if d.pending:
                label += self.tr(" (blind runs open)")
            self.clips.addItem(label, (d.clip_id, tuple(coders)))

    def compare(self) -> None:
        data = self.clips.currentData()
        if not data:
            return
        clip_id, coders = data
        if len(coders) != 2:
            return
        ws, scheme_id, viewer = self.owner.ws, self.owner.scheme_id(), self.owner.viewer()
        tolerance = self.tolerance.value() or None
        unit = self.unit.value()

        def work(_ctx: TaskContext) -> event_reliability.ClipEventAgreement:
            return event_reliability.event_agreement_for_clip(
                ws, clip_id, scheme_id, coders, viewer, unit_ms=unit, tolerance_ms=tolerance
            )

        self.owner.run(self.tr("Comparing events…"), work, self.show_result)

    def show_result(self, result: event_reliability.ClipEventAgreement) -> None:
        self.result = result
        t, e = result.time_unit, result.event
        how = (
            self.tr("onsets within {0} ms").format(result.tolerance_ms)
            if result.tolerance_ms is not None
            else self.tr("overlap ≥ {0:.0%}").format(result.overlap or 0.6)
        )
        summary = self.tr(
            "Time units of {0} ms: agreement {1}, κ {2}.  Events paired by {3}: agreement "
            "{4}, κ {5} (κmax {6}); {7} matched, {8} + {9} unmatched."
        ).format(
            result.unit_ms,
            shown(t.get("percent_agreement")),
            shown(t.get("kappa")),
            how,
            shown(e.get("percent_agreement")),
            shown(e.get("kappa")),
            shown(e.get("kappa_max")),
            e.get("matched"),
            e.get("unmatched", {}).get("first"),
            e.get("unmatched", {}).get("second"),
        )
        self.view.set_comparison(result.pairs, result.coders, result.duration_ms, summary)

    def _play(self, t_ms: int) -> None:
        if self.result is not None:
            self.owner.play_requested.emit(self.result.clip_id, t_ms)


class Chart(QWidget):
    """A coder's value per clip over time, the rolling value and the criterion line."""

    def __init__(self) -> None:
        super().__init__()
        self.setMinimumHeight(180)
        self.track: certification.CoderTrack | None = None

    def set_track(self, track: certification.CoderTrack | None) -> None:
        self.track = track
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("white"))
        track = self.track
        area = QRectF(40, 10, self.width() - 50, self.height() - 30)
        p.setPen(QColor("#888888"))
        p.drawRect(area)
        lo, hi = -0.2, 1.0

        def y(v: float) -> float:
            return area.bottom() - (min(max(v, lo), hi) - lo) / (hi - lo) * area.height()

        for v in (0.0, 0.5, 1.0):
            p.drawText(QRectF(0, y(v) - 8, 36, 16), Qt.AlignmentFlag.AlignRight, f"{v:.1f}")
        if track is None or not track.points:
            p.drawText(area, Qt.AlignmentFlag.AlignCenter, self.tr("No clips coded by both yet"))
            p.end()
            return
        n = len(track.points)

        def x(i: int) -> float:
            return area.left() + (i + 0.5) / n * area.width()

        p.setPen(QPen(QColor("#d0454c"), 1, Qt.PenStyle.DashLine))
        p.drawLine(QPointF(area.left(), y(track.criterion.threshold)),
                   QPointF(area.right(), y(track.criterion.threshold)))  # fmt: skip
        p.setPen(QPen(QColor("#3b6fb6"), 2))
        rolling = [
            (x(i), y(pt.rolling)) for i, pt in enumerate(track.points) if pt.rolling is not None
        ]
        for a, b in itertools.pairwise(rolling):
            p.drawLine(QPointF(*a), QPointF(*b))
        p.setPen(QColor("#333333"))
        p.setBrush(QColor("#333333"))
        for i, pt in enumerate(track.points):
            if pt.value is not None:
                p.drawEllipse(QPointF(x(i), y(pt.value)), 3, 3)
        p.end()


class CodersTab(QWidget):
    """Each coder against the reference over time: certification and drift."""

    def __init__(self, owner: ReliabilityWindow) -> None:
        super().__init__()
        self.owner = owner
        self.coder = QLineEdit()
        self.coder.setPlaceholderText(self.tr("coder"))
        self.reference = QLineEdit()
        self.reference.setPlaceholderText(self.tr("reference (master) coder"))
        self.statistic = QComboBox()
        self.statistic.addItems(list(certification.STATISTICS))
        self.threshold = QDoubleSpinBox()
        self.threshold.setRange(-1.0, 1.0)
        self.threshold.setSingleStep(0.05)
        self.window_size = QSpinBox()
        self.window_size.setRange(1, 100)
        self.save = QPushButton(self.tr("Save criterion"))
        self.save.clicked.connect(self.save_criterion)
        self.criterion_note = QLabel()
        self.criterion_note.setWordWrap(True)
        self.show_button = QPushButton(self.tr("Show"))
        self.show_button.clicked.connect(self.compute)
        self.status = QLabel()
        self.status.setObjectName("certificationStatus")
        self.chart = Chart()
        form = QFormLayout()
        form.addRow(self.tr("Coder"), self.coder)
        form.addRow(self.tr("Against"), self.reference)
        crit = QHBoxLayout()
        crit.addWidget(self.statistic)
        crit.addWidget(QLabel("≥"))
        crit.addWidget(self.threshold)
        crit.addWidget(QLabel(self.tr("over")))
        crit.addWidget(self.window_size)
        crit.addWidget(QLabel(self.tr("clips")))
        crit.addWidget(self.save)
        form.addRow(self.tr("Criterion"), crit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.criterion_note)
        layout.addWidget(self.show_button)
        layout.addWidget(self.status)
        layout.addWidget(self.chart, 1)

    def refresh(self) -> None:
        try:
            c = certification.criterion(self.owner.ws, self.owner.scheme_id())
        except VfaError as exc:
            self.owner.problem(str(exc))
            return
        self.statistic.setCurrentText(c.statistic)
        self.threshold.setValue(c.threshold)
        self.window_size.setValue(c.window)
        self.criterion_note.setText(c.note or "")

    def save_criterion(self) -> None:
        try:
            certification.set_criterion(
                self.owner.ws,
                self.owner.scheme_id(),
                self.statistic.currentText(),
                self.threshold.value(),
                window=self.window_size.value(),
                by=self.owner.viewer(),
            )
        except VfaError as exc:
            self.owner.problem(str(exc))
            return
        self.refresh()

    def compute(self) -> None:
        ws, scheme_id = self.owner.ws, self.owner.scheme_id()
        coder, reference = self.coder.text().strip(), self.reference.text().strip()
        if not coder or not reference:
            self.owner.problem(self.tr("Name the coder and the reference coder."))
            return

        def work(_ctx: TaskContext) -> certification.CoderTrack:
            return certification.track(ws, scheme_id, coder, reference)

        self.owner.run(self.tr("Tracking…"), work, self.show_track)

    def show_track(self, track: certification.CoderTrack) -> None:
        latest = track.latest
        self.status.setText(
            self.tr("{0}: {1} ({2} {3} over the last {4} clips; criterion {5})").format(
                track.coder,
                track.status,
                track.criterion.statistic,
                shown(latest),
                track.criterion.window,
                shown(track.criterion.threshold),
            )
        )
        self.chart.set_track(track)


class AssignTab(QWidget):
    """Blind double coding: clips × scheme to coders (every n-th clip or a random share)."""

    def __init__(self, owner: ReliabilityWindow) -> None:
        super().__init__()
        self.owner = owner
        self.coders = QLineEdit()
        self.coders.setPlaceholderText(self.tr("coders, comma-separated: Ann, Ben"))
        self.every = QSpinBox()
        self.every.setRange(1, 100)
        self.every.setValue(5)
        self.every.setPrefix(self.tr("every "))
        self.blind = QCheckBox(self.tr("Blind (neither sees the other's coding until both submit)"))
        self.blind.setChecked(True)
        self.assign_button = QPushButton(self.tr("Assign"))
        self.assign_button.clicked.connect(self.assign)
        self.list = QListWidget()
        form = QFormLayout()
        form.addRow(self.tr("Coders"), self.coders)
        form.addRow(self.tr("Clips"), self.every)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.blind)
        layout.addWidget(self.assign_button)
        layout.addWidget(self.list, 1)

    def refresh(self) -> None:
        self.list.clear()
        try:
            found = assignments.assignments(self.owner.ws, scheme=self.owner.scheme_id())
        except VfaError as exc:
            self.owner.problem(str(exc))
            return
        for a in found:
            blind = self.tr(" · blind") if a.blind else ""
            self.list.addItem(
                QListWidgetItem(
                    f"{a.case} / {a.session} / {a.clip_name} — {a.coder}: {a.status.value}{blind}"
                )
            )

    def assign(self) -> None:
        coders = [c.strip() for c in self.coders.text().split(",") if c.strip()]
        try:
            chosen = assignments.assign_share(
                self.owner.ws,
                self.owner.scheme_id(),
                coders,
                every=self.every.value(),
                blind=self.blind.isChecked(),
                by=self.owner.viewer(),
            )
        except VfaError as exc:
            self.owner.problem(str(exc))
            return
        self.owner.message.setText(self.tr("{0} clips assigned.").format(len(chosen)))
        self.refresh()


class ReliabilityWindow(QDialog):
    """Reliability for one scheme at a time."""

    play_requested = Signal(int, int)  # clip id, ms: play the clip from there

    def __init__(self, ws: Workspace, viewer: Callable[[], str], parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Reliability"))
        self.setObjectName("reliabilityWindow")
        self.resize(960, 640)
        self.ws, self.viewer = ws, viewer
        self.scheme = QComboBox()
        self.scheme.setObjectName("reliabilityScheme")
        for s in available_schemes():
            self.scheme.addItem(f"{s.name} {s.version}", s.id)
        self.message = QLabel()
        self.message.setObjectName("reliabilityMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        self.ratings = RatingsTab(self)
        self.events = EventsTab(self)
        self.coders = CodersTab(self)
        self.assign = AssignTab(self)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.ratings, self.tr("Ratings"))
        self.tabs.addTab(self.events, self.tr("Events"))
        self.tabs.addTab(self.coders, self.tr("Coders over time"))
        self.tabs.addTab(self.assign, self.tr("Assign"))
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Scheme")))
        top.addWidget(self.scheme, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)
        self.scheme.currentIndexChanged.connect(lambda _i: self.refresh())
        self.refresh()

    def scheme_id(self) -> str:
        return str(self.scheme.currentData())

    def refresh(self) -> None:
        self.message.clear()
        self.events.refresh()
        self.coders.refresh()
        self.assign.refresh()

    def problem(self, message: str) -> None:
        self.message.setText(message)

    def run(
        self, label: str, work: Callable[[TaskContext], Any], done: Callable[[Any], None]
    ) -> None:
        self.message.clear()
        run_task(self, label, work, done, self.problem)
