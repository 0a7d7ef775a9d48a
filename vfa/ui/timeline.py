"""The zoomable timeline: ruler, filmstrip, waveform, track lanes, playhead and loop.

Drag to scrub (exact frames follow), Shift+drag or drag on the ruler to select a loop
range, wheel to scroll, Ctrl+wheel to zoom around the pointer; the view spans from the
whole clip down to two seconds.
"""

from __future__ import annotations

import functools
import math
import zlib
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
    QWheelEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from vfa.domain.frames import FrameTable, format_timestamp
from vfa.domain.navigation import LoopRange
from vfa.ui.lanes import EventSpan, LaneEvents

MIN_SPAN_MS = 2000
RULER_H = 20
FILM_H = 44
WAVE_H = 36
LANE_H = 22
LABEL_W = 84
NICE_STEPS_MS = (
    40, 100, 200, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000,
    600_000, 1_200_000, 1_800_000, 3_600_000,
)  # fmt: skip


@dataclass
class Lane:
    """A named track lane (a subject: parent, infant, guider)."""

    key: str
    title: str


DEFAULT_LANES = [Lane("parent", "Parent"), Lane("infant", "Infant")]
PALETTE = ["#e9a86b", "#7cc4a4", "#8fb3ea", "#d98fd1", "#e6d36b", "#ef8a8a", "#9fd36a",
           "#6bd0e6", "#c7a4f0", "#f0b3a4"]  # fmt: skip


@functools.lru_cache(maxsize=1024)
def code_color(code: str) -> QColor:
    """A stable colour per code."""
    return QColor(PALETTE[zlib.crc32(code.encode()) % len(PALETTE)])


# above this many events in view, a lane is drawn as coverage (where any event is)
DETAIL_LIMIT = 1500


class Timeline(QWidget):
    """Time runs left to right across [view_start, view_start + view_span)."""

    scrubbed = Signal(int)  # ms under the pointer while dragging
    scrub_finished = Signal()
    loop_selected = Signal(int, int)  # ms at the two ends of a drag selection
    edge_moved = Signal(int, int, object)  # event id, new start ms, new end ms (None: running)
    view_changed = Signal(int, int)  # start ms, span ms

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timeline")
        self.setMouseTracking(False)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        # it paints every pixel itself: an update repaints only this widget, not its parents
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.table: FrameTable | None = None
        self.duration_ms = 0
        self.view_start = 0
        self.view_span = 1
        self.playhead_ms = 0
        self.follow = True
        self.loop: LoopRange | None = None
        self.loop_enabled = False
        self.lanes: list[Lane] = list(DEFAULT_LANES)
        self._thumbs: list[QImage] = []
        self._thumb_times: list[int] = []
        self._peaks: np.ndarray | None = None
        self._peak_ms = 10
        self._lane_events: dict[str, LaneEvents] = {}
        self._lane_of: dict[int, str] = {}
        self._static = QPixmap()
        self._static_key: tuple[object, ...] | None = None
        self._drag: str | None = None
        self._edge: tuple[int, str, int, int | None] | None = None
        self._drag_origin_ms = 0
        self._update_height()

    # -- content -------------------------------------------------------------
    def set_clip(self, table: FrameTable | None) -> None:
        """Show a clip's whole length (None clears)."""
        self.table = table
        self.duration_ms = table.duration_ms if table else 0
        self.view_start, self.view_span = 0, max(1, self.duration_ms)
        self.playhead_ms = 0
        self.loop = None
        self._thumbs, self._thumb_times, self._peaks = [], [], None
        self.view_changed.emit(self.view_start, self.view_span)
        self.update()

    def set_filmstrip(self, times_ms: list[int], images: list[QImage]) -> None:
        self._thumb_times, self._thumbs = list(times_ms), list(images)
        self.update()

    def set_waveform(self, peaks: np.ndarray | None, bucket_ms: int) -> None:
        self._peaks, self._peak_ms = peaks, bucket_ms
        self.update()

    def has_filmstrip(self) -> bool:
        return bool(self._thumbs)

    def has_waveform(self) -> bool:
        return self._peaks is not None

    def set_lanes(self, lanes: list[Lane]) -> None:
        self.lanes = list(lanes)
        self._update_height()
        self.update()

    def set_events(self, spans: list[EventSpan]) -> None:
        """Replace the events drawn in the lanes."""
        by_lane: dict[str, list[EventSpan]] = {}
        for span in spans:
            by_lane.setdefault(span[1], []).append(span)
        self._lane_events = {key: LaneEvents.build(items) for key, items in by_lane.items()}
        self._lane_of = {span[0]: span[1] for span in spans}
        self.update()

    def update_events(self, gone: list[int], made: list[EventSpan]) -> None:
        """Remove and (re)insert just these events, then repaint only where they are."""
        touched: list[tuple[int, int]] = []
        for event_id in [*gone, *(span[0] for span in made)]:
            lane = self._lane_of.pop(event_id, None)
            if lane is not None:
                was = self._lane_events[lane].remove(event_id)
                if was is not None:
                    touched.append(was)
        for span in made:
            self._lane_events.setdefault(span[1], LaneEvents()).insert(span)
            self._lane_of[span[0]] = span[1]
            touched.append((span[2], span[3] if span[3] is not None else self.playhead_ms))
        for start, end in touched:
            x0, x1 = self.x_of(start), self.x_of(max(start, end))
            self.update(QRect(int(x0) - 3, 0, int(x1 - x0) + 7, self.height()))

    def event_count(self, lane: str) -> int:
        events = self._lane_events.get(lane)
        return len(events) if events is not None else 0

    def set_loop(self, loop: LoopRange | None, enabled: bool) -> None:
        self.loop, self.loop_enabled = loop, enabled
        self.update()

    def set_playhead(self, t_ms: int) -> None:
        """Move the playhead; while following, page the view to keep it visible."""
        old_x = self.x_of(self.playhead_ms)
        self.playhead_ms = t_ms
        if (
            self.follow
            and not self._drag
            and not (self.view_start <= t_ms < self.view_start + self.view_span)
        ):
            self.set_view(t_ms - self.view_span // 10, self.view_span)
            return
        new_x = self.x_of(t_ms)
        # repaint only the two thin strips the playhead left and entered
        height = self.height()
        self.update(QRect(int(old_x) - 2, 0, 5, height))
        self.update(QRect(int(new_x) - 2, 0, 5, height))

    # -- view ----------------------------------------------------------------
    def set_view(self, start_ms: int, span_ms: int) -> None:
        """Show [start, start + span), clamped to the clip and the zoom limits."""
        if self.duration_ms <= 0:
            return
        span = int(min(max(span_ms, min(MIN_SPAN_MS, self.duration_ms)), self.duration_ms))
        start = int(min(max(start_ms, 0), self.duration_ms - span))
        if (start, span) != (self.view_start, self.view_span):
            self.view_start, self.view_span = start, span
            self.view_changed.emit(start, span)
            self.update()

    def zoom(self, factor: float, anchor_ms: int | None = None) -> None:
        """Zoom in (factor < 1) or out around ``anchor_ms`` (default: the playhead)."""
        anchor = self.playhead_ms if anchor_ms is None else anchor_ms
        span = self.view_span * factor
        fraction = (anchor - self.view_start) / self.view_span if self.view_span else 0.5
        self.set_view(round(anchor - fraction * span), round(span))

    def fit(self) -> None:
        """Show the whole clip."""
        self.set_view(0, self.duration_ms)

    # -- geometry ------------------------------------------------------------
    def _track_width(self) -> int:
        return max(1, self.width() - LABEL_W)

    def x_of(self, t_ms: float) -> float:
        return LABEL_W + (t_ms - self.view_start) * self._track_width() / max(1, self.view_span)

    def ms_at(self, x: float) -> int:
        t = self.view_start + (x - LABEL_W) * self.view_span / self._track_width()
        return int(min(max(t, 0), max(0, self.duration_ms - 1)))

    def _update_height(self) -> None:
        self.setFixedHeight(RULER_H + FILM_H + WAVE_H + LANE_H * len(self.lanes) + 2)

    def sizeHint(self) -> QSize:
        return QSize(800, self.height())

    # -- painting --------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(event.rect(), QColor("#1e1f22"))
        if self.duration_ms <= 0:
            p.setPen(QColor("#8a8d91"))
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.tr("No clip open"))
            p.end()
            return
        area = event.rect()
        # what changes only with the view (ruler, filmstrip, waveform, lane shading) is
        # drawn once into a pixmap; events, the loop and the playhead go on top
        key = (
            self.view_start,
            self.view_span,
            self.width(),
            self.height(),
            id(self._thumbs),
            id(self._peaks),
            tuple(lane.key for lane in self.lanes),
        )
        if self._static_key != key:
            self._static = self._render_static()
            self._static_key = key
        p.drawPixmap(area, self._static, area)
        p.setClipRect(QRect(LABEL_W, 0, self._track_width(), self.height()) & area)
        self._paint_lanes(p, area)
        self._paint_loop(p)
        x = self.x_of(self.playhead_ms)
        p.setPen(QPen(QColor("#ff4d4f"), 2))
        p.drawLine(QPointF(x, 0), QPointF(x, self.height()))
        p.end()

    def _render_static(self) -> QPixmap:
        pixmap = QPixmap(self.size())
        pixmap.fill(QColor("#1e1f22"))
        p = QPainter(pixmap)
        self._paint_labels(p)
        p.setClipRect(QRect(LABEL_W, 0, self._track_width(), self.height()))
        self._paint_ruler(p)
        self._paint_filmstrip(p, self.rect())
        self._paint_waveform(p, self.rect())
        y = RULER_H + FILM_H + WAVE_H
        for n in range(len(self.lanes)):
            shade = QColor("#202226") if n % 2 else QColor("#1b1d20")
            p.fillRect(QRect(LABEL_W, y, self._track_width(), LANE_H), shade)
            y += LANE_H
        p.end()
        return pixmap

    def _paint_labels(self, p: QPainter) -> None:
        p.fillRect(QRect(0, 0, LABEL_W, self.height()), QColor("#26282c"))
        p.setPen(QColor("#b9bcc1"))
        rows = [(RULER_H, FILM_H, self.tr("Frames")), (RULER_H + FILM_H, WAVE_H, self.tr("Sound"))]
        y = RULER_H + FILM_H + WAVE_H
        for lane in self.lanes:
            rows.append((y, LANE_H, self.tr(lane.title)))
            y += LANE_H
        for top, height, title in rows:
            p.drawText(QRect(6, top, LABEL_W - 8, height), Qt.AlignmentFlag.AlignVCenter, title)

    def _paint_ruler(self, p: QPainter) -> None:
        p.fillRect(QRect(LABEL_W, 0, self._track_width(), RULER_H), QColor("#2b2d31"))
        per_px = self.view_span / self._track_width()
        step = next((s for s in NICE_STEPS_MS if s / per_px >= 90), NICE_STEPS_MS[-1])
        first = math.ceil(self.view_start / step) * step
        p.setPen(QColor("#9da1a6"))
        t = first
        while t <= self.view_start + self.view_span:
            x = self.x_of(t)
            p.drawLine(QPointF(x, RULER_H - 6), QPointF(x, RULER_H))
            label = format_timestamp(t)
            label = label[3:] if t < 3_600_000 else label
            if step >= 1000:
                label = label.split(".")[0]
            p.drawText(QPointF(x + 3, RULER_H - 7), label)
            t += step

    def _paint_filmstrip(self, p: QPainter, area: QRect) -> None:
        top = RULER_H
        p.fillRect(QRect(LABEL_W, top, self._track_width(), FILM_H), QColor("#151618"))
        if not self._thumbs:
            return
        thumb_w = max(8, round(self._thumbs[0].width() * (FILM_H - 2) / self._thumbs[0].height()))
        x = (
            LABEL_W + (area.left() - LABEL_W) // thumb_w * thumb_w
            if area.left() > LABEL_W
            else LABEL_W
        )
        times = self._thumb_times
        while x < min(self.width(), area.right() + 1):
            t = self.ms_at(x + thumb_w / 2)
            i = max(0, _last_at_or_before(times, t))
            p.drawImage(QRectF(x, top + 1, thumb_w - 1, FILM_H - 2), self._thumbs[i])
            x += thumb_w

    def _paint_waveform(self, p: QPainter, area: QRect) -> None:
        top = RULER_H + FILM_H
        p.fillRect(QRect(LABEL_W, top, self._track_width(), WAVE_H), QColor("#17191c"))
        if self._peaks is None or not len(self._peaks):
            return
        left = max(LABEL_W, area.left())
        right = min(self.width(), area.right() + 1)
        columns = right - left
        if columns <= 0:
            return
        t0, t1 = self.ms_at(left), self.ms_at(right)
        b0, b1 = t0 // self._peak_ms, max(t0 // self._peak_ms + 1, t1 // self._peak_ms + 1)
        chunk = self._peaks[b0:b1]
        if not len(chunk):
            return
        # the loudest bucket under each column
        edges = np.linspace(0, len(chunk), columns + 1).astype(int)
        edges[1:] = np.maximum(edges[1:], edges[:-1] + 1)
        edges = np.minimum(edges, len(chunk))
        values = np.maximum.reduceat(chunk, np.minimum(edges[:-1], len(chunk) - 1))
        mid = top + WAVE_H / 2
        p.setPen(QColor("#5fb3a1"))
        for i, v in enumerate(values):
            h = float(v) * (WAVE_H / 2 - 2)
            if h >= 0.5:
                x = left + i
                p.drawLine(QPointF(x, mid - h), QPointF(x, mid + h))

    def _paint_lanes(self, p: QPainter, area: QRect) -> None:
        y = RULER_H + FILM_H + WAVE_H
        for lane in self.lanes:
            events = self._lane_events.get(lane.key)
            if events is not None and len(events.starts):
                self._paint_events(p, events, y + 2, LANE_H - 4, area)
            y += LANE_H

    def _paint_events(
        self, p: QPainter, ev: LaneEvents, top: int, height: int, area: QRect
    ) -> None:
        t0, t1 = self.view_start, self.view_start + self.view_span
        running = bool((ev.ends < 0).any())
        key = (
            t0,
            self.view_span,
            self._track_width(),
            ev.version,
            self.playhead_ms if running else -1,
        )
        if ev.coverage_key == key:  # the same dense view as last time: reuse its shading
            self._paint_coverage(p, ev, top, height, area)
            return
        lo = int(np.searchsorted(ev.starts, t0 - ev.max_length, side="left"))
        hi = int(np.searchsorted(ev.starts, t1, side="right"))
        if hi <= lo:
            return
        if hi - lo <= DETAIL_LIMIT and area.width() < self._track_width():
            # drawing each event: only those under the area being repainted
            a0, a1 = self.ms_at(area.left() - 1), self.ms_at(area.right() + 2)
            lo = max(lo, int(np.searchsorted(ev.starts, a0 - ev.max_length, side="left")))
            hi = min(hi, int(np.searchsorted(ev.starts, a1, side="right")))
            if hi <= lo:
                return
        starts = ev.starts[lo:hi]
        ends = np.where(ev.ends[lo:hi] < 0, max(self.playhead_ms, 0), ev.ends[lo:hi])
        visible = ends >= t0
        scale = self._track_width() / max(1, self.view_span)
        x0 = LABEL_W + (starts - t0) * scale
        x1 = LABEL_W + (ends - t0) * scale
        if int(visible.sum()) > DETAIL_LIMIT:
            # too many to tell apart: shade every pixel column that any event covers
            width = self._track_width()
            a = np.clip((x0[visible] - LABEL_W).astype(np.int64), 0, width)
            b = np.clip((x1[visible] - LABEL_W).astype(np.int64) + 1, 0, width + 1)
            cover = np.bincount(a, minlength=width + 2) - np.bincount(b, minlength=width + 2)
            on = np.cumsum(cover)[:width] > 0
            edges = np.flatnonzero(np.diff(np.concatenate(([0], on.astype(np.int8), [0]))))
            ev.coverage = list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))
            ev.coverage_key = key
            self._paint_coverage(p, ev, top, height, area)
            return
        # one drawRects call per code; labels only where there is room and not too many
        idx = np.flatnonzero(visible)
        spans = x1[idx] - x0[idx]
        left = np.where(spans < 3, x0[idx] - 1, x0[idx])
        widths = np.maximum(spans, 3)
        codes = ev.code_index(lo, hi)[idx]
        p.setPen(Qt.PenStyle.NoPen)
        for code_number in np.unique(codes).tolist():
            mask = codes == code_number
            p.setBrush(code_color(ev.code_names[code_number]))
            p.drawRects(
                [
                    QRectF(x, top, w, height)
                    for x, w in zip(left[mask].tolist(), widths[mask].tolist(), strict=True)
                ]
            )
        wide = np.flatnonzero(widths > 48)
        if len(wide) <= 120:
            p.setPen(QColor("#101114"))
            free_from = -1.0  # overlapping spans: label only where the last label ended
            for k in wide.tolist():
                x = float(left[k]) + 3
                if x < free_from:
                    continue
                label = ev.code_names[int(codes[k])]
                p.drawText(
                    QRectF(x, top, float(widths[k]) - 4, height),
                    Qt.AlignmentFlag.AlignVCenter,
                    label,
                )
                free_from = x + min(float(widths[k]), p.fontMetrics().horizontalAdvance(label) + 6)
        p.setBrush(Qt.BrushStyle.NoBrush)

    def _paint_coverage(
        self, p: QPainter, ev: LaneEvents, top: int, height: int, area: QRect
    ) -> None:
        color = QColor("#7aa7d9")
        left_edge, right_edge = area.left() - LABEL_W, area.right() - LABEL_W
        for start, stop in ev.coverage:
            if stop >= left_edge and start <= right_edge:
                p.fillRect(QRectF(LABEL_W + start, top, stop - start, height), color)

    def _paint_loop(self, p: QPainter) -> None:
        if self.loop is None:
            return
        x0, x1 = self.x_of(self.loop.start_ms), self.x_of(self.loop.end_ms)
        color = QColor(255, 200, 60, 70 if self.loop_enabled else 35)
        p.fillRect(QRectF(x0, 0, max(2.0, x1 - x0), self.height()), color)
        p.setPen(QPen(QColor(255, 200, 60), 1))
        p.drawLine(QPointF(x0, 0), QPointF(x0, self.height()))
        p.drawLine(QPointF(x1, 0), QPointF(x1, self.height()))

    # -- interaction -------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self.duration_ms <= 0 or event.button() != Qt.MouseButton.LeftButton:
            return
        x, y = event.position().x(), event.position().y()
        if x < LABEL_W:
            return
        t = self.ms_at(x)
        edge = self.edge_at(x, y)
        if edge is not None:
            self._drag = "edge"
            self._edge = edge
            return
        select = y < RULER_H or event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        self._drag = "select" if select else "scrub"
        self._drag_origin_ms = t
        if self._drag == "scrub":
            self.scrubbed.emit(t)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drag is None:
            return
        t = self.ms_at(event.position().x())
        if self._drag == "scrub":
            self.scrubbed.emit(t)
        elif self._drag == "edge":
            self.scrubbed.emit(t)  # show the frame the edge is being moved to
        else:
            self.loop_selected.emit(self._drag_origin_ms, t)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._drag == "select":
            self.loop_selected.emit(self._drag_origin_ms, self.ms_at(event.position().x()))
        elif self._drag == "edge" and self._edge is not None:
            event_id, side, start, end = self._edge
            t = self.ms_at(event.position().x())
            if side == "start":
                start = min(t, end) if end is not None else t
            else:
                end = max(t, start)
            self.edge_moved.emit(event_id, start, end)
            self._edge = None
        elif self._drag == "scrub":
            self.scrub_finished.emit()
        self._drag = None

    def edge_at(self, x: float, y: float) -> tuple[int, str, int, int | None] | None:
        """(event id, "start" or "end", start, end) of a span edge within 4 px of (x, y)."""
        top = RULER_H + FILM_H + WAVE_H
        row = int((y - top) // LANE_H)
        if y < top or not 0 <= row < len(self.lanes):
            return None
        ev = self._lane_events.get(self.lanes[row].key)
        if ev is None or not len(ev):
            return None
        t = self.ms_at(x)
        slack = 4 * self.view_span / self._track_width()
        lo = int(np.searchsorted(ev.starts, t - slack - ev.max_length, side="left"))
        hi = int(np.searchsorted(ev.starts, t + slack, side="right"))
        best: tuple[float, tuple[int, str, int, int | None]] | None = None
        for i in range(lo, hi):
            start, end = int(ev.starts[i]), int(ev.ends[i])
            if end < 0 or end == start:
                continue  # points and running states have no edge to drag
            for side, edge_t in (("start", start), ("end", end)):
                distance = abs(edge_t - t)
                if distance <= slack and (best is None or distance < best[0]):
                    best = (distance, (int(ev.ids[i]), side, start, end))
        return best[1] if best else None

    def wheelEvent(self, event: QWheelEvent) -> None:
        if self.duration_ms <= 0:
            return
        steps = event.angleDelta().y() / 120 or event.angleDelta().x() / 120
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoom(0.8**steps, self.ms_at(event.position().x()))
        else:
            self.follow = False
            self.set_view(round(self.view_start - steps * self.view_span / 8), self.view_span)
        event.accept()


def _last_at_or_before(times: list[int], t: int) -> int:
    from bisect import bisect_right

    return bisect_right(times, t) - 1
