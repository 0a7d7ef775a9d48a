"""The Player protocol: what the UI may ask of a playback backend.

Backends re-emit their engine's events as these Qt signals on the GUI thread; the UI
never talks to libVLC or QMediaPlayer directly.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget


class PlayerState(enum.Enum):
    EMPTY = "empty"
    PAUSED = "paused"
    PLAYING = "playing"
    ENDED = "ended"
    ERROR = "error"


class Player(QObject):
    """Abstract playback backend. Positions are milliseconds of media time."""

    position_changed = Signal(int)
    state_changed = Signal(object)  # PlayerState
    error = Signal(str)

    name = "abstract"

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._state = PlayerState.EMPTY
        self._rate = 1.0

    # the surface the backend draws into; the UI places it in its layout
    def widget(self) -> QWidget:
        raise NotImplementedError

    def open(self, path: str, duration_ms: int) -> None:
        """Load a file, paused at its first frame."""
        raise NotImplementedError

    def close(self) -> None:
        """Stop and release the file."""
        raise NotImplementedError

    def play(self) -> None:
        raise NotImplementedError

    def pause(self) -> None:
        raise NotImplementedError

    def seek(self, position_ms: int) -> None:
        raise NotImplementedError

    def position(self) -> int:
        """The current playhead in ms (interpolated while playing)."""
        raise NotImplementedError

    def set_rate(self, rate: float) -> None:
        self._rate = rate

    def rate(self) -> float:
        return self._rate

    def state(self) -> PlayerState:
        return self._state

    def toggle(self) -> None:
        """Play when paused, pause when playing."""
        if self._state is PlayerState.PLAYING:
            self.pause()
        elif self._state is not PlayerState.EMPTY:
            self.play()

    def _set_state(self, state: PlayerState) -> None:
        if state is not self._state:
            self._state = state
            self.state_changed.emit(state)


class ClockInterpolator:
    """Smooth playhead from a coarse backend clock: last reading + elapsed x rate.

    libVLC's clock changes about 4 times a second; interpolating from the moment of each
    change (in either direction) keeps the playhead within a frame of the picture.
    """

    SETTLE_S = 0.4  # after a seek, readings this long are checked against the seek target
    STALE_MS = 250  # ... and ignored when further than this from the interpolated playhead

    def __init__(self, now: Callable[[], float] = time.monotonic) -> None:
        self._now = now
        self._base_ms = 0
        self._base_t = now()
        self._running = False
        self._settle_until = 0.0
        self.rate = 1.0

    def reset(self, position_ms: int, running: bool) -> None:
        """Anchor at a known position (a seek, play or pause)."""
        self._base_ms = position_ms
        self._base_t = self._now()
        self._running = running
        self._settle_until = self._base_t + self.SETTLE_S

    def update(self, reported_ms: int) -> None:
        """A new reading from the backend clock: the moment it changes is the anchor."""
        t = self._now()
        if t < self._settle_until and abs(reported_ms - self.position()) > self.STALE_MS:
            return  # a reading from before the last seek, still on its way
        self._base_ms = reported_ms
        self._base_t = t

    def position(self) -> int:
        """The interpolated playhead in milliseconds."""
        if not self._running:
            return self._base_ms
        return self._base_ms + int((self._now() - self._base_t) * 1000 * self.rate)


class TickingPlayer(Player):
    """A backend whose playhead is emitted by a ~60 Hz timer while playing."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._clock = ClockInterpolator()
        self._duration_ms = 0
        self._path = ""
        self._ticker = QTimer(self)
        self._ticker.setInterval(16)
        self._ticker.timeout.connect(self._tick)

    def _tick(self) -> None:
        self.position_changed.emit(self.position())

    def position(self) -> int:
        pos = self._clock.position()
        return min(pos, self._duration_ms) if self._duration_ms else pos

    def open(self, path: str, duration_ms: int) -> None:
        self._path = path
        self._duration_ms = duration_ms
        self._clock.reset(0, running=False)
        self._engine_open(path)
        self._set_state(PlayerState.PAUSED)
        self.position_changed.emit(0)

    def close(self) -> None:
        self._engine_close()
        self._set_state(PlayerState.EMPTY)

    def play(self) -> None:
        if self._state is PlayerState.EMPTY:
            return
        from_start = self._state is PlayerState.ENDED
        self._clock.reset(0 if from_start else self._clock.position(), running=True)
        self._engine_play(from_start)
        self._set_state(PlayerState.PLAYING)

    def pause(self) -> None:
        if self._state is not PlayerState.PLAYING:
            return
        self._engine_pause()
        self._clock.reset(self.position(), running=False)
        self._set_state(PlayerState.PAUSED)
        self.position_changed.emit(self.position())

    def seek(self, position_ms: int) -> None:
        if self._state is PlayerState.EMPTY:
            return
        position_ms = max(0, min(position_ms, self._duration_ms))
        if self._state is PlayerState.ENDED:
            self._engine_leave_end()
            self._set_state(PlayerState.PAUSED)
        self._engine_seek(position_ms)
        self._clock.reset(position_ms, running=self._state is PlayerState.PLAYING)
        self.position_changed.emit(position_ms)

    def set_rate(self, rate: float) -> None:
        super().set_rate(rate)
        self._clock.reset(self._clock.position(), self._state is PlayerState.PLAYING)
        self._clock.rate = rate
        self._engine_set_rate(rate)

    # what the engine reports, on the GUI thread
    def _engine_time(self, t_ms: int) -> None:
        """A reading of the engine's clock (ms): the playhead's new anchor while playing."""
        if self._state is PlayerState.PLAYING:
            self._clock.update(t_ms)

    def _engine_ended(self) -> None:
        """The engine reached the end: paused there, at the clip's length."""
        self._clock.reset(self._duration_ms, running=False)
        self._set_state(PlayerState.ENDED)
        self.position_changed.emit(self._duration_ms)

    def _engine_failed(self, reason: str) -> None:
        """The engine cannot play the file: said with the file's path."""
        self._set_state(PlayerState.ERROR)
        self.error.emit(f"{self._path}: {reason}")

    # what each engine does for the shared steps above (its backend defines them):
    _engine_open: Callable[[str], None]  # load the file at the rate, paused on frame 0
    _engine_close: Callable[[], None]  # stop and let go of the file
    _engine_play: Callable[[bool], None]  # play on, or from the start (True) after the end
    _engine_pause: Callable[[], None]
    _engine_seek: Callable[[int], None]  # to a time in ms
    _engine_set_rate: Callable[[float], None]
    _engine_leave_end: Callable[[], None]  # after the end: paused and seekable again

    def _set_state(self, state: PlayerState) -> None:
        if state is PlayerState.PLAYING:
            self._ticker.start()
        else:
            self._ticker.stop()
        super()._set_state(state)
