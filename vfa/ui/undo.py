"""Self-contained undo commands over the reversible services.

Each command keeps, when it is made, the workspace and the ids it edits (run, moment,
session) and the values before and after; it works whatever is open when it is undone.
:class:`Command` owns "apply, then push": the edit is made first, so a refused edit
raises and never reaches the stack. Every apply, undo and redo emits one change value
on the session; an undo of an edit that is not on screen says in the status line what
it undid and where. An edit says the version the window read of what it changes; an
undo or redo the version its own edits left (``ui/versions.py``), so one made after
someone else changed the thing is refused as stale and the view reloads.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QUndoCommand

from vfa.domain.schemes import Scheme
from vfa.domain.scoring import check_grid_row, check_rating
from vfa.errors import StaleEditError, VfaError
from vfa.services import coding, events, moments
from vfa.services.versions import ABSENT, Key, receipt
from vfa.ui.changes import Change, EventsChanged, MomentsChanged, RatingsChanged, ReelChanged

if TYPE_CHECKING:
    from vfa.ui.session import CodingSession


class Command(QUndoCommand):
    """An undoable edit: ``apply`` makes it, ``revert`` and ``reapply`` put the stored
    values back; each returns what changed."""

    def __init__(self, session: CodingSession, text: str, where: str = "") -> None:
        super().__init__(text)
        self.session = session
        self.ws = session.ws
        self.where = where or session.where()
        self._skip_redo = False
        self.chains: dict[Key, int] = {}  # the chain of each version the command wrote

    def seen(self, key: Key) -> int:
        """The version the window's views hold (what a new edit is made on)."""
        return self.session.held.seen(key)

    def expect(self, key: Key, otherwise: int | None = None) -> int | None:
        """The version this command's edits (and the window's after them) left ``key`` at;
        ``otherwise`` for what the command never wrote."""
        chain = self.chains.get(key)
        return self.session.held.expected(chain) if chain is not None else otherwise

    def _written(self, step: Callable[[], Change]) -> Change:
        """Make a step, keeping the versions it wrote."""
        with receipt() as written:
            change = step()
        self.chains.update(self.session.held.wrote(written))
        return change

    def apply(self) -> Change:
        """Make the edit (raising VfaError when it is refused)."""
        raise NotImplementedError

    def revert(self) -> Change:
        """Put the values from before the edit back."""
        raise NotImplementedError

    def reapply(self) -> Change:
        """Put the values from after the edit back."""
        raise NotImplementedError

    def push(self, refused: Callable[[str], None]) -> bool:
        """Apply, then push onto the session's history; a refusal is handed to
        ``refused`` and nothing is pushed."""
        try:
            change = self._written(self.apply)
        except StaleEditError as exc:
            self.session.stale(exc)
            return False
        except VfaError as exc:
            refused(str(exc))
            return False
        self._skip_redo = True  # the push's own redo: already done
        self.session.tell(change)
        self.session.undo.push(self)
        return True

    def redo(self) -> None:
        if self._skip_redo:
            self._skip_redo = False
            return
        self._step(self.reapply, QCoreApplication.translate("Undo", "Redid {0} ({1})"))

    def undo(self) -> None:
        self._step(self.revert, QCoreApplication.translate("Undo", "Undid {0} ({1})"))

    def _step(self, step: Callable[[], Change], said: str) -> None:
        """Undo or redo; refused (say, the run was submitted meanwhile), the command says
        why and leaves the history, and nothing changes."""
        try:
            change = self._written(step)
        except VfaError as exc:
            if isinstance(exc, StaleEditError):
                self.session.stale(exc, "undo")
            else:
                self.session.shell.messages.error(str(exc), "undo")
            self.setObsolete(True)
            return
        if not self.session.shows(change):  # nothing on screen shows it: say so
            self.session.shell.note(said.format(self.text(), self.where))
        self.session.tell(change)


class RatingStateCommand(Command):
    """Change an item's stored state: its rating, note or evidence links."""

    def __init__(
        self,
        session: CodingSession,
        text: str,
        item_id: str,
        change: Callable[[coding.RatingState], coding.RatingState],
    ) -> None:
        super().__init__(session, text)
        self.scheme, self.item_id, self.change = session.scheme, item_id, change
        self.run_id = session.run.id if session.run is not None else None
        self.before: coding.RatingState | None = None
        self.after: coding.RatingState | None = None

    def check(self) -> None:
        """Refuse an edit of a locked run before anything (even a run) is made."""
        assert self.ws is not None
        if self.run_id is not None:  # (none yet: this edit begins it, unlocked)
            coding.check_editable(self.ws, self.run_id)

    @property
    def key(self) -> Key:
        return ("rating", self.run_id, self.item_id)

    def apply(self) -> Change:
        assert self.ws is not None and self.session.run is not None
        self.run_id = self.session.run.id  # (begun for this edit, when it was the first)
        self.before = coding.rating_state(self.ws, self.run_id, self.item_id)
        self.after = self.change(self.before)
        return self._store(self.after, self.seen(self.key), self.scheme)

    def reapply(self) -> Change:
        assert self.after is not None
        return self._store(self.after, self.expect(self.key), self.scheme)

    def revert(self) -> Change:
        assert self.before is not None
        return self._store(self.before, self.expect(self.key))

    def _store(
        self, state: coding.RatingState, expected: int | None, scheme: Scheme | None = None
    ) -> Change:
        assert self.ws is not None and self.run_id is not None
        coding.set_rating_state(self.ws, self.run_id, self.item_id, state, scheme, expected)
        return RatingsChanged(self.run_id)


class RateCommand(RatingStateCommand):
    """Rate one item (a scale point or special code; None clears); note and links stay."""

    def __init__(self, session: CodingSession, text: str, item_id: str, value: Any) -> None:
        super().__init__(
            session, text, item_id, lambda s: coding.RatingState(value, s.note, s.evidence)
        )
        self.value = value

    def check(self) -> None:
        super().check()
        if self.value is not None:
            assert self.scheme is not None
            check_rating(self.scheme, self.item_id, self.value)


class GridRowCommand(Command):
    """Enter one grid row's points for one member."""

    def __init__(
        self,
        session: CodingSession,
        text: str,
        cell: tuple[str, str, str],
        points: dict[str, int],
    ) -> None:
        super().__init__(session, text)
        self.scheme = session.scheme
        self.grid_id, self.row_id, self.member_id = cell
        self.run_id = session.run.id if session.run is not None else None
        self.points = points
        self.before: dict[str, int] = {}

    def check(self) -> None:
        """Refuse a locked run or points that do not add up, before anything is made."""
        assert self.ws is not None and self.scheme is not None
        if self.run_id is not None:
            coding.check_editable(self.ws, self.run_id)
        grid = next(g for g in self.scheme.grids if g.id == self.grid_id)
        check_grid_row(grid, self.row_id, self.member_id, self.points)

    @property
    def key(self) -> Key:
        return ("rating", self.run_id, coding.row_key(self.grid_id, self.row_id, self.member_id))

    def apply(self) -> Change:
        assert self.session.run is not None
        self.run_id = self.session.run.id
        self.before = self._set(self.points, self.seen(self.key))
        return RatingsChanged(self.run_id)

    def reapply(self) -> Change:
        self._set(self.points, self.expect(self.key))
        return RatingsChanged(self._run())

    def revert(self) -> Change:
        self._set(self.before, self.expect(self.key))
        return RatingsChanged(self._run())

    def _run(self) -> int:
        assert self.run_id is not None
        return self.run_id

    def _set(self, points: dict[str, int], expected: int | None) -> dict[str, int]:
        assert self.ws is not None and self.scheme is not None
        cell = (self.grid_id, self.row_id, self.member_id)
        if points:
            return coding.set_grid_row(self.ws, self._run(), self.scheme, *cell, points, expected)
        coding.clear_grid_row(self.ws, self._run(), self.scheme, *cell, expected)
        return {}


EventChange = tuple[list[events.Event], list[events.Event]]  # (as they were, as they are)


class EventsCommand(Command):
    """Any change to timed events of the open run, undone by restoring the events as
    they were; one command serves coding, stopping, deleting and moving. Its action
    makes the edit on the versions the window holds (``seen``)."""

    def __init__(
        self, session: CodingSession, text: str, action: Callable[[], EventChange]
    ) -> None:
        super().__init__(session, text)
        assert session.run is not None and session.clip is not None
        self.run_id, self.clip_id = session.run.id, session.clip.id
        self.action = action
        self.before: dict[int, events.Event] = {}
        self.after: dict[int, events.Event] = {}

    def apply(self) -> Change:
        before, after = self.action()
        self.before = {e.id: e for e in before}
        self.after = {e.id: e for e in after}
        return EventsChanged(self.run_id, self.clip_id, tuple(self.before), tuple(after))

    def reapply(self) -> Change:
        return self._swap(self.before, self.after)

    def revert(self) -> Change:
        return self._swap(self.after, self.before)

    def _swap(self, old: dict[int, events.Event], new: dict[int, events.Event]) -> Change:
        """Put ``new`` in the place of ``old`` (the events as they are stored now)."""
        assert self.ws is not None
        for event_id in old.keys() - new.keys():
            expected = self.expect(("event", event_id))
            events.delete_event(self.ws, self.run_id, event_id, expected)
        for event in new.values():
            now = old.get(event.id)
            moment = now.moment.version if now is not None and now.moment is not None else None
            events.restore_event(
                self.ws,
                self.run_id,
                event,
                self.expect(("event", event.id), ABSENT if now is None else None),
                self.expect(("moment", event.id), moment),
            )
        return EventsChanged(self.run_id, self.clip_id, tuple(old), tuple(new.values()))


class MomentCommand(Command):
    """An edit of a moment's details (caption, child line, comment, flag, still), undone
    by restoring the moment as it was. ``edit`` makes the edit on the version the window
    holds (``seen``)."""

    def __init__(
        self,
        session: CodingSession,
        text: str,
        edit: Callable[[], moments.MomentInfo],
        where: str = "",
    ) -> None:
        super().__init__(session, text, where)
        self.edit = edit
        self.before: moments.MomentInfo | None = None
        self.after: moments.MomentInfo | None = None

    def apply(self) -> Change:
        self.before = self.edit()
        return self._change(self.before)

    def reapply(self) -> Change:
        assert self.ws is not None and self.after is not None
        moments.restore_moment(self.ws, self.after, self.expect(("moment", self.after.id)))
        return self._change(self.after)

    def revert(self) -> Change:
        assert self.ws is not None and self.before is not None
        expected = self.expect(("moment", self.before.id))
        self.after = moments.restore_moment(self.ws, self.before, expected)
        return self._change(self.before)

    @staticmethod
    def _change(m: moments.MomentInfo) -> Change:
        return MomentsChanged(m.clip_id, m.session_id, (m.id,))


class ReelCommand(Command):
    """A new reel order or theme of one session, undone by putting the previous back.
    ``set_value(value, version)`` stores a value made on that version of the reel."""

    def __init__(
        self,
        session: CodingSession,
        text: str,
        session_id: int,
        set_value: Callable[[Any, int | None], Any],
        value: Any,
        where: str = "",
    ) -> None:
        super().__init__(session, text, where)
        self.session_id, self.set_value, self.value = session_id, set_value, value
        self.previous: Any = None
        self.key: Key = ("reel", session_id)

    def apply(self) -> Change:
        self.previous = self.set_value(self.value, self.seen(self.key))
        return ReelChanged(self.session_id)

    def reapply(self) -> Change:
        self.set_value(self.value, self.expect(self.key))
        return ReelChanged(self.session_id)

    def revert(self) -> Change:
        self.set_value(self.previous, self.expect(self.key))
        return ReelChanged(self.session_id)
