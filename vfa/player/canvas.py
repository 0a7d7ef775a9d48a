"""A widget that paints video frames (QImage), letterboxed; no multimedia imports."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFocusEvent, QImage, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QWidget

KEYBOARD_REASONS = {
    Qt.FocusReason.TabFocusReason,
    Qt.FocusReason.BacktabFocusReason,
    Qt.FocusReason.ShortcutFocusReason,
}


class FocusFrame(QWidget):
    """A painted widget Tab reaches, showing so with a frame in the highlight colour. A
    click leaves the focus where it was (the rating list keeps its keys while the user
    scrubs); the window's keys work with the focus here as anywhere in the window."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self._by_keyboard = False

    def focusInEvent(self, event: QFocusEvent) -> None:
        self._by_keyboard = event.reason() in KEYBOARD_REASONS
        self.update()
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self._by_keyboard = False
        self.update()
        super().focusOutEvent(event)

    def paint_focus_frame(self, painter: QPainter) -> None:
        """Draw the frame, last, when the keyboard focus is here."""
        if not (self._by_keyboard and self.hasFocus()):
            return
        painter.setClipping(False)
        colour = self.palette().color(QPalette.ColorRole.Highlight)
        painter.setPen(QPen(colour, 2))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(QRectF(self.rect()).adjusted(1, 1, -1, -1))


class VideoCanvas(FocusFrame):
    """Paints the latest frame, letterboxed, keeping its aspect ratio."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._image = QImage()
        self.setMinimumSize(160, 90)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setAccessibleName(self.tr("Video"))

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
        self.paint_focus_frame(painter)
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
