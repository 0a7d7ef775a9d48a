"""The events of one timeline lane, kept as sorted arrays for fast drawing and editing,
each in a sub-row of its lane so that overlapping events are drawn one above the other,
and the drawing of a lane's events."""

from __future__ import annotations

import functools
import zlib
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen

EventSpan = tuple[int, str, int, int | None, str]  # id, lane, start ms, end ms or None, code

MAX_SUBROWS = 4  # deeper overlaps share the last sub-row
RUNNING = np.iinfo(np.int64).max  # where a running state ends, for sub-rows
# above this many events in view, a lane is drawn as coverage (where any event is)
DETAIL_LIMIT = 1500
PALETTE = ["#e9a86b", "#7cc4a4", "#8fb3ea", "#d98fd1", "#e6d36b", "#ef8a8a", "#9fd36a",
           "#6bd0e6", "#c7a4f0", "#f0b3a4"]  # fmt: skip


@functools.lru_cache(maxsize=1024)
def code_color(code: str) -> QColor:
    """A stable colour per code."""
    return QColor(PALETTE[zlib.crc32(code.encode()) % len(PALETTE)])


class LaneEvents:
    """One lane's events as arrays sorted by start, so a repaint touches only what is in
    view and an edit inserts or removes in place instead of rebuilding.

    Each event has a sub-row: the lowest one free over its span when it came (all of a
    run's events in start order when the run opens). An edit never moves the other
    events, and an edited event keeps its sub-row while it is free."""

    def __init__(self) -> None:
        self.ids = np.zeros(0, dtype=np.int64)
        self.starts = np.zeros(0, dtype=np.int64)
        self.ends = np.zeros(0, dtype=np.int64)  # -1: a state still running
        self._rows: np.ndarray | None = np.zeros(0, dtype=np.int8)  # None: not found yet
        self.codes: list[str] = []
        self.max_length = 0
        self.depth = 1  # sub-rows in use
        self._numbers: np.ndarray | None = None
        self._names: list[str] = []
        self.version = 0  # bumped by every change, for cached drawings
        self.coverage: list[tuple[int, int]] = []
        self.coverage_key: tuple[int, ...] | None = None

    @classmethod
    def build(cls, spans: list[EventSpan]) -> LaneEvents:
        lane = cls()
        if spans:
            ids = np.fromiter((s[0] for s in spans), np.int64, len(spans))
            starts = np.fromiter((s[2] for s in spans), np.int64, len(spans))
            ends = np.fromiter((-1 if s[3] is None else s[3] for s in spans), np.int64, len(spans))
            order = np.lexsort((ids, starts))
            lane.ids, lane.starts, lane.ends = ids[order], starts[order], ends[order]
            lane.codes = [spans[i][4] for i in order.tolist()]
            lane.depth = _depth(lane.starts, lane.ends)
            # the sub-rows themselves are found when first needed (a run opens quickly)
            lane._rows = np.zeros(len(ids), dtype=np.int8) if lane.depth == 1 else None
        lane._update_max()
        return lane

    @property
    def rows(self) -> np.ndarray:
        """Each event's sub-row, 0 at the top."""
        return self.place()

    def place(self) -> np.ndarray:
        """Find the sub-rows (once; edits keep them up to date)."""
        if self._rows is None:
            self._rows = _first_fit(self.starts, self.ends)
        return self._rows

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def code_names(self) -> list[str]:
        return self._names

    def code_index(self, lo: int, hi: int) -> np.ndarray:
        """Small integers standing for the codes of events lo..hi (for grouping)."""
        if self._numbers is None or len(self._numbers) != len(self.codes):
            table: dict[str, int] = {}
            self._numbers = np.fromiter(
                (table.setdefault(c, len(table)) for c in self.codes), np.int32, len(self.codes)
            )
            self._names = list(table)
        return self._numbers[lo:hi]

    def _update_max(self) -> None:
        lengths = np.where(self.ends >= 0, self.ends - self.starts, 0)
        self.max_length = int(lengths.max()) if len(lengths) else 0

    def row_of(self, event_id: int) -> int | None:
        where = np.flatnonzero(self.ids == event_id)
        return int(self.rows[where[0]]) if len(where) else None

    def index_of(self, event_id: int) -> int | None:
        where = np.flatnonzero(self.ids == event_id)
        return int(where[0]) if len(where) else None

    def remove(self, event_id: int) -> tuple[int, int] | None:
        """Take an event out; returns its (start, end) or None when it was not here."""
        i = self.index_of(event_id)
        if i is None:
            return None
        span = (
            int(self.starts[i]),
            int(self.ends[i]) if self.ends[i] >= 0 else int(self.starts[i]),
        )
        self.ids = np.delete(self.ids, i)
        self.starts = np.delete(self.starts, i)
        self.ends = np.delete(self.ends, i)
        rows = self._rows = np.delete(self.rows, i)
        del self.codes[i]
        self._numbers = None
        self.version += 1
        self.depth = int(rows.max()) + 1 if len(rows) else 1
        return span

    def insert(self, span: EventSpan, prefer_row: int | None = None) -> None:
        """Add an event in the lowest sub-row free over its span (``prefer_row`` when
        that one is free: an edited event stays where it was)."""
        event_id, _lane, start, end, code = span
        row = self._free_row(start, RUNNING if end is None else max(end, start + 1), prefer_row)
        i = int(np.searchsorted(self.starts, start, side="right"))
        self.ids = np.insert(self.ids, i, event_id)
        self.starts = np.insert(self.starts, i, start)
        self.ends = np.insert(self.ends, i, -1 if end is None else end)
        self._rows = np.insert(self.rows, i, row)
        self.codes.insert(i, code)
        self._numbers = None
        self.version += 1
        self.depth = max(self.depth, row + 1)
        if end is not None:
            self.max_length = max(self.max_length, end - start)

    def _free_row(self, start: int, end: int, prefer: int | None) -> int:
        hi = int(np.searchsorted(self.starts, end, side="left"))
        lo = int(np.searchsorted(self.starts, start - self.max_length, side="left"))
        near = np.arange(lo, hi)
        running = np.flatnonzero((self.ends < 0) & (self.starts < end))
        candidates = np.union1d(near, running)
        ends = _effective_ends(self.starts[candidates], self.ends[candidates])
        taken = set(self.rows[candidates][ends > start].tolist())
        if prefer is not None and prefer not in taken:
            return prefer
        return next((r for r in range(MAX_SUBROWS) if r not in taken), MAX_SUBROWS - 1)


def _effective_ends(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Where each event stops taking room: a point one ms on, a running state never."""
    return np.where(ends < 0, RUNNING, np.maximum(ends, starts + 1))


def _depth(starts: np.ndarray, ends: np.ndarray) -> int:
    """The sub-rows first-fit will use: the most events running at once (a greedy
    assignment in start order is optimal for intervals), at most MAX_SUBROWS."""
    effective = _effective_ends(starts, ends)
    reach = np.maximum.accumulate(effective)
    if not len(starts) or not (starts[1:] < reach[:-1]).any():
        return 1
    times = np.concatenate((starts, effective))
    steps = np.concatenate((np.ones(len(starts), np.int32), -np.ones(len(starts), np.int32)))
    order = np.lexsort((steps, times))  # at one time, an end before a start: [start, end)
    return min(int(np.cumsum(steps[order]).max()), MAX_SUBROWS)


def _first_fit(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Sub-rows for events sorted by start: each in the lowest row free at its start
    (the last row when none is). Plain locals, no lists: a run opens with 50,000 events."""
    effective = _effective_ends(starts, ends)
    reach = np.maximum.accumulate(effective)
    if not len(starts) or not (starts[1:] < reach[:-1]).any():
        return np.zeros(len(starts), dtype=np.int8)  # nothing overlaps: all in the top row
    assert MAX_SUBROWS == 4  # (the four rows' "free from" times below)
    free0 = free1 = free2 = free3 = np.iinfo(np.int64).min
    rows = bytearray(len(starts))
    for i, (start, end) in enumerate(zip(starts.tolist(), effective.tolist(), strict=True)):
        if free0 <= start:
            free0 = end  # (a free row: nothing in it reaches past this start)
        elif free1 <= start:
            rows[i], free1 = 1, end
        elif free2 <= start:
            rows[i], free2 = 2, end
        else:
            rows[i], free3 = 3, max(free3, end)
    return np.frombuffer(bytes(rows), dtype=np.int8).copy()


@dataclass(frozen=True)
class LaneView:
    """What a lane is drawn in: the time in view, the track's pixels, the clip's end."""

    t0: int
    span: int
    left: int  # x of t0
    width: int  # pixels of track
    # a state never stopped runs to the end of the clip, here as in agreement and exports
    clip_end_ms: int

    @property
    def scale(self) -> float:
        return self.width / max(1, self.span)


def paint_events(
    p: QPainter,
    ev: LaneEvents,
    view: LaneView,
    box: QRect,
    area: QRect,
    names: Mapping[str, str],
    selected: int | None,
) -> None:
    """Draw a lane's events in view (within ``box``), each in its sub-row, labelled by
    its code's name where there is room; the selected event outlined."""
    t0, t1 = view.t0, view.t0 + view.span
    top, height = box.top(), box.height()
    key = (t0, view.span, view.width, ev.version, view.clip_end_ms, height)
    if ev.coverage_key == key:  # the same dense view as last time: reuse its shading
        _paint_coverage(p, ev, view, top, height, area)
        return
    lo = int(np.searchsorted(ev.starts, t0 - ev.max_length, side="left"))
    hi = int(np.searchsorted(ev.starts, t1, side="right"))
    if hi <= lo:
        return
    if hi - lo <= DETAIL_LIMIT and area.width() < view.width:
        # drawing each event: only those under the area being repainted
        a0 = t0 + (area.left() - 1 - view.left) / view.scale
        a1 = t0 + (area.right() + 2 - view.left) / view.scale
        lo = max(lo, int(np.searchsorted(ev.starts, a0 - ev.max_length, side="left")))
        hi = min(hi, int(np.searchsorted(ev.starts, a1, side="right")))
        if hi <= lo:
            return
    starts = ev.starts[lo:hi]
    ends = np.where(
        ev.ends[lo:hi] < 0, np.maximum(view.clip_end_ms, ev.starts[lo:hi]), ev.ends[lo:hi]
    )
    visible = ends >= t0
    x0 = view.left + (starts - t0) * view.scale
    x1 = view.left + (ends - t0) * view.scale
    if int(visible.sum()) > DETAIL_LIMIT:
        # too many to tell apart: shade every pixel column that any event covers
        width = view.width
        a = np.clip((x0[visible] - view.left).astype(np.int64), 0, width)
        b = np.clip((x1[visible] - view.left).astype(np.int64) + 1, 0, width + 1)
        cover = np.bincount(a, minlength=width + 2) - np.bincount(b, minlength=width + 2)
        on = np.cumsum(cover)[:width] > 0
        edges = np.flatnonzero(np.diff(np.concatenate(([0], on.astype(np.int8), [0]))))
        ev.coverage = list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))
        ev.coverage_key = key
        _paint_coverage(p, ev, view, top, height, area)
        return
    # one drawRects call per code; labels only where there is room and not too many
    idx = np.flatnonzero(visible)
    spans = x1[idx] - x0[idx]
    left = np.where(spans < 3, x0[idx] - 1, x0[idx])
    widths = np.maximum(spans, 3)
    codes = ev.code_index(lo, hi)[idx]
    depth = max(1, ev.depth)
    row_h = height / depth
    ys = top + ev.rows[lo:hi][idx].astype(np.float64) * row_h
    box_h = row_h - 1 if depth > 1 else row_h
    p.setPen(Qt.PenStyle.NoPen)
    for code_number in np.unique(codes).tolist():
        mask = codes == code_number
        p.setBrush(code_color(ev.code_names[code_number]))
        p.drawRects(
            [
                QRectF(x, y, w, box_h)
                for x, y, w in zip(
                    left[mask].tolist(), ys[mask].tolist(), widths[mask].tolist(), strict=True
                )
            ]
        )
    wide = np.flatnonzero(widths > 48)
    if len(wide) <= 120:
        p.setPen(QColor("#101114"))
        advance = p.fontMetrics().horizontalAdvance
        free_from = [-1.0] * MAX_SUBROWS  # per sub-row: label only where the last ended
        rows = ev.rows[lo:hi][idx]
        for k in wide.tolist():
            x, row = float(left[k]) + 3, int(rows[k])
            if x < free_from[row]:
                continue
            code = ev.code_names[int(codes[k])]
            label = names.get(code, code)
            p.drawText(
                QRectF(x, float(ys[k]), float(widths[k]) - 4, box_h),
                Qt.AlignmentFlag.AlignVCenter,
                label,
            )
            free_from[row] = x + min(float(widths[k]), advance(label) + 6)
    if selected is not None:
        where = np.flatnonzero(ev.ids[lo:hi][idx] == selected)
        if len(where):
            k = int(where[0])
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.setPen(QPen(QColor("#ffffff"), 2))
            p.drawRect(QRectF(float(left[k]), float(ys[k]) + 1, float(widths[k]), box_h - 2))
    p.setBrush(Qt.BrushStyle.NoBrush)


def _paint_coverage(
    p: QPainter, ev: LaneEvents, view: LaneView, top: int, height: int, area: QRect
) -> None:
    color = QColor("#7aa7d9")
    left_edge, right_edge = area.left() - view.left, area.right() - view.left
    for start, stop in ev.coverage:
        if stop >= left_edge and start <= right_edge:
            p.fillRect(QRectF(view.left + start, top, stop - start, height), color)
