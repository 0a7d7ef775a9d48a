"""The progress chart as a file: PNG (twice the size, for print) or SVG, and in words.

The chart's own painting is handed in, so the file shows what the screen shows.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QCoreApplication, QIODevice, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtSvg import QSvgGenerator

from vfa.errors import InvalidInputError
from vfa.outputs import check_target, write_bytes
from vfa.services.progress import Progress

EXPORT_SCALE = 2  # PNG pixels per chart pixel

Paint = Callable[[QPainter, QRectF], object]


def number_text(value: float) -> str:
    """A score as read: 4, 3.5, 3.45 (two decimals at most)."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def export_chart(
    paint: Paint, size: QSize, title: str, description: str, path: str | Path, *, force: bool
) -> Path:
    """Write ``paint`` at ``size`` as PNG or SVG, chosen by the suffix, through
    :mod:`vfa.outputs` (an existing file is replaced only with ``force``)."""
    target = check_target(path, force=force, suffixes=(".png", ".svg"))
    bounds = QRectF(0, 0, size.width(), size.height())
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if target.suffix.lower() == ".png":
        image = QImage(size * EXPORT_SCALE, QImage.Format.Format_ARGB32_Premultiplied)
        image.setDevicePixelRatio(EXPORT_SCALE)
        image.fill(Qt.GlobalColor.white)
        painter = QPainter(image)
        paint(painter, bounds)
        painter.end()
        if not image.save(buffer, "PNG"):  # type: ignore[call-overload]
            raise InvalidInputError(f"{target}: the image could not be encoded")
        return write_bytes(target, bytes(buffer.data().data()), force=force)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(size)
    generator.setViewBox(QRect(0, 0, size.width(), size.height()))
    generator.setResolution(96)
    generator.setTitle(title)
    generator.setDescription(description)
    painter = QPainter(generator)
    painter.fillRect(bounds, Qt.GlobalColor.white)
    paint(painter, bounds)
    painter.end()
    # Qt names the font it drew with ("Sans Serif", ".AppleSystemUIFont"), which a
    # browser may not have: let it fall back to its own sans-serif rather than a serif
    svg = re.sub(
        rb'font-family="([^"]*)"', rb'font-family="\1, sans-serif"', bytes(buffer.data().data())
    )
    return write_bytes(target, svg, force=force)


def describe(p: Progress | None) -> str:
    """The chart in words (the SVG's description): each session's totals by coder."""
    if p is None:
        return ""
    head = QCoreApplication.translate(
        "ProgressChart", "{0} of case {1} ({2}), per session and coder."
    )
    no_total = QCoreApplication.translate("ProgressChart", "no total")
    lines = [head.format(p.measure, p.case_code, p.scheme_name)]
    for session in p.sessions:
        here = [q for q in p.points if q.session_id == session.id]
        values = "; ".join(
            f"{q.coder} {number_text(q.total) if q.total is not None else no_total}"
            + (f" ({q.band})" if q.band else "")
            for q in here
        )
        when = f" ({session.date.isoformat()})" if session.date else ""
        shown = values or QCoreApplication.translate("ProgressChart", "not coded")
        lines.append(f"{session.label}{when}: {shown}")
    return "\n".join(lines)
