"""The supervisor's reliability window: agreement on ratings, the disagreements between
two coders' events on a clip, each coder against the reference over time, and blind
double-coding assignments. Everything is computed by the services (which keep blind runs
blind) off the GUI thread."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
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

from vfa.domain.rating_statistics import PEARSON_R, statistics
from vfa.domain.ratings_agreement import POOLED, TOTAL
from vfa.errors import VfaError
from vfa.reports.statistic_text import UNDEFINED, estimate_text, event_statistic, statistic_text
from vfa.services import assignments, event_reliability, reliability_runs
from vfa.services.reliability_report import build_report, write_report
from vfa.services.schemes import SchemeLibrary
from vfa.services.workspaces import Workspace
from vfa.ui.certification import CodersTab
from vfa.ui.disagreement import DisagreementView
from vfa.ui.forms import labelled
from vfa.ui.memory import Memory
from vfa.ui.messages import MessageBar
from vfa.ui.names import shown_name
from vfa.ui.save_dialogs import ask_save_file
from vfa.ui.session import CodingSession
from vfa.ui.tasks import TaskContext, run_task


def columns() -> list[tuple[str, str]]:
    """The ratings table's columns after the item: (title, key), the units, then the
    statistics the registry shows in the window."""
    units = QCoreApplication.translate("RatingsTab", "Units")
    return [(units, "n_units"), *((shown_name(s.column), s.key) for s in statistics("window"))]


def item_names(schemes: SchemeLibrary, scheme_id: str) -> dict[str, str]:
    """Item and grid-scale ids → the names the scheme gives them."""
    try:
        scheme = schemes.get(scheme_id)
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
        self.reference.setAccessibleName(self.tr("Reference coder"))
        self.show_button = QPushButton(self.tr("Compute"))
        self.show_button.clicked.connect(self.compute)
        self.report_button = QPushButton(self.tr("Report…"))
        self.report_button.clicked.connect(self.save_report)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.table = QTableWidget(0, 0)
        self.table.setObjectName("ratingsAgreement")
        self.table.setAccessibleName(self.tr("Agreement by item"))
        self._set_columns()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        top = QHBoxLayout()
        top.addWidget(self.reference, 1)
        top.addWidget(self.show_button)
        top.addWidget(self.report_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)
        self.result: reliability_runs.WorkspaceAgreement | None = None

    def _set_columns(self) -> None:
        """The item, the registry's statistics, Pearson r (read anew for every result)."""
        titles = [title for title, _key in columns()]
        self.table.setColumnCount(len(titles) + 2)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Item"), *titles, shown_name(PEARSON_R.column)]
        )

    def compute(self) -> None:
        ws, scheme_id, viewer = self.owner.ws, self.owner.scheme_id(), self.owner.viewer()
        reference = self.reference.currentText().strip() or None
        find = self.owner.schemes.get

        def work(_ctx: TaskContext) -> reliability_runs.WorkspaceAgreement:
            return reliability_runs.ratings_agreement(
                ws, scheme_id, viewer, reference=reference, find_scheme=find
            )

        self.owner.run(self.tr("Computing agreement…"), work, self.show_result)

    def show_result(self, result: reliability_runs.WorkspaceAgreement) -> None:
        self.result = result
        self._set_columns()
        shown = columns()
        rows = result.agreement.rows()
        self.table.setRowCount(len(rows))
        names = item_names(self.owner.schemes, self.owner.scheme_id())
        names.update({TOTAL: shown_name(TOTAL), POOLED: shown_name(POOLED)})
        for r, stats in enumerate(rows):
            self.table.setItem(r, 0, QTableWidgetItem(names.get(stats.item, stats.item)))
            self.table.setItem(r, 1, QTableWidgetItem(statistic_text(stats.n_units)))
            for c, (_title, key) in enumerate(shown[1:], start=2):
                found = stats.get(key)
                cell = QTableWidgetItem(statistic_text(found.value))
                if found.value is not None:
                    cell.setToolTip(estimate_text(found, label=True))
                self.table.setItem(r, c, cell)
            pearson = stats.correlations or ()
            text = ", ".join(f"{p.coder} {statistic_text(p.value)}" for p in pearson) or UNDEFINED
            self.table.setItem(r, len(shown) + 1, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        coders = ", ".join(result.agreement.coders)
        self.note.setText(
            self.tr("{0} double-coded clips; coders: {1}.").format(len(result.clips), coders)
            + (
                self.tr(" {0} clips held back until their blind runs are submitted.").format(
                    len(result.pending)
                )
                if result.pending
                else ""
            )
        )

    def save_report(self) -> None:
        chosen = ask_save_file(
            self,
            self.tr("Reliability report"),
            Path.home() / f"reliability-{self.owner.scheme_id()}.pdf",
            self.tr("PDF (*.pdf);;CSV (*.csv)"),
            [".pdf", ".csv"],
        )
        if chosen is None:
            return
        out, replace = chosen
        ws, scheme_id, viewer = self.owner.ws, self.owner.scheme_id(), self.owner.viewer()
        reference = self.reference.currentText().strip() or None

        find = self.owner.schemes.get

        def work(_ctx: TaskContext) -> Path:
            report = build_report(ws, scheme_id, viewer, reference=reference, find_scheme=find)
            return write_report(report, out, force=replace)

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
        self.tolerance.setSuffix(self.tr(" ms"))
        self.tolerance.setSpecialValueText(self.tr("by 60% overlap"))
        self.unit = QSpinBox()
        self.unit.setRange(100, 10_000)
        self.unit.setValue(1_000)
        self.unit.setSuffix(self.tr(" ms"))
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

        find = self.owner.schemes.get

        def work(_ctx: TaskContext) -> event_reliability.ClipEventAgreement:
            return event_reliability.event_agreement_for_clip(
                ws,
                clip_id,
                scheme_id,
                coders,
                viewer,
                unit_ms=unit,
                tolerance_ms=tolerance,
                find_scheme=find,
            )

        self.owner.run(self.tr("Comparing events…"), work, self.show_result)

    def show_result(self, result: event_reliability.ClipEventAgreement) -> None:
        self.result = result
        t, e = result.time_unit, result.event
        if t.no_events:
            empty = self.tr("Time units of {0} ms and events: agreement {1}.").format(
                t.unit_ms, event_statistic(t, t.percent_agreement)
            )
            self.view.set_comparison(result.pairs, result.coders, result.duration_ms, empty)
            return
        how = (
            self.tr("onsets within {0} ms").format(e.pairing.tolerance_ms)
            if e.pairing.tolerance_ms is not None
            else self.tr("overlap ≥ {0:.0%}").format(e.pairing.overlap or 0.6)
        )
        summary = self.tr(
            "Time units of {0} ms: agreement {1}, κ {2}.  Events paired by {3}: agreement "
            "{4}, κ {5} (κmax {6}); {7} matched, {8} + {9} unmatched."
        ).format(
            t.unit_ms,
            event_statistic(t, t.percent_agreement),
            event_statistic(t, t.kappa),
            how,
            event_statistic(e, e.percent_agreement),
            event_statistic(e, e.kappa),
            event_statistic(e, e.kappa_max),
            e.matched,
            e.unmatched_first,
            e.unmatched_second,
        )
        self.view.set_comparison(result.pairs, result.coders, result.duration_ms, summary)

    def _play(self, t_ms: int) -> None:
        if self.result is not None:
            self.owner.play_requested.emit(self.result.clip_id, t_ms)


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
        self.list.setAccessibleName(self.tr("Assignments"))
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
                find_scheme=self.owner.schemes.get,
            )
        except VfaError as exc:
            self.owner.problem(str(exc), "assign")
            return
        self.owner.message.info(self.tr("{0} clip(s) assigned.").format(len(chosen)), "assign")
        self.refresh()


class ReliabilityWindow(QDialog):
    """Reliability for one scheme at a time."""

    play_requested = Signal(int, int)  # clip id, ms: play the clip from there

    def __init__(
        self, session: CodingSession, parent: QWidget | None, memory: Memory | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Reliability"))
        self.setObjectName("reliabilityWindow")
        self.resize(960, 640)
        assert session.ws is not None  # (opened from an open workspace)
        self.ws: Workspace = session.ws
        self.viewer: Callable[[], str] = session.coder
        self.schemes = session.schemes
        self.scheme = QComboBox()
        self.scheme.setObjectName("reliabilityScheme")
        for s in self.schemes():
            self.scheme.addItem(f"{s.name} {s.version}", s.id)
        self.message = MessageBar()
        self.message.setObjectName("reliabilityMessage")
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
        top.addWidget(labelled(self.tr("Scheme"), self.scheme))
        top.addWidget(self.scheme, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)
        if memory is not None:  # the scheme it showed last time for this workspace
            last = self.scheme.findData(memory.reliability_scheme(self.ws))
            if last >= 0:
                self.scheme.setCurrentIndex(last)
            self.scheme.currentIndexChanged.connect(
                lambda _i: memory.remember_reliability_scheme(self.ws, self.scheme_id())
            )
        self.scheme.currentIndexChanged.connect(lambda _i: self.refresh())
        self.refresh()

    def scheme_id(self) -> str:
        return str(self.scheme.currentData())

    def refresh(self) -> None:
        self.message.clear_all()
        self.events.refresh()
        self.coders.refresh()
        self.assign.refresh()

    def problem(self, message: str, topic: str = "") -> None:
        self.message.error(message, topic)

    def run(
        self, label: str, work: Callable[[TaskContext], Any], done: Callable[[Any], None]
    ) -> None:
        self.message.clear_all()
        run_task(self, label, work, done, self.problem)
