"""libVLC backend, embedded in a native child window of the main window.

libVLC calls its event callbacks on its own threads: they only re-emit Qt signals
(queued onto the GUI thread) and never call back into libVLC.
"""

from __future__ import annotations

import sys
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QWidget

from vfa.player.base import TickingPlayer


class VideoSurface(QFrame):
    """A native child window for libVLC to draw into."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_NativeWindow)
        self.setAttribute(Qt.WidgetAttribute.WA_DontCreateNativeAncestors)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, Qt.GlobalColor.black)
        self.setPalette(palette)
        self.setAutoFillBackground(True)
        self.setMinimumSize(160, 90)


class _Bridge(QObject):
    """Carries libVLC events from its threads to the GUI thread."""

    time_changed = Signal(int)
    happened = Signal(str)


class VlcPlayer(TickingPlayer):
    """Playback through libVLC (broad codec support, pitch-preserving slow motion)."""

    name = "vlc"

    def __init__(self, instance: Any, parent: QObject | None = None) -> None:
        import vlc

        super().__init__(parent)
        self._vlc = vlc
        self._instance = instance
        self._mp = instance.media_player_new()
        self._surface = VideoSurface()
        self._attached = False
        self._bridge = _Bridge()
        self._bridge.time_changed.connect(self._engine_time, Qt.ConnectionType.QueuedConnection)
        self._bridge.happened.connect(self._on_event, Qt.ConnectionType.QueuedConnection)
        events = self._mp.event_manager()
        et = vlc.EventType
        # keep references: python-vlc does not, and a collected callback crashes libVLC
        self._callbacks = {
            et.MediaPlayerTimeChanged: lambda e: self._bridge.time_changed.emit(int(e.u.new_time)),
            et.MediaPlayerPlaying: lambda e: self._bridge.happened.emit("playing"),
            et.MediaPlayerPaused: lambda e: self._bridge.happened.emit("paused"),
            et.MediaPlayerEndReached: lambda e: self._bridge.happened.emit("ended"),
            et.MediaPlayerEncounteredError: lambda e: self._bridge.happened.emit("error"),
        }
        for kind, callback in self._callbacks.items():
            events.event_attach(kind, callback)

    def widget(self) -> QWidget:
        return self._surface

    def _attach(self) -> None:
        if self._attached:
            return
        wid = int(self._surface.winId())
        if sys.platform.startswith("win"):
            self._mp.set_hwnd(wid)
        elif sys.platform == "darwin":
            self._mp.set_nsobject(wid)
        else:
            self._mp.set_xwindow(wid)
        self._attached = True

    def _engine_open(self, path: str) -> None:
        self._attach()
        media = self._instance.media_new_path(path)
        media.add_option(":start-paused")
        self._mp.set_media(media)
        media.release()
        self._mp.set_rate(self._rate)
        self._mp.play()  # starts paused on the first frame

    def _engine_close(self) -> None:
        self._mp.stop()
        self._path = ""

    def _engine_play(self, from_start: bool) -> None:
        if from_start:
            self._mp.stop()
            self._mp.play()
            self._mp.set_time(0)
        else:
            self._mp.set_pause(0)

    def _engine_pause(self) -> None:
        self._mp.set_pause(1)

    def _engine_seek(self, position_ms: int) -> None:
        self._mp.set_time(position_ms)

    def _engine_set_rate(self, rate: float) -> None:
        self._mp.set_rate(rate)

    def _engine_leave_end(self) -> None:
        self._mp.stop()
        self._mp.play()
        self._mp.set_pause(1)

    def _on_event(self, kind: str) -> None:
        if kind == "ended":
            self._engine_ended()
        elif kind == "error":
            self._engine_failed("libVLC could not play this file")

    def release(self) -> None:
        """Free libVLC resources (at application exit)."""
        events = self._mp.event_manager()
        for kind in self._callbacks:
            events.event_detach(kind)
        self._mp.stop()
        self._mp.release()
