"""Each coder against the reference coder over time: the per-scheme criterion, a chart of
the per-clip and rolling values against its threshold, and the status (reliable, not yet,
drifted). A tab of the reliability window."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from vfa.domain.agreement import landis_koch
from vfa.domain.rating_statistics import pair_statistics
from vfa.errors import VfaError
from vfa.reports.statistic_text import statistic_text
from vfa.services import certification
from vfa.services.schemes import SchemeLibrary
from vfa.services.workspaces import Workspace
from vfa.ui.names import shown_name
from vfa.ui.tasks import TaskContext


class TabOwner(Protocol):
    """What a tab needs of the reliability window: the workspace, the scheme chosen (and
    the library to look it up in), who is looking, where to say a problem and how to run
    work off the GUI thread."""

    ws: Workspace
    viewer: Callable[[], str]
    schemes: SchemeLibrary

    def scheme_id(self) -> str: ...

    def problem(self, message: str, topic: str = "") -> None: ...

    def run(
        self, label: str, work: Callable[[TaskContext], Any], done: Callable[[Any], None]
    ) -> None: ...


def shown(value: object) -> str:
    """A statistic as the reliability tables show it (``statistic_text``: two decimals,
    counts whole, n/a when undefined)."""
    return statistic_text(value)


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

    def __init__(self, owner: TabOwner) -> None:
        super().__init__()
        self.owner = owner
        self.coder = QLineEdit()
        self.coder.setPlaceholderText(self.tr("coder"))
        self.reference = QLineEdit()
        self.reference.setPlaceholderText(self.tr("reference (master) coder"))
        self.statistic = QComboBox()
        self.statistic.setObjectName("criterionStatistic")
        for statistic in pair_statistics():  # the registry's, each by its title
            self.statistic.addItem(shown_name(statistic.title), statistic.key)
            at = self.statistic.count() - 1
            self.statistic.setItemData(at, statistic.methods, Qt.ItemDataRole.ToolTipRole)
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
        self.statistic.setAccessibleName(self.tr("Statistic"))
        self.threshold.setAccessibleName(self.tr("At least"))
        self.window_size.setAccessibleName(self.tr("Over the last clips"))
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
        self.statistic.setCurrentIndex(self.statistic.findData(c.statistic))
        self.threshold.setValue(c.threshold)
        self.window_size.setValue(c.window)
        self.criterion_note.setText(c.note or "")

    def save_criterion(self) -> None:
        try:
            certification.set_criterion(
                self.owner.ws,
                self.owner.scheme_id(),
                str(self.statistic.currentData()),
                self.threshold.value(),
                window=self.window_size.value(),
                by=self.owner.viewer(),
                find_scheme=self.owner.schemes.get,
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
        find = self.owner.schemes.get

        def work(_ctx: TaskContext) -> certification.CoderTrack:
            return certification.track(ws, scheme_id, coder, reference, find_scheme=find)

        self.owner.run(self.tr("Tracking…"), work, self.show_track)

    def show_track(self, track: certification.CoderTrack) -> None:
        statistic = certification.criterion_statistic(track.criterion.statistic)
        latest = shown(track.latest)
        if statistic.landis_koch and track.latest is not None:
            latest += f" {landis_koch(track.latest)}"
        self.status.setText(
            self.tr("{0}: {1} ({2} {3} over the last {4} clips; criterion {5})").format(
                track.coder,
                track.status,
                shown_name(statistic.column),
                latest,
                track.criterion.window,
                shown(track.criterion.threshold),
            )
        )
        self.chart.set_track(track)
