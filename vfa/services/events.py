"""Timed events of a coding run: coding by hotkey (points, states that start and stop,
moment tags with their spans), deleting, restoring, moving an edge and modifiers, each
one transaction that returns what it replaced, so the UI's undo stays thin. A moment
tag's feedback details travel with its event (``MomentDetail``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Connection, bindparam, exists, insert, select, update
from sqlalchemy.orm import Session as DbSession

from vfa.domain.frames import FrameTable
from vfa.domain.schemes import Scheme
from vfa.errors import InvalidInputError, NotFoundError
from vfa.services.audit import Place, changed, record, run_place
from vfa.services.blind import check_run
from vfa.services.coding import editable_run, refuse_locked
from vfa.services.moment_fields import MomentDetail, moment_columns, put_moment, stored_detail
from vfa.services.people import ALLOWED, Act
from vfa.services.permissions import not_own_run, role_refusal
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


def _event(row: Annotation) -> Event:
    return Event(
        row.id,
        row.code,
        row.subject,
        row.start_ms,
        row.end_ms,
        row.start_frame,
        row.end_frame,
        dict(row.modifiers),
    )


def _event_full(db: DbSession, row: Annotation) -> Event:
    """The event with its moment details, when it is a moment."""
    moment = db.get(Moment, row.id)
    if moment is None:
        return _event(row)
    return replace(_event(row), moment=stored_detail(row, moment))


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
            )
            .where(Annotation.run_id == run_id)
            .order_by(Annotation.start_ms, Annotation.id)
        ).all()
    return [
        Event(id_, code, subject, start, end, start_frame, end_frame, dict(mods))
        for id_, code, subject, start, end, start_frame, end_frame, mods in rows
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
    sql += "ORDER BY start_ms, id"
    with ws.engine.connect() as conn:
        # the driver's own rows: no ORM objects, no JSON decoding, no row wrappers
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
                select(*cols).where(
                    ann.run_id == run_id,
                    ann.end_ms.is_(None),
                    ann.subject.is_(None) if subject is None else ann.subject == subject,
                    ann.code.in_({code_id, *same_group}),
                )
            ).all()
            for row in running:
                id_, code_, subject_, start_, end_, start_f, end_f, mods = row
                before = Event(id_, code_, subject_, start_, end_, start_f, end_f, dict(mods or {}))
                after = Event(
                    before.id,
                    before.code,
                    before.subject,
                    before.start_ms,
                    max(pts, before.start_ms),
                    before.start_frame,
                    max(frame, before.start_frame),
                    before.modifiers,
                )
                conn.execute(
                    update(ann)
                    .where(ann.id == before.id)
                    .values(end_ms=after.end_ms, end_frame=after.end_frame)
                )
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
        key = made.inserted_primary_key
        assert key is not None
        new_id = int(key[0])
        detail = None
        if code.moment:
            # the frame on screen at the key press is the moment's still until changed
            detail = MomentDetail(pts, frame)
            conn.execute(_INSERT_MOMENT, {"annotation_id": new_id, **moment_columns(detail)})
        record(conn, "code", "annotation", new_id, {"code": code_id, "at_ms": pts}, **place)
        event = Event(
            new_id, code_id, subject, start_ms, end_ms, start_frame, end_frame, {}, detail
        )
        return CodedEvent(event, tuple(stopped), tuple(closed))


# built once: a key press only binds its values
_INSERT_EVENT = insert(Annotation)
_INSERT_MOMENT = insert(Moment)
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


def restore_event(ws: Workspace, run_id: int, event: Event) -> None:
    """Put an event back exactly as it was (undo of a delete, or of a stop)."""
    with ws.writes.begin() as db:
        editable_run(db, run_id)
        row = db.get(Annotation, event.id)
        if row is None:
            row = Annotation(id=event.id, run_id=run_id)
            db.add(row)
        row.code, row.subject = event.code, event.subject
        row.start_ms, row.start_frame = event.start_ms, event.start_frame
        row.end_ms, row.end_frame = event.end_ms, event.end_frame
        row.modifiers = dict(event.modifiers)
        db.flush()
        put_moment(db, row, event.moment)
        record(db, "restore", "annotation", event.id, {}, **run_place(db, run_id))


def delete_event(ws: Workspace, run_id: int, event_id: int) -> Event:
    """Delete an event; returns it for undo."""
    with ws.writes.begin() as db:
        editable_run(db, run_id)
        row = _run_event(db, run_id, event_id)
        before = _event_full(db, row)
        db.delete(row)
        record(db, "delete", "annotation", event_id, {"code": before.code}, **run_place(db, run_id))
        return before


def move_event(
    ws: Workspace, run_id: int, event_id: int, start_ms: int, end_ms: int | None, table: FrameTable
) -> Event:
    """Set an event's span, snapped to frames (the frame shown at each time); returns the
    previous event."""
    with ws.writes.begin() as db:
        editable_run(db, run_id)
        row = _run_event(db, run_id, event_id)
        before = _event_full(db, row)
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
            moment.key_frame, moment.key_ms = key, table.pts_of(key)
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
    ws: Workspace, run_id: int, scheme: Scheme, event_id: int, modifiers: Mapping[str, str]
) -> Event:
    """Replace an event's modifiers (each from its code's options); returns the previous."""
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
        before = _event_full(db, row)
        row.modifiers = dict(modifiers)
        detail = changed(before.modifiers, dict(modifiers))
        record(db, "modify", "annotation", event_id, detail, **run_place(db, run_id))
        return before
