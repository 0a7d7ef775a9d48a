"""The one way the window and its dialogs show a message: a bar of messages, each with a
level (error, warning, info/success), shown in full (wrapped, a long path too), one per
topic so that a later message of the same operation (its success) replaces it, and
dismissable. Info messages go by themselves after a while; status-bar notes too. A note
that belongs beside what it is about (a hint, a refused row) takes the level's inline
colour through :func:`inline_label` or :func:`inline_brush`."""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QResizeEvent, QTextOption
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QStatusBar,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

INFO_MS = 10_000  # an info or success message stays this long
NOTE_MS = 8_000  # a status-bar note stays this long


class Level(enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"  # also a success


COLOURS = {  # (background, text): dark text on a light tint, readable for each level
    Level.ERROR: ("#fdecea", "#611a15"),
    Level.WARNING: ("#fff4e5", "#663c00"),
    Level.INFO: ("#edf7ed", "#1e4620"),
}
# text on the window's own background, beside what it is about (a hint, a refused row)
INLINE = {
    Level.ERROR: "#b00020",
    Level.WARNING: "#9a5c00",  # 4.5:1 at least on the window's grey (WCAG AA), as all three
    Level.INFO: "#1e4620",
}


class MessageText(QTextEdit):
    """Read-only text shown in full: wrapped at word boundaries, or anywhere in a word
    too long for a line (a path); as tall as its text needs at its width. Selectable."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setLineWrapMode(QTextEdit.LineWrapMode.WidgetWidth)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        # Tab reaches it (a screen reader reads it there); a click does not take the focus
        # from the control the message is about
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.viewport().setAutoFillBackground(False)
        self.setStyleSheet("QTextEdit { background: transparent; }")
        self.document().setDocumentMargin(2)
        self.document().contentsChanged.connect(self._fit)
        self.setPlainText(text)

    def text(self) -> str:
        return self.toPlainText()

    def setText(self, text: str) -> None:  # (as QLabel's: a drop-in)
        """Plain text always (a message naming a file with ``<`` in it is no markup)."""
        self.setPlainText(text)

    def minimumSizeHint(self) -> QSize:
        return QSize(60, self.height())

    def sizeHint(self) -> QSize:
        return QSize(400, self.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        """As tall as the text at the current width (no scrolling, nothing cut off)."""
        document = self.document()
        document.setTextWidth(max(1, self.viewport().width()))
        height = math.ceil(document.size().height()) + 2 * self.frameWidth()
        if height != self.height():
            self.setFixedHeight(height)
        # all of it is shown: nothing to scroll (a range left from a narrower moment
        # would let a wheel or a drag move the text out of view)
        self.verticalScrollBar().setRange(0, 0)


@dataclass
class _Entry:
    topic: str
    level: Level
    box: QWidget
    text: MessageText


class MessageBar(QWidget):
    """Messages at the top of a window or dialog, one per topic; hidden when empty."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBar")
        self._entries: dict[str, _Entry] = {}
        self._timers: dict[str, QTimer] = {}
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(1)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.hide()

    # -- showing and clearing ----------------------------------------------------------
    def show_message(self, text: str, level: Level = Level.ERROR, topic: str = "") -> None:
        """Show ``text`` for ``topic`` (replacing what that topic said before)."""
        entry = self._entries.get(topic)
        if entry is None or entry.level is not level:
            self.clear(topic)
            entry = self._make(topic, level)
        entry.text.setPlainText(text)
        timer = self._timers.pop(topic, None)
        if timer is not None:
            timer.stop()
            timer.deleteLater()
        if level is Level.INFO:
            timer = QTimer(self, singleShot=True, interval=INFO_MS)
            timer.timeout.connect(lambda t=topic, e=entry: self._expire(t, e))
            timer.start()
            self._timers[topic] = timer
        self.show()
        self._grow_window()

    def error(self, text: str, topic: str = "") -> None:
        self.show_message(text, Level.ERROR, topic)

    def warning(self, text: str, topic: str = "") -> None:
        self.show_message(text, Level.WARNING, topic)

    def info(self, text: str, topic: str = "") -> None:
        """A success or a fact worth a look; it replaces the topic's error."""
        self.show_message(text, Level.INFO, topic)

    def clear(self, topic: str = "") -> None:
        """The topic's problem is resolved (or dismissed): its message goes."""
        entry = self._entries.pop(topic, None)
        timer = self._timers.pop(topic, None)
        if timer is not None:
            timer.stop()
            timer.deleteLater()
        if entry is not None:
            self._layout.removeWidget(entry.box)
            entry.box.hide()
            entry.box.deleteLater()
        if not self._entries:
            self.hide()

    def clear_all(self, keep: tuple[str, ...] = ()) -> None:
        for topic in list(self._entries):
            if topic not in keep:
                self.clear(topic)

    # -- reading -------------------------------------------------------------------------
    def text(self, topic: str | None = None) -> str:
        """What is shown (for one topic, or all of it, one message a line)."""
        if topic is not None:
            entry = self._entries.get(topic)
            return entry.text.text() if entry is not None else ""
        return "\n".join(e.text.text() for e in self._entries.values())

    def level(self, topic: str = "") -> Level | None:
        entry = self._entries.get(topic)
        return entry.level if entry is not None else None

    def topics(self) -> list[str]:
        return list(self._entries)

    @property
    def label(self) -> MessageBar:
        """(What one label of the bar showed before: ``label.text()`` is all of it.)"""
        return self

    # -- building ------------------------------------------------------------------------
    def _level_name(self, level: Level) -> str:
        """How a screen reader names a message of this level."""
        names = {
            Level.ERROR: self.tr("Error"),
            Level.WARNING: self.tr("Warning"),
            Level.INFO: self.tr("Information"),
        }
        return names[level]

    def _make(self, topic: str, level: Level) -> _Entry:
        background, foreground = COLOURS[level]
        box = QFrame()
        box.setObjectName(f"message-{level.value}")
        box.setStyleSheet(
            f"QFrame#message-{level.value} {{ background: {background}; }}"
            f"QTextEdit {{ color: {foreground}; background: transparent; }}"
        )
        text = MessageText()
        text.setObjectName("messageText")
        text.setAccessibleName(self._level_name(level))
        close = QToolButton()
        close.setText("×")
        close.setToolTip(self.tr("Dismiss"))
        close.setAccessibleName(self.tr("Dismiss"))
        close.setAutoRaise(True)
        close.clicked.connect(lambda _c=False, t=topic: self.clear(t))
        row = QHBoxLayout(box)
        row.setContentsMargins(8, 3, 4, 3)
        row.addWidget(text, 1)
        row.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self._layout.addWidget(box)
        entry = _Entry(topic, level, box, text)
        self._entries[topic] = entry
        return entry

    def _expire(self, topic: str, entry: _Entry) -> None:
        if self._entries.get(topic) is entry:
            self.clear(topic)

    def _grow_window(self) -> None:
        """A dialog laid out before the message came grows to show all of it."""
        top = self.window()
        layout = top.layout()
        if top is self or layout is None or not top.isVisible():
            return
        layout.activate()
        need = layout.totalMinimumSize().height()
        if top.height() < need:
            top.resize(top.width(), need)


def inline_label(level: Level, name: str = "", parent: QWidget | None = None) -> QLabel:
    """A word-wrapped label in the level's colour, for a note shown beside what it is
    about (a hint under a field, a panel's guidance) rather than in the message bar."""
    label = QLabel(parent)
    if name:
        label.setObjectName(name)
    label.setWordWrap(True)
    set_inline_level(label, level)
    return label


def set_inline_level(label: QLabel, level: Level) -> None:
    """Show an inline note's text in (another) level's colour."""
    label.setStyleSheet(f"color: {INLINE[level]};")


def inline_brush(level: Level) -> QBrush:
    """The level's colour for the text of a list or table item (a refused row)."""
    return QBrush(QColor(INLINE[level]))


def note(bar: QStatusBar, text: str) -> None:
    """A passing note in the status bar; it goes by itself (never left stale)."""
    bar.showMessage(text, NOTE_MS)
