"""Writing a merge's runs: a run new here is added with its events, moments and ratings;
a run whose other side is taken gets that side's content event by event (an event the
same on both sides keeps its id here, the others are removed or added), its ratings item
by item, and its status. Moments for feedback that arrive go after the reel's moments
here, in their order there; every reel that changes gets a new version.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from vfa.errors import InvalidInputError
from vfa.services.merge_content import EventRow, RatingRow, RunContent, mapped_evidence
from vfa.services.merge_read import Row
from vfa.storage.models import Annotation, Clip, CodingRun, Moment, Rating, Session

BATCH = 5_000  # events in one executemany


def new_ids(conn: Connection, table: Any, rows: list[Row]) -> list[int]:
    """Insert rows; their new ids in the order given."""
    if not rows:
        return []
    stmt = insert(table).returning(table.id, sort_by_parameter_order=True)
    return [int(i) for i in conn.execute(stmt, rows).scalars()]


def new_event_ids(conn: Connection, run_id: int, rows: list[Row]) -> list[int]:
    """Insert a run's events (plain executemany: many thousands at once); their new ids in
    the order given. Ids ascend in insertion order (SQLite's rowid past the largest, a
    sequence) and this transaction holds the write lock, so the run's ids above the
    largest before are these rows, in order."""
    if not rows:
        return []
    before = conn.scalar(select(func.max(Annotation.id))) or 0
    for first in range(0, len(rows), BATCH):
        conn.execute(insert(Annotation), rows[first : first + BATCH])
    made = conn.scalars(
        select(Annotation.id)
        .where(Annotation.run_id == run_id, Annotation.id > before)
        .order_by(Annotation.id)
    ).all()
    if len(made) != len(rows):
        raise InvalidInputError(
            f"coding run {run_id}: {len(made)} events stored, {len(rows)} given"
        )
    return [int(i) for i in made]


def without(row: Row, *names: str) -> Row:
    """The row without these columns."""
    return {k: v for k, v in row.items() if k not in names}


class RunWriter:
    """Writes runs' content here; remembers which of the other side's events and runs are
    which here (for the audit trail's ids)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.events: dict[int, int] = {}  # other event id -> here
        self.reel: list[tuple[int, int, int]] = []  # (session here, place there, event here)
        self.reels_changed: set[int] = set()
        # ratings wait until every run's events are here: they may cite another run's
        self.ratings: list[tuple[int, RunContent, Mapping[str, RatingRow]]] = []

    def add(self, row: Row, theirs: RunContent, session: int) -> int:
        """A new run (``row``: its columns, ids already this workspace's); its id."""
        run_id = new_ids(self.conn, CodingRun, [without(row, "id")])[0]
        self._insert_events(run_id, theirs.events, session)
        self.ratings.append((run_id, theirs, {}))
        return run_id

    def take(
        self, run_id: int, row: Row, theirs: RunContent, ours: RunContent, session: int
    ) -> None:
        """Put the other side's content (and status) in place of this run's."""
        left = self.pair(theirs, ours)
        if any(e.moment is not None and e.moment["feedback"] for e in left):
            self.reels_changed.add(session)
        gone = [e.id for e in left]
        for part in range(0, len(gone), 500):
            chunk = gone[part : part + 500]
            self.conn.execute(delete(Moment).where(Moment.annotation_id.in_(chunk)))
            self.conn.execute(delete(Annotation).where(Annotation.id.in_(chunk)))
        arriving = [e for e in theirs.events if e.id not in self.events]
        self._insert_events(run_id, arriving, session)
        self.ratings.append((run_id, theirs, ours.ratings))
        self.conn.execute(
            update(CodingRun)
            .where(CodingRun.id == run_id)
            .values(status=row["status"], submitted_at=row["submitted_at"])
        )

    def pair(self, theirs: RunContent, ours: RunContent) -> list[EventRow]:
        """Pair their events with equal ones of ours (noting their id -> ours); the events
        of ours left over."""
        free: dict[str, list[EventRow]] = {}
        for event in ours.events:
            free.setdefault(event.key, []).append(event)
        for event in theirs.events:
            same = free.get(event.key)
            if same:
                self.events[event.id] = same.pop(0).id
        return [e for found in free.values() for e in found]

    def _insert_events(self, run_id: int, events: list[EventRow], session: int) -> None:
        ids = new_event_ids(self.conn, run_id, [{**e.columns, "run_id": run_id} for e in events])
        moments = []
        for event, new in zip(events, ids, strict=True):
            self.events[event.id] = new
            if event.moment is None:
                continue
            moments.append({**event.moment, "annotation_id": new, "reel_position": None})
            if event.moment["reel_position"] is not None:
                self.reel.append((session, event.moment["reel_position"], new))
        if moments:
            self.conn.execute(insert(Moment), moments)

    def finish_ratings(self) -> None:
        """Write the ratings of the runs added or taken, their evidence as ids here."""
        for run_id, theirs, ours in self.ratings:
            self._put_ratings(run_id, theirs, ours)

    def _put_ratings(self, run_id: int, theirs: RunContent, ours: Mapping[str, RatingRow]) -> None:
        new = []
        for item, rating in theirs.ratings.items():
            values = {
                "value": rating.value,
                "special": rating.special,
                "note": rating.note,
                "evidence": mapped_evidence(rating.evidence, self.events),
            }
            old = ours.get(item)
            if old is None:
                new.append({"run_id": run_id, "item": item, **values})
            elif (old.value, old.special, old.note, old.evidence) != tuple(values.values()):
                self.conn.execute(
                    update(Rating)
                    .where(Rating.run_id == run_id, Rating.item == item)
                    .values(**values, version=Rating.version + 1)
                )
        gone = sorted(set(ours) - set(theirs.ratings))
        if gone:
            self.conn.execute(delete(Rating).where(Rating.run_id == run_id, Rating.item.in_(gone)))
        if new:
            self.conn.execute(insert(Rating), new)

    def finish_reels(self) -> None:
        """Place the moments for feedback that arrived; new versions of changed reels."""
        by_session: dict[int, list[tuple[int, int]]] = {}
        for session, place, event in self.reel:
            by_session.setdefault(session, []).append((place, event))
        for session, moments in by_session.items():
            top = self.conn.scalar(
                select(func.max(Moment.reel_position))
                .join(Annotation, Annotation.id == Moment.annotation_id)
                .join(CodingRun, CodingRun.id == Annotation.run_id)
                .join(Clip, Clip.id == CodingRun.clip_id)
                .where(Clip.session_id == session)
            )
            for n, (_place, event) in enumerate(sorted(moments), start=(top or 0) + 1):
                self.conn.execute(
                    update(Moment).where(Moment.annotation_id == event).values(reel_position=n)
                )
            self.reels_changed.add(session)
        for session in sorted(self.reels_changed):
            self.conn.execute(
                update(Session)
                .where(Session.id == session)
                .values(reel_version=Session.reel_version + 1)
            )
