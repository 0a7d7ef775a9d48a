"""The zoomable timeline: ruler, filmstrip, waveform, track lanes, playhead and loop.

The axis and the rows along it are painted by :mod:`vfa.ui.timeline_paint`; this module
holds the widget, its lanes and what the mouse does.

Drag to scrub (exact frames follow), Shift+drag or drag on the ruler to select a loop
range, wheel to scroll, Ctrl+wheel to zoom around the pointer; the view spans from the
whole clip down to two seconds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QPointF, QRect, QSize, Qt, QTimer, Signal
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

from vfa.domain.frames import FrameTable
from vfa.domain.navigation import LoopRange
from vfa.player.canvas import FocusFrame
from vfa.ui.lanes import EventSpan, LaneEvents, LaneView, paint_events
from vfa.ui.names import QT_TRANSLATE_NOOP
from vfa.ui.timeline_paint import (
    FILM_H,
    LABEL_W,
    RULER_H,
    WAVE_H,
    TimeAxis,
    paint_filmstrip,
    paint_loop,
    paint_ruler,
    paint_waveform,
)

MIN_SPAN_MS = 2000
LANE_H = 22  # a lane without overlapping events
SUBROW_H = 18  # each sub-row of a lane whose events overlap


@dataclass
class Lane:
    """A named track lane (a subject: parent, infant, guider)."""

    key: str
    title: str


# the titles are translated as they are painted (a scheme's own subjects are its words)
DEFAULT_LANES = [
    Lane("parent", QT_TRANSLATE_NOOP("Timeline", "Parent")),
    Lane("infant", QT_TRANSLATE_NOOP("Timeline", "Infant")),
]


class Timeline(FocusFrame):
    """Time runs left to right across [view_start, view_start + view_span)."""

    scrubbed = Signal(int)  # ms under the pointer while dragging
    scrub_finished = Signal()
    loop_selected = Signal(int, int)  # ms at the two ends of a drag selection
    edge_moved = Signal(int, int, object)  # event id, new start ms, new end ms (None: running)
    event_selected = Signal(int)  # an event clicked in its lane
    view_changed = Signal(int, int)  # start ms, span ms

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timeline")
        self.setMouseTracking(False)
        self.setAccessibleName(self.tr("Timeline"))
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
        self._code_names: dict[str, str] = {}
        self.selected: int | None = None  # its edges win a drag where events overlap
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

    def set_code_names(self, names: Mapping[str, str]) -> None:
        """The names events are labelled with (by code id)."""
        self._code_names = dict(names)
        self.update()

    def set_selected(self, event_id: int | None) -> None:
        """Outline this event; dragging an edge it shares with others moves it."""
        if event_id != self.selected:
            self.selected = event_id
            self.update()

    def set_events(self, spans: list[EventSpan]) -> None:
        """Replace the events drawn in the lanes."""
        by_lane: dict[str, list[EventSpan]] = {}
        for span in spans:
            by_lane.setdefault(span[1], []).append(span)
        self._lane_events = {key: LaneEvents.build(items) for key, items in by_lane.items()}
        self._lane_of = {span[0]: span[1] for span in spans}
        self._update_height()
        self.update()
        QTimer.singleShot(0, self, self._find_rows)

    def _find_rows(self) -> None:
        """Place the events in their sub-rows once idle (the first edit need not)."""
        for events in self._lane_events.values():
            events.place()

    def update_events(self, gone: list[int], made: list[EventSpan]) -> None:
        """Remove and (re)insert just these events, then repaint only where they are."""
        touched: list[tuple[int, int]] = []
        rows: dict[int, int | None] = {}  # an edited event keeps its sub-row
        for event_id in [*gone, *(span[0] for span in made)]:
            lane = self._lane_of.pop(event_id, None)
            if lane is not None:
                events = self._lane_events[lane]
                rows[event_id] = events.row_of(event_id)
                was = events.remove(event_id)
                if was is not None:
                    touched.append(was)
        for span in made:
            events = self._lane_events.setdefault(span[1], LaneEvents())
            events.insert(span, rows.get(span[0]))
            self._lane_of[span[0]] = span[1]
            touched.append((span[2], span[3] if span[3] is not None else self.playhead_ms))
        if self._heights() != self._shown_heights:
            self._update_height()  # a lane gained or lost a sub-row
            self.update()
            return
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
    def axis(self) -> TimeAxis:
        """The time in view across the track's pixels."""
        return TimeAxis(self.view_start, self.view_span, self.width(), self.duration_ms)

    def _track_width(self) -> int:
        return self.axis().track_width

    def x_of(self, t_ms: float) -> float:
        """The x of a time in view."""
        return self.axis().x_of(t_ms)

    def ms_at(self, x: float) -> int:
        """The time at an x, held inside the clip."""
        return self.axis().ms_at(x)

    def lane_height(self, key: str) -> int:
        """A lane's height: one row, or a sub-row per level of overlapping events."""
        events = self._lane_events.get(key)
        depth = events.depth if events is not None and len(events) else 1
        return LANE_H if depth <= 1 else 4 + depth * SUBROW_H

    def lane_top(self, key: str) -> int:
        """The y where a lane begins."""
        y = RULER_H + FILM_H + WAVE_H
        for lane in self.lanes:
            if lane.key == key:
                return y
            y += self.lane_height(lane.key)
        raise KeyError(key)

    def _heights(self) -> tuple[int, ...]:
        return tuple(self.lane_height(lane.key) for lane in self.lanes)

    def _update_height(self) -> None:
        self._shown_heights = self._heights()
        self.setFixedHeight(RULER_H + FILM_H + WAVE_H + sum(self._shown_heights) + 2)

    def sizeHint(self) -> QSize:
        return QSize(800, self.height())

    # -- painting --------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(event.rect(), QColor("#1e1f22"))
        if self.duration_ms <= 0:
            p.setPen(QColor("#8a8d91"))
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.tr("No clip open"))
            self.paint_focus_frame(p)
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
            self._shown_heights,
        )
        if self._static_key != key:
            self._static = self._render_static()
            self._static_key = key
        p.drawPixmap(area, self._static, area)
        p.setClipRect(QRect(LABEL_W, 0, self._track_width(), self.height()) & area)
        self._paint_lanes(p, area)
        paint_loop(p, self.axis(), self.loop, self.loop_enabled, self.height())
        x = self.x_of(self.playhead_ms)
        p.setPen(QPen(QColor("#ff4d4f"), 2))
        p.drawLine(QPointF(x, 0), QPointF(x, self.height()))
        self.paint_focus_frame(p)
        p.end()

    def _render_static(self) -> QPixmap:
        pixmap = QPixmap(self.size())
        pixmap.fill(QColor("#1e1f22"))
        p = QPainter(pixmap)
        self._paint_labels(p)
        p.setClipRect(QRect(LABEL_W, 0, self._track_width(), self.height()))
        axis = self.axis()
        paint_ruler(p, axis)
        paint_filmstrip(p, axis, self.rect(), self._thumbs, self._thumb_times)
        paint_waveform(p, axis, self.rect(), self._peaks, self._peak_ms)
        y = RULER_H + FILM_H + WAVE_H
        for n, height in enumerate(self._shown_heights):
            shade = QColor("#202226") if n % 2 else QColor("#1b1d20")
            p.fillRect(QRect(LABEL_W, y, self._track_width(), height), shade)
            y += height
        p.end()
        return pixmap

    def _paint_labels(self, p: QPainter) -> None:
        p.fillRect(QRect(0, 0, LABEL_W, self.height()), QColor("#26282c"))
        p.setPen(QColor("#b9bcc1"))
        rows = [(RULER_H, FILM_H, self.tr("Frames")), (RULER_H + FILM_H, WAVE_H, self.tr("Sound"))]
        y = RULER_H + FILM_H + WAVE_H
        for lane, lane_h in zip(self.lanes, self._shown_heights, strict=True):
            rows.append((y, min(lane_h, LANE_H), self.tr(lane.title)))
            y += lane_h
        for top, height, title in rows:
            p.drawText(QRect(6, top, LABEL_W - 8, height), Qt.AlignmentFlag.AlignVCenter, title)

    def _paint_lanes(self, p: QPainter, area: QRect) -> None:
        y = RULER_H + FILM_H + WAVE_H
        view = LaneView(
            self.view_start, self.view_span, LABEL_W, self._track_width(), self.duration_ms
        )
        for lane, height in zip(self.lanes, self._shown_heights, strict=True):
            events = self._lane_events.get(lane.key)
            if (
                events is not None
                and len(events.starts)
                and area.intersects(QRect(LABEL_W, y, self._track_width(), height))
            ):
                box = QRect(LABEL_W, y + 2, self._track_width(), height - 4)
                paint_events(p, events, view, box, area, self._code_names, self.selected)
            y += height

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
            self._select(edge[0])
            return
        hit = self.event_at(x, y)
        if hit is not None:
            self._select(hit)  # and scrub as usual
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

    def _select(self, event_id: int) -> None:
        self.set_selected(event_id)
        self.event_selected.emit(event_id)

    def _lane_at(self, y: float) -> tuple[LaneEvents, int] | None:
        """The events of the lane under y and the sub-row there."""
        top = RULER_H + FILM_H + WAVE_H
        for lane, height in zip(self.lanes, self._shown_heights, strict=True):
            if top <= y < top + height:
                ev = self._lane_events.get(lane.key)
                if ev is None or not len(ev):
                    return None
                depth = max(1, ev.depth)
                row = int((y - top - 2) * depth // max(1, height - 4))
                return ev, min(max(row, 0), depth - 1)
            top += height
        return None

    def _near(self, x: float, y: float) -> tuple[LaneEvents, int, int, float, range] | None:
        """The lane and sub-row under (x, y), the time there, 4 px of slack in ms and
        the events that may reach that far."""
        found = self._lane_at(y)
        if found is None:
            return None
        ev, row = found
        t = self.ms_at(x)
        slack = 4 * self.view_span / self._track_width()
        lo = int(np.searchsorted(ev.starts, t - slack - ev.max_length, side="left"))
        hi = int(np.searchsorted(ev.starts, t + slack, side="right"))
        return ev, row, t, slack, range(lo, hi)

    def edge_at(self, x: float, y: float) -> tuple[int, str, int, int | None] | None:
        """(event id, "start" or "end", start, end) of a span edge within 4 px of (x, y).
        Where several events have an edge there, the selected event's wins, then the
        one in the sub-row under the pointer, then the nearest."""
        near = self._near(x, y)
        if near is None:
            return None
        ev, row, t, slack, candidates = near
        best: tuple[tuple[bool, bool, float], tuple[int, str, int, int | None]] | None = None
        for i in candidates:
            start, end = int(ev.starts[i]), int(ev.ends[i])
            if end < 0 or end == start:
                continue  # points and running states have no edge to drag
            event_id = int(ev.ids[i])
            for side, edge_t in (("start", start), ("end", end)):
                distance = abs(edge_t - t)
                if distance > slack:
                    continue
                rank = (event_id != self.selected, int(ev.rows[i]) != row, distance)
                if best is None or rank < best[0]:
                    best = (rank, (event_id, side, start, end))
        return best[1] if best else None

    def event_at(self, x: float, y: float) -> int | None:
        """The id of the event drawn under (x, y): in the sub-row there, the latest
        starting one that covers the time (points within 4 px)."""
        near = self._near(x, y)
        if near is None:
            return None
        ev, row, t, slack, candidates = near
        for i in reversed(candidates):
            start, end = int(ev.starts[i]), int(ev.ends[i])
            end = max(self.playhead_ms, start) if end < 0 else end
            if int(ev.rows[i]) == row and start - slack <= t <= max(end, start + slack):
                return int(ev.ids[i])
        return None

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
