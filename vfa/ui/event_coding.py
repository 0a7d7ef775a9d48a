"""Event coding in the window: ethogram hotkeys, the events in the timeline lanes, and
the edits of the event under the playhead, each an undoable command."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import QMainWindow

from vfa.errors import VfaError
from vfa.services import events
from vfa.ui.coding_panel import CodingPanel
from vfa.ui.dialogs import ModifiersDialog
from vfa.ui.messages import MessageBar, note
from vfa.ui.player_view import PlayerView
from vfa.ui.timeline import DEFAULT_LANES, Lane
from vfa.ui.undo import EventsCommand

PORTABLE = QKeySequence.SequenceFormat.PortableText


class EventCoding(QObject):
    """Wires the coding panel's run to the window's keys and the player's timeline."""

    def __init__(
        self,
        window: QMainWindow,
        panel: CodingPanel,
        view: PlayerView,
        undo: QUndoStack,
        messages: MessageBar,
    ) -> None:
        super().__init__(window)
        self.window, self.panel, self.view, self.undo = window, panel, view, undo
        self.messages = messages
        self._hotkeys: list[QAction] = []
        panel.events_changed.connect(self.refresh)
        panel.events_edited.connect(self._edited)
        panel.chooser.currentIndexChanged.connect(lambda _i: self.install_hotkeys())
        view.timeline.edge_moved.connect(self.move_edge)

    def _status(self, message: str) -> None:
        note(self.window.statusBar(), message)

    def _error(self, message: str) -> None:
        self.messages.error(message, "events")

    def install_hotkeys(self) -> None:
        """One window shortcut per ethogram code of the chosen scheme; lanes per subject."""
        for action in self._hotkeys:
            self.window.removeAction(action)
            action.deleteLater()
        self._hotkeys = []
        scheme = self.panel.scheme
        subjects = list(scheme.ethogram.subjects) if scheme and scheme.ethogram else []
        self.view.timeline.set_lanes([Lane(s, s.capitalize()) for s in subjects] or DEFAULT_LANES)
        codes = scheme.ethogram.codes if scheme and scheme.ethogram else ()
        self.view.timeline.set_code_names({c.id: c.name for c in codes})
        self.messages.clear("hotkeys")
        if scheme is None or scheme.ethogram is None:
            return
        taken = self._window_keys()
        skipped = []
        for code in scheme.ethogram.codes:
            owner = taken.get(QKeySequence(code.hotkey).toString(PORTABLE)) if code.hotkey else None
            if owner is not None:  # both on one key: Qt would fire neither
                skipped.append(
                    self.tr(
                        "{0} ({1}) is not a hotkey now: {1} is the window's key for “{2}” "
                        "(Settings)."
                    ).format(code.name, code.hotkey, owner)
                )
                continue
            action = QAction(f"{code.name} ({code.hotkey})", self.window)
            action.setShortcut(QKeySequence(code.hotkey))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(lambda _c=False, cid=code.id: self.code(cid))
            self.window.addAction(action)
            self._hotkeys.append(action)
        if skipped:
            self.messages.warning("\n".join(skipped), "hotkeys")

    def _window_keys(self) -> dict[str, str]:
        """The window's own shortcuts (as the user set them), by key, with their action."""
        actions: dict[str, QAction] = getattr(self.window, "actions_by_id", {})
        return {
            a.shortcut().toString(PORTABLE): a.text().replace("&", "")
            for a in actions.values()
            if not a.shortcut().isEmpty()
        }

    def code(self, code_id: str, subject: str | None = None) -> None:
        """Record an ethogram code at the frame on screen (undoable)."""
        panel, view = self.panel, self.view
        if view.info is None:
            self._error(self.tr("Open a clip before coding events."))
            return
        if panel.ws is None or panel.scheme is None:
            self._error(self.tr("Choose a scheme in the coding panel first."))
            return
        if not panel.begin_run():  # the first event begins the coder's run
            return
        assert panel.run is not None
        ws, run_id, scheme = panel.ws, panel.run.id, panel.scheme
        table, at_ms = view.info.frame_table, view.current_frame()[1]

        def action() -> tuple[list[events.Event], list[events.Event]]:
            coded = events.code_event(ws, run_id, scheme, code_id, subject, at_ms, table)
            made = [coded.event] if coded.created else []
            return list(coded.stopped), [*made, *coded.closed]

        self._push(EventsCommand(f"code {code_id}", panel, action))

    def at_playhead(self) -> events.Event | None:
        """The latest-starting event under the playhead, if any (said in the status bar)."""
        panel, view = self.panel, self.view
        if panel.ws is None or view.info is None:
            return None
        if panel.run is None:  # not begun: no events yet
            self._status(self.tr("No event at the playhead"))
            return None
        at = view.current_frame()[1]
        hits = [
            (start, id_)
            for id_, _subject, start, end, _code in events.event_spans(panel.ws, panel.run.id)
            if start <= at <= (end if end is not None else at)
        ]
        if not hits:
            self._status(self.tr("No event at the playhead"))
            return None
        return events.get_event(panel.ws, panel.run.id, max(hits)[1])

    def link_evidence(self) -> None:
        """Link the moment under the playhead to the current rating item (undoable)."""
        target = self.at_playhead()
        if target is not None:
            self.panel.link_evidence(target.id)

    def edit_modifiers(self) -> None:
        """Choose the modifiers of the event under the playhead (undoable)."""
        panel = self.panel
        target = self.at_playhead()
        if target is None or panel.scheme is None or panel.ws is None or panel.run is None:
            return
        choices = panel.scheme.code(target.code).modifiers
        if not choices:
            self._status(self.tr("{0} has no modifiers in this scheme").format(target.code))
            return
        dialog = ModifiersDialog(target, choices, self.window)
        if dialog.exec() != ModifiersDialog.DialogCode.Accepted:
            return
        ws, run_id, scheme, chosen = panel.ws, panel.run.id, panel.scheme, dialog.values()
        self._push(
            EventsCommand(
                f"modifiers of {target.code}",
                panel,
                lambda: (
                    [events.set_modifiers(ws, run_id, scheme, target.id, chosen)],
                    [events.get_event(ws, run_id, target.id)],
                ),
            )
        )

    def delete_at_playhead(self) -> None:
        """Delete the most recent event under the playhead (undoable)."""
        panel = self.panel
        target = self.at_playhead()
        if target is None or panel.ws is None or panel.run is None:
            return
        ws, run_id = panel.ws, panel.run.id
        self._push(
            EventsCommand(
                f"delete {target.code}",
                panel,
                lambda: ([events.delete_event(ws, run_id, target.id)], []),
            )
        )

    def move_edge(self, event_id: int, start_ms: int, end_ms: int | None) -> None:
        """A span edge dragged on the timeline: snap it to the frame there (undoable)."""
        panel, view = self.panel, self.view
        if panel.run is None or panel.ws is None or view.info is None:
            return
        ws, run_id, table = panel.ws, panel.run.id, view.info.frame_table

        def action() -> tuple[list[events.Event], list[events.Event]]:
            before = events.move_event(ws, run_id, event_id, start_ms, end_ms, table)
            return [before], [events.get_event(ws, run_id, event_id)]

        self._push(EventsCommand("move event edge", panel, action))

    def _push(self, command: EventsCommand) -> None:
        """Push an event edit; a locked run or a refused edit is shown, never half done."""
        try:
            command.apply()  # the services refuse a locked run or a bad edit here
        except VfaError as exc:
            self._error(str(exc))
            return
        if self.messages.level("events") is not None:
            self.messages.clear("events")  # this edit went through: the refusal is past
        self.undo.push(command)

    def _edited(self, gone: list[int], made: list[events.Event]) -> None:
        """Redraw only the events an edit touched (fast with tens of thousands)."""
        self.view.timeline.update_events(
            gone, [(e.id, e.subject or "parent", e.start_ms, e.end_ms, e.code) for e in made]
        )

    def refresh(self) -> None:
        """Draw the run's events in the timeline lanes."""
        panel = self.panel
        if panel.run is None or panel.ws is None or panel.scheme is None:
            self.view.timeline.set_events([])
            return
        self.view.timeline.set_events(
            [
                (id_, subject or "parent", start, end, code)
                for id_, subject, start, end, code in events.event_spans(panel.ws, panel.run.id)
            ]
        )
