"""A widget that paints video frames (QImage), letterboxed; no multimedia imports."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget


class VideoCanvas(QWidget):
    """Paints the latest frame, letterboxed, keeping its aspect ratio."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._image = QImage()
        self.setMinimumSize(160, 90)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    def set_image(self, image: QImage) -> None:
        self._image = image
        self.update()

    def image(self) -> QImage:
        return self._image

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("black"))
        if not self._image.isNull():
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawImage(fit_rect(self._image.size(), self.size()), self._image)
        painter.end()


def fit_rect(image_size: QSize, widget_size: QSize) -> QRectF:
    """The largest rectangle of the image's aspect ratio centred in the widget."""
    iw, ih = image_size.width(), image_size.height()
    ww, wh = widget_size.width(), widget_size.height()
    if iw <= 0 or ih <= 0:
        return QRectF(0, 0, ww, wh)
    scale = min(ww / iw, wh / ih)
    w, h = iw * scale, ih * scale
    return QRectF((ww - w) / 2, (wh - h) / 2, w, h)
