"""Timed events of a coding run: coding by hotkey (points, states that start and stop,
moment tags with their spans), deleting, restoring, moving an edge and modifiers, each
one transaction that returns what it replaced, so the UI's undo stays thin. A moment
tag's feedback details travel with its event (``MomentDetail``). Each edit of an event
may say which version of it the caller read (``expected_version``): an edit made on a
copy someone has changed since is refused (``services/versions.py``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Connection, Table, bindparam, exists, insert, select, update
from sqlalchemy.orm import Session as DbSession

from vfa.domain.frames import FrameTable
from vfa.domain.schemes import Scheme
from vfa.errors import InvalidInputError, NotFoundError
from vfa.services.audit import Place, changed, record, run_place
from vfa.services.blind import check_run
from vfa.services.coding import editable_run, refuse_locked
from vfa.services.moment_fields import (
    MomentDetail,
    claim_moment,
    moment_columns,
    put_moment,
    reel_moved,
    stored_detail,
)
from vfa.services.people import ALLOWED, Act
from vfa.services.permissions import not_own_run, role_refusal
from vfa.services.versions import ABSENT, Trail, check, claim, fresh, wrote
from vfa.services.viewer import current_viewer
from vfa.storage.models import Annotation, Clip, Coder, CodingRun, Moment, Role, RunStatus
from vfa.storage.models import Session as SessionRow
from vfa.storage.workspace import Workspace


@dataclass(frozen=True)
class Event:
    """A timed code: [start_ms, end_ms); a point when equal; end None while a state runs."""

    id: int
    code: str
    subject: str | None
    start_ms: int
    end_ms: int | None
    start_frame: int
    end_frame: int | None
    modifiers: dict[str, Any]
    moment: MomentDetail | None = None  # read where one event is read, not in bulk lists
    # the stored event's version when read (not part of what it says)
    version: int = field(default=1, compare=False)


def event_of(row: Annotation, moment: Moment | None = None) -> Event:
    """The event a stored row holds (with its moment's details when given)."""
    return Event(
        row.id,
        row.code,
        row.subject,
        row.start_ms,
        row.end_ms,
        row.start_frame,
        row.end_frame,
        dict(row.modifiers),
        stored_detail(row, moment) if moment is not None else None,
        version=row.version,
    )


def event_trail(event_id: int) -> Trail:
    """How refusals name an event, and where the audit trail keeps its changes."""
    return Trail(f"event {event_id}", ("annotation",), event_id)


def _event_full(db: DbSession, row: Annotation) -> Event:
    """The event with its moment details, when it is a moment."""
    return event_of(row, db.get(Moment, row.id))


def run_events(ws: Workspace, run_id: int, viewer: str | None = None) -> list[Event]:
    """The run's events in time order (read as plain rows: fast for tens of thousands),
    if the blind rule lets ``viewer`` (None: you) see them (BlindError otherwise)."""
    with ws.sessions() as db:
        check_run(db, run_id, viewer)
        rows = db.execute(
            select(
                Annotation.id,
                Annotation.code,
                Annotation.subject,
                Annotation.start_ms,
                Annotation.end_ms,
                Annotation.start_frame,
                Annotation.end_frame,
                Annotation.modifiers,
                Annotation.version,
            )
            .where(Annotation.run_id == run_id)
            .order_by(Annotation.start_ms, Annotation.id)
        ).all()
    return [
        Event(id_, code, subject, start, end, start_frame, end_frame, dict(mods), version=v)
        for id_, code, subject, start, end, start_frame, end_frame, mods, v in rows
    ]


def get_event(ws: Workspace, run_id: int, event_id: int, viewer: str | None = None) -> Event:
    """One event of the run, if the blind rule lets ``viewer`` (None: you) see it."""
    with ws.sessions() as db:
        check_run(db, run_id, viewer)
        row = _run_event(db, run_id, event_id)
        return _event_full(db, row)


def event_spans(
    ws: Workspace, run_id: int, viewer: str | None = None
) -> list[tuple[int, str | None, int, int | None, str]]:
    """(id, subject, start_ms, end_ms, code) of every event: what a timeline draws, read
    without the modifiers (50,000 rows in a fraction of a second), if the blind rule lets
    ``viewer`` (None: you) see them."""
    with ws.sessions() as db:
        check_run(db, run_id, viewer)
    sql = "SELECT id, subject, start_ms, end_ms, code FROM annotation WHERE run_id = {} "
    return _raw_rows(ws, sql + "ORDER BY start_ms, id", run_id)


def event_versions(ws: Workspace, run_id: int, viewer: str | None = None) -> dict[int, int]:
    """Each event's version (what a view holds, so its edits can say which they were
    made on), read as plain rows, if the blind rule lets ``viewer`` see them."""
    with ws.sessions() as db:
        check_run(db, run_id, viewer)
    rows = _raw_rows(ws, "SELECT id, version FROM annotation WHERE run_id = {}", run_id)
    return dict(rows)


def _raw_rows(ws: Workspace, sql: str, run_id: int) -> list[Any]:
    """The driver's own rows for ``sql`` ({} marks the run): no ORM objects, no JSON
    decoding, no row wrappers (50,000 rows in a fraction of a second)."""
    with ws.engine.connect() as conn:
        marker = "?" if conn.dialect.paramstyle == "qmark" else "%s"
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(sql.format(marker), (run_id,))
            return list(cursor.fetchall())
        finally:
            cursor.close()


@dataclass(frozen=True)
class CodedEvent:
    """What a hotkey did: the event made (or the state it stopped), and the open states
    it stopped as they were before (``stopped``) and after (``closed``), for undo."""

    event: Event
    stopped: tuple[Event, ...]
    closed: tuple[Event, ...] = ()
    created: bool = True


def code_event(
    ws: Workspace,
    run_id: int,
    scheme: Scheme,
    code_id: str,
    subject: str | None,
    at_ms: int,
    table: FrameTable,
) -> CodedEvent:
    """Record a code at the frame shown at ``at_ms``: a point, or the start of a state
    (which stops open states of its exclusive group, and itself if already running)."""
    code = scheme.code(code_id)
    if subject is None and code.subjects:
        subject = code.subjects[0]
    if subject is not None and code.subjects and subject not in code.subjects:
        raise InvalidInputError(
            f"code {code_id}: subject {subject!r} is not one of {', '.join(code.subjects)}"
        )
    frame = table.index_at(at_ms)
    pts = table.pts_of(frame)
    ann = Annotation
    cols = (
        ann.id,
        ann.code,
        ann.subject,
        ann.start_ms,
        ann.end_ms,
        ann.start_frame,
        ann.end_frame,
        ann.modifiers,
        ann.version,
    )
    # Core statements in one transaction: a key press is on the hot path of coding
    # (tens of thousands of events per clip), and ORM objects cost more than the commit.
    with ws.write_engine.begin() as conn:
        place = _editable_core(conn, run_id, Act.TAG_MOMENTS if code.moment else Act.CODE)
        stopped: list[Event] = []
        closed: list[Event] = []
        if code.kind == "state":
            same_group = (
                {c.id for c in scheme.ethogram.codes if c.group and c.group == code.group}
                if scheme.ethogram and code.group
                else set()
            )
            running = conn.execute(
                select(*cols)
                .where(
                    ann.run_id == run_id,
                    ann.end_ms.is_(None),
                    ann.subject.is_(None) if subject is None else ann.subject == subject,
                    ann.code.in_({code_id, *same_group}),
                )
                .order_by(ann.id)  # (rows are locked in one order by every writer)
            ).all()
            for row in running:
                id_, code_, subject_, start_, end_, start_f, end_f, mods, v = row
                before = Event(
                    id_, code_, subject_, start_, end_, start_f, end_f, dict(mods or {}), version=v
                )
                end_ms_, end_frame_ = max(pts, before.start_ms), max(frame, before.start_frame)
                # the key press stops the state as stored, so it needs no version from
                # the caller; it raises the state's own (one statement, its new one back)
                version = conn.execute(
                    update(ann)
                    .where(ann.id == before.id)
                    .values(end_ms=end_ms_, end_frame=end_frame_, version=ann.version + 1)
                    .returning(ann.version)
                ).scalar_one()
                after = replace(before, end_ms=end_ms_, end_frame=end_frame_, version=version)
                wrote(("event", before.id), version - 1, version)
                stopped.append(before)
                closed.append(after)
            own = next((c for c in closed if c.code == code_id), None)
            if own is not None:
                # the key toggles its own state off: nothing new starts
                record(conn, "stop", "annotation", own.id, {"at_ms": pts}, **place)
                return CodedEvent(own, tuple(stopped), tuple(closed), created=False)
        start_ms, start_frame = pts, frame
        end_ms: int | None = pts if code.kind != "state" else None
        end_frame: int | None = frame if end_ms is not None else None
        if code.moment and scheme.moments is not None:
            # a moment tag marks a span around the key press, trimmed later
            start_frame = table.index_at(max(0, pts - scheme.moments.before_ms))
            end_frame = table.index_at(pts + scheme.moments.after_ms)
            start_ms, end_ms = table.pts_of(start_frame), table.pts_of(end_frame)
        made = conn.execute(
            _INSERT_EVENT,
            {
                "run_id": run_id,
                "code": code_id,
                "subject": subject,
                "start_ms": start_ms,
                "end_ms": end_ms,
                "start_frame": start_frame,
                "end_frame": end_frame,
                "modifiers": {},
            },
        )
        new_id, version = made.one()
        wrote(("event", new_id), ABSENT, version)
        detail = None
        if code.moment:
            # the frame on screen at the key press is the moment's still until changed
            made_moment = conn.execute(
                _INSERT_MOMENT,
                {"annotation_id": new_id, **moment_columns(MomentDetail(pts, frame))},
            )
            detail = MomentDetail(pts, frame, version=made_moment.scalar_one())
            wrote(("moment", new_id), ABSENT, detail.version)
        record(conn, "code", "annotation", new_id, {"code": code_id, "at_ms": pts}, **place)
        event = Event(
            new_id, code_id, subject, start_ms, end_ms, start_frame, end_frame, {}, detail, version
        )
        return CodedEvent(event, tuple(stopped), tuple(closed))


# built once: a key press only binds its values. A new row starts at version 1 (its id
# was never used before: migration 0008)
_INSERT_EVENT = insert(Annotation).returning(Annotation.id, Annotation.version)
_INSERT_MOMENT = insert(Moment).returning(Moment.version)
# the run's status, its clip and case for the audit entry, its owner, and whether the
# workspace is managed: one statement
_RUN_STATUS = (
    select(
        CodingRun.status,
        CodingRun.clip_id,
        SessionRow.case_id,
        Coder.name,
        Coder.role,
        exists(select(Coder.id).where(Coder.role == Role.ADMIN)),
    )
    .join(Clip, Clip.id == CodingRun.clip_id)
    .join(SessionRow, SessionRow.id == Clip.session_id)
    .join(Coder, Coder.id == CodingRun.coder_id)
    .where(CodingRun.id == bindparam("run_id"))
)


def _editable_core(conn: Connection, run_id: int, act: Act = Act.CODE) -> Place:
    """``editable_run`` for Core callers in one statement: refuse a submitted run, and
    on a managed workspace someone else's run or an act the owner's role does not
    allow; start an assigned one. The run's place for its audit entries."""
    row = conn.execute(_RUN_STATUS, {"run_id": run_id}).first()
    status = refuse_locked(run_id, row[0] if row is not None else None)
    assert row is not None
    if row[5]:  # managed: the person coding is the run's owner, and may do the act
        owner, role, viewer = row[3], Role(row[4]), current_viewer()
        if owner != viewer:
            raise not_own_run(run_id, owner, viewer)
        if role not in ALLOWED[act]:
            raise role_refusal(owner, role, act)
    if status is RunStatus.ASSIGNED:
        conn.execute(
            update(CodingRun).where(CodingRun.id == run_id).values(status=RunStatus.IN_PROGRESS)
        )
    return Place(case_id=row[2], clip_id=row[1], run_id=run_id)


def _run_event(db: DbSession, run_id: int, event_id: int) -> Annotation:
    """The event's row; NotFoundError when it is not one of the run's."""
    row = db.get(Annotation, event_id)
    if row is None or row.run_id != run_id:
        raise NotFoundError(f"event {event_id}: not in coding run {run_id}")
    return row


def _claimed(db: DbSession, run_id: int, event_id: int, expected: int | None) -> Event:
    """Raise the event's version if it is ``expected`` (StaleEditError otherwise; the
    run's edits are already checked): the event as it was, with its version then."""
    table = Annotation.__table__
    assert isinstance(table, Table)
    where = (table.c.id == event_id) & (table.c.run_id == run_id)
    claimed = claim(db, table, where, expected, event_trail(event_id), ("event", event_id))
    if claimed is None:
        raise NotFoundError(f"event {event_id}: not in coding run {run_id}")
    before = _event_full(db, _run_event(db, run_id, event_id))
    return replace(before, version=claimed[0])


def restore_event(
    ws: Workspace,
    run_id: int,
    event: Event,
    expected_version: int | None = None,
    expected_moment_version: int | None = None,
) -> int:
    """Put an event back exactly as it was (undo of a delete, or of a stop, a move, new
    modifiers); returns the version it now has. ``expected_version``: the version of the
    stored event the caller holds (0: the caller holds it deleted, so none may be
    stored); ``expected_moment_version`` likewise for its moment details, checked when
    they are written. None: no check."""
    with ws.writes.begin() as db:
        editable_run(db, run_id)
        row = db.get(Annotation, event.id, with_for_update=True)
        stored = row.version if row is not None else ABSENT
        check(db, stored, expected_version, event_trail(event.id), ("event", event.id))
        if row is None:
            row = Annotation(id=event.id, run_id=run_id, version=fresh(db, event_trail(event.id)))
            db.add(row)
        else:
            row.version = stored + 1
        row.code, row.subject = event.code, event.subject
        row.start_ms, row.start_frame = event.start_ms, event.start_frame
        row.end_ms, row.end_frame = event.end_ms, event.end_frame
        row.modifiers = dict(event.modifiers)
        db.flush()
        put_moment(db, row, event.moment, expected_moment_version)
        record(db, "restore", "annotation", event.id, {}, **run_place(db, run_id))
        wrote(("event", event.id), stored, row.version)
        return row.version


def delete_event(
    ws: Workspace, run_id: int, event_id: int, expected_version: int | None = None
) -> Event:
    """Delete an event (made on ``expected_version``, None: whatever it is); returns it
    for undo."""
    with ws.writes.begin() as db:
        editable_run(db, run_id)
        before = _claimed(db, run_id, event_id, expected_version)
        row = db.get_one(Annotation, event_id)
        if before.moment is not None:  # (its moment row goes with it)
            wrote(("moment", event_id), before.moment.version, ABSENT)
            flag = (before.moment.feedback, before.moment.reel_position)
            reel_moved(db, row, flag, None)
        db.delete(row)
        record(db, "delete", "annotation", event_id, {"code": before.code}, **run_place(db, run_id))
        wrote(("event", event_id), before.version + 1, ABSENT)  # (claimed: raised, then gone)
        return before


def move_event(
    ws: Workspace,
    run_id: int,
    event_id: int,
    start_ms: int,
    end_ms: int | None,
    table: FrameTable,
    expected_version: int | None = None,
) -> Event:
    """Set an event's span, snapped to frames (the frame shown at each time); returns the
    previous event. ``expected_version``: the version the span was seen at (None: any)."""
    with ws.writes.begin() as db:
        editable_run(db, run_id)
        before = _claimed(db, run_id, event_id, expected_version)
        row = db.get_one(Annotation, event_id)
        start_frame = table.index_at(start_ms)
        row.start_ms, row.start_frame = table.pts_of(start_frame), start_frame
        if end_ms is not None:
            end_frame = max(table.index_at(end_ms), start_frame)
            row.end_ms, row.end_frame = table.pts_of(end_frame), end_frame
        moment = db.get(Moment, event_id)
        if moment is not None:
            # the key frame (the still) stays inside the trimmed span
            last = row.end_frame if row.end_frame is not None else row.start_frame
            key = min(max(moment.key_frame, row.start_frame), last)
            if key != moment.key_frame:
                moment.key_frame, moment.key_ms = key, table.pts_of(key)
                claim_moment(db, event_id)
        record(
            db,
            "move",
            "annotation",
            event_id,
            changed([before.start_ms, before.end_ms], [row.start_ms, row.end_ms]),
            **run_place(db, run_id),
        )
        return before


def set_modifiers(
    ws: Workspace,
    run_id: int,
    scheme: Scheme,
    event_id: int,
    modifiers: Mapping[str, str],
    expected_version: int | None = None,
) -> Event:
    """Replace an event's modifiers (each from its code's options); returns the previous.
    ``expected_version``: the version they were chosen on (None: any)."""
    with ws.writes.begin() as db:
        editable_run(db, run_id)
        row = _run_event(db, run_id, event_id)
        allowed = {m.id: m for m in scheme.code(row.code).modifiers}
        for key, value in modifiers.items():
            if key not in allowed or value not in allowed[key].options:
                raise InvalidInputError(
                    f"event {event_id} ({row.code}): modifier {key}={value!r} is not one of "
                    + "; ".join(f"{m.id}: {', '.join(m.options)}" for m in allowed.values())
                )
        before = _claimed(db, run_id, event_id, expected_version)
        row.modifiers = dict(modifiers)
        detail = changed(before.modifiers, dict(modifiers))
        record(db, "modify", "annotation", event_id, detail, **run_place(db, run_id))
        return before
