"""The timeline's time axis and the rows painted along it: ruler, filmstrip, waveform, loop.

:class:`TimeAxis` maps a time in view to the track's pixels and back; the painters draw
one row of the timeline for an axis, knowing nothing of the widget that holds them.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QPointF, QRect, QRectF
from PySide6.QtGui import QColor, QImage, QPainter, QPen

from vfa.domain.frames import format_timestamp
from vfa.domain.navigation import LoopRange

RULER_H = 20
FILM_H = 44
WAVE_H = 36
LABEL_W = 84
NICE_STEPS_MS = (
    40, 100, 200, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000,
    600_000, 1_200_000, 1_800_000, 3_600_000,
)  # fmt: skip


@dataclass(frozen=True)
class TimeAxis:
    """[start_ms, start_ms + span_ms) across the track, which begins at LABEL_W."""

    start_ms: int
    span_ms: int
    width: int  # the whole timeline's width in pixels, labels included
    duration_ms: int

    @property
    def track_width(self) -> int:
        """Pixels of track right of the labels (at least 1)."""
        return max(1, self.width - LABEL_W)

    def x_of(self, t_ms: float) -> float:
        """The x of a time."""
        return LABEL_W + (t_ms - self.start_ms) * self.track_width / max(1, self.span_ms)

    def ms_at(self, x: float) -> int:
        """The time at an x, held inside the clip."""
        t = self.start_ms + (x - LABEL_W) * self.span_ms / self.track_width
        return int(min(max(t, 0), max(0, self.duration_ms - 1)))


def paint_ruler(p: QPainter, axis: TimeAxis) -> None:
    """Ticks at a round step at least 90 px apart, labelled with their time."""
    p.fillRect(QRect(LABEL_W, 0, axis.track_width, RULER_H), QColor("#2b2d31"))
    per_px = axis.span_ms / axis.track_width
    step = next((s for s in NICE_STEPS_MS if s / per_px >= 90), NICE_STEPS_MS[-1])
    first = math.ceil(axis.start_ms / step) * step
    p.setPen(QColor("#9da1a6"))
    t = first
    while t <= axis.start_ms + axis.span_ms:
        x = axis.x_of(t)
        p.drawLine(QPointF(x, RULER_H - 6), QPointF(x, RULER_H))
        label = format_timestamp(t)
        label = label[3:] if t < 3_600_000 else label
        if step >= 1000:
            label = label.split(".")[0]
        p.drawText(QPointF(x + 3, RULER_H - 7), label)
        t += step


def paint_filmstrip(
    p: QPainter, axis: TimeAxis, area: QRect, thumbs: Sequence[QImage], times: Sequence[int]
) -> None:
    """Thumbnails side by side, each the last one taken at or before its middle."""
    top = RULER_H
    p.fillRect(QRect(LABEL_W, top, axis.track_width, FILM_H), QColor("#151618"))
    if not thumbs:
        return
    thumb_w = max(8, round(thumbs[0].width() * (FILM_H - 2) / thumbs[0].height()))
    x = LABEL_W + (area.left() - LABEL_W) // thumb_w * thumb_w if area.left() > LABEL_W else LABEL_W
    while x < min(axis.width, area.right() + 1):
        t = axis.ms_at(x + thumb_w / 2)
        i = max(0, bisect_right(times, t) - 1)
        p.drawImage(QRectF(x, top + 1, thumb_w - 1, FILM_H - 2), thumbs[i])
        x += thumb_w


def paint_waveform(
    p: QPainter, axis: TimeAxis, area: QRect, peaks: np.ndarray | None, peak_ms: int
) -> None:
    """The loudest bucket of ``peaks`` (one per ``peak_ms``) under each column."""
    top = RULER_H + FILM_H
    p.fillRect(QRect(LABEL_W, top, axis.track_width, WAVE_H), QColor("#17191c"))
    if peaks is None or not len(peaks):
        return
    left = max(LABEL_W, area.left())
    right = min(axis.width, area.right() + 1)
    columns = right - left
    if columns <= 0:
        return
    t0, t1 = axis.ms_at(left), axis.ms_at(right)
    b0, b1 = t0 // peak_ms, max(t0 // peak_ms + 1, t1 // peak_ms + 1)
    chunk = peaks[b0:b1]
    if not len(chunk):
        return
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


def paint_loop(
    p: QPainter, axis: TimeAxis, loop: LoopRange | None, enabled: bool, height: int
) -> None:
    """The loop range shaded (stronger when looping is on), its ends drawn as lines."""
    if loop is None:
        return
    x0, x1 = axis.x_of(loop.start_ms), axis.x_of(loop.end_ms)
    color = QColor(255, 200, 60, 70 if enabled else 35)
    p.fillRect(QRectF(x0, 0, max(2.0, x1 - x0), height), color)
    p.setPen(QPen(QColor(255, 200, 60), 1))
    p.drawLine(QPointF(x0, 0), QPointF(x0, height))
    p.drawLine(QPointF(x1, 0), QPointF(x1, height))
