"""Progress over time: a case's score on one scheme at each filming, drawn with QPainter.

Sessions run across in date order, the measure up on the scheme's range with its bands
shaded; one line per coder, broken where a run has no total yet; an open dot is a run
not yet submitted. The same painting goes to the screen, a PNG (at twice the size) and
an SVG (:mod:`vfa.ui.progress_export`).
"""

from __future__ import annotations

import math
from pathlib import Path

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QHelpEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from vfa.domain.schemes import Band
from vfa.errors import VfaError
from vfa.services import progress as progress_service
from vfa.services.progress import Progress, ProgressPoint, ProgressSession
from vfa.services.schemes import SchemeLibrary
from vfa.services.workspaces import Workspace
from vfa.ui.forms import close_button, labelled
from vfa.ui.messages import MessageBar
from vfa.ui.progress_export import describe, export_chart, number_text
from vfa.ui.save_dialogs import ask_save_file

# Okabe–Ito: told apart with the common colour-vision deficiencies, readable on white
CODER_COLOURS = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000")
BAND_TINT = QColor(64, 96, 140)
TEXT = QColor("#1f2328")
MUTED = QColor("#57606a")
GRID_LINE = QColor("#d0d7de")
PAD = 16.0
DOT_R = 4.5
HEADROOM = 10.0  # between the scale's ends and the plot's edges
BAND_ALPHA = (18, 40)  # neighbouring bands alternate; no colour says good or bad


def _font(pixels: int, bold: bool = False) -> QFont:
    """A font sized in pixels, so the screen, PNG and SVG agree whatever their DPI."""
    font = QFont()
    font.setPixelSize(pixels)
    font.setBold(bold)
    return font


def nice_ticks(low: float, high: float, most: int = 8) -> list[float]:
    """Round tick values from low to high, at most ``most`` of them."""
    if high <= low:
        return [low]
    raw = (high - low) / max(most - 1, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.ceil(low / step - 1e-9) * step
    count = math.floor((high - first) / step + 1e-9) + 1
    return [round(first + i * step, 10) for i in range(count)]


def _range(band: Band) -> str:
    """A band's range as the scheme writes it: 3–3.9."""
    return f"{number_text(band.min)}–{number_text(band.max)}"


class ProgressChart(QWidget):
    """One scheme's measure per session for one case; one line and legend entry per coder."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("progressChart")
        self.setAccessibleName(self.tr("Progress chart"))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(420, 260)
        self.setMouseTracking(True)
        self.progress: Progress | None = None
        self._dots: list[tuple[QPointF, ProgressPoint]] = []  # where the last paint put them

    def sizeHint(self) -> QSize:
        return QSize(900, 520)

    def set_progress(self, progress: Progress | None) -> None:
        self.progress = progress
        self.setAccessibleDescription(self.description())  # the chart in words, read out
        self.update()

    def title(self) -> str:
        p = self.progress
        return f"{p.case_code} · {p.scheme_name} — {p.measure}" if p else ""

    def coders(self) -> list[str]:
        """The coders in legend order (first appearance)."""
        points = self.progress.points if self.progress else ()
        return list(dict.fromkeys(p.coder for p in points))

    def drawn_dots(self) -> list[tuple[QPointF, ProgressPoint]]:
        """Where the last painting on screen put each point's dot."""
        return list(self._dots)

    def plotted(self) -> list[ProgressPoint]:
        """The points drawn as dots (those with a total)."""
        points = self.progress.points if self.progress else ()
        return [p for p in points if p.total is not None]

    # -- export ---------------------------------------------------------------------------

    def export(self, path: str | Path, size: QSize | None = None, *, force: bool = False) -> Path:
        """Write the chart as PNG (twice the size, for print) or SVG, chosen by the suffix,
        through :mod:`vfa.outputs` (an existing file is replaced only with ``force``)."""
        if size is None:
            resized = self.testAttribute(Qt.WidgetAttribute.WA_Resized) or self.isVisible()
            size = self.size() if resized else self.sizeHint()
        text = self.description()
        return export_chart(self._paint, size, self.title(), text, path, force=force)

    def description(self) -> str:
        """The chart in words (the SVG's description): each session's totals by coder."""
        return describe(self.progress)

    # -- painting -------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), Qt.GlobalColor.white)
        self._dots = self._paint(painter, QRectF(self.rect()))
        painter.end()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            near = self._dot_at(QPointF(event.pos()))
            if near is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), self._dot_text(near), self)
            return True
        return super().event(event)

    def _dot_at(self, pos: QPointF) -> ProgressPoint | None:
        best = None
        best_distance = 8.0
        for centre, point in self._dots:
            distance = math.hypot(centre.x() - pos.x(), centre.y() - pos.y())
            if distance <= best_distance:
                best, best_distance = point, distance
        return best

    def _dot_text(self, point: ProgressPoint) -> str:
        state = "" if point.submitted else self.tr(" · not submitted")
        band = f" ({point.band})" if point.band else ""
        total = number_text(point.total) if point.total is not None else "–"
        return f"{point.coder} · {point.session_label}: {total}{band}{state}"

    def _paint(self, painter: QPainter, bounds: QRectF) -> list[tuple[QPointF, ProgressPoint]]:
        """Draw the chart into bounds; returns where each dot went."""
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        p = self.progress
        if p is None:
            painter.setFont(_font(13))
            painter.setPen(MUTED)
            painter.drawText(bounds, Qt.AlignmentFlag.AlignCenter, self.tr("No scheme chosen"))
            return []
        body, small, heading = _font(12), _font(11), _font(15, bold=True)
        title_h = QFontMetricsF(heading).height()
        legend_h = QFontMetricsF(body).height()
        label_h = QFontMetricsF(small).height()

        # title and legend
        top = bounds.top() + PAD
        painter.setFont(heading)
        painter.setPen(TEXT)
        title_rect = QRectF(bounds.left() + PAD, top, bounds.width() - 2 * PAD, title_h)
        title = QFontMetricsF(heading).elidedText(
            self.title(), Qt.TextElideMode.ElideRight, title_rect.width()
        )
        painter.drawText(
            title_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, title
        )
        top += title_h + 6
        self._paint_legend(painter, QRectF(title_rect.left(), top, title_rect.width(), legend_h))
        top += legend_h + 12

        # the plot area: room for the value labels on the left, two label lines below
        ticks = nice_ticks(p.scale_min, p.scale_max)
        metrics = QFontMetricsF(small)
        tick_w = max(metrics.horizontalAdvance(number_text(t)) for t in ticks)
        plot = QRectF(
            bounds.left() + PAD + tick_w + 8,
            top + label_h / 2,
            0,
            0,
        )
        band_w = max(
            (
                max(metrics.horizontalAdvance(b.label), metrics.horizontalAdvance(_range(b)))
                for b in p.bands
            ),
            default=-8.0,
        )
        plot.setRight(bounds.right() - PAD - band_w - 8)
        # each session is named by its label and date; when they do not fit under it,
        # every other session's names go one level lower (two slots wide)
        sessions = p.sessions
        names = [self._session_lines(s) for s in sessions]
        slot = plot.width() / max(len(sessions), 1)
        widest = max((metrics.horizontalAdvance(t) for n in names for t in n), default=0.0)
        stagger = len(sessions) > 1 and widest > slot - 4
        plot.setBottom(bounds.bottom() - PAD - (4 if stagger else 2) * label_h - 8)
        if plot.width() < 40 or plot.height() < 40:
            return []
        low, high = p.scale_min, p.scale_max
        span = (high - low) or 1.0
        values = plot.adjusted(0, HEADROOM, 0, -HEADROOM)  # a dot at an end stays whole

        def y_of(value: float) -> float:
            return values.bottom() - (value - low) / span * values.height()

        # bands: each runs from its min up to the next band's min (the last to its max)
        painter.setFont(small)
        for i, band in enumerate(p.bands):
            upper = p.bands[i + 1].min if i + 1 < len(p.bands) else band.max
            lo, hi = max(band.min, low), min(upper, high)
            if hi <= lo:
                continue
            area = QRectF(plot.left(), y_of(hi), plot.width(), y_of(lo) - y_of(hi))
            tint = QColor(BAND_TINT)
            tint.setAlpha(BAND_ALPHA[i % 2])
            painter.fillRect(area, tint)
            if area.height() >= label_h:  # named beside the plot, its written range below
                text = band.label + (f"\n{_range(band)}" if area.height() >= 2 * label_h else "")
                painter.setPen(MUTED)
                painter.drawText(
                    QRectF(plot.right() + 8, area.top(), band_w, area.height()),
                    Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                    text,
                )

        # value axis
        for tick in ticks:
            y = y_of(tick)
            painter.setPen(QPen(GRID_LINE, 1))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(MUTED)
            painter.drawText(
                QRectF(bounds.left() + PAD, y - label_h / 2, tick_w, label_h),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                number_text(tick),
            )
        painter.setPen(QPen(MUTED, 1))
        painter.drawLine(plot.bottomLeft(), plot.bottomRight())
        painter.drawLine(plot.bottomLeft(), plot.topLeft())

        # sessions across
        x_at = {s.id: plot.left() + (i + 0.5) * slot for i, s in enumerate(sessions)}
        coded = {q.session_id for q in p.points}
        width = 2 * slot - 12 if stagger else slot - 4
        for i, (s, lines) in enumerate(zip(sessions, names, strict=True)):
            x = x_at[s.id]
            below = 2 * label_h if stagger and i % 2 else 0.0
            painter.setPen(QPen(MUTED, 1))
            painter.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + 4 + below))
            painter.setPen(TEXT if s.id in coded else MUTED)
            for n, text in enumerate(lines):
                left = min(max(x - width / 2, bounds.left() + 2), bounds.right() - 2 - width)
                box = QRectF(left, plot.bottom() + 6 + below + n * label_h, width, label_h)
                shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, box.width())
                painter.drawText(box, Qt.AlignmentFlag.AlignCenter, shown)

        if not self.plotted():
            painter.setFont(body)
            painter.setPen(MUTED)
            painter.drawText(
                plot,
                Qt.AlignmentFlag.AlignCenter,
                self.tr("No {0} scores for {1} yet").format(p.measure, p.case_code),
            )
            return []

        # one line per coder, nudged sideways so equal scores stay visible
        coders = self.coders()
        drawn: list[tuple[QPointF, ProgressPoint]] = []
        nudge = min(6.0, slot * 0.06)
        painter.save()
        painter.setClipRect(plot.adjusted(-DOT_R - 2, -DOT_R - 2, DOT_R + 2, DOT_R + 2))
        for n, coder in enumerate(coders):
            colour = QColor(CODER_COLOURS[n % len(CODER_COLOURS)])
            offset = (n - (len(coders) - 1) / 2) * nudge
            path = QPainterPath()
            pen_down = False
            dots: list[tuple[QPointF, ProgressPoint]] = []
            for q in (q for q in p.points if q.coder == coder):
                if q.total is None:
                    pen_down = False  # a run without a total: a gap in the line
                    continue
                centre = QPointF(x_at[q.session_id] + offset, y_of(q.total))
                if pen_down:
                    path.lineTo(centre)
                else:
                    path.moveTo(centre)
                    pen_down = True
                dots.append((centre, q))
            painter.setPen(QPen(colour, 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(path)
            for centre, q in dots:
                painter.setPen(QPen(colour, 2))
                painter.setBrush(colour if q.submitted else QColor(Qt.GlobalColor.white))
                painter.drawEllipse(centre, DOT_R, DOT_R)
            drawn += dots
        painter.restore()
        return drawn

    def _session_lines(self, session: ProgressSession) -> list[str]:
        """A session's name under the chart: its label, then its date (or cycle)."""
        if session.date is not None:
            return [session.label, session.date.isoformat()]
        if session.cycle is not None:
            return [session.label, self.tr("cycle {0}").format(session.cycle)]
        return [session.label]

    def _paint_legend(self, painter: QPainter, area: QRectF) -> None:
        p = self.progress
        if p is None:
            return
        font = _font(12)
        painter.setFont(font)
        metrics = QFontMetricsF(font)
        x, mid = area.left(), area.center().y()
        for n, coder in enumerate(self.coders()):
            colour = QColor(CODER_COLOURS[n % len(CODER_COLOURS)])
            painter.setPen(QPen(colour, 2))
            painter.drawLine(QPointF(x, mid), QPointF(x + 22, mid))
            painter.setBrush(colour)
            painter.drawEllipse(QPointF(x + 11, mid), DOT_R, DOT_R)
            painter.setPen(TEXT)
            painter.drawText(QPointF(x + 28, mid + metrics.ascent() / 2 - 1), coder)
            x += 28 + metrics.horizontalAdvance(coder) + 18
        if any(not q.submitted for q in p.points):
            painter.setPen(QPen(MUTED, 2))
            painter.setBrush(QColor(Qt.GlobalColor.white))
            painter.drawEllipse(QPointF(x + DOT_R, mid), DOT_R, DOT_R)
            painter.setPen(MUTED)
            painter.drawText(
                QPointF(x + 2 * DOT_R + 6, mid + metrics.ascent() / 2 - 1),
                self.tr("not submitted"),
            )


class ProgressDialog(QDialog):
    """The chart of one case, a chooser of the schemes it was coded with, and export."""

    def __init__(
        self,
        ws: Workspace,
        case_code: str,
        schemes: SchemeLibrary,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("progressDialog")
        self.setWindowTitle(self.tr("Progress over time — {0}").format(case_code))
        self.ws = ws
        self.case_code = case_code
        self.chart = ProgressChart()
        self.message = MessageBar()
        self.message.setObjectName("progressMessage")
        self.chooser = QComboBox()
        self.chooser.setObjectName("scheme")
        self.submitted_only = QCheckBox(self.tr("Submitted codings only"))
        self.submitted_only.setObjectName("submittedOnly")
        self.export_png = QPushButton(self.tr("Export PNG…"))
        self.export_png.setObjectName("exportPng")
        self.export_svg = QPushButton(self.tr("Export SVG…"))
        self.export_svg.setObjectName("exportSvg")
        close = close_button(self)

        try:
            coded = set(progress_service.coded_schemes(ws, case_code))
        except VfaError as exc:
            coded = set()
            self.show_problem(str(exc))
        self.find_scheme = schemes.get  # the window's library: no folder is read again
        self.schemes = [s for s in schemes() if s.id in coded and progress_service.has_progress(s)]
        for scheme in self.schemes:
            self.chooser.addItem(scheme.name, scheme.id)
        if not self.schemes and not self.message.text():
            self.message.warning(
                self.tr("{0} has no codings with a score to follow yet").format(case_code)
            )

        top = QHBoxLayout()
        top.addWidget(labelled(self.tr("Scheme"), self.chooser))
        top.addWidget(self.chooser, 1)
        top.addWidget(self.submitted_only)
        bottom = QHBoxLayout()
        bottom.addWidget(self.export_png)
        bottom.addWidget(self.export_svg)
        bottom.addStretch(1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(self.chart, 1)
        layout.addLayout(bottom)

        self.chooser.currentIndexChanged.connect(self.refresh)
        self.submitted_only.toggled.connect(self.refresh)
        self.export_png.clicked.connect(lambda: self.export_as(".png"))
        self.export_svg.clicked.connect(lambda: self.export_as(".svg"))
        self.refresh()

    def scheme_id(self) -> str | None:
        data = self.chooser.currentData()
        return str(data) if data is not None else None

    def refresh(self) -> None:
        """Read the chosen scheme's progress again and redraw."""
        scheme_id = self.scheme_id()
        progress = None
        if scheme_id is not None:
            try:
                progress = progress_service.case_progress(
                    self.ws,
                    self.case_code,
                    scheme_id,
                    submitted_only=self.submitted_only.isChecked(),
                    find_scheme=self.find_scheme,
                )
            except VfaError as exc:
                self.show_problem(str(exc))
            else:
                self.show_problem(None)
        self.chart.set_progress(progress)
        self.export_png.setEnabled(progress is not None)
        self.export_svg.setEnabled(progress is not None)

    def show_problem(self, text: str | None) -> None:
        """Show a problem in full (None: it is resolved, the message goes)."""
        if text:
            self.message.error(text)
        else:
            self.message.clear()

    def export_as(self, suffix: str) -> Path | None:
        """Ask where to save the chart, then write it; None when cancelled or refused."""
        kind = suffix.lstrip(".").upper()
        suggested = Path.home() / f"{self.case_code}-{self.scheme_id() or 'progress'}{suffix}"
        chosen = ask_save_file(
            self,
            self.tr("Export chart as {0}").format(kind),
            suggested,
            self.tr("{0} image (*{1})").format(kind, suffix),
            [suffix],
        )
        if chosen is None:
            return None
        path, replace = chosen
        try:
            written = self.chart.export(path, force=replace)
        except VfaError as exc:
            self.show_problem(str(exc))
            return None
        self.show_problem(None)
        return written
