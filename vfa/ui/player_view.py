"""The player pane: video, exact paused frames, transport, readout, navigation, timeline.

The timeline with its zoom buttons and filmstrip building is :mod:`vfa.ui.timeline_bar`.

While playing, the backend's surface shows and the readout follows its (interpolated)
clock. Paused, stepping, scrubbing or shuttling backwards, the picture is the frame
server's exact frame and the readout names that frame.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QThreadPool, QTimer, Signal, Slot
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
from vfa.domain.navigation import RATES, LoopRange, format_rate, next_rate, parse_position
from vfa.media.frames import FrameServer
from vfa.player.base import Player, PlayerState
from vfa.player.canvas import VideoCanvas
from vfa.services.clips import ClipInfo
from vfa.ui.frame_jobs import FrameJob, FrameSignals
from vfa.ui.timeline_bar import TimelineBar

BACKEND, EXACT, NO_CLIP = 0, 1, 2  # the stack's pages: playing, paused, no clip
SLIDER_CHARS = 20  # the position slider is never narrower than this many digits


class PlayerView(QWidget):
    """Shows the backend while playing and the frame server's exact frame otherwise."""

    frame_shown = Signal(int)  # index of the exact frame now on screen (paused)
    position_shown = Signal(int, int)  # ms, frame index the readout names
    rate_changed = Signal(float)
    loop_changed = Signal()
    problem = Signal(str)

    def __init__(self, player: Player, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.player = player
        self.info: ClipInfo | None = None
        self._table: FrameTable | None = None
        self.server: FrameServer | None = None
        self._index = 0
        self._generation = 0
        self._shown_index = -1
        self._in_flight = False
        self._wanted: tuple[int, bool] | None = None
        self.loop: LoopRange | None = None
        self.loop_enabled = False
        self._reverse_speed = 0
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._signals = FrameSignals()
        self._signals.ready.connect(self._on_frame_ready, Qt.ConnectionType.QueuedConnection)
        self._signals.failed.connect(self._on_frame_failed, Qt.ConnectionType.QueuedConnection)
        self._reverse_timer = QTimer(self)
        self._reverse_timer.timeout.connect(self._reverse_tick)

        self.exact = VideoCanvas()
        self.exact.setObjectName("exactFrame")
        self.placeholder = QLabel(
            self.tr(
                "No clip open. Choose one in the list of clips, or add clips (File → Add clips…)."
            )
        )
        self.placeholder.setObjectName("noClip")
        self.placeholder.setWordWrap(True)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setMargin(24)
        self.stack = QStackedLayout()
        self.stack.addWidget(player.widget())
        self.stack.addWidget(self.exact)
        self.stack.addWidget(self.placeholder)  # while no clip is open
        self.stack.setCurrentIndex(NO_CLIP)  # (the backend surface only while playing)
        surface = QWidget()
        surface.setLayout(self.stack)
        surface.setMinimumSize(320, 180)

        self.play_button = QToolButton()
        self.play_button.setObjectName("playPause")
        self.play_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_MediaPlay))
        self.play_button.setToolTip(self.tr("Play / pause (Space)"))
        self.play_button.setAccessibleName(self.tr("Play / pause"))
        # Tab reaches the controls; a click leaves the focus where it was (the window's
        # keys work wherever the focus is)
        self.play_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.play_button.clicked.connect(self.toggle)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setObjectName("position")
        # room to aim at a moment: the row keeps it (the pane is never narrower than it)
        self.slider.setMinimumWidth(self.fontMetrics().horizontalAdvance("0") * SLIDER_CHARS)
        self.slider.setEnabled(False)
        self.slider.setAccessibleName(self.tr("Position"))
        self.slider.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.slider.sliderMoved.connect(self.scrub)
        self.slider.actionTriggered.connect(lambda _a: self.scrub(self.slider.sliderPosition()))
        self.rate_label = QLabel(format_rate(1.0))
        self.rate_label.setObjectName("rate")
        self.rate_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        widest_rate = max((format_rate(r) for r in RATES), key=self.fontMetrics().horizontalAdvance)
        self.rate_label.setFixedWidth(self.fontMetrics().horizontalAdvance(widest_rate) + 8)
        self.rate_label.setToolTip(self.tr("Playback rate ([ slower, ] faster)"))
        self.loop_button = QToolButton()
        self.loop_button.setObjectName("loop")
        self.loop_button.setText(self.tr("Loop"))
        self.loop_button.setCheckable(True)
        self.loop_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.loop_button.setToolTip(
            self.tr("Loop the selected range (Shift+drag on the timeline, or I and O)")
        )
        self.loop_button.toggled.connect(self.set_loop_enabled)
        self.readout = QLabel(format_position(0, 0))
        self.readout.setObjectName("readout")
        self.readout.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.readout.font()
        font.setFamily("monospace")
        font.setStyleHint(font.StyleHint.Monospace)
        self.readout.setFont(font)
        self._fit_readout(10_000)

        self.timeline_bar = TimelineBar()
        self.timeline_bar.problem.connect(self.problem)
        self.timeline = self.timeline_bar.timeline
        self.timeline.scrubbed.connect(self.scrub)
        self.timeline.loop_selected.connect(self._on_loop_selected)
        self.media_progress = self.timeline_bar.media_progress
        self.media_cancel = self.timeline_bar.media_cancel

        controls = QHBoxLayout()
        controls.setContentsMargins(4, 2, 8, 2)
        controls.addWidget(self.play_button)
        controls.addWidget(self.slider, 1)
        controls.addWidget(self.rate_label)
        controls.addWidget(self.loop_button)
        # the readout under them, beside the zoom buttons: the slider keeps its room
        self.timeline_bar.add_tool(self.readout)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(surface, 1)
        layout.addLayout(controls)
        layout.addWidget(self.timeline_bar)

        player.position_changed.connect(self._on_position)
        player.state_changed.connect(self._on_state)
        player.error.connect(self.problem)

    # -- clip -------------------------------------------------------------
    def set_clip(self, info: ClipInfo) -> None:
        """Load a clip: paused on its first frame, shown exactly."""
        self.clear()
        self.info = info
        self._table = info.frame_table
        self.server = FrameServer(info.path, info.frame_table, info.rotation)
        self.slider.setRange(0, info.duration_ms)
        self.slider.setEnabled(True)
        self.stack.setCurrentIndex(EXACT)
        self.timeline.set_clip(info.frame_table)
        self._fit_readout(info.frame_table.frame_count)
        self.player.open(info.path, info.duration_ms)
        self._show_paused(0)
        self.timeline_bar.build_media(info)

    def _fit_readout(self, frame_count: int) -> None:
        """A fixed size for the widest readout of the clip: a new frame number never
        re-lays out the controls (nor so repaints the whole window, video included, on
        every step or key press)."""
        digits = len(str(max(frame_count - 1, 0)))
        widest = format_position(0, 0).replace("0", "8")[:-1] + "8" * digits
        shown = self.readout.text()
        self.readout.setText(widest)  # measured as the label draws it (selectable text
        self.readout.setFixedSize(self.readout.sizeHint())  # has margins of its own)
        self.readout.setText(shown)

    def shutdown(self) -> None:
        """Stop: unload the clip and wait for a frame still being decoded."""
        self.clear()
        self._pool.waitForDone(5000)

    def clear(self) -> None:
        """Unload the current clip."""
        self.cancel_media()
        self._reverse_timer.stop()
        self._reverse_speed = 0
        if self.server is not None:
            self.player.close()
            self.server.close()
        self.server = None
        self.info = None
        self._table = None
        self._generation += 1
        self._wanted = None
        self._shown_index = -1
        self.loop = None
        self.loop_button.setChecked(False)
        self.exact.set_image(QImage())
        self.stack.setCurrentIndex(NO_CLIP)
        self.slider.setEnabled(False)
        self.slider.setValue(0)
        self.timeline.set_clip(None)
        self.readout.setText(format_position(0, 0))

    def current_frame(self) -> tuple[int, int]:
        """(index, pts ms) of the frame the readout names."""
        if self._table is None:
            return 0, 0
        return self._index, self._table.pts_of(self._index)

    def shown_index(self) -> int:
        """Index of the exact frame on screen while paused (-1 when none yet)."""
        return self._shown_index

    # -- navigation ---------------------------------------------------------------
    def toggle(self) -> None:
        """Play or pause (stops a reverse shuttle)."""
        if self._reverse_speed:
            self._stop_reverse()
            return
        self.player.toggle()

    def show_frame(self, index: int, *, backward: bool = False) -> None:
        """Pause on frame ``index`` (clamped), shown exactly."""
        if self._table is None:
            return
        if self.player.state() is PlayerState.PLAYING:
            self.player.pause()
        index = min(max(index, 0), self._table.frame_count - 1)
        self._set_index(index)
        self._request(index, backward)
        self.player.seek(self._table.pts_of(index))

    def step(self, frames: int) -> None:
        """One or more frames forward (positive) or back, exact in both directions."""
        self._stop_reverse()
        self.show_frame(self._index + frames, backward=frames < 0)

    def jump(self, delta_ms: int) -> None:
        """Move by a time: keep playing when playing, else show the frame then."""
        if self._table is None:
            return
        if self.player.state() is PlayerState.PLAYING:
            self.player.seek(max(0, self.player.position() + delta_ms))
            return
        self._stop_reverse()
        target = self._table.pts_of(self._index) + delta_ms
        self.show_frame(self._table.index_at(max(0, target)), backward=delta_ms < 0)

    def go_start(self) -> None:
        self._stop_reverse()
        self.show_frame(0)

    def go_end(self) -> None:
        self._stop_reverse()
        if self._table is not None:
            self.show_frame(self._table.frame_count - 1)

    def go_to(self, text: str) -> None:
        """Show the frame a typed time or frame names; ValueError says what is wrong."""
        if self._table is None:
            raise ValueError("open a clip first")
        self._stop_reverse()
        self.show_frame(parse_position(text, self._table))

    def scrub(self, t_ms: int) -> None:
        """Show the exact frame at a time (timeline or slider drag)."""
        if self._table is None:
            return
        self._stop_reverse()
        if self.player.state() is PlayerState.PLAYING:
            self.player.seek(t_ms)
            return
        index = self._table.index_at(t_ms)
        if index != self._index or self._shown_index != index:
            self.show_frame(index, backward=index < self._index)

    def set_rate(self, rate: float) -> None:
        self.player.set_rate(rate)
        self.rate_label.setText(format_rate(rate))
        self.rate_changed.emit(rate)

    def step_rate(self, direction: int) -> None:
        """Next rate down ([) or up (]) the ladder 1/8 … 4, pitch preserved."""
        self.set_rate(next_rate(self.player.rate(), direction))

    def shuttle_forward(self) -> None:
        """L: play forward; pressed again while playing, faster (1.5×, 2×, 4×)."""
        if self._table is None:
            return
        if self._reverse_speed:
            self._stop_reverse()
        if self.player.state() is PlayerState.PLAYING:
            rate = self.player.rate()
            self.set_rate(next_rate(rate, +1) if rate >= 1 else 1.0)
        else:
            if self.player.rate() < 1:
                self.set_rate(1.0)
            self.player.play()

    def shuttle_stop(self) -> None:
        """K: stop (pause) in either direction."""
        self._stop_reverse()
        self.player.pause()

    def shuttle_reverse(self) -> None:
        """J: play backwards through exact frames; pressed again, faster (2×, 4×)."""
        if self._table is None or self._table.frame_count < 2:
            return
        if self.player.state() is PlayerState.PLAYING:
            self.player.pause()
        self._reverse_speed = min(4, self._reverse_speed * 2) if self._reverse_speed else 1
        pts = self._table.pts_ms
        interval = (pts[-1] - pts[0]) / max(1, len(pts) - 1)
        self._reverse_timer.start(max(10, round(interval / self._reverse_speed)))

    def reverse_speed(self) -> int:
        return self._reverse_speed

    def _reverse_tick(self) -> None:
        if self._index <= 0:
            self._stop_reverse()
        elif not self._in_flight:  # drop a step rather than fall behind
            self.show_frame(self._index - 1, backward=True)

    def _stop_reverse(self) -> None:
        if self._reverse_speed:
            self._reverse_speed = 0
            self._reverse_timer.stop()

    # -- loop -----------------------------------------------------------------------
    def set_loop(self, loop: LoopRange | None) -> None:
        self.loop = loop
        if loop is None:
            self.loop_button.setChecked(False)
        self.timeline.set_loop(loop, self.loop_enabled)
        self.loop_changed.emit()

    def play_span(self, first: int, last: int) -> None:
        """Play frames ``first``..``last`` looped (a moment), from its first frame."""
        if self._table is None:
            return
        table = self._table
        self.set_loop(LoopRange.between(table.pts_of(first), table.pts_of(last), table))
        self.set_loop_enabled(True)
        self.show_frame(first)
        self.player.play()

    def set_loop_enabled(self, enabled: bool) -> None:
        """Loop the range while playing (at any rate)."""
        if enabled and self.loop is None:
            self.loop_button.setChecked(False)
            self.problem.emit(
                self.tr("Select a range to loop first: Shift+drag on the timeline, or I and O.")
            )
            return
        self.loop_enabled = enabled
        if self.loop_button.isChecked() != enabled:
            self.loop_button.setChecked(enabled)
        self.timeline.set_loop(self.loop, enabled)
        self.loop_changed.emit()

    def mark_in(self) -> None:
        """I: the loop starts at the current frame."""
        self._mark(start=True)

    def mark_out(self) -> None:
        """O: the loop ends after the current frame."""
        self._mark(start=False)

    def _mark(self, start: bool) -> None:
        if self._table is None:
            return
        here = self._table.pts_of(self._index)
        if self.loop is None:
            other = self._table.duration_ms - 1 if start else 0
        else:
            other = self.loop.end_ms - 1 if start else self.loop.start_ms
        self.set_loop(LoopRange.between(here, other, self._table))

    def _on_loop_selected(self, a_ms: int, b_ms: int) -> None:
        if self._table is not None:
            self.set_loop(LoopRange.between(a_ms, b_ms, self._table))

    # -- player events --------------------------------------------------------------
    def _on_position(self, t_ms: int) -> None:
        if self._table is None:
            return
        if self.player.state() is PlayerState.PLAYING:
            if self.loop_enabled and self.loop is not None and not self.loop.contains(t_ms):
                self.player.seek(self.loop.start_ms)
                return
            self._index = self._table.index_at(t_ms)
            self._show_position(t_ms)
        else:
            index = self._table.index_at(t_ms)
            if index != self._index or self._shown_index != index:
                self._show_paused(t_ms)

    def _on_state(self, state: PlayerState) -> None:
        icon = (
            QStyle.StandardPixmap.SP_MediaPause
            if state is PlayerState.PLAYING
            else QStyle.StandardPixmap.SP_MediaPlay
        )
        self.play_button.setIcon(self.style().standardIcon(icon))
        if state is PlayerState.PLAYING:
            self._stop_reverse()
            self._generation += 1  # drop exact frames still on their way
            self._wanted = None
            self._shown_index = -1
            self.stack.setCurrentIndex(BACKEND)
            self.timeline.follow = True
            loop = self.loop if self.loop_enabled else None
            if loop is not None and not loop.contains(self.player.position()):
                self.player.seek(loop.start_ms)
        elif state in (PlayerState.PAUSED, PlayerState.ENDED):
            self._show_paused(self.player.position())

    # -- exact paused frame -------------------------------------------------------------
    def _show_paused(self, t_ms: int) -> None:
        if self._table is None or self.server is None:
            return
        index = self._table.index_at(t_ms)
        self._set_index(index)
        self._request(index, False)

    def _set_index(self, index: int) -> None:
        assert self._table is not None
        self._index = index
        self._show_position(self._table.pts_of(index))

    def _show_position(self, t_ms: int) -> None:
        self.readout.setText(format_position(t_ms, self._index))
        if not self.slider.isSliderDown():
            self.slider.blockSignals(True)
            self.slider.setValue(t_ms)
            self.slider.blockSignals(False)
        self.timeline.set_playhead(t_ms)
        self.position_shown.emit(t_ms, self._index)

    def _request(self, index: int, backward: bool) -> None:
        """Ask for an exact frame; while one is decoding, only the latest request waits."""
        if self.server is None:
            return
        if self._in_flight:
            self._wanted = (index, backward)
            return
        self._in_flight = True
        self._generation += 1
        self._pool.start(
            FrameJob(self.server, index, self._generation, self._signals, backward=backward)
        )

    @Slot(object, int, object)
    def _on_frame_ready(self, generation: int, index: int, image: QImage) -> None:
        self._in_flight = False
        if generation == self._generation and self.player.state() is not PlayerState.PLAYING:
            if index != self._shown_index or self.stack.currentIndex() != EXACT:
                # (a paused seek asks twice for its frame: paint it once)
                self.exact.set_image(image)
                self.stack.setCurrentIndex(EXACT)
            self._shown_index = index
            self.frame_shown.emit(index)
        self._next_wanted()

    @Slot(object, int, str)
    def _on_frame_failed(self, generation: int, _index: int, message: str) -> None:
        self._in_flight = False
        if generation == self._generation:
            self.problem.emit(message)
        self._next_wanted()

    def _next_wanted(self) -> None:
        wanted, self._wanted = self._wanted, None
        if wanted is not None and self.player.state() is not PlayerState.PLAYING:
            self._request(*wanted)

    # -- filmstrip and waveform ------------------------------------------------------------
    def cancel_media(self) -> None:
        """Stop building the filmstrip and waveform (the clip stays usable)."""
        self.timeline_bar.cancel_media()

    def media_building(self) -> bool:
        """Whether the filmstrip and waveform are being built."""
        return self.timeline_bar.media_building()
