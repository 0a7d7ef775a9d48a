"""The player pane: video surface, exact paused frame, transport and readout."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSlider,
    QStackedLayout,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from vfa.domain.frames import FrameTable, format_position
from vfa.errors import VfaError
from vfa.media.frames import FrameServer
from vfa.player.base import Player, PlayerState
from vfa.player.canvas import VideoCanvas
from vfa.services.clips import ClipInfo


def to_qimage(rgb: np.ndarray) -> QImage:
    """An owning QImage copy of an RGB array."""
    rgb = np.ascontiguousarray(rgb)
    h, w = rgb.shape[:2]
    return QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()


class _FrameSignals(QObject):
    ready = Signal(int, int, object)  # generation, index, QImage
    failed = Signal(int, str)


class _FrameJob(QRunnable):
    def __init__(
        self, server: FrameServer, index: int, generation: int, signals: _FrameSignals
    ) -> None:
        super().__init__()
        self.server, self.index, self.generation, self.signals = server, index, generation, signals

    def run(self) -> None:
        try:
            image = to_qimage(self.server.frame(self.index))
        except VfaError as exc:
            self.signals.failed.emit(self.generation, str(exc))
            return
        except Exception as exc:  # a decoder bug must not leave a blank picture silently
            self.signals.failed.emit(self.generation, f"frame {self.index}: {exc}")
            return
        self.signals.ready.emit(self.generation, self.index, image)


class PlayerView(QWidget):
    """Shows the backend while playing and the frame server's exact frame when paused."""

    frame_shown = Signal(int)  # index of the exact frame now on screen (paused)
    problem = Signal(str)

    def __init__(self, player: Player, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.player = player
        self._table: FrameTable | None = None
        self._server: FrameServer | None = None
        self._index = 0
        self._generation = 0
        self._shown_index = -1
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._signals = _FrameSignals()
        self._signals.ready.connect(self._on_frame_ready, Qt.ConnectionType.QueuedConnection)
        self._signals.failed.connect(self._on_frame_failed, Qt.ConnectionType.QueuedConnection)

        self.exact = VideoCanvas()
        self.exact.setObjectName("exactFrame")
        self.stack = QStackedLayout()
        self.stack.addWidget(player.widget())
        self.stack.addWidget(self.exact)
        self.stack.setCurrentIndex(1)  # the backend surface only while playing
        surface = QWidget()
        surface.setLayout(self.stack)
        surface.setMinimumSize(320, 180)

        self.play_button = QToolButton()
        self.play_button.setObjectName("playPause")
        self.play_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_MediaPlay))
        self.play_button.setToolTip(self.tr("Play / pause (Space)"))
        self.play_button.clicked.connect(player.toggle)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setObjectName("position")
        self.slider.setEnabled(False)
        self.slider.sliderMoved.connect(self._on_slider)
        self.slider.actionTriggered.connect(
            lambda _a: self._on_slider(self.slider.sliderPosition())
        )
        self.readout = QLabel(format_position(0, 0))
        self.readout.setObjectName("readout")
        self.readout.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.readout.font()
        font.setFamily("monospace")
        font.setStyleHint(font.StyleHint.Monospace)
        self.readout.setFont(font)

        controls = QHBoxLayout()
        controls.setContentsMargins(4, 2, 8, 2)
        controls.addWidget(self.play_button)
        controls.addWidget(self.slider, 1)
        controls.addWidget(self.readout)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(surface, 1)
        layout.addLayout(controls)

        player.position_changed.connect(self._on_position)
        player.state_changed.connect(self._on_state)
        player.error.connect(self.problem)

    # -- clip -------------------------------------------------------------
    def set_clip(self, info: ClipInfo) -> None:
        """Load a clip: paused on its first frame, shown exactly."""
        self.clear()
        self._table = info.frame_table
        self._server = FrameServer(info.path, info.frame_table, info.rotation)
        self.slider.setRange(0, info.duration_ms)
        self.slider.setEnabled(True)
        self.player.open(info.path, info.duration_ms)
        self._show_paused(0)

    def shutdown(self) -> None:
        """Stop: unload the clip and wait for a frame still being decoded."""
        self.clear()
        self._pool.waitForDone(5000)

    def clear(self) -> None:
        """Unload the current clip."""
        if self._server is not None:
            self.player.close()
            self._server.close()
        self._server = None
        self._table = None
        self._generation += 1
        self.exact.set_image(QImage())
        self.stack.setCurrentIndex(1)
        self.slider.setEnabled(False)
        self.slider.setValue(0)
        self.readout.setText(format_position(0, 0))

    def current_frame(self) -> tuple[int, int]:
        """(index, pts ms) of the frame the readout names."""
        if self._table is None:
            return 0, 0
        return self._index, self._table.pts_of(self._index)

    def shown_index(self) -> int:
        """Index of the exact frame on screen while paused (-1 when none yet)."""
        return self._shown_index

    # -- player events ----------------------------------------------------
    def _on_position(self, t_ms: int) -> None:
        if self._table is None:
            return
        if self.player.state() is PlayerState.PLAYING:
            self._index = self._table.index_at(t_ms)
            self.readout.setText(format_position(t_ms, self._index))
            if not self.slider.isSliderDown():
                self.slider.blockSignals(True)
                self.slider.setValue(t_ms)
                self.slider.blockSignals(False)
        else:
            self._show_paused(t_ms)

    def _on_state(self, state: PlayerState) -> None:
        icon = (
            QStyle.StandardPixmap.SP_MediaPause
            if state is PlayerState.PLAYING
            else QStyle.StandardPixmap.SP_MediaPlay
        )
        self.play_button.setIcon(self.style().standardIcon(icon))
        if state is PlayerState.PLAYING:
            self._generation += 1  # drop exact frames still on their way
            self._shown_index = -1
            self.stack.setCurrentIndex(0)
        elif state in (PlayerState.PAUSED, PlayerState.ENDED):
            self._show_paused(self.player.position())

    def _on_slider(self, value: int) -> None:
        self.player.seek(value)

    # -- exact paused frame -------------------------------------------------
    def _show_paused(self, t_ms: int) -> None:
        if self._table is None or self._server is None:
            return
        self._index = self._table.index_at(t_ms)
        pts = self._table.pts_of(self._index)
        self.readout.setText(format_position(pts, self._index))
        self.slider.blockSignals(True)
        self.slider.setValue(pts)
        self.slider.blockSignals(False)
        self._generation += 1
        self._pool.start(_FrameJob(self._server, self._index, self._generation, self._signals))

    @Slot(int, int, object)
    def _on_frame_ready(self, generation: int, index: int, image: QImage) -> None:
        if generation != self._generation or self.player.state() is PlayerState.PLAYING:
            return
        self.exact.set_image(image)
        self.stack.setCurrentIndex(1)
        self._shown_index = index
        self.frame_shown.emit(index)

    @Slot(int, str)
    def _on_frame_failed(self, generation: int, message: str) -> None:
        if generation == self._generation:
            self.problem.emit(message)
