"""Coding runs: ratings, grid points and timed events, each edit one transaction.

Every edit returns what is needed to reverse it, so the UI's undo stack stays thin.
A submitted run is locked: edits are refused until it is reopened with a reason, which
the audit trail keeps. A rating (and a grid row) has a version: an edit may say which
one it was made on (``expected_version``) and is refused when someone changed it since
(``services/versions.py``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session as DbSession

from vfa.domain.schemes import Scheme
from vfa.domain.scoring import RatingValue, ScoreResult, check_grid_row, check_rating, score
from vfa.errors import InvalidInputError, NotFoundError
from vfa.services.audit import changed, record, run_place
from vfa.services.blind import check_run
from vfa.services.people import Act, require
from vfa.services.permissions import check_coding_as, check_own_run, refuse_stranger
from vfa.services.rating_keys import GRID_SEP as GRID_SEP  # (re-exported, as below)
from vfa.services.rating_keys import grid_key as grid_key
from vfa.services.rating_keys import locked_rows, made_meanwhile
from vfa.services.rating_keys import rating_trail as rating_trail
from vfa.services.rating_keys import rating_versions as rating_versions
from vfa.services.rating_keys import row_key as row_key
from vfa.services.schemes import register_scheme
from vfa.services.versions import ABSENT, Key, check, fresh, wrote
from vfa.storage.models import (
    Clip,
    Coder,
    CodingRun,
    Rating,
    Role,
    RunStatus,
)
from vfa.storage.workspace import Workspace


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
class RatingState:
    """One item's stored rating (value, special code or nothing), note and evidence."""

    value: RatingValue | None
    note: str | None
    evidence: tuple[int, ...]
    # the stored row's version when read (0: none stored); not part of what it says
    version: int = field(default=0, compare=False)


# -- coders and runs ----------------------------------------------------------


def ensure_coder(ws: Workspace, name: str, role: Role = Role.CODER) -> int:
    """The coder's id, creating them on first use."""
    name = name.strip()
    if not name:
        raise InvalidInputError("coder: give a name (the Coder in File → Settings…)")
    with ws.writes.begin() as db:
        return coder_row(db, name, role)[0]


def coder_row(db: DbSession, name: str, role: Role = Role.CODER) -> tuple[int, bool]:
    """The coder's id, and whether this made them (audited) in the caller's transaction;
    a managed workspace refuses a name that is not one of its people instead."""
    coder = db.scalar(select(Coder).where(Coder.name == name))
    if coder is not None:
        return coder.id, False
    refuse_stranger(db, name)
    coder = Coder(name=name, role=role)
    db.add(coder)
    db.flush()
    record(db, "create", "coder", coder.id, {"name": name, "role": role.value})
    return coder.id, True


def open_run(ws: Workspace, clip_id: int, scheme: Scheme, coder_name: str) -> RunInfo:
    """The coder's run of this clip with this scheme (version and content), made if new:
    called for an edit (the first rating, event or note begins a run). On a managed
    workspace the person codes under their own name only."""
    with ws.sessions() as db:
        check_coding_as(db, coder_name)  # before the coder or the scheme is stored
    # a person first met tagging moments (VIG, VIPP-SD) is a therapist, else a coder
    coder_id = ensure_coder(
        ws, coder_name, Role.THERAPIST if scheme.moments is not None else Role.CODER
    )
    scheme_row = register_scheme(ws, scheme)
    with ws.writes.begin() as db:
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
                **run_place(db, run.id),
            )
        return _info(db, run)


def find_run(ws: Workspace, clip_id: int, scheme: Scheme, coder_name: str) -> RunInfo | None:
    """The coder's run of this clip with this scheme's content, or None: looking at a
    scheme writes nothing (``open_run`` makes the run on the first edit)."""
    from vfa.storage.models import Scheme as SchemeRow

    with ws.sessions() as db:
        run = db.scalar(
            select(CodingRun)
            .join(SchemeRow, SchemeRow.id == CodingRun.scheme_id)
            .join(Coder, Coder.id == CodingRun.coder_id)
            .where(
                CodingRun.clip_id == clip_id,
                SchemeRow.scheme_key == scheme.id,
                SchemeRow.version == scheme.version,
                SchemeRow.content_hash == scheme.content_hash,
                Coder.name == coder_name.strip(),
            )
        )
        return _info(db, run) if run is not None else None


def run_info(ws: Workspace, run_id: int) -> RunInfo:
    """Whose run it is, of which clip and scheme, and its status (open to everyone, as
    the assignment list; its content goes through the blind rule)."""
    with ws.sessions() as db:
        return _info(db, _run(db, run_id))


def _info(db: DbSession, run: CodingRun) -> RunInfo:
    from vfa.storage.models import Scheme as SchemeRow

    scheme = db.get_one(SchemeRow, run.scheme_id)
    coder = db.get_one(Coder, run.coder_id)
    return RunInfo(
        run.id, run.clip_id, scheme.id, scheme.scheme_key, scheme.version, coder.name, run.status
    )


def _no_such_run(run_id: int) -> NotFoundError:
    return NotFoundError(f"coding run {run_id}: no such run")


def _run(db: DbSession, run_id: int) -> CodingRun:
    run = db.get(CodingRun, run_id)
    if run is None:
        raise _no_such_run(run_id)
    return run


def refuse_locked(run_id: int, status: RunStatus | str | None) -> RunStatus:
    """The run's status; NotFoundError without a run, RunLockedError when it is submitted
    (locked until it is reopened). The one check every edit of a run goes through."""
    if status is None:
        raise _no_such_run(run_id)
    if RunStatus(status) is RunStatus.SUBMITTED:
        raise RunLockedError(
            f"coding run {run_id} was submitted and is locked; reopen it (with a reason) "
            "to change it"
        )
    return RunStatus(status)


def editable_run(db: DbSession, run_id: int) -> CodingRun:
    """The run, moved to in-progress on its first edit; refused when submitted, and on a
    managed workspace when it is not the viewer's own (``permissions.check_own_run``)."""
    run = _run(db, run_id)
    check_own_run(db, run_id)
    if refuse_locked(run_id, run.status) is RunStatus.ASSIGNED:
        run.status = RunStatus.IN_PROGRESS
    return run


def check_editable(ws: Workspace, run_id: int) -> None:
    """Raise RunLockedError when the run is submitted (before an edit is attempted)."""
    with ws.sessions() as db:
        refuse_locked(run_id, _run(db, run_id).status)


def submit_run(
    ws: Workspace, run_id: int, actor: str | None = None, at: dt.datetime | None = None
) -> None:
    """Lock the run as finished, now or (``at``, for coding recorded afterwards) then."""
    with ws.writes.begin() as db:
        run = _run(db, run_id)
        check_own_run(db, run_id, actor)
        if run.status is RunStatus.SUBMITTED:
            return
        run.status = RunStatus.SUBMITTED
        run.submitted_at = at or dt.datetime.now(dt.UTC)
        record(db, "submit", "coding_run", run_id, {}, actor=actor, **run_place(db, run_id))


def reopen_run(ws: Workspace, run_id: int, reason: str, actor: str | None = None) -> None:
    """Unlock a submitted run; the reason goes into the audit trail."""
    if not reason.strip():
        raise InvalidInputError("reopening a submitted run needs a reason")
    with ws.writes.begin() as db:
        require(db, Act.ASSIGN, actor)  # a supervisor's act on a managed workspace
        check_run(db, run_id, actor)  # another coder's hidden blind run is not theirs to open
        run = _run(db, run_id)
        if run.status is not RunStatus.SUBMITTED:
            raise InvalidInputError(f"coding run {run_id} is not submitted")
        run.status = RunStatus.IN_PROGRESS
        run.submitted_at = None
        detail = {"reason": reason.strip()}
        record(db, "reopen", "coding_run", run_id, detail, actor=actor, **run_place(db, run_id))


# -- ratings --------------------------------------------------------------------


def _rating_row(db: DbSession, run_id: int, item: str) -> Rating | None:
    return db.scalar(select(Rating).where(Rating.run_id == run_id, Rating.item == item))


def _state(row: Rating | None) -> RatingState:
    if row is None:
        return RatingState(None, None, ())
    value: RatingValue | None = (
        row.special if row.special else (int(row.value) if row.value is not None else None)
    )
    return RatingState(value, row.note, tuple(row.evidence.get("annotations", [])), row.version)


def _write_state(
    db: DbSession, run_id: int, item: str, state: RatingState, row: Rating | None, version: int
) -> None:
    """Store the item's state as ``row`` (None: none stored yet) at ``version``; an empty
    state removes the row."""
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
    row.version = version


def rating_state(ws: Workspace, run_id: int, item: str, viewer: str | None = None) -> RatingState:
    """One item's stored state, if the blind rule lets ``viewer`` (None: you) see it."""
    with ws.sessions() as db:
        check_run(db, run_id, viewer)
        return _state(_rating_row(db, run_id, item))


def _stored_state(ws: Workspace, run_id: int, item: str) -> RatingState:
    """The item's state before an edit (for undo), read as the edit's own part."""
    with ws.sessions() as db:
        return _state(_rating_row(db, run_id, item))


def set_rating_state(
    ws: Workspace,
    run_id: int,
    item: str,
    state: RatingState,
    scheme: Scheme | None = None,
    expected_version: int | None = None,
) -> RatingState:
    """Store an item's whole state (used by set_rating, notes, evidence and undo);
    returns the previous state. ``expected_version``: the version the caller read (0:
    none stored; None: no check)."""
    if scheme is not None and state.value is not None and GRID_SEP not in item:
        check_rating(scheme, item, state.value)
    key: Key = ("rating", run_id, item)
    with made_meanwhile(ws, run_id, item), ws.writes.begin() as db:
        editable_run(db, run_id)
        row = locked_rows(db, run_id, [item]).get(item)
        before = _state(row)
        trail = rating_trail(run_id, item)
        check(db, before.version, expected_version, trail, key)
        version = before.version + 1 if row is not None else fresh(db, trail)
        _write_state(db, run_id, item, state, row, version)
        record(
            db,
            "rate",
            "coding_run",
            run_id,
            changed(_jsonable(before), _jsonable(state), item=item),
            **run_place(db, run_id),
        )
        db.flush()
        wrote(key, before.version, ABSENT if state == RatingState(None, None, ()) else version)
        return before


def set_rating(
    ws: Workspace,
    run_id: int,
    scheme: Scheme,
    item: str,
    value: RatingValue | None,
    expected_version: int | None = None,
) -> RatingState:
    """Rate an item (a scale point or a special code; None clears); returns the previous."""
    before = _stored_state(ws, run_id, item)
    return set_rating_state(
        ws, run_id, item, RatingState(value, before.note, before.evidence), scheme, expected_version
    )


def set_note(
    ws: Workspace, run_id: int, item: str, note: str | None, expected_version: int | None = None
) -> RatingState:
    before = _stored_state(ws, run_id, item)
    return set_rating_state(
        ws,
        run_id,
        item,
        RatingState(before.value, note or None, before.evidence),
        expected_version=expected_version,
    )


def link_evidence(
    ws: Workspace,
    run_id: int,
    item: str,
    annotation_id: int,
    expected_version: int | None = None,
) -> RatingState:
    """Link a moment on the timeline to the rating as its evidence."""
    before = _stored_state(ws, run_id, item)
    evidence = tuple(dict.fromkeys((*before.evidence, annotation_id)))
    return set_rating_state(
        ws,
        run_id,
        item,
        RatingState(before.value, before.note, evidence),
        expected_version=expected_version,
    )


def set_grid_row(
    ws: Workspace,
    run_id: int,
    scheme: Scheme,
    grid_id: str,
    row_id: str,
    member_id: str,
    points: Mapping[str, int],
    expected_version: int | None = None,
) -> dict[str, int]:
    """Store one grid row's points for one member (they must add up); returns the previous.
    ``expected_version``: the row's version the caller read (0: none stored; None: no
    check)."""
    grid = next((g for g in scheme.grids if g.id == grid_id), None)
    if grid is None:
        raise InvalidInputError(f"grid {grid_id!r} is not in scheme {scheme.id}")
    check_grid_row(grid, row_id, member_id, points)
    member = next(m for m in grid.members if m.id == member_id)
    cells = {scale.id: grid_key(grid_id, row_id, member_id, scale.id) for scale in member.scales}
    row_item = row_key(grid_id, row_id, member_id)
    key: Key = ("rating", run_id, row_item)
    with made_meanwhile(ws, run_id, row_item), ws.writes.begin() as db:
        editable_run(db, run_id)
        rows = locked_rows(db, run_id, list(cells.values()))
        stored = max((r.version for r in rows.values()), default=ABSENT)
        trail = rating_trail(run_id, row_item)
        check(db, stored, expected_version, trail, key)
        version = stored + 1 if rows else fresh(db, trail)
        before: dict[str, int] = {}
        for scale_id, cell in cells.items():
            row = rows.get(cell)
            if row is not None and row.value is not None:
                before[scale_id] = int(row.value)
            _write_state(
                db, run_id, cell, RatingState(points.get(scale_id, 0), None, ()), row, version
            )
        record(
            db,
            "grid",
            "coding_run",
            run_id,
            changed(before, dict(points), grid=grid_id, row=row_id, member=member_id),
            **run_place(db, run_id),
        )
        db.flush()
        wrote(key, stored, version)
        return before


def clear_grid_row(
    ws: Workspace,
    run_id: int,
    scheme: Scheme,
    grid_id: str,
    row_id: str,
    member_id: str,
    expected_version: int | None = None,
) -> None:
    """Remove a row's points (undo of a first entry), made on ``expected_version``."""
    grid = next(g for g in scheme.grids if g.id == grid_id)
    member = next(m for m in grid.members if m.id == member_id)
    row_item = row_key(grid_id, row_id, member_id)
    key: Key = ("rating", run_id, row_item)
    with ws.writes.begin() as db:
        editable_run(db, run_id)
        keys = [grid_key(grid_id, row_id, member_id, s.id) for s in member.scales]
        rows = locked_rows(db, run_id, keys)
        stored = max((r.version for r in rows.values()), default=ABSENT)
        trail = rating_trail(run_id, row_item)
        check(db, stored, expected_version, trail, key)
        if not rows:
            return
        before = {
            item.rsplit(GRID_SEP, 1)[1]: int(r.value)
            for item, r in rows.items()
            if r.value is not None
        }
        db.execute(delete(Rating).where(Rating.run_id == run_id, Rating.item.in_(keys)))
        record(
            db,
            "grid",
            "coding_run",
            run_id,
            {"grid": grid_id, "row": row_id, "member": member_id, "from": before, "to": {}},
        )
        wrote(key, stored, ABSENT)


def ratings(ws: Workspace, run_id: int, viewer: str | None = None) -> dict[str, RatingState]:
    """Every stored item and grid cell of the run, if the blind rule lets ``viewer``
    (None: you) see it (``vfa.services.blind``; BlindError otherwise)."""
    with ws.sessions() as db:
        check_run(db, run_id, viewer)
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


def run_score(ws: Workspace, run_id: int, scheme: Scheme, viewer: str | None = None) -> ScoreResult:
    """The scheme's total, band and missing items for the run as it stands, if the blind
    rule lets ``viewer`` (None: you) see it."""
    states = ratings(ws, run_id, viewer)
    values = {k: s.value for k, s in states.items() if GRID_SEP not in k and s.value is not None}
    return score(scheme, values, grid_points(states))


# -- timed events -------------------------------------------------------------------


def _jsonable(state: RatingState) -> dict[str, Any]:
    return {"value": state.value, "note": state.note, "evidence": list(state.evidence)}
