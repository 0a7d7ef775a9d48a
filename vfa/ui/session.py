"""The coding session: what is being coded (workspace, clip, scheme, run, coder,
playhead), the one undo history, and the change values every view listens to.

No widgets live here. The composition root (the main window) makes one session and
hands it to each panel; a panel reads the session, edits through it and redraws from
the :mod:`vfa.ui.changes` values it emits, never reaching into another widget.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QAction, QKeySequence, QScreen, QUndoStack
from PySide6.QtWidgets import QWidget

from vfa.domain.frames import FrameTable
from vfa.domain.schemes import Scheme
from vfa.errors import StaleEditError, VfaError
from vfa.services import coding
from vfa.services.clips import ClipInfo
from vfa.services.live import INTERVAL_S
from vfa.services.people import Act
from vfa.services.schemes import SchemeLibrary
from vfa.services.workspaces import Workspace
from vfa.ui.changes import (
    Change,
    ConsentChanged,
    EventsChanged,
    MomentsChanged,
    RatingsChanged,
    ReelChanged,
    RunOpened,
    RunsChanged,
    RunStatusChanged,
)
from vfa.ui.live import LiveChanges, changes_after_stale
from vfa.ui.messages import MessageBar
from vfa.ui.stale_text import stale_text
from vfa.ui.versions import HeldVersions


class Shell:
    """The narrow part of the window panels use: its message bar, its status line, its
    window shortcuts, its screen, and a parent for dialogs."""

    def __init__(
        self, messages: MessageBar, host: QWidget, status: Callable[[str], None] | None = None
    ) -> None:
        self.messages, self.host = messages, host
        self._status = status
        self.last_note = ""

    def note(self, text: str) -> None:
        """A passing note in the status line."""
        self.last_note = text
        if self._status is not None:
            self._status(text)

    def window_keys(self, form: QKeySequence.SequenceFormat) -> dict[str, str]:
        """The window's own shortcuts (as the user set them), by key, with their action."""
        return {
            a.shortcut().toString(form): a.text().replace("&", "")
            for a in self.host.actions()
            if not a.shortcut().isEmpty()
        }

    def add_shortcut(self, action: QAction) -> None:
        """A window-wide shortcut."""
        self.host.addAction(action)

    def remove_shortcut(self, action: QAction) -> None:
        """Take a window-wide shortcut away."""
        self.host.removeAction(action)

    def screen(self) -> QScreen:
        """The screen the window is on."""
        return self.host.screen()

    def activate(self) -> None:
        """Make the window the active one again (a window of its own has closed)."""
        self.host.activateWindow()


class WhenShown(QObject):
    """The one place a view goes stale: a redraw asked for while the view is hidden is
    made once, when the view is next shown."""

    def __init__(self, view: QWidget, redraw: Callable[[], None]) -> None:
        super().__init__(view)
        self.view, self.redraw = view, redraw
        self.stale = False
        view.installEventFilter(self)

    def request(self, now: Callable[[], None] | None = None) -> bool:
        """Redraw now (``now``, else the whole view) if the view is shown, else mark it
        stale; returns whether it was drawn."""
        if self.view.isVisible():
            (now or self.redraw)()
            return True
        self.stale = True
        return False

    def catch_up(self) -> None:
        """Redraw now if a redraw is owed (before acting on what the view shows)."""
        if self.stale:
            self.stale = False
            self.redraw()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view and event.type() == QEvent.Type.Show:
            self.catch_up()
        return False


def anyone_may(_act: Act, _doing: str = "") -> str | None:
    """No reason why not: a session outside a window (tests, tools) lets anyone act."""
    return None


def allow(widget: QWidget, wanted: bool, why: str | None, tip: str = "") -> None:
    """Enable ``widget`` when its view wants it and the person may (``why`` None); when
    the role is why not, its tooltip says so, else it is ``tip``."""
    widget.setEnabled(wanted and why is None)
    widget.setToolTip(why if why is not None else tip)


class CodingSession(QObject):
    """What is being coded, the undo history, and ``changed`` (one change value per
    user operation, undo or redo)."""

    changed = Signal(object)
    # the person working, or their role, changed: what ``why_not`` says may be different
    roles_changed = Signal()

    def __init__(
        self,
        coder: Callable[[], str],
        shell: Shell,
        parent: QObject | None = None,
        schemes: SchemeLibrary | None = None,
    ) -> None:
        super().__init__(parent)
        self.coder = coder
        self.shell = shell
        # the schemes the composition root read (a session of its own reads them here)
        self.schemes = schemes if schemes is not None else SchemeLibrary()
        self.undo = QUndoStack(self)
        # the versions of what the views read and the edits wrote (ui/versions.py)
        self.held = HeldVersions()
        # others' changes shown within seconds, once the window asks (``watch``)
        self.live: LiveChanges | None = None
        self.ws: Workspace | None = None
        self.clip: ClipInfo | None = None
        self.scheme: Scheme | None = None
        self.run: coding.RunInfo | None = None
        # the frame on screen (index, ms); the window points it at its player
        self.playhead: Callable[[], tuple[int, int]] = lambda: (0, 0)
        # why the person working may not do an act (said as the text given, else the
        # act's name), None when they may; the window's PersonGate answers
        self.why_not: Callable[[Act, str], str | None] = anyone_may

    @classmethod
    def bare(
        cls,
        ws: Workspace | None = None,
        coder: str = "coder",
        schemes: SchemeLibrary | None = None,
    ) -> CodingSession:
        """A session outside any window (its own message bar and host): for tests and
        tools."""
        host = QWidget()  # (kept by the shell: the parent of its message bar and dialogs)
        session = cls(lambda: coder, Shell(MessageBar(host), host), schemes=schemes)
        if ws is not None:
            session.set_workspace(ws)
        return session

    # -- what is open -----------------------------------------------------------------
    @property
    def clip_id(self) -> int | None:
        return self.clip.id if self.clip is not None else None

    @property
    def session_id(self) -> int | None:
        """The visit (feedback session) of the open clip."""
        return self.clip.session_id if self.clip is not None else None

    @property
    def frame_table(self) -> FrameTable | None:
        return self.clip.frame_table if self.clip is not None else None

    def set_workspace(self, ws: Workspace | None) -> None:
        """Another workspace (or none): nothing of the last is open or undoable."""
        self.undo.clear()
        self.held.clear()
        if self.live is not None:
            self.live.stop()  # (before the last workspace closes)
        self.ws, self.clip = ws, None
        self._find_run()
        if self.live is not None:
            self.live.start(ws)

    def watch(self, interval: float | None = None) -> None:
        """Show others' changes to what is open within seconds (every ``interval`` s on
        SQLite; at once on PostgreSQL), from now on and for each workspace opened."""
        if self.live is None:
            self.live = LiveChanges(self, self, interval or INTERVAL_S)
            self.live.start(self.ws)

    def stop_watching(self) -> None:
        """Stop showing others' changes (the window closes)."""
        if self.live is not None:
            self.live.stop()
            self.live = None

    def stale(self, error: StaleEditError, topic: str = "stale") -> None:
        """An edit made on a stale copy was refused: say who changed it and when, and
        show what it was made on as it is now, where it is (the user's place kept)."""
        self.shell.messages.error(stale_text(error, self.scheme, topic == "undo"), topic)
        for change in changes_after_stale(self, error.key):
            self.tell(change)
        if self.live is not None:
            self.live.check_now()  # (anything else they changed comes with it)

    def open_clip(self, clip: ClipInfo | None, scheme: Scheme | None = None) -> None:
        """Show this clip, with ``scheme`` when one is given (the one last used on it),
        else with the chosen scheme (the history is kept)."""
        self.clip = clip
        if scheme is not None:
            self.scheme = scheme
        self._find_run()

    def choose_scheme(self, scheme: Scheme | None) -> None:
        """Code with this scheme (the history is kept)."""
        self.scheme = scheme
        self._find_run()

    def reload(self) -> None:
        """Find the run again (another coder, or an import changed the clip's runs)."""
        self._find_run()

    def _find_run(self) -> None:
        """The coder's run of this clip and scheme if there is one; looking makes none
        (see ``begin_run``)."""
        self.run = None
        if self.ws is not None and self.clip is not None and self.scheme is not None:
            try:
                self.run = coding.find_run(self.ws, self.clip.id, self.scheme, self.coder())
            except VfaError as exc:
                self.shell.messages.error(str(exc), "coding")
        self.changed.emit(RunOpened(self.clip_id, self.run.id if self.run else None))

    def begin_run(self) -> bool:
        """The run the next edit goes to, made now when this is the first edit; False
        (with the reason shown) when there is nothing to code or it cannot be made."""
        if self.run is not None:
            return True
        if self.ws is None or self.clip is None or self.scheme is None:
            return False
        try:
            self.run = coding.open_run(self.ws, self.clip.id, self.scheme, self.coder())
        except VfaError as exc:
            self.shell.messages.error(str(exc), "coding")
            return False
        self.changed.emit(RunStatusChanged(self.run.id))
        return True

    def reread_run(self) -> coding.RunInfo | None:
        """The open run as stored now (its status may have changed)."""
        if self.run is not None and self.ws is not None:
            self.run = coding.run_info(self.ws, self.run.id)
        return self.run

    def where(self) -> str:
        """The open scheme and clip, as an undo names the place of its edit."""
        scheme = self.scheme.name if self.scheme is not None else ""
        clip = self.clip.name if self.clip is not None else ""
        return " · ".join(part for part in (scheme, clip) if part)

    # -- changes ----------------------------------------------------------------------
    def tell(self, change: Change) -> None:
        """Tell every view what changed. Runs that came or went whole (an import, its
        undo or redo): the scheme folders are read again when a scheme came or went with
        them, and the open run is looked for again when it was one of them."""
        if isinstance(change, RunsChanged) and change.schemes:
            self.schemes.reload()
        found_again = isinstance(change, RunsChanged) and self.shows(change)
        self.changed.emit(change)
        if found_again:
            self._find_run()

    def shows(self, change: Change) -> bool:
        """Whether the change is about what is open now (else no view redraws for it)."""
        run_id = self.run.id if self.run is not None else None
        match change:
            case EventsChanged() | RatingsChanged() | RunStatusChanged():
                return change.run_id == run_id
            case MomentsChanged() | ConsentChanged():
                return change.clip_id == self.clip_id
            case ReelChanged():
                return change.session_id == self.session_id
            case RunsChanged():
                return any(
                    r.run_id == run_id or (r.clip_id, r.scheme, r.coder) == self._opened()
                    for r in change.runs
                )
        return True

    def _opened(self) -> tuple[int | None, str | None, str]:
        """The clip, scheme and coder whose run is shown (whether it exists yet or not)."""
        scheme = self.scheme.id if self.scheme is not None else None
        return self.clip_id, scheme, self.coder()
