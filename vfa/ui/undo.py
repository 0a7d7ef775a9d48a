"""Thin undo commands over the reversible coding services.

Each command does its service call in ``redo`` (Qt calls it once on push) and keeps what
the service returned to put things back in ``undo``. Event commands keep the affected
events as they were before and after, so one command serves coding, stopping, deleting
and moving.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand

from vfa.domain.scoring import check_grid_row, check_rating
from vfa.services import coding, events, moments

if TYPE_CHECKING:
    from vfa.storage.workspace import Workspace
    from vfa.ui.coding_panel import CodingPanel


class RatingStateCommand(QUndoCommand):
    """Change an item's stored state: its rating, note or evidence links."""

    def __init__(
        self,
        text: str,
        panel: CodingPanel,
        item_id: str,
        change: Callable[[coding.RatingState], coding.RatingState],
    ) -> None:
        super().__init__(text)
        self.panel, self.item_id, self.change = panel, item_id, change
        self.before: coding.RatingState | None = None

    def check(self) -> None:
        p = self.panel
        assert p.ws
        if p.run is not None:  # (none yet: this edit begins it, unlocked)
            coding.check_editable(p.ws, p.run.id)

    def redo(self) -> None:
        p = self.panel
        assert p.ws and p.run
        current = coding.rating_state(p.ws, p.run.id, self.item_id)
        if self.before is None:
            self.before = current
        coding.set_rating_state(p.ws, p.run.id, self.item_id, self.change(self.before), p.scheme)
        p.refresh()

    def undo(self) -> None:
        p = self.panel
        assert p.ws and p.run and self.before is not None
        coding.set_rating_state(p.ws, p.run.id, self.item_id, self.before)
        p.refresh()


class RateCommand(RatingStateCommand):
    """Rate one item (a scale point or special code; None clears); note and links stay."""

    def __init__(self, panel: CodingPanel, item_id: str, value: Any) -> None:
        super().__init__(
            f"rate {item_id}",
            panel,
            item_id,
            lambda s: coding.RatingState(value, s.note, s.evidence),
        )
        self.value = value

    def check(self) -> None:
        super().check()
        if self.value is not None:
            assert self.panel.scheme is not None
            check_rating(self.panel.scheme, self.item_id, self.value)


class GridRowCommand(QUndoCommand):
    """Enter one grid row's points for one member."""

    def __init__(
        self, panel: CodingPanel, grid_id: str, row_id: str, member_id: str, points: dict[str, int]
    ) -> None:
        super().__init__(f"grid {grid_id} {row_id}")
        self.panel, self.grid_id, self.row_id = panel, grid_id, row_id
        self.member_id, self.points = member_id, points
        self.before: dict[str, int] | None = None

    def check(self) -> None:
        p = self.panel
        assert p.ws and p.scheme
        if p.run is not None:
            coding.check_editable(p.ws, p.run.id)
        grid = next(g for g in p.scheme.grids if g.id == self.grid_id)
        check_grid_row(grid, self.row_id, self.member_id, self.points)

    def redo(self) -> None:
        p = self.panel
        assert p.ws and p.run and p.scheme
        before = coding.set_grid_row(
            p.ws, p.run.id, p.scheme, self.grid_id, self.row_id, self.member_id, self.points
        )
        if self.before is None:
            self.before = before
        p.refresh()

    def undo(self) -> None:
        p = self.panel
        assert p.ws and p.run and p.scheme and self.before is not None
        if self.before:
            coding.set_grid_row(
                p.ws, p.run.id, p.scheme, self.grid_id, self.row_id, self.member_id, self.before
            )
        else:
            coding.clear_grid_row(
                p.ws, p.run.id, p.scheme, self.grid_id, self.row_id, self.member_id
            )
        p.refresh()


EventChange = tuple[list[events.Event], list[events.Event]]  # (as they were, as they are)


class EventsCommand(QUndoCommand):
    """Any change to timed events, undone by restoring the events as they were.

    ``apply()`` does the edit before the command is pushed, so a refused edit surfaces
    as an error and never reaches the stack; the push's own first ``redo`` then has
    nothing left to do. Views are told exactly which events went and came.
    """

    def __init__(self, text: str, panel: CodingPanel, action: Callable[[], EventChange]) -> None:
        super().__init__(text)
        self.panel, self.action = panel, action
        self.before: dict[int, events.Event] = {}
        self.after: dict[int, events.Event] = {}
        self._applied = False
        self._skip_redo = False

    def apply(self) -> None:
        before, after = self.action()
        self.before = {e.id: e for e in before}
        self.after = {e.id: e for e in after}
        self._applied = self._skip_redo = True
        self.panel.events_edited.emit(list(self.before), list(self.after.values()))

    def redo(self) -> None:
        if not self._applied:
            self.apply()
        elif self._skip_redo:
            self._skip_redo = False
        else:
            self._swap(self.before, self.after)

    def undo(self) -> None:
        self._swap(self.after, self.before)

    def _swap(self, old: dict[int, events.Event], new: dict[int, events.Event]) -> None:
        p = self.panel
        assert p.ws and p.run
        for event_id in old.keys() - new.keys():
            events.delete_event(p.ws, p.run.id, event_id)
        for event in new.values():
            events.restore_event(p.ws, p.run.id, event)
        p.events_edited.emit(list(old), list(new.values()))


class MomentCommand(QUndoCommand):
    """An edit of a moment's details (caption, child line, comment, flag, still), undone
    by restoring the moment as it was. ``apply()`` edits before the push, like
    :class:`EventsCommand`, so a refused edit never reaches the stack."""

    def __init__(
        self,
        text: str,
        ws: Workspace,
        edit: Callable[[], moments.MomentInfo],
        changed: Callable[[], None],
    ) -> None:
        super().__init__(text)
        self.ws, self.edit, self.changed = ws, edit, changed
        self.before: moments.MomentInfo | None = None
        self.after: moments.MomentInfo | None = None
        self._skip_redo = False

    def apply(self) -> None:
        self.before = self.edit()
        self._skip_redo = True
        self.changed()

    def redo(self) -> None:
        if self._skip_redo:
            self._skip_redo = False
            return
        assert self.after is not None
        moments.restore_moment(self.ws, self.after)
        self.changed()

    def undo(self) -> None:
        assert self.before is not None
        self.after = moments.restore_moment(self.ws, self.before)
        self.changed()


class ReelCommand(QUndoCommand):
    """A new reel order or session theme, undone by putting the previous one back."""

    def __init__(
        self,
        text: str,
        set_value: Callable[[Any], Any],
        value: Any,
        changed: Callable[[], None],
    ) -> None:
        super().__init__(text)
        self.set_value, self.value, self.changed = set_value, value, changed
        self.previous: Any = None
        self._skip_redo = False

    def apply(self) -> None:
        self.previous = self.set_value(self.value)
        self._skip_redo = True
        self.changed()

    def redo(self) -> None:
        if self._skip_redo:
            self._skip_redo = False
            return
        self.set_value(self.value)
        self.changed()

    def undo(self) -> None:
        self.set_value(self.previous)
        self.changed()
