"""Event coding in the window: ethogram hotkeys, the events in the timeline lanes, and
the edits of the event under the playhead, each an undoable command."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence

from vfa.errors import VfaError
from vfa.services import events
from vfa.ui.changes import Change, EventsChanged, RunOpened
from vfa.ui.dialogs import ModifiersDialog
from vfa.ui.session import CodingSession
from vfa.ui.timeline import DEFAULT_LANES, Lane, Timeline
from vfa.ui.undo import EventsCommand

PORTABLE = QKeySequence.SequenceFormat.PortableText


class EventCoding(QObject):
    """Wires the session's run to the window's keys and the timeline's lanes."""

    def __init__(self, session: CodingSession, timeline: Timeline) -> None:
        super().__init__(session)
        self.session, self.timeline = session, timeline
        self._hotkeys: list[QAction] = []
        self._scheme_shown: object = ()  # (no scheme's keys installed yet)
        session.changed.connect(self._changed)
        timeline.edge_moved.connect(self.move_edge)

    def _status(self, message: str) -> None:
        self.session.shell.note(message)

    def _error(self, message: str) -> None:
        self.session.shell.messages.error(message, "events")

    def _changed(self, change: Change) -> None:
        if isinstance(change, RunOpened):
            if self.session.scheme is not self._scheme_shown:
                self.install_hotkeys()
            self.refresh()
        elif isinstance(change, EventsChanged) and self.session.shows(change):
            self._edited(change)

    def _name(self, code_id: str) -> str:
        """A code's name in the chosen scheme, for Edit → Undo."""
        try:
            return self.session.scheme.code(code_id).name if self.session.scheme else code_id
        except VfaError:
            return code_id

    def install_hotkeys(self) -> None:
        """One window shortcut per ethogram code of the chosen scheme; lanes per subject."""
        shell = self.session.shell
        for action in self._hotkeys:
            shell.remove_shortcut(action)
            action.deleteLater()
        self._hotkeys = []
        scheme = self._scheme_shown = self.session.scheme
        subjects = list(scheme.ethogram.subjects) if scheme and scheme.ethogram else []
        self.timeline.set_lanes([Lane(s, s.capitalize()) for s in subjects] or DEFAULT_LANES)
        codes = scheme.ethogram.codes if scheme and scheme.ethogram else ()
        self.timeline.set_code_names({c.id: c.name for c in codes})
        shell.messages.clear("hotkeys")
        if scheme is None or scheme.ethogram is None:
            return
        taken = shell.window_keys(PORTABLE)
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
            action = QAction(f"{code.name} ({code.hotkey})", shell.host)
            action.setShortcut(QKeySequence(code.hotkey))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(lambda _c=False, cid=code.id: self.code(cid))
            shell.add_shortcut(action)
            self._hotkeys.append(action)
        if skipped:
            shell.messages.warning("\n".join(skipped), "hotkeys")

    def code(self, code_id: str, subject: str | None = None) -> None:
        """Record an ethogram code at the frame on screen (undoable)."""
        session = self.session
        if session.clip is None:
            self._error(self.tr("Open a clip before coding events."))
            return
        if session.ws is None or session.scheme is None:
            self._error(self.tr("Choose a scheme in the coding panel first."))
            return
        if not session.begin_run():  # the first event begins the coder's run
            return
        assert session.run is not None
        ws, run_id, scheme = session.ws, session.run.id, session.scheme
        table, at_ms = session.clip.frame_table, session.playhead()[1]

        def action() -> tuple[list[events.Event], list[events.Event]]:
            coded = events.code_event(ws, run_id, scheme, code_id, subject, at_ms, table)
            made = [coded.event] if coded.created else []
            return list(coded.stopped), [*made, *coded.closed]

        text = self.tr('coding of "{0}"').format(self._name(code_id))
        self._push(EventsCommand(session, text, action))

    def at_playhead(self) -> events.Event | None:
        """The latest-starting event under the playhead, if any (said in the status bar)."""
        session = self.session
        if session.ws is None or session.clip is None:
            return None
        if session.run is None:  # not begun: no events yet
            self._status(self.tr("No event at the playhead"))
            return None
        at = session.playhead()[1]
        hits = [
            (start, id_)
            for id_, _subject, start, end, _code in events.event_spans(session.ws, session.run.id)
            if start <= at <= (end if end is not None else at)
        ]
        if not hits:
            self._status(self.tr("No event at the playhead"))
            return None
        return events.get_event(session.ws, session.run.id, max(hits)[1])

    def edit_modifiers(self) -> None:
        """Choose the modifiers of the event under the playhead (undoable)."""
        session = self.session
        target = self.at_playhead()
        if target is None or session.scheme is None or session.ws is None or session.run is None:
            return
        choices = session.scheme.code(target.code).modifiers
        if not choices:
            self._status(self.tr("{0} has no modifiers in this scheme").format(target.code))
            return
        dialog = ModifiersDialog(target, choices, session.shell.host)
        if dialog.exec() != ModifiersDialog.DialogCode.Accepted:
            return
        ws, run_id, scheme, chosen = session.ws, session.run.id, session.scheme, dialog.values()
        seen = session.held.seen(("event", target.id))  # the event as the timeline drew it
        self._push(
            EventsCommand(
                session,
                self.tr('modifiers of "{0}"').format(self._name(target.code)),
                lambda: (
                    [events.set_modifiers(ws, run_id, scheme, target.id, chosen, seen)],
                    [events.get_event(ws, run_id, target.id)],
                ),
            )
        )

    def delete_at_playhead(self) -> None:
        """Delete the most recent event under the playhead (undoable)."""
        session = self.session
        target = self.at_playhead()
        if target is None or session.ws is None or session.run is None:
            return
        ws, run_id = session.ws, session.run.id
        seen = session.held.seen(("event", target.id))
        self._push(
            EventsCommand(
                session,
                self.tr('deletion of "{0}"').format(self._name(target.code)),
                lambda: ([events.delete_event(ws, run_id, target.id, seen)], []),
            )
        )

    def move_edge(self, event_id: int, start_ms: int, end_ms: int | None) -> None:
        """A span edge dragged on the timeline: snap it to the frame there (undoable)."""
        session = self.session
        if session.run is None or session.ws is None or session.clip is None:
            return
        ws, run_id, table = session.ws, session.run.id, session.clip.frame_table
        try:
            code = events.get_event(ws, run_id, event_id).code
        except VfaError as exc:
            self._error(str(exc))
            return

        seen = session.held.seen(("event", event_id))  # the span as it was dragged

        def action() -> tuple[list[events.Event], list[events.Event]]:
            before = events.move_event(ws, run_id, event_id, start_ms, end_ms, table, seen)
            return [before], [events.get_event(ws, run_id, event_id)]

        text = self.tr('trim of "{0}"').format(self._name(code))
        self._push(EventsCommand(session, text, action))

    def _push(self, command: EventsCommand) -> bool:
        """Push an event edit; a locked run or a refused edit is shown, never half done."""
        messages = self.session.shell.messages
        if not command.push(self._error):  # the services refuse a locked run or a bad edit
            return False
        if messages.level("events") is not None:
            messages.clear("events")  # this edit went through: the refusal is past
        return True

    def _edited(self, change: EventsChanged) -> None:
        """Redraw only the events an edit touched (fast with tens of thousands)."""
        self.timeline.update_events(
            list(change.gone),
            [(e.id, e.subject or "parent", e.start_ms, e.end_ms, e.code) for e in change.made],
        )

    def refresh(self) -> None:
        """Draw the run's events in the timeline lanes."""
        session = self.session
        if session.run is None or session.ws is None or session.scheme is None:
            self.timeline.set_events([])
            return
        self.timeline.set_events(
            [
                (id_, subject or "parent", start, end, code)
                for id_, subject, start, end, code in events.event_spans(session.ws, session.run.id)
            ]
        )
        # the versions its edits are made on
        versions = events.event_versions(session.ws, session.run.id)
        session.held.load({("event", i): v for i, v in versions.items()})
