"""Disagreement review: two coders' events on one clip as parallel tracks, pairs that
agree in green, a different code in amber, an event the other coder lacks in red; a list
of the disagreements beside them. A click on one plays it from two seconds before.

An open state (never stopped) is drawn, and counted, to the clip's end, as the
statistics take it (``services.event_reliability.state_end``), with an open right edge
(a chevron instead of a border) and "not stopped" in the list."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from vfa.services.event_reliability import EventPair, PairedEvent

LEAD_MS = 2_000  # a disagreement plays from this long before it
COLOURS = {
    "match": QColor("#3c9a5f"),
    "code": QColor("#e0a030"),
    "missing_first": QColor("#d0454c"),
    "missing_second": QColor("#d0454c"),
}


def kind_text(kind: str, first: str, second: str) -> str:
    """How two coders' events differ, in words (``only Ana``, ``different codes``)."""
    said = {
        "match": QCoreApplication.translate("DisagreementView", "agree"),
        "code": QCoreApplication.translate("DisagreementView", "different codes"),
        "missing_first": QCoreApplication.translate("DisagreementView", "only {0}").format(second),
        "missing_second": QCoreApplication.translate("DisagreementView", "only {0}").format(first),
    }
    return said.get(kind, kind)


def pair_end(pair: EventPair) -> int:
    return max(
        (e.end_ms if e.end_ms is not None else e.start_ms)
        for e in (pair.first, pair.second)
        if e is not None
    )


class Tracks(QWidget):
    """The two tracks over the clip's whole length; click to play there."""

    clicked = Signal(int)  # ms

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[EventPair] = []
        self.names = ("", "")
        self.duration_ms = 1
        self.selected: int | None = None
        self.setMinimumHeight(90)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:
        return QSize(600, 96)

    def set_rows(self, rows: Sequence[EventPair], names: tuple[str, str], duration_ms: int) -> None:
        self.rows, self.names, self.duration_ms = list(rows), names, max(duration_ms, 1)
        self.selected = None
        self.update()

    def _x(self, t_ms: float) -> float:
        label = 90
        return label + (self.width() - label - 8) * t_ms / self.duration_ms

    def _t(self, x: float) -> int:
        label = 90
        span = max(self.width() - label - 8, 1)
        return int(max(0.0, min(1.0, (x - label) / span)) * self.duration_ms)

    LANE_H = 30
    TOPS = (16, 16 + 30 + 12)

    def span_rect(self, span: PairedEvent) -> QRectF:
        """Where a coder's event is drawn in its lane (x and width; the lane gives y)."""
        x0 = self._x(span.start_ms)
        x1 = self._x(span.end_ms if span.end_ms is not None else span.start_ms)
        return QRectF(x0, 3, max(x1 - x0, 3.0), self.LANE_H - 6)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#202327"))
        lane_h = self.LANE_H
        tops = self.TOPS
        p.setPen(QColor("#d8d8d8"))
        for top, name in zip(tops, self.names, strict=True):
            p.drawText(QRectF(6, top, 82, lane_h), Qt.AlignmentFlag.AlignVCenter, name)
            p.fillRect(QRectF(self._x(0), top, self._x(self.duration_ms) - self._x(0), lane_h),
                       QColor("#2c3035"))  # fmt: skip
        for n, row in enumerate(self.rows):
            colour = COLOURS.get(row.kind, QColor("#888888"))
            for top, span in zip(tops, (row.first, row.second), strict=True):
                if span is None:
                    continue
                rect = self.span_rect(span).translated(0, top)
                fill = QColor(colour)
                fill.setAlpha(170)  # overlapping spans stay apart
                p.fillRect(rect, fill)
                p.setPen(QPen(colour.darker(160), 1))
                if span.open:  # no right border: a chevron says it was never stopped
                    p.drawLine(rect.topLeft(), rect.topRight())
                    p.drawLine(rect.bottomLeft(), rect.bottomRight())
                    p.drawLine(rect.topLeft(), rect.bottomLeft())
                    tip, mid = rect.right(), rect.center().y()
                    p.setPen(QPen(QColor("white"), 2))
                    p.drawLine(QPointF(tip - 6, mid - 5), QPointF(tip - 1, mid))
                    p.drawLine(QPointF(tip - 1, mid), QPointF(tip - 6, mid + 5))
                else:
                    p.drawRect(rect)
                if n == self.selected:
                    p.setPen(QPen(QColor("white"), 2))
                    p.drawRect(rect.adjusted(-1, -1, 1, 1))
        p.setPen(QColor("#9aa0a6"))
        p.drawLine(QPointF(self._x(0), 10), QPointF(self._x(self.duration_ms), 10))
        p.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.clicked.emit(self._t(event.position().x()))


class DisagreementView(QWidget):
    """Where two coders' events agree and where they do not, on one clip."""

    play_from = Signal(int)  # ms: play the clip from here

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("disagreementView")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.tracks = Tracks()
        self.tracks.clicked.connect(self._track_clicked)
        self.list = QListWidget()
        self.list.setObjectName("disagreements")
        self.list.setAccessibleName(self.tr("Disagreements"))
        self.list.itemClicked.connect(self._item_clicked)
        self.list.itemActivated.connect(self._item_clicked)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.tracks)
        split.addWidget(self.list)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)
        self.rows: list[EventPair] = []

    def set_comparison(
        self,
        rows: Sequence[EventPair],
        names: tuple[str, str],
        duration_ms: int,
        summary: str = "",
    ) -> None:
        self.rows = sorted(rows, key=lambda r: r.start_ms)
        self.tracks.set_rows(self.rows, names, duration_ms)
        self.summary.setText(summary)
        self.list.clear()
        for n, row in enumerate(self.rows):
            if row.kind == "match":
                continue
            what = kind_text(row.kind, *names)
            codes = " / ".join(s.code if s else "—" for s in (row.first, row.second))
            text = f"{clock(row.start_ms)}  {what}: {codes}"
            if any(s is not None and s.open for s in (row.first, row.second)):
                text += self.tr(" (not stopped: runs to the clip's end)")
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, n)
            item.setForeground(COLOURS.get(row.kind, QColor("black")))
            self.list.addItem(item)

    def disagreements(self) -> list[EventPair]:
        return [r for r in self.rows if r.kind != "match"]

    def play(self, row: EventPair) -> None:
        self.play_from.emit(max(0, row.start_ms - LEAD_MS))

    def _item_clicked(self, item: QListWidgetItem) -> None:
        n = int(item.data(Qt.ItemDataRole.UserRole))
        self.tracks.selected = n
        self.tracks.update()
        self.play(self.rows[n])

    def _track_clicked(self, t_ms: int) -> None:
        """A click on a track plays the disagreement there (or the nearest one)."""
        candidates = [
            (
                0
                if r.start_ms <= t_ms <= pair_end(r)
                else min(abs(r.start_ms - t_ms), abs(pair_end(r) - t_ms)),
                n,
            )
            for n, r in enumerate(self.rows)
            if r.kind != "match"
        ]
        if not candidates:
            return
        _distance, n = min(candidates)
        self.tracks.selected = n
        self.tracks.update()
        self.play(self.rows[n])


def clock(t_ms: int) -> str:
    return f"{t_ms // 60000}:{t_ms % 60000 / 1000:04.1f}"
