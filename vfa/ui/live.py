"""Other people's changes shown within seconds, and the view read again after a stale
edit. ``services/live.py`` watches the workspace off the GUI thread; what it finds waits
in a queue that the GUI thread empties (the watcher's thread touches no Qt object, so a
window closing or collected while it looks cannot race it), and becomes the session's
change values, so the timeline, ratings, moments and reel redraw as they do for the
window's own edits. What the window already holds at the same version (its own edits) is
not shown twice."""

from __future__ import annotations

import queue
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QObject, QTimer

from vfa.errors import NotFoundError, VfaError
from vfa.services import coding, events, moments
from vfa.services.clips import ClipInfo
from vfa.services.live import INTERVAL_S, Seen, Shown, Watcher
from vfa.services.versions import ABSENT, Key
from vfa.services.workspaces import Workspace
from vfa.ui.changes import (
    Change,
    ConsentChanged,
    EventsChanged,
    MomentsChanged,
    RatingsChanged,
    ReelChanged,
    RunOpened,
    RunStatusChanged,
)
from vfa.ui.versions import HeldVersions


class Shows(Protocol):
    """What of the coding session (``ui/session.py``) this module reads and tells."""

    ws: Workspace | None
    clip: ClipInfo | None
    run: coding.RunInfo | None
    held: HeldVersions
    coder: Callable[[], str]
    changed: Any  # its change signal

    @property
    def clip_id(self) -> int | None: ...

    @property
    def session_id(self) -> int | None: ...

    def tell(self, change: Change) -> None: ...

    def reload(self) -> None: ...


TAKE_MS = 100  # how often the GUI thread takes what the watcher found


class _Shown:
    """What is shown, for the watcher's thread to read: a plain object, not a Qt one."""

    def __init__(self) -> None:
        self.now = Shown("")


class LiveChanges(QObject):
    """Watches the session's workspace while it is open (not an in-memory one: nobody
    else can write to it) and tells the session what others changed of what it shows."""

    def __init__(
        self, session: Shows, parent: QObject | None = None, interval: float = INTERVAL_S
    ) -> None:
        super().__init__(parent)
        self.session, self.interval = session, interval
        self.watcher: Watcher | None = None
        self._shown = _Shown()
        self._found: queue.SimpleQueue[Seen] = queue.SimpleQueue()  # the watcher's own
        self._taking = QTimer(self, interval=TAKE_MS)
        self._taking.timeout.connect(self._take_found)
        session.changed.connect(self._follow)

    def start(self, ws: Workspace | None) -> None:
        """Watch ``ws`` (None: nothing) in place of what was watched."""
        self.stop()
        if ws is None or (ws.path is None and ws.engine.dialect.name == "sqlite"):
            return
        self._follow()
        # the watcher's thread holds these plain objects, never self
        shown, found = self._shown, queue.SimpleQueue[Seen]()
        self._found = found
        self.watcher = Watcher(ws, lambda: shown.now, found.put, self.interval)
        self.watcher.start()
        self._taking.start()

    def stop(self) -> None:
        """Stop watching (the watcher's thread ends and closes its connection)."""
        self._taking.stop()
        if self.watcher is not None:
            self.watcher.stop()
            self.watcher = None
        self._found = queue.SimpleQueue()  # (what a look of the last one left is dropped)

    def check_now(self) -> None:
        """Look at once rather than at the next interval."""
        if self.watcher is not None:
            self.watcher.check_now()

    def _follow(self, change: Change | None = None) -> None:
        """What is shown, for the watcher's next look (read on its thread)."""
        if change is None or isinstance(change, (RunOpened, RunStatusChanged)):
            s = self.session
            run = s.run.id if s.run is not None else None
            self._shown.now = Shown(s.coder(), s.clip_id, run, s.session_id)

    def _take_found(self) -> None:
        """(On the GUI thread.) Show what the watcher found since the last time."""
        while True:
            try:
                seen = self._found.get_nowait()
            except queue.Empty:
                return
            self._take(seen)

    def _take(self, seen: Seen) -> None:
        if seen.runs_made and self.session.run is None:
            self.session.reload()  # the coder's run of the clip shown may be there now
        for change in changes_seen(self.session, seen):
            self.session.tell(change)


def changes_seen(session: Shows, seen: Seen) -> list[Change]:
    """The change values for what others changed of what the session shows: each thing
    whose version differs from the one the window holds (which then holds the new one).
    What the window read or wrote after the look began is as new as it: left alone."""
    clip = session.clip
    if clip is None:
        return []
    held = session.held

    def fresh(*keys: Key) -> bool:  # read by the look, not since by the window
        return not held.newer(keys, seen.started)

    run_id = session.run.id if session.run is not None else None
    out: list[Change] = []
    made: dict[int, list[events.Event]] = {}
    redrawn: list[int] = []
    versions: dict[Key, int] = {}
    for run, event in seen.events:
        keys: tuple[Key, Key] = (("event", event.id), ("moment", event.id))
        if not fresh(*keys):
            continue
        versions[keys[0]] = event.version
        if event.moment is not None:
            versions[keys[1]] = event.moment.version
        if held.seen(keys[0]) != event.version:
            made.setdefault(run, []).append(event)
        elif event.moment is not None and held.seen(keys[1]) != event.moment.version:
            redrawn.append(event.id)
    gone = tuple(
        i
        for i in seen.missing
        if fresh(("event", i), ("moment", i))
        and (held.seen(("event", i)) != ABSENT or held.seen(("moment", i)) != ABSENT)
    )
    versions |= {(kind, i): ABSENT for i in gone for kind in ("event", "moment")}
    held.load(versions)
    out += [EventsChanged(run, clip.id, (), tuple(evs)) for run, evs in made.items()]
    if gone:
        out.append(EventsChanged(run_id or 0, clip.id, gone, ()))
    if redrawn:
        out.append(MomentsChanged(clip.id, clip.session_id, tuple(redrawn)))
    if seen.ratings is not None and run_id is not None:
        held_now = held.under(("rating", run_id))
        stored = {("rating", run_id, item): v for item, v in seen.ratings.items()}
        if fresh(*held_now, *stored) and {k: v for k, v in held_now.items() if v} != stored:
            out.append(RatingsChanged(run_id))
    if seen.status is not None and session.run is not None and seen.status != session.run.status:
        out.append(RunStatusChanged(session.run.id))
    reel_key = ("reel", clip.session_id)
    reel = seen.reel_version
    if reel is not None and fresh(reel_key) and held.seen(reel_key) != reel:
        held.load({reel_key: reel})
        out.append(ReelChanged(clip.session_id))
    if seen.consent:
        out.append(ConsentChanged(clip.id))
    return out


def changes_after_stale(session: Shows, key: Key) -> list[Change]:
    """What to read again after an edit of ``key`` was refused as stale: that thing as it
    is now (the rest comes with the next look)."""
    ws, clip = session.ws, session.clip
    if ws is None or not key:
        return []
    run_id = session.run.id if session.run is not None else 0
    kind = key[0]
    try:
        if kind == "event" and clip is not None:
            try:
                event = events.get_event(ws, run_id, key[1])
            except NotFoundError:
                session.held.load({key: ABSENT})
                return [EventsChanged(run_id, clip.id, (key[1],), ())]
            session.held.load({key: event.version})
            return [EventsChanged(run_id, clip.id, (), (event,))]
        if kind == "moment":
            try:
                m = moments.get_moment(ws, key[1])
            except NotFoundError:
                if clip is None:
                    return []
                session.held.load({key: ABSENT, ("event", key[1]): ABSENT})
                return [EventsChanged(run_id, clip.id, (key[1],), ())]
            session.held.load({key: m.version, ("event", m.id): m.event_version})
            return [MomentsChanged(m.clip_id, m.session_id, (m.id,))]
        if kind == "rating":
            return [RatingsChanged(key[1])]
        if kind == "reel":
            return [ReelChanged(key[1])]
    except VfaError:  # (hidden from the viewer, or the workspace went: nothing to show)
        return []
    return []
