"""Coding runs: ratings, grid points and timed events, each edit one transaction.

Every edit returns what is needed to reverse it, so the UI's undo stack stays thin.
A submitted run is locked: edits are refused until it is reopened with a reason, which
the audit trail keeps.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Connection, bindparam, delete, insert, select, update
from sqlalchemy.orm import Session as DbSession

from vfa.domain.frames import FrameTable
from vfa.domain.schemes import Scheme
from vfa.domain.scoring import RatingValue, ScoreResult, check_grid_row, check_rating, score
from vfa.errors import InvalidInputError, NotFoundError
from vfa.services.audit import current_actor, record
from vfa.services.schemes import register_scheme
from vfa.storage.models import (
    Annotation,
    AuditEntry,
    Clip,
    Coder,
    CodingRun,
    Moment,
    Rating,
    Role,
    RunStatus,
)
from vfa.storage.workspace import Workspace

GRID_SEP = "/"


class RunLockedError(InvalidInputError):
    """The run was submitted; it must be reopened (with a reason) before it changes."""


@dataclass(frozen=True)
class RunInfo:
    id: int
    clip_id: int
    scheme_row: int
    scheme_id: str
    scheme_version: str
    coder: str
    status: RunStatus


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


@dataclass(frozen=True)
class MomentDetail:
    """A moment tag's feedback details, kept with its event so undo restores them."""

    key_ms: int
    key_frame: int
    extra_tags: tuple[str, ...] = ()
    caption: str | None = None
    child_line: str | None = None
    comment: str | None = None
    feedback: bool = False
    reel_position: int | None = None


@dataclass(frozen=True)
class RatingState:
    """One item's stored rating (value, special code or nothing), note and evidence."""

    value: RatingValue | None
    note: str | None
    evidence: tuple[int, ...]


# -- coders and runs ----------------------------------------------------------


def ensure_coder(ws: Workspace, name: str, role: Role = Role.CODER) -> int:
    """The coder's id, creating them on first use."""
    name = name.strip()
    if not name:
        raise InvalidInputError("coder: give a name (Settings → Coder)")
    with ws.sessions.begin() as db:
        coder = db.scalar(select(Coder).where(Coder.name == name))
        if coder is None:
            coder = Coder(name=name, role=role)
            db.add(coder)
            db.flush()
            record(db, "create", "coder", coder.id, {"name": name, "role": role.value})
        return coder.id


def open_run(ws: Workspace, clip_id: int, scheme: Scheme, coder_name: str) -> RunInfo:
    """The coder's run of this clip with this scheme (version and content), made if new."""
    coder_id = ensure_coder(ws, coder_name)
    scheme_row = register_scheme(ws, scheme)
    with ws.sessions.begin() as db:
        if db.get(Clip, clip_id) is None:
            raise NotFoundError(f"clip {clip_id}: no such clip in {ws.label}")
        run = db.scalar(
            select(CodingRun).where(
                CodingRun.clip_id == clip_id,
                CodingRun.scheme_id == scheme_row,
                CodingRun.coder_id == coder_id,
            )
        )
        if run is None:
            run = CodingRun(clip_id=clip_id, scheme_id=scheme_row, coder_id=coder_id)
            db.add(run)
            db.flush()
            record(
                db,
                "create",
                "coding_run",
                run.id,
                {"clip": clip_id, "scheme": scheme.id, "version": scheme.version},
                actor=coder_name,
            )
        return _info(db, run)


def run_info(ws: Workspace, run_id: int) -> RunInfo:
    with ws.sessions() as db:
        return _info(db, _run(db, run_id))


def _info(db: DbSession, run: CodingRun) -> RunInfo:
    from vfa.storage.models import Scheme as SchemeRow

    scheme = db.get_one(SchemeRow, run.scheme_id)
    coder = db.get_one(Coder, run.coder_id)
    return RunInfo(
        run.id, run.clip_id, scheme.id, scheme.scheme_key, scheme.version, coder.name, run.status
    )


def _run(db: DbSession, run_id: int) -> CodingRun:
    run = db.get(CodingRun, run_id)
    if run is None:
        raise NotFoundError(f"coding run {run_id}: no such run")
    return run


def _editable(db: DbSession, run_id: int) -> CodingRun:
    """The run, moved to in-progress on its first edit; refused when submitted."""
    run = _run(db, run_id)
    if run.status is RunStatus.SUBMITTED:
        raise RunLockedError(
            f"coding run {run_id} was submitted and is locked; reopen it (with a reason) "
            "to change it"
        )
    if run.status is RunStatus.ASSIGNED:
        run.status = RunStatus.IN_PROGRESS
    return run


def check_editable(ws: Workspace, run_id: int) -> None:
    """Raise RunLockedError when the run is submitted (before an edit is attempted)."""
    with ws.sessions() as db:
        run = _run(db, run_id)
        if run.status is RunStatus.SUBMITTED:
            raise RunLockedError(
                f"coding run {run_id} was submitted and is locked; reopen it (with a reason) "
                "to change it"
            )


def submit_run(ws: Workspace, run_id: int, actor: str | None = None) -> None:
    """Lock the run as finished."""
    with ws.sessions.begin() as db:
        run = _run(db, run_id)
        if run.status is RunStatus.SUBMITTED:
            return
        run.status = RunStatus.SUBMITTED
        run.submitted_at = dt.datetime.now(dt.UTC)
        record(db, "submit", "coding_run", run_id, {}, actor=actor)


def reopen_run(ws: Workspace, run_id: int, reason: str, actor: str | None = None) -> None:
    """Unlock a submitted run; the reason goes into the audit trail."""
    if not reason.strip():
        raise InvalidInputError("reopening a submitted run needs a reason")
    with ws.sessions.begin() as db:
        run = _run(db, run_id)
        if run.status is not RunStatus.SUBMITTED:
            raise InvalidInputError(f"coding run {run_id} is not submitted")
        run.status = RunStatus.IN_PROGRESS
        run.submitted_at = None
        record(db, "reopen", "coding_run", run_id, {"reason": reason.strip()}, actor=actor)


# -- ratings --------------------------------------------------------------------


def _rating_row(db: DbSession, run_id: int, item: str) -> Rating | None:
    return db.scalar(select(Rating).where(Rating.run_id == run_id, Rating.item == item))


def _state(row: Rating | None) -> RatingState:
    if row is None:
        return RatingState(None, None, ())
    value: RatingValue | None = (
        row.special if row.special else (int(row.value) if row.value is not None else None)
    )
    return RatingState(value, row.note, tuple(row.evidence.get("annotations", [])))


def _write_state(db: DbSession, run_id: int, item: str, state: RatingState) -> None:
    row = _rating_row(db, run_id, item)
    if state == RatingState(None, None, ()):
        if row is not None:
            db.delete(row)
        return
    if row is None:
        row = Rating(run_id=run_id, item=item)
        db.add(row)
    row.special = state.value if isinstance(state.value, str) else None
    row.value = float(state.value) if isinstance(state.value, int) else None
    row.note = state.note
    row.evidence = {"annotations": list(state.evidence)}


def rating_state(ws: Workspace, run_id: int, item: str) -> RatingState:
    with ws.sessions() as db:
        return _state(_rating_row(db, run_id, item))


def set_rating_state(
    ws: Workspace, run_id: int, item: str, state: RatingState, scheme: Scheme | None = None
) -> RatingState:
    """Store an item's whole state (used by set_rating, notes, evidence and undo);
    returns the previous state."""
    if scheme is not None and state.value is not None and GRID_SEP not in item:
        check_rating(scheme, item, state.value)
    with ws.sessions.begin() as db:
        _editable(db, run_id)
        before = _state(_rating_row(db, run_id, item))
        _write_state(db, run_id, item, state)
        record(
            db,
            "rate",
            "coding_run",
            run_id,
            {"item": item, "from": _jsonable(before), "to": _jsonable(state)},
        )
        return before


def set_rating(
    ws: Workspace, run_id: int, scheme: Scheme, item: str, value: RatingValue | None
) -> RatingState:
    """Rate an item (a scale point or a special code; None clears); returns the previous."""
    before = rating_state(ws, run_id, item)
    return set_rating_state(
        ws, run_id, item, RatingState(value, before.note, before.evidence), scheme
    )


def set_note(ws: Workspace, run_id: int, item: str, note: str | None) -> RatingState:
    before = rating_state(ws, run_id, item)
    return set_rating_state(
        ws, run_id, item, RatingState(before.value, note or None, before.evidence)
    )


def link_evidence(ws: Workspace, run_id: int, item: str, annotation_id: int) -> RatingState:
    """Link a moment on the timeline to the rating as its evidence."""
    before = rating_state(ws, run_id, item)
    evidence = tuple(dict.fromkeys((*before.evidence, annotation_id)))
    return set_rating_state(ws, run_id, item, RatingState(before.value, before.note, evidence))


def grid_key(grid: str, row: str, member: str, scale: str) -> str:
    return GRID_SEP.join((grid, row, member, scale))


def set_grid_row(
    ws: Workspace,
    run_id: int,
    scheme: Scheme,
    grid_id: str,
    row_id: str,
    member_id: str,
    points: Mapping[str, int],
) -> dict[str, int]:
    """Store one grid row's points for one member (they must add up); returns the previous."""
    grid = next((g for g in scheme.grids if g.id == grid_id), None)
    if grid is None:
        raise InvalidInputError(f"grid {grid_id!r} is not in scheme {scheme.id}")
    check_grid_row(grid, row_id, member_id, points)
    member = next(m for m in grid.members if m.id == member_id)
    with ws.sessions.begin() as db:
        _editable(db, run_id)
        before: dict[str, int] = {}
        for scale in member.scales:
            key = grid_key(grid_id, row_id, member_id, scale.id)
            row = _rating_row(db, run_id, key)
            if row is not None and row.value is not None:
                before[scale.id] = int(row.value)
            _write_state(db, run_id, key, RatingState(points.get(scale.id, 0), None, ()))
        record(
            db,
            "grid",
            "coding_run",
            run_id,
            {
                "grid": grid_id,
                "row": row_id,
                "member": member_id,
                "from": before,
                "to": dict(points),
            },
        )
        return before


def clear_grid_row(
    ws: Workspace, run_id: int, scheme: Scheme, grid_id: str, row_id: str, member_id: str
) -> None:
    """Remove a row's points (undo of a first entry)."""
    grid = next(g for g in scheme.grids if g.id == grid_id)
    member = next(m for m in grid.members if m.id == member_id)
    with ws.sessions.begin() as db:
        _editable(db, run_id)
        keys = [grid_key(grid_id, row_id, member_id, s.id) for s in member.scales]
        db.execute(delete(Rating).where(Rating.run_id == run_id, Rating.item.in_(keys)))


def ratings(ws: Workspace, run_id: int) -> dict[str, RatingState]:
    """Every stored item and grid cell of the run."""
    with ws.sessions() as db:
        rows = db.scalars(select(Rating).where(Rating.run_id == run_id)).all()
        return {row.item: _state(row) for row in rows}


def grid_points(
    states: Mapping[str, RatingState],
) -> dict[str, dict[str, dict[str, dict[str, int]]]]:
    """grid -> row -> member -> scale -> points, from the run's stored cells."""
    out: dict[str, dict[str, dict[str, dict[str, int]]]] = {}
    for key, state in states.items():
        if GRID_SEP in key and isinstance(state.value, int):
            grid, row, member, scale = key.split(GRID_SEP)
            out.setdefault(grid, {}).setdefault(row, {}).setdefault(member, {})[scale] = state.value
    return out


def run_score(ws: Workspace, run_id: int, scheme: Scheme) -> ScoreResult:
    """The scheme's total, band and missing items for the run as it stands."""
    states = ratings(ws, run_id)
    values = {k: s.value for k, s in states.items() if GRID_SEP not in k and s.value is not None}
    return score(scheme, values, grid_points(states))


# -- timed events -------------------------------------------------------------------


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
    detail = MomentDetail(
        moment.key_ms,
        moment.key_frame,
        tuple(moment.tags.get("extra", [])),
        row.caption,
        moment.child_line,
        moment.comment,
        moment.feedback,
        moment.reel_position,
    )
    return replace(_event(row), moment=detail)


def _put_moment(db: DbSession, row: Annotation, detail: MomentDetail | None) -> None:
    """Store (or remove) the moment details of an annotation, exactly as given."""
    moment = db.get(Moment, row.id)
    if detail is None:
        if moment is not None:
            db.delete(moment)
        return
    if moment is None:
        moment = Moment(annotation_id=row.id)
        db.add(moment)
    moment.key_ms, moment.key_frame = detail.key_ms, detail.key_frame
    moment.tags = {"extra": list(detail.extra_tags)}
    moment.child_line, moment.comment = detail.child_line, detail.comment
    moment.feedback, moment.reel_position = detail.feedback, detail.reel_position
    row.caption = detail.caption


def events(ws: Workspace, run_id: int) -> list[Event]:
    """The run's events in time order (read as plain rows: fast for tens of thousands)."""
    with ws.sessions() as db:
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


def get_event(ws: Workspace, run_id: int, event_id: int) -> Event:
    """One event of the run."""
    with ws.sessions() as db:
        row = db.get(Annotation, event_id)
        if row is None or row.run_id != run_id:
            raise NotFoundError(f"event {event_id}: not in coding run {run_id}")
        return _event_full(db, row)


def event_spans(ws: Workspace, run_id: int) -> list[tuple[int, str | None, int, int | None, str]]:
    """(id, subject, start_ms, end_ms, code) of every event: what a timeline draws, read
    without the modifiers (50,000 rows in a fraction of a second)."""
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
    with ws.engine.begin() as conn:
        _editable_core(conn, run_id)
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
                _record_core(conn, "stop", own.id, {"at_ms": pts})
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
            conn.execute(
                _INSERT_MOMENT,
                {
                    "annotation_id": new_id,
                    "key_ms": pts,
                    "key_frame": frame,
                    "tags": {"extra": []},
                    "feedback": False,
                },
            )
        _record_core(conn, "code", new_id, {"code": code_id, "at_ms": pts})
        event = Event(
            new_id, code_id, subject, start_ms, end_ms, start_frame, end_frame, {}, detail
        )
        return CodedEvent(event, tuple(stopped), tuple(closed))


# built once: a key press only binds its values
_INSERT_EVENT = insert(Annotation)
_INSERT_AUDIT = insert(AuditEntry)
_INSERT_MOMENT = insert(Moment)
_RUN_STATUS = select(CodingRun.status).where(CodingRun.id == bindparam("run_id"))


def _editable_core(conn: Connection, run_id: int) -> None:
    """``_editable`` for Core callers: refuse a submitted run, start an assigned one."""
    status = conn.execute(_RUN_STATUS, {"run_id": run_id}).scalar_one_or_none()
    if status is None:
        raise NotFoundError(f"coding run {run_id}: no such run")
    if RunStatus(status) is RunStatus.SUBMITTED:
        raise RunLockedError(
            f"coding run {run_id} was submitted and is locked; reopen it (with a reason) "
            "to change it"
        )
    if RunStatus(status) is RunStatus.ASSIGNED:
        conn.execute(
            update(CodingRun).where(CodingRun.id == run_id).values(status=RunStatus.IN_PROGRESS)
        )


def _record_core(conn: Connection, action: str, entity_id: int, detail: dict[str, Any]) -> None:
    conn.execute(
        _INSERT_AUDIT,
        {
            "actor": current_actor(),
            "action": action,
            "entity": "annotation",
            "entity_id": entity_id,
            "detail": detail,
        },
    )


def _close(row: Annotation, pts: int, frame: int) -> None:
    row.end_ms = max(pts, row.start_ms)
    row.end_frame = max(frame, row.start_frame)


def restore_event(ws: Workspace, run_id: int, event: Event) -> None:
    """Put an event back exactly as it was (undo of a delete, or of a stop)."""
    with ws.sessions.begin() as db:
        _editable(db, run_id)
        row = db.get(Annotation, event.id)
        if row is None:
            row = Annotation(id=event.id, run_id=run_id)
            db.add(row)
        row.code, row.subject = event.code, event.subject
        row.start_ms, row.start_frame = event.start_ms, event.start_frame
        row.end_ms, row.end_frame = event.end_ms, event.end_frame
        row.modifiers = dict(event.modifiers)
        db.flush()
        _put_moment(db, row, event.moment)
        record(db, "restore", "annotation", event.id, {})


def delete_event(ws: Workspace, run_id: int, event_id: int) -> Event:
    """Delete an event; returns it for undo."""
    with ws.sessions.begin() as db:
        _editable(db, run_id)
        row = db.get(Annotation, event_id)
        if row is None or row.run_id != run_id:
            raise NotFoundError(f"event {event_id}: not in coding run {run_id}")
        before = _event_full(db, row)
        db.delete(row)
        record(db, "delete", "annotation", event_id, {"code": before.code})
        return before


def move_event(
    ws: Workspace, run_id: int, event_id: int, start_ms: int, end_ms: int | None, table: FrameTable
) -> Event:
    """Set an event's span, snapped to frames (the frame shown at each time); returns the
    previous event."""
    with ws.sessions.begin() as db:
        _editable(db, run_id)
        row = db.get(Annotation, event_id)
        if row is None or row.run_id != run_id:
            raise NotFoundError(f"event {event_id}: not in coding run {run_id}")
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
            {"from": [before.start_ms, before.end_ms], "to": [row.start_ms, row.end_ms]},
        )
        return before


def set_modifiers(
    ws: Workspace, run_id: int, scheme: Scheme, event_id: int, modifiers: Mapping[str, str]
) -> Event:
    """Replace an event's modifiers (each from its code's options); returns the previous."""
    with ws.sessions.begin() as db:
        _editable(db, run_id)
        row = db.get(Annotation, event_id)
        if row is None or row.run_id != run_id:
            raise NotFoundError(f"event {event_id}: not in coding run {run_id}")
        allowed = {m.id: m for m in scheme.code(row.code).modifiers}
        for key, value in modifiers.items():
            if key not in allowed or value not in allowed[key].options:
                raise InvalidInputError(
                    f"event {event_id} ({row.code}): modifier {key}={value!r} is not one of "
                    + "; ".join(f"{m.id}: {', '.join(m.options)}" for m in allowed.values())
                )
        before = _event_full(db, row)
        row.modifiers = dict(modifiers)
        record(db, "modify", "annotation", event_id, {"to": dict(modifiers)})
        return before


def _jsonable(state: RatingState) -> dict[str, Any]:
    return {"value": state.value, "note": state.note, "evidence": list(state.evidence)}
