"""A reel as presentation mode prepares it: its moments, their stills and their lines' room.

The visit's reel is read from the workspace (:func:`read_reel`), each of its clips checked
first. Every moment's first and key frame are decoded in the background when the window
opens (:class:`StillCache` keeps a QImage of each), so switching moments only paints a
picture that is already there; the line below the picture gets the room of the reel's
longest line (:func:`tallest_line`), so the picture does not change size between moments.
The mouse pointer is hidden while the mouse rests (:class:`IdlePointer`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QRect, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QGuiApplication,
    QImage,
    QPaintEvent,
    QPalette,
)
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from vfa.domain.frames import FrameTable
from vfa.errors import VfaError
from vfa.media.frames import FrameServer
from vfa.player.canvas import VideoCanvas
from vfa.services import clips as clip_service
from vfa.services import moments as moment_service
from vfa.services.workspaces import Workspace
from vfa.ui.frame_jobs import FrameJob, FrameSignals

# the cache keeps its own QImages of the stills; the servers need only a small cache
SERVER_CACHE_BYTES = 16 * 1024 * 1024
URGENT = 10  # QThreadPool priority of the still the screen waits for
# the line below the picture: a font this fraction of the window height
LINE_FONT_FRACTION = 1 / 18
COUNTER_FONT_FRACTION = 1 / 50
POINTER_HIDE_MS = 2000


@dataclass(frozen=True)
class PresentedMoment:
    """One moment of a reel as presentation mode needs it."""

    moment_id: int
    path: str  # video file
    table: FrameTable  # frame table of that clip
    rotation: int  # display rotation (CCW degrees, FFmpeg's definition)
    duration_ms: int  # the clip's duration
    first: int  # first frame index (0-based), inclusive
    last: int  # last frame index, inclusive
    key: int  # key frame index (the still)
    caption: str | None
    child_line: str | None

    @property
    def start_ms(self) -> int:
        """Pts of the first frame."""
        return self.table.pts_of(self.first)

    @property
    def cue_ms(self) -> int:
        """Where the player starts the moment: half way into its first frame (Qt
        Multimedia shows the frame before when sent to a frame's exact pts)."""
        if self.first + 1 < len(self.table):
            return (self.start_ms + self.table.pts_of(self.first + 1)) // 2
        return self.start_ms

    @property
    def end_ms(self) -> int:
        """When the last frame stops being shown: its pts plus its duration."""
        after = min(max(self.last, self.first), len(self.table) - 1) + 1
        if after < len(self.table):
            return self.table.pts_of(after)
        return max(self.table.duration_ms, self.table.pts_of(after - 1) + 1)

    def same_picture(self, other: PresentedMoment) -> bool:
        """Whether ``other`` shows the same frames (its words may differ)."""
        return (self.path, self.first, self.last, self.key) == (
            other.path,
            other.first,
            other.last,
            other.key,
        )

    def line(self, for_child: bool) -> tuple[str, bool]:
        """The line below the picture (the child's when asked for, or when there is no
        caption) and whether it is spoken for the child."""
        if self.child_line and (for_child or not self.caption):
            return self.child_line, True
        return self.caption or "", False


def read_reel(ws: Workspace, session_id: int) -> list[PresentedMoment]:
    """The visit's reel, in its order; VfaError when a clip of it cannot be played."""
    infos: dict[int, clip_service.ClipInfo] = {}
    shown = []
    for m in moment_service.reel(ws, session_id):
        info = infos.get(m.clip_id)
        if info is None:
            check = clip_service.check_clip(ws, m.clip_id)
            if check.state is not clip_service.ClipState.OK:
                raise VfaError(check.message)
            info = infos[m.clip_id] = clip_service.clip_info(ws, m.clip_id)
        shown.append(
            PresentedMoment(
                moment_id=m.id,
                path=info.path,
                table=info.frame_table,
                rotation=info.rotation,
                duration_ms=info.duration_ms,
                first=m.start_frame,
                last=m.end_frame,
                key=m.key_frame,
                caption=m.caption,
                child_line=m.child_line,
            )
        )
    return shown


class StillCanvas(VideoCanvas):
    """The canvas the stills are shown on; it says when it has painted."""

    painted = Signal()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        self.painted.emit()


class StillCache(QObject):
    """Exact frames of the moments' files, decoded on two worker threads and kept."""

    ready = Signal(str, int, QImage)  # file, frame index, the picture (now kept)
    failed = Signal(str, int, str)  # file, frame index, message (may be asked again)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._stills: dict[tuple[str, int], QImage] = {}
        self._requested: set[tuple[str, int]] = set()
        self._servers: dict[str, FrameServer] = {}
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(2)
        self._signals = FrameSignals()
        self._signals.ready.connect(self._on_ready, Qt.ConnectionType.QueuedConnection)
        self._signals.failed.connect(self._on_failed, Qt.ConnectionType.QueuedConnection)

    def get(self, path: str, index: int) -> QImage | None:
        """The kept still of frame ``index`` of ``path``, or None while not decoded."""
        return self._stills.get((path, index))

    def has(self, path: str, index: int) -> bool:
        """Whether that still is decoded and kept."""
        return (path, index) in self._stills

    def prefetch(self, moments: Iterable[PresentedMoment]) -> None:
        """Decode every moment's first frame, then every key frame, in the background."""
        moments = tuple(moments)
        for moment in moments:
            self.request(moment, moment.first)
        for moment in moments:
            self.request(moment, moment.key)

    def request(self, moment: PresentedMoment, index: int, *, urgent: bool = False) -> None:
        """Decode frame ``index`` of the moment's file unless kept (or asked, when not urgent)."""
        key = (moment.path, index)
        if key in self._stills or (key in self._requested and not urgent):
            return
        self._requested.add(key)
        server = self._servers.get(moment.path)
        if server is None:
            server = FrameServer(
                moment.path, moment.table, moment.rotation, cache_bytes=SERVER_CACHE_BYTES
            )
            self._servers[moment.path] = server
        self._pool.start(
            FrameJob(server, index, server.path, self._signals), URGENT if urgent else 0
        )

    def close(self) -> None:
        """Drop the queued decodes, wait for the running ones and close the decoders."""
        self._pool.clear()
        self._pool.waitForDone()
        for server in self._servers.values():
            server.close()
        self._servers.clear()

    def _on_ready(self, path: str, index: int, image: QImage) -> None:
        self._stills[(path, index)] = image
        self.ready.emit(path, index, image)

    def _on_failed(self, path: str, index: int, message: str) -> None:
        self._requested.discard((path, index))
        self.failed.emit(path, index, message)


def tallest_line(moments: Sequence[PresentedMoment], font: QFont, width: int) -> int:
    """The height of the tallest caption or child's line of the reel, wrapped to ``width``."""
    flags = int(Qt.AlignmentFlag.AlignCenter) | int(Qt.TextFlag.TextWordWrap)
    height = QFontMetrics(font).height()
    for moment in moments:
        for text, italic in ((moment.caption, False), (moment.child_line, True)):
            if text:
                measured = QFont(font)
                measured.setItalic(italic)
                bound = QFontMetrics(measured).boundingRect(
                    QRect(0, 0, width, 100_000), flags, text
                )
                height = max(height, bound.height())
    return height


class LineBox(QWidget):
    """The line below the picture (italic when spoken for the child) with the moment
    counter at its right, in type sized to the window."""

    def __init__(self) -> None:
        super().__init__()
        self.line = QLabel()
        self.line.setObjectName("line")
        self.line.setWordWrap(True)
        self.line.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.line.setTextFormat(Qt.TextFormat.PlainText)
        self.counter = QLabel()
        self.counter.setObjectName("counter")
        self.counter.setTextFormat(Qt.TextFormat.PlainText)
        palette = self.counter.palette()
        palette.setColor(QPalette.ColorRole.WindowText, QColor(110, 110, 110))
        self.counter.setPalette(palette)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(0)
        grid.addWidget(self.line, 0, 0)
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom
        grid.addWidget(self.counter, 0, 0, right)

    def show_line(self, text: str, for_child: bool, counter: str) -> None:
        """Show this line (in italics when spoken for the child) and counter."""
        self.counter.setText(counter)
        self.line.setText(text)
        font = self.line.font()
        font.setItalic(for_child)
        self.line.setFont(font)

    def fit(self, width: int, height: int, moments: Sequence[PresentedMoment]) -> QFont:
        """Large type for a window of this size, and room for the reel's longest line so
        the picture does not change size between moments; the line's font."""
        height = max(height, 1)
        font = QFont(self.line.font())
        font.setPixelSize(max(14, round(height * LINE_FONT_FRACTION)))
        self.line.setFont(font)
        small = QFont(self.counter.font())
        small.setPixelSize(max(10, round(height * COUNTER_FONT_FRACTION)))
        self.counter.setFont(small)
        edge = small.pixelSize()
        self.counter.setContentsMargins(0, 0, edge, edge // 2)
        side = max(round(width * 0.08), small.pixelSize() * 4)
        pad = font.pixelSize() // 2
        self.line.setContentsMargins(side, pad, side, pad)
        text_height = tallest_line(moments, font, max(width - 2 * side, 50))
        self.line.setFixedHeight(min(text_height + 2 * pad, int(height * 0.4)))
        return font


class IdlePointer(QObject):
    """Hides the mouse pointer over a window once the mouse has rested a while; a move
    shows it again."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(POINTER_HIDE_MS)
        self.timer.timeout.connect(lambda: window.setCursor(Qt.CursorShape.BlankCursor))

    def start(self) -> None:
        """Watch the mouse (anywhere in the application)."""
        app = QGuiApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.timer.start()

    def stop(self) -> None:
        """Stop watching; the pointer is left as it is."""
        self.timer.stop()
        app = QGuiApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.MouseMove:
            if self.window.cursor().shape() == Qt.CursorShape.BlankCursor:
                self.window.unsetCursor()
            self.timer.start()
        return False
