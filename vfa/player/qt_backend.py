"""QtMultimedia backend (FFmpeg inside the PySide6 wheel): fallback and test backend."""

from __future__ import annotations

import os

from PySide6.QtCore import QObject, QUrl
from PySide6.QtGui import QImage
from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer, QVideoFrame, QVideoSink
from PySide6.QtWidgets import QWidget

from vfa.player.base import PlayerState, TickingPlayer
from vfa.player.canvas import VideoCanvas


class QtPlayer(TickingPlayer):
    """Playback through QMediaPlayer; each frame reports its exact pts."""

    name = "qt"

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._player = QMediaPlayer(self)
        self._sink = QVideoSink(self)
        self._player.setVideoSink(self._sink)
        if hasattr(self._player, "setPitchCompensation"):  # Qt 6.10+: slow motion keeps pitch
            self._player.setPitchCompensation(True)
        self._audio: QAudioOutput | None = None
        if not os.environ.get("VFA_NO_AUDIO"):
            self._audio = QAudioOutput(self)
            self._player.setAudioOutput(self._audio)
        self._canvas = VideoCanvas()
        self._sink.videoFrameChanged.connect(self._on_frame)
        self._player.errorOccurred.connect(self._on_error)
        self._player.mediaStatusChanged.connect(self._on_status)

    def widget(self) -> QWidget:
        return self._canvas

    def _engine_open(self, path: str) -> None:
        self._player.setSource(QUrl.fromLocalFile(path))
        self._player.setPlaybackRate(self._rate)
        self._player.pause()

    def _engine_close(self) -> None:
        self._player.stop()
        self._player.setSource(QUrl())
        self._canvas.set_image(QImage())

    def _engine_play(self, from_start: bool) -> None:
        if from_start:
            self._player.setPosition(0)
        self._player.play()

    def _engine_pause(self) -> None:
        self._player.pause()

    def _engine_seek(self, position_ms: int) -> None:
        self._player.setPosition(position_ms)

    def _engine_set_rate(self, rate: float) -> None:
        self._player.setPlaybackRate(rate)

    def _engine_leave_end(self) -> None:
        self._player.pause()

    def _on_frame(self, frame: QVideoFrame) -> None:
        # a frame decoded before close() may arrive after it: it belongs to no clip shown
        if not frame.isValid() or self._state is PlayerState.EMPTY:
            return
        self._canvas.set_image(frame.toImage())
        self._engine_time(frame.startTime() // 1000)

    def _on_status(self, status: QMediaPlayer.MediaStatus) -> None:
        if status == QMediaPlayer.MediaStatus.EndOfMedia:
            self._engine_ended()

    def _on_error(self, _error: QMediaPlayer.Error, message: str) -> None:
        self._engine_failed(message or "Qt Multimedia could not play this file")
