"""Other people's changes to what a window shows, read from the audit trail within
seconds, off the GUI thread (the window's side: ``ui/live.py``).

Every edit writes an audit entry. On PostgreSQL each entry also notifies the channel
``vfa_changes`` when its transaction commits (``services/audit.py``), so a
:class:`Watcher` looks as soon as one arrives (and every ``interval`` seconds besides, in
case a notification was lost with a dropped connection); on SQLite it asks every
``interval`` seconds whether anything was committed (``PRAGMA data_version`` on a
connection of its own) and only then reads the trail. A look (:class:`Feed`) reads the
entries newer than the last it read and, for the clip shown, the events, moments,
ratings, run status, reel and consent they touched, as they are now: the window compares
their versions with the ones it holds, so its own edits are not shown twice.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Connection, func, select

from vfa.services.audit import CHANNEL
from vfa.services.blind import blind_view
from vfa.services.events import Event, event_of
from vfa.services.rating_keys import GRID_SEP, row_key
from vfa.storage.models import Annotation, AuditEntry, Coder, CodingRun, Moment, Rating
from vfa.storage.models import Session as SessionRow
from vfa.storage.workspace import Workspace

INTERVAL_S = 2.0
_CHUNK = 500  # ids per IN (…) list


@dataclass(frozen=True)
class Shown:
    """What a window shows, for whom: the clip, the coder's run, the visit."""

    viewer: str
    clip_id: int | None = None
    run_id: int | None = None
    session_id: int | None = None


@dataclass(frozen=True)
class Seen:
    """What the audit entries since the last look touched of what is shown, read now."""

    events: tuple[tuple[int, Event], ...] = ()  # (run, event) on the clip shown, visible
    missing: tuple[int, ...] = ()  # touched events (moments) no longer stored
    ratings: dict[str, int] | None = None  # the shown run's item and grid row versions
    status: str | None = None  # the shown run's status, when the run was touched
    runs_made: bool = False  # a run of the clip shown was made
    reel_version: int | None = None  # the visit's reel
    consent: bool = False  # the clip's consent was recorded
    entries: int = 0  # how many entries the look read
    started: float = 0.0  # when the look began (time.monotonic): it read what was then


def _chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    items = sorted(ids)
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


class Feed:
    """Reads the audit trail from where the last look stopped (made: its newest entry)."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        with ws.sessions() as db:
            self.last = int(db.scalar(select(func.coalesce(func.max(AuditEntry.id), 0))) or 0)

    def look(self, shown: Shown) -> Seen | None:
        """What changed of ``shown`` since the last look; None when nothing was written."""
        started = time.monotonic()
        with self.ws.sessions() as db:
            entries = db.execute(
                select(AuditEntry.id, AuditEntry.entity, AuditEntry.entity_id, AuditEntry.action)
                .where(AuditEntry.id > self.last)
                .order_by(AuditEntry.id)
            ).all()
            if not entries:
                return None
            self.last = entries[-1][0]
            if shown.clip_id is None:
                return Seen(entries=len(entries), started=started)
            touched: dict[str, set[int]] = {}
            made_runs: set[int] = set()
            for _id, entity, entity_id, action in entries:
                if entity_id is not None:
                    touched.setdefault(entity, set()).add(entity_id)
                    if entity == "coding_run" and action == "create":
                        made_runs.add(entity_id)
            ids = touched.get("annotation", set()) | touched.get("moment", set())
            seen = self._events(db, shown.viewer, shown.clip_id, ids)
            runs = touched.get("coding_run", set())
            if shown.run_id is not None and shown.run_id in runs:
                seen = replace(
                    seen,
                    ratings=_rating_versions(db, shown.run_id),
                    status=db.scalar(select(CodingRun.status).where(CodingRun.id == shown.run_id)),
                )
            if made_runs:
                clips = db.scalars(select(CodingRun.clip_id).where(CodingRun.id.in_(made_runs)))
                seen = replace(seen, runs_made=shown.clip_id in set(clips))
            if shown.session_id is not None:
                seen = replace(
                    seen,
                    reel_version=db.scalar(
                        select(SessionRow.reel_version).where(SessionRow.id == shown.session_id)
                    ),
                )
            consent = shown.clip_id in touched.get("clip", set())
            return replace(seen, consent=consent, entries=len(entries), started=started)

    @staticmethod
    def _events(db: Any, viewer: str, clip_id: int, ids: set[int]) -> Seen:
        """The touched events (and their moments) of the shown clip the viewer may see."""
        found: list[tuple[int, str, Annotation]] = []
        for chunk in _chunks(ids):
            found += db.execute(
                select(CodingRun.id, Coder.name, Annotation)
                .join(CodingRun, CodingRun.id == Annotation.run_id)
                .join(Coder, Coder.id == CodingRun.coder_id)
                .where(Annotation.id.in_(chunk), CodingRun.clip_id == clip_id)
            ).all()
        stored = {row.id for _, _, row in found}
        for chunk in _chunks(ids - stored):  # on another clip, or gone
            stored |= set(db.scalars(select(Annotation.id).where(Annotation.id.in_(chunk))))
        view = blind_view(db, viewer, [clip_id])
        visible = [(run, row) for run, coder, row in found if not view.hides(run, clip_id, coder)]
        moments: dict[int, Moment] = {}
        for chunk in _chunks(row.id for _, row in visible):
            moments |= {
                m.annotation_id: m
                for m in db.scalars(select(Moment).where(Moment.annotation_id.in_(chunk)))
            }
        events = tuple((run, event_of(row, moments.get(row.id))) for run, row in visible)
        return Seen(events=events, missing=tuple(sorted(ids - stored)))


def _rating_versions(db: Any, run_id: int) -> dict[str, int]:
    """The version of each rated item and grid row of the run (``coding.rating_versions``)."""
    out: dict[str, int] = {}
    for item, version in db.execute(
        select(Rating.item, Rating.version).where(Rating.run_id == run_id)
    ):
        key = row_key(*item.split(GRID_SEP)[:3]) if GRID_SEP in item else item
        out[key] = max(out.get(key, 0), version)
    return out


class _SqliteWait:
    """Whether anything was committed since the last ask (PRAGMA data_version on a
    connection of the watcher's own)."""

    def __init__(self, ws: Workspace) -> None:
        self.conn: Connection = ws.engine.connect()
        self.version = self._version()

    def _version(self) -> int:
        value = int(self.conn.exec_driver_sql("PRAGMA data_version").scalar_one())
        self.conn.rollback()  # (no read transaction held between asks)
        return value

    def wait(self, wake: threading.Event, interval: float) -> bool:
        woke = wake.wait(interval)
        version = self._version()
        changed, self.version = version != self.version, version
        return changed or woke

    def close(self) -> None:
        self.conn.close()


class _PostgresWait:
    """A notification on ``vfa_changes`` (or the interval gone by: a look then finds any
    change whose notification was lost)."""

    SLICE_S = 0.2  # how soon a stop is noticed

    def __init__(self, ws: Workspace) -> None:
        self.conn = ws.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        self.conn.exec_driver_sql(f"LISTEN {CHANNEL}")
        self.driver: Any = self.conn.connection.driver_connection

    def wait(self, wake: threading.Event, interval: float) -> bool:
        waited = 0.0
        while waited < interval and not wake.is_set():
            for _ in self.driver.notifies(timeout=self.SLICE_S, stop_after=1):
                return True
            waited += self.SLICE_S
        return True

    def close(self) -> None:
        try:
            self.conn.exec_driver_sql(f"UNLISTEN {CHANNEL}")
        finally:
            self.conn.close()


class Watcher:
    """Looks for changes on a thread of its own and hands each :class:`Seen` to
    ``deliver`` (on that thread); ``shown`` says what is shown when it looks."""

    def __init__(
        self,
        ws: Workspace,
        shown: Callable[[], Shown],
        deliver: Callable[[Seen], None],
        interval: float = INTERVAL_S,
    ) -> None:
        self.ws, self.shown, self.deliver, self.interval = ws, shown, deliver, interval
        self.feed = Feed(ws)  # from now on (read on the caller's thread)
        self.failure: BaseException | None = None  # why it stopped by itself
        self._wake, self._stop = threading.Event(), threading.Event()
        self._thread = threading.Thread(target=self._run, name="vfa-live-changes", daemon=True)

    def start(self) -> None:
        """Begin watching."""
        self._thread.start()

    def check_now(self) -> None:
        """Look at once (after a stale edit: what made it stale is in the trail)."""
        self._wake.set()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop watching and wait for the thread (its connection closed)."""
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def _run(self) -> None:
        waiter: _SqliteWait | _PostgresWait | None = None
        try:
            postgres = self.ws.engine.dialect.name == "postgresql"
            waiter = _PostgresWait(self.ws) if postgres else _SqliteWait(self.ws)
            while not self._stop.is_set():
                changed = waiter.wait(self._wake, self.interval)
                self._wake.clear()
                if self._stop.is_set():
                    break
                if not changed:
                    continue
                seen = self.feed.look(self.shown())
                if seen is not None and not self._stop.is_set():
                    self.deliver(seen)
        except Exception as exc:  # the workspace closed or the server went away: stop
            self.failure = exc
        finally:
            if waiter is not None:
                with contextlib.suppress(Exception):  # (the connection is gone already)
                    waiter.close()
