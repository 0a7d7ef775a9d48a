"""Presentation mode: a reel's moments full screen, for watching with the family.

Each moment plays looped from its first to its last frame and can freeze on its key
frame, with its caption (or the line spoken for the child) in large type below the
picture. Nothing else is visible: no codes, names, timeline or other clips.

The window is made from the coding session: it reads the reel of the visit open in it
(:func:`vfa.ui.presentation_reel.read_reel`) and follows the session's change values. A
reel reordered, a moment's words, span or still edited, or its flag for feedback taken
away (in the window on the other screen, or by an undo) redraws it, keeping the moment
on screen where it is still in the reel; another workspace closes it.

Switching moments paints the moment's exact first frame at once, decoded ahead
(:mod:`vfa.ui.presentation_reel`); the canvas covers the player, which seeks to the moment
and plays, until it has landed. A loop back to the first frame is covered the same way.

Landing is read from the playhead: between two readings of the engine's clock a backend
extrapolates it at the playback rate, so a step that differs from that extrapolation is
a reading, and the first reading inside the moment means the engine plays it. libVLC
keeps showing the old picture while a seek lands (0.15 to 1.2 s on a 720p clip with
2-second keyframe intervals), and its clock says nothing during that time.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QColor,
    QImage,
    QKeyEvent,
    QPalette,
    QResizeEvent,
    QScreen,
    QShowEvent,
)
from PySide6.QtWidgets import QLabel, QStackedLayout, QVBoxLayout, QWidget

from vfa.errors import VfaError
from vfa.player.base import Player, PlayerState
from vfa.ui.changes import Change, RunOpened, touches_reel
from vfa.ui.presentation_reel import IdlePointer, LineBox, StillCache, StillCanvas, read_reel
from vfa.ui.presentation_reel import PresentedMoment as PresentedMoment
from vfa.ui.session import CodingSession

# a playhead step this far from the backend's own extrapolation is a reading of its clock
READING_MS = 4
# a reading this far before the moment's first frame still counts as landed in it
LANDING_SLACK_MS = 50
# without a reading inside the moment after this long, the player surface shows anyway
LANDING_TIMEOUT_S = 3.0


class PresentationWindow(QWidget):
    """A full-screen top-level window that presents a reel's moments one at a time.

    Keys: Right / PageDown next moment, Left / PageUp previous, Space pause or resume,
    F freeze on the key frame (again to resume), C caption or the child's line,
    Escape leave. The window makes its player with ``make_player`` (once the reel is
    read: VfaError, and nothing made, when a clip of it cannot be played) and releases
    it when it closes; it is not meant to be shown again after that.
    """

    moment_shown = Signal(int)  # index of the moment whose first frame was just painted
    closed = Signal()
    problem = Signal(str)  # a frame or the player failed (for the caller's log, not shown)

    def __init__(
        self,
        session: CodingSession,
        make_player: Callable[[], Player],
        parent: QWidget | None = None,
    ) -> None:
        ws, session_id = session.ws, session.session_id
        moments = read_reel(ws, session_id) if ws is not None and session_id is not None else []
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle(self.tr("Presentation"))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.session, self.ws, self.session_id = session, ws, session_id
        self.moments = tuple(moments)
        self.player = player = make_player()
        self._index = 0
        self._started = False
        self._finished = False
        self._paused = False
        self._frozen = False
        self._child_line = False
        self._cueing = False  # the canvas covers the player until it has played the moment
        self._cue_since = 0.0  # time.monotonic() of the last seek to the moment
        self._last_tick: tuple[int, float] | None = None  # last playhead and when it came
        self._reseek = False  # a file was just opened: its first seek may have been lost
        self._pending_shown: int | None = None  # moment whose first frame awaits painting
        self._pending_key = 0  # QImage.cacheKey() of that frame
        self._loaded_path = ""
        self._stills = StillCache(self)
        self._stills.ready.connect(self._on_still_ready)
        self._stills.failed.connect(self._on_still_failed)
        self._pointer = IdlePointer(self)

        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor("black"))
        palette.setColor(QPalette.ColorRole.WindowText, QColor("white"))
        self.setPalette(palette)
        self.setAutoFillBackground(True)

        self.canvas = StillCanvas()
        self.canvas.setObjectName("exactFrame")
        # after the paint has returned: the picture is on screen by then
        self.canvas.painted.connect(self._on_canvas_painted, Qt.ConnectionType.QueuedConnection)
        self.texts = LineBox()
        self.line, self.counter = self.texts.line, self.texts.counter
        self.message = QLabel()  # (says so while the reel has no moments)
        self.message.setObjectName("emptyReel")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)

        self.stack = QStackedLayout()
        self.stack.addWidget(player.widget())
        self.stack.addWidget(self.canvas)
        self.stack.setCurrentWidget(self.canvas)
        self.shown = QWidget()  # the picture and its line
        column = QVBoxLayout(self.shown)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addLayout(self.stack, 1)
        column.addWidget(self.texts)
        self.pages = QStackedLayout(self)
        self.pages.setContentsMargins(0, 0, 0, 0)
        self.pages.addWidget(self.shown)
        self.pages.addWidget(self.message)
        player.position_changed.connect(self._on_position)
        player.state_changed.connect(self._on_state)
        player.error.connect(self.problem)
        session.changed.connect(self._session_changed)
        self._show_page()
        self._update_texts()

    # -- public API -------------------------------------------------------------------
    def show_on(self, screen: QScreen | None) -> None:
        """Full screen on ``screen`` (the window's current screen when None)."""
        if screen is not None:
            self.setScreen(screen)
            self.setGeometry(screen.geometry())
        self.showFullScreen()
        self.raise_()
        self.activateWindow()
        self.setFocus()

    def current(self) -> int:
        """Index of the moment on screen."""
        return self._index

    def next(self) -> None:
        """The next moment (stays on the last one)."""
        if self._index + 1 < len(self.moments):
            self._go(self._index + 1)

    def previous(self) -> None:
        """The previous moment (stays on the first one)."""
        if self._index > 0:
            self._go(self._index - 1)

    def toggle_pause(self) -> None:
        """Pause or resume the moment; while frozen, resume playing."""
        if not self.moments or self._finished:
            return
        if self._frozen:
            self._frozen = False
            self._paused = False
        else:
            self._paused = not self._paused
        self._apply()

    def toggle_freeze(self) -> None:
        """Freeze on the moment's exact key frame, or resume from where it was."""
        if not self.moments or self._finished:
            return
        self._frozen = not self._frozen
        self._apply()

    def toggle_line(self) -> None:
        """Show the child's line instead of the caption, or back."""
        if not self.moments:
            return
        self._child_line = not self._child_line
        self._update_texts()

    def frozen(self) -> bool:
        """Whether the key frame is shown."""
        return self._frozen

    def paused(self) -> bool:
        """Whether playback is paused by the presenter."""
        return self._paused

    def prefetched(self) -> bool:
        """Whether every moment's first and key frame is decoded and kept."""
        return all(
            self._stills.has(moment.path, index)
            for moment in self.moments
            for index in (moment.first, moment.key)
        )

    def line_text(self) -> str:
        """The line below the picture for the current moment."""
        return self._line()[0]

    def _line(self) -> tuple[str, bool]:
        """The line to show and whether it is spoken for the child."""
        return self.moments[self._index].line(self._child_line) if self.moments else ("", False)

    # -- Qt events ----------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = Qt.Key(event.key())
        actions = {
            Qt.Key.Key_Right: self.next,
            Qt.Key.Key_PageDown: self.next,
            Qt.Key.Key_Left: self.previous,
            Qt.Key.Key_PageUp: self.previous,
            Qt.Key.Key_Space: self.toggle_pause,
            Qt.Key.Key_F: self.toggle_freeze,
            Qt.Key.Key_C: self.toggle_line,
            Qt.Key.Key_Escape: self.close,
        }
        action = actions.get(key)
        chords = (
            Qt.KeyboardModifier.ControlModifier
            | Qt.KeyboardModifier.AltModifier
            | Qt.KeyboardModifier.MetaModifier
        )
        if action is None or event.modifiers() & chords:
            super().keyPressEvent(event)
            return
        event.accept()
        if not event.isAutoRepeat() or action in (self.next, self.previous):
            action()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._started:
            return
        self._started = True
        self._pointer.start()
        if self.moments:
            self._go(self._index)
            self._stills.prefetch(self.moments)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_text()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._finished:
            self._finish()
        super().closeEvent(event)

    # -- moments -----------------------------------------------------------------------
    def _go(self, index: int) -> None:
        """Show moment ``index``: its exact first frame now, then the player looping it."""
        self._index = index
        self._paused = False
        self._frozen = False
        self._child_line = False
        self._update_texts()
        moment = self.moments[index]
        self._pending_shown = index
        self._pending_key = 0
        self._cue(moment)
        opened = moment.path != self._loaded_path
        if opened:
            self.player.open(moment.path, moment.duration_ms)
            self._loaded_path = moment.path
        self._start_player(moment)
        self._reseek = opened

    def _cue(self, moment: PresentedMoment) -> None:
        """Cover the player with the exact first frame (black until it is decoded)."""
        self._cueing = True
        image = self._stills.get(moment.path, moment.first)
        if image is None:
            self._stills.request(moment, moment.first, urgent=True)
            image = QImage()
        if self._pending_shown == self._index and not image.isNull():
            self._pending_key = image.cacheKey()
        self.canvas.set_image(image)
        self.stack.setCurrentWidget(self.canvas)

    def _start_player(self, moment: PresentedMoment) -> None:
        self._cue_since = time.monotonic()
        self._last_tick = None  # the seek's own playhead is the new reference
        self.player.seek(moment.cue_ms)
        if self._paused or self._frozen:
            self.player.pause()
        else:
            self.player.play()

    def _restart(self) -> None:
        """Back to the moment's first frame (the loop)."""
        moment = self.moments[self._index]
        self._cue(moment)
        self._start_player(moment)

    def _apply(self) -> None:
        """Bring the player and the picture in line with paused / frozen."""
        moment = self.moments[self._index]
        if self._frozen:
            self.player.pause()
            image = self._stills.get(moment.path, moment.key)
            if image is None:  # the paused player shows until the key frame is decoded
                self._stills.request(moment, moment.key, urgent=True)
            else:
                self.canvas.set_image(image)
                self.stack.setCurrentWidget(self.canvas)
            return
        if self.player.state() is PlayerState.ENDED:
            self._restart()
            return
        if self._cueing:
            self._cue(moment)
        else:
            self.stack.setCurrentWidget(self.player.widget())
        if self._paused:
            self.player.pause()
        else:
            self.player.play()

    def _on_position(self, t_ms: int) -> None:
        now = time.monotonic()
        reading = self._is_reading(t_ms, now)
        if self._idle() or self._frozen or self.player.state() is not PlayerState.PLAYING:
            return
        moment = self.moments[self._index]
        if self._cueing:
            inside = moment.start_ms - LANDING_SLACK_MS <= t_ms < moment.end_ms
            if reading and not inside and self._reseek:
                # Qt Multimedia drops a seek made while the file is still loading
                self._reseek = False
                self._start_player(moment)
            # libVLC reports the requested time at once when asked to seek: not a landing
            elif (reading and inside and t_ms != moment.cue_ms) or (
                now - self._cue_since > LANDING_TIMEOUT_S
            ):
                self._hand_over()
            return
        if t_ms >= moment.end_ms:
            self._restart()

    def _is_reading(self, t_ms: int, now: float) -> bool:
        """Whether the playhead moved other than by the backend's extrapolation."""
        last, self._last_tick = self._last_tick, (t_ms, now)
        if last is None:
            return False
        expected = last[0] + (now - last[1]) * 1000 * self.player.rate()
        return abs(t_ms - expected) > READING_MS

    def _hand_over(self) -> None:
        """The player plays the moment: its surface replaces the exact first frame."""
        self._cueing = False
        self._reseek = False
        self.stack.setCurrentWidget(self.player.widget())
        if self._pending_shown is not None:  # the first frame never reached the canvas
            self._emit_shown()

    def _on_state(self, state: PlayerState) -> None:
        self._last_tick = None
        if self._idle():
            return
        if state is PlayerState.ENDED and not self._frozen and not self._paused:
            self._restart()

    def _on_canvas_painted(self) -> None:
        if (
            self._pending_shown is not None
            and self._pending_key
            and self.canvas.image().cacheKey() == self._pending_key
        ):
            self._emit_shown()

    def _emit_shown(self) -> None:
        index, self._pending_shown = self._pending_shown, None
        if index is not None:
            self.moment_shown.emit(index)

    # -- stills ------------------------------------------------------------------------
    def _idle(self) -> bool:
        """Whether no moment is being presented (closed, or the reel is empty)."""
        return self._finished or not self.moments

    def _on_still_ready(self, path: str, index: int, image: QImage) -> None:
        if self._idle():
            return
        moment = self.moments[self._index]
        if path != moment.path:
            return
        if self._frozen and index == moment.key:
            self.canvas.set_image(image)
            self.stack.setCurrentWidget(self.canvas)
        elif not self._frozen and self._cueing and index == moment.first:
            if self._pending_shown == self._index:
                self._pending_key = image.cacheKey()
            self.canvas.set_image(image)

    def _on_still_failed(self, path: str, index: int, message: str) -> None:
        if self._idle():
            return
        self.problem.emit(message)
        moment = self.moments[self._index]
        if path == moment.path and index == moment.first and self._cueing and not self._frozen:
            self._cueing = False  # nothing exact to show: let the player show the moment
            self.stack.setCurrentWidget(self.player.widget())

    # -- text --------------------------------------------------------------------------
    def _update_texts(self) -> None:
        count = len(self.moments)
        text, for_child = self._line()
        self.texts.show_line(text, for_child, f"{self._index + 1} / {count}" if count else "")

    def _fit_text(self) -> None:
        self.message.setFont(self.texts.fit(self.width(), self.height(), self.moments))

    def _show_page(self) -> None:
        """The picture and its line, or (the reel empty) only the message saying so."""
        empty = not self.moments
        self.message.setText(
            self.tr("This reel has no moments yet.\n\nPress Esc to leave presentation mode.")
            if empty
            else ""
        )
        self.pages.setCurrentWidget(self.message if empty else self.shown)

    # -- the session --------------------------------------------------------------------
    def _session_changed(self, change: Change) -> None:
        """Another workspace: close; an edit of the reel: read it again."""
        if self._finished:
            return
        if isinstance(change, RunOpened) and self.session.ws is not self.ws:
            self.close()
        elif touches_reel(change, self.session_id, {m.moment_id for m in self.moments}):
            self.reread()

    def reread(self) -> None:
        """Read the reel again and show it, on the same moment where it is still there
        (from its first frame when its frames changed)."""
        if self.ws is None or self.session_id is None:
            return
        try:
            moments = tuple(read_reel(self.ws, self.session_id))
        except VfaError as exc:  # (a clip gone meanwhile: the reel as it was goes on)
            self.problem.emit(str(exc))
            return
        if moments == self.moments:
            return
        before = self.moments[self._index] if self.moments else None
        ids = [m.moment_id for m in moments]
        if before is not None and before.moment_id in ids:
            index = ids.index(before.moment_id)
        else:
            index = min(self._index, len(moments) - 1)
        self.moments, self._index = moments, max(index, 0)
        self._show_page()
        self._fit_text()
        if not moments:
            self._cueing, self._pending_shown, self._loaded_path = False, None, ""
            self.player.close()
        elif self._started:
            self._stills.prefetch(moments)
            if before is None or not before.same_picture(moments[self._index]):
                self._go(self._index)
        self._update_texts()

    # -- closing ----------------------------------------------------------------------------
    def _finish(self) -> None:
        """Release the player, the decoders and the event filter; say so."""
        self._finished = True
        self._pointer.stop()
        self.session.changed.disconnect(self._session_changed)
        self.player.position_changed.disconnect(self._on_position)
        self.player.state_changed.disconnect(self._on_state)
        self.player.error.disconnect(self.problem)
        self.player.close()
        release = getattr(self.player, "release", None)
        if callable(release):
            release()
        self._stills.close()
        self.closed.emit()
