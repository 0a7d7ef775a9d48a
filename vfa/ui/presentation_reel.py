"""A reel as presentation mode prepares it: its moments, their stills and their lines' room.

Every moment's first and key frame are decoded in the background when the window opens
(:class:`StillCache` keeps a QImage of each), so switching moments only paints a picture
that is already there; the line below the picture gets the room of the reel's longest line
(:func:`tallest_line`), so the picture does not change size between moments.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QObject, QRect, Qt, QThreadPool, Signal
from PySide6.QtGui import QFont, QFontMetrics, QImage, QPaintEvent

from vfa.domain.frames import FrameTable
from vfa.media.frames import FrameServer
from vfa.player.canvas import VideoCanvas
from vfa.ui.frame_jobs import FrameJob, FrameSignals

# the cache keeps its own QImages of the stills; the servers need only a small cache
SERVER_CACHE_BYTES = 16 * 1024 * 1024
URGENT = 10  # QThreadPool priority of the still the screen waits for


@dataclass(frozen=True)
class PresentedMoment:
    """One moment of a reel as presentation mode needs it."""

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
