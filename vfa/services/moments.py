"""Strength moments and the session's reel, each edit one transaction.

A moment is a moment-tag annotation (a VIG principle, a VIPP-SD theme, …) with feedback
details: a key frame for its still, a caption in the parent's words, a "speaking for the
child" line, a prepared comment and a "for feedback" flag. The flagged moments of a
session's clips, in reel order, are that session's reel. Every edit returns the moment as
it was, so the UI's undo restores it with :func:`restore_moment`. A moment's details and
a session's reel each have a version; an edit may say which one it was made on
(``expected_version``) and is refused when someone changed it since
(``services/versions.py``).

Spans are frames: a span given in milliseconds as ``[start, end)`` covers the frame shown
at ``start`` through the last frame that starts before ``end``; it is stored as those two
frames and their pts.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session as DbSession

from vfa.domain.text_fields import single_line
from vfa.errors import InvalidInputError, NotFoundError
from vfa.services import case_access, coding
from vfa.services.audit import changed, current_actor, record, run_place, session_place
from vfa.services.blind import BlindError, blind_view, pending_text
from vfa.services.moment_fields import (
    MAX_CHARS,
    MomentDetail,
    check_moment_codes,
    checked_text,
    claim_moment,
    moment_trail,
    parse_tag,
    put_moment,
    reel_moved,
    span_frames,
    stored_detail,
)
from vfa.services.moment_fields import MomentInfo as MomentInfo  # (re-exported)
from vfa.services.people import Act, require
from vfa.services.permissions import require_in
from vfa.services.schemes import SchemeLookup, get_scheme
from vfa.services.versions import check, claim_reel, wrote
from vfa.services.viewer import resolve
from vfa.storage.models import Annotation, Clip, Coder, CodingRun, Moment, Role
from vfa.storage.models import Scheme as SchemeRow
from vfa.storage.models import Session as SessionRow
from vfa.storage.workspace import Workspace


def add_moment(
    ws: Workspace,
    clip_id: int,
    tags: Sequence[str],
    start_ms: int,
    end_ms: int,
    *,
    key_ms: int | None = None,
    caption: str | None = None,
    child_line: str | None = None,
    comment: str | None = None,
    feedback: bool = False,
    coder: str | None = None,
) -> MomentInfo:
    """Tag a moment of a clip with one or more moment codes of one scheme (a therapist's,
    supervisor's or admin's act on a managed workspace)."""
    require_in(ws, Act.TAG_MOMENTS)  # before a run is begun for it
    caption = checked_text(caption, "caption", "moment")
    child_line = checked_text(child_line, "child line", "moment")
    comment = checked_text(comment, "comment", "moment")
    if not tags:
        raise InvalidInputError("moment: give at least one tag (SCHEME:CODE)")
    parsed = [parse_tag(t) for t in tags]
    scheme_ids = {s for s, _ in parsed}
    if len(scheme_ids) > 1:
        raise InvalidInputError(
            f"moment: tags from one scheme at a time, not {', '.join(sorted(scheme_ids))}"
        )
    scheme = get_scheme(parsed[0][0])
    codes = [c for _, c in parsed]
    check_moment_codes(scheme, codes, "moment")
    from vfa.services.clips import clip_info

    info = clip_info(ws, clip_id)
    table = info.frame_table
    where = f"moment on clip {clip_id} ({info.name})"
    first, last = span_frames(table, start_ms, end_ms, where)
    if key_ms is None:
        key_ms = (start_ms + end_ms) // 2
    if not start_ms <= key_ms < end_ms:
        raise InvalidInputError(f"{where}: the key frame at {key_ms} ms is outside the span")
    key = min(max(table.index_at(key_ms), first), last)
    run = coding.open_run(ws, clip_id, scheme, (coder or "").strip() or current_actor())
    code = scheme.code(codes[0])
    subject = code.subjects[0] if code.subjects else None
    with ws.writes.begin() as db:
        require(db, Act.TAG_MOMENTS)
        coding.editable_run(db, run.id)
        row = Annotation(
            run_id=run.id,
            code=codes[0],
            subject=subject,
            start_ms=table.pts_of(first),
            end_ms=table.pts_of(last),
            start_frame=first,
            end_frame=last,
            modifiers={},
        )
        db.add(row)
        db.flush()
        wrote(("event", row.id), 0, row.version)
        session_id = info_session(db, clip_id)
        detail = MomentDetail(
            key_ms=table.pts_of(key),
            key_frame=key,
            extra_tags=tuple(codes[1:]),
            caption=caption,
            child_line=child_line,
            comment=comment,
            feedback=feedback,
            reel_position=_next_position(db, session_id) if feedback else None,
        )
        put_moment(db, row, detail)
        record(
            db,
            "moment",
            "annotation",
            row.id,
            {"tags": list(tags), "feedback": feedback},
            **run_place(db, run.id),
        )
        moment_id = row.id
    return get_moment(ws, moment_id, viewer=run.coder)


def info_session(db: DbSession, clip_id: int) -> int:
    clip = db.get(Clip, clip_id)
    if clip is None:
        raise NotFoundError(f"clip {clip_id}: no such clip")
    return clip.session_id


def _next_position(db: DbSession, session_id: int) -> int:
    top = db.scalar(
        select(func.max(Moment.reel_position))
        .join(Annotation, Annotation.id == Moment.annotation_id)
        .join(CodingRun, CodingRun.id == Annotation.run_id)
        .join(Clip, Clip.id == CodingRun.clip_id)
        .where(Clip.session_id == session_id)
    )
    return (top or 0) + 1


def _query() -> Any:
    return (
        select(Annotation, Moment, CodingRun, Clip.session_id, SchemeRow.scheme_key, Coder.name)
        .join(Moment, Moment.annotation_id == Annotation.id)
        .join(CodingRun, CodingRun.id == Annotation.run_id)
        .join(Clip, Clip.id == CodingRun.clip_id)
        .join(SchemeRow, SchemeRow.id == CodingRun.scheme_id)
        .join(Coder, Coder.id == CodingRun.coder_id)
    )


def _info(row: Any) -> MomentInfo:
    ann, moment, run, session_id, scheme_key, coder = row
    return MomentInfo(
        id=ann.id,
        clip_id=run.clip_id,
        session_id=session_id,
        run_id=run.id,
        scheme_id=scheme_key,
        coder=coder,
        code=ann.code,
        start_ms=ann.start_ms,
        end_ms=ann.end_ms if ann.end_ms is not None else ann.start_ms,
        start_frame=ann.start_frame,
        end_frame=ann.end_frame if ann.end_frame is not None else ann.start_frame,
        event_version=ann.version,
        **vars(stored_detail(ann, moment)),  # key frame, tags, texts, flag, place, version
    )


@functools.cache
def _by_id() -> Any:
    """The query for one moment, built once (it runs on every hotkey moment)."""
    return _query().where(Annotation.id == bindparam("moment_id"))


def get_moment(ws: Workspace, moment_id: int, viewer: str | None = None) -> MomentInfo:
    """One moment, if the blind rule lets ``viewer`` (None: you) see it (BlindError
    otherwise; a coder's own moment costs no more than the one query)."""
    with ws.sessions() as db:
        row = db.execute(_by_id(), {"moment_id": moment_id}).first()
        if row is None:
            raise NotFoundError(f"moment {moment_id}: no such moment in {ws.label}")
        info = _info(row)
        case_access.check_clip(db, info.clip_id, viewer)
        if info.coder != resolve(viewer):
            blind_view(db, viewer, [info.clip_id]).check(info.run_id, info.clip_id, info.coder)
        return info


def moments(
    ws: Workspace,
    *,
    clip_id: int | None = None,
    session_id: int | None = None,
    viewer: str | None = None,
) -> list[MomentInfo]:
    """The moments of a clip or a session that the blind rule lets ``viewer`` (None:
    you) see, in time order."""
    query = _query()
    if clip_id is not None:
        query = query.where(CodingRun.clip_id == clip_id)
    if session_id is not None:
        query = query.where(Clip.session_id == session_id)
    with ws.sessions() as db:
        seen = case_access.case_filter(db, viewer, SessionRow.case_id)
        if seen is not None:  # a therapist's: the moments of cases open to them only
            query = query.join(SessionRow, SessionRow.id == Clip.session_id).where(seen)
        rows = db.execute(query.order_by(CodingRun.clip_id, Annotation.start_ms, Annotation.id))
        found = [_info(r) for r in rows]
        view = blind_view(db, viewer, {m.clip_id for m in found})
    return [m for m in found if not view.hides(m.run_id, m.clip_id, m.coder)]


def reel(
    ws: Workspace, session_id: int, viewer: str | None = None, *, complete: bool = False
) -> list[MomentInfo]:
    """The session's reel as ``viewer`` (None: you) may see it: its moments flagged for
    feedback, in reel order. ``complete`` (for exports and scripts): BlindError when the
    blind rule hides any coding of the session's clips from the viewer, so a reel never
    leaves VFA with moments missing."""
    with ws.sessions() as db:
        _session(ws, db, session_id)
        case_access.check_session(db, session_id, viewer)
        if complete:
            _check_whole_session(db, session_id, viewer)
    flagged = [m for m in moments(ws, session_id=session_id, viewer=viewer) if m.feedback]
    return sorted(flagged, key=lambda m: (m.reel_position or 0, m.id))


def _check_whole_session(db: DbSession, session_id: int, viewer: str | None) -> None:
    """BlindError when the blind rule hides from the viewer a run on the session's clips
    whose scheme has moment tags (it could hold reel moments). Decided on who codes what
    with which scheme, never on what the hidden runs hold."""
    runs = db.execute(
        select(CodingRun.id, CodingRun.clip_id, Coder.name, SchemeRow.scheme_key, SchemeRow.content)
        .join(Clip, Clip.id == CodingRun.clip_id)
        .join(Coder, Coder.id == CodingRun.coder_id)
        .join(SchemeRow, SchemeRow.id == CodingRun.scheme_id)
        .where(Clip.session_id == session_id)
        .order_by(CodingRun.id)
    ).all()
    view = blind_view(db, viewer, {clip_id for _, clip_id, *_ in runs})
    for run_id, clip_id, coder, key, content in runs:
        if "moments" not in content or not view.hides(run_id, clip_id, coder):
            continue
        sealed = view.sealed.get(run_id)
        pending = view.pending[sealed] if sealed is not None else view.blinded[clip_id]
        raise BlindError(
            f"session {session_id}: {coder}'s {key} coding of clip {clip_id} is hidden from "
            f"{view.viewer} while blind coding is open, so the reel cannot leave VFA "
            f"complete; export or print it when every blind run is submitted "
            f"(pending: {pending_text(pending)})"
        )


_UNSET: Any = object()


def edit_moment(
    ws: Workspace,
    moment_id: int,
    *,
    caption: str | None = _UNSET,
    child_line: str | None = _UNSET,
    comment: str | None = _UNSET,
    feedback: bool = _UNSET,
    key_ms: int = _UNSET,
    expected_version: int | None = None,
) -> MomentInfo:
    """Change a moment's caption, child line, comment, flag or key frame; returns the
    moment as it was (for undo). Flagging adds it at the end of its session's reel.
    ``expected_version``: the version of its details the caller read (None: no check)."""
    where = f"moment {moment_id}"
    if caption is not _UNSET:
        caption = checked_text(caption, "caption", where)
    if child_line is not _UNSET:
        child_line = checked_text(child_line, "child line", where)
    if comment is not _UNSET:
        comment = checked_text(comment, "comment", where)
    get_moment(ws, moment_id)  # (one the viewer may see)
    with ws.writes.begin() as db:
        require(db, Act.TAG_MOMENTS)
        # locked (its event first, as every writer does), then read in this
        # transaction: what undo puts back
        db.get(Annotation, moment_id, with_for_update=True)
        moment = db.get(Moment, moment_id, with_for_update=True)
        found = db.execute(_by_id(), {"moment_id": moment_id}).first()
        if moment is None or found is None:
            raise NotFoundError(f"{where}: no such moment in {ws.label}")
        before = _info(found)
        coding.editable_run(db, before.run_id)
        check(db, moment.version, expected_version, moment_trail(moment_id), ("moment", moment_id))
        ann = db.get_one(Annotation, moment_id)
        was: dict[str, Any] = {}
        now: dict[str, Any] = {}
        if caption is not _UNSET:
            was["caption"], ann.caption = ann.caption, caption
            now["caption"] = ann.caption
        if child_line is not _UNSET:
            was["child_line"], moment.child_line = moment.child_line, child_line
            now["child_line"] = moment.child_line
        if comment is not _UNSET:
            was["comment"], moment.comment = moment.comment, comment
            now["comment"] = moment.comment
        if feedback is not _UNSET and bool(feedback) != moment.feedback:
            was["feedback"], moment.feedback = moment.feedback, bool(feedback)
            moment.reel_position = (
                _next_position(db, before.session_id) if moment.feedback else None
            )
            now["feedback"] = moment.feedback
        if key_ms is not _UNSET:
            from vfa.services.clips import clip_info

            table = clip_info(ws, before.clip_id).frame_table
            key = table.index_at(key_ms)
            if not before.start_frame <= key <= before.end_frame:
                raise InvalidInputError(
                    f"moment {moment_id}: the key frame must lie in the moment "
                    f"(frames {before.start_frame}–{before.end_frame}), not frame {key}"
                )
            was["key_frame"] = moment.key_frame
            moment.key_frame, moment.key_ms = key, table.pts_of(key)
            now["key_frame"] = key
        if now:
            moment.version = before.version + 1
            wrote(("moment", moment_id), before.version, moment.version)
            detail = changed(was, now)
            record(db, "edit", "moment", moment_id, detail, **run_place(db, before.run_id))
            flags = (before.feedback, before.reel_position)
            reel_moved(db, ann, flags, (moment.feedback, moment.reel_position))
    return before


def restore_moment(
    ws: Workspace, before: MomentInfo, expected_version: int | None = None
) -> MomentInfo:
    """Put a moment's details back as they were; returns them as they are now.
    ``expected_version``: the version of the stored details the caller holds (None: no
    check)."""
    now = get_moment(ws, before.id)
    with ws.writes.begin() as db:
        require(db, Act.TAG_MOMENTS)
        coding.editable_run(db, before.run_id)
        put_moment(db, db.get_one(Annotation, before.id), before.detail, expected_version)
        record(db, "restore", "moment", before.id, {}, **run_place(db, before.run_id))
    return now


def reel_version(ws: Workspace, session_id: int) -> int:
    """The version of the session's reel (its order, its moments, its theme)."""
    with ws.sessions() as db:
        return _session(ws, db, session_id).reel_version


def reorder_reel(
    ws: Workspace,
    session_id: int,
    order: Sequence[int],
    viewer: str | None = None,
    expected_version: int | None = None,
) -> list[int]:
    """Put the session's reel, as ``viewer`` (None: you) sees it, in this order (every
    moment of it once); returns the previous order. Moments the blind rule hides keep
    their places: the ones shown trade the places they held. ``expected_version``: the
    reel's version the order was chosen on (None: no check)."""
    require_in(ws, Act.TAG_MOMENTS, viewer)  # a role that may not: said before the order
    shown = reel(ws, session_id, viewer)
    current = [m.id for m in shown]
    if sorted(order) != sorted(current):
        raise InvalidInputError(
            f"session {session_id}: the new reel order must list its moments "
            f"{sorted(current)} once each, not {list(order)}"
        )
    if list(order) == current:  # already so: nothing to store or audit
        return current
    with ws.writes.begin() as db:
        require(db, Act.TAG_MOMENTS, viewer)
        # the moments first, then the reel: the order every writer locks them in
        flagged = _flagged(db, session_id, lock=True)
        if claim_reel(db, session_id, expected_version) is None:
            raise NotFoundError(f"session {session_id}: no such session in {ws.label}")
        everything = len(flagged)
        if everything == len(current):
            places = list(range(1, len(current) + 1))
        else:
            places = sorted(m.reel_position or 0 for m in shown)
        for position, moment_id in zip(places, order, strict=True):
            moment = db.get_one(Moment, moment_id)
            if moment.reel_position != position:  # a moment's place is one of its details
                moment.reel_position = position
                claim_moment(db, moment_id)
        detail = changed(current, list(order))
        record(db, "reorder", "reel", session_id, detail, **session_place(db, session_id))
    return current


def _flagged(db: DbSession, session_id: int, lock: bool = False) -> list[Moment]:
    query = (
        select(Moment)
        .join(Annotation, Annotation.id == Moment.annotation_id)
        .join(CodingRun, CodingRun.id == Annotation.run_id)
        .join(Clip, Clip.id == CodingRun.clip_id)
        .where(Clip.session_id == session_id, Moment.feedback.is_(True))
        .order_by(Moment.annotation_id)
    )
    return list(db.scalars(query.with_for_update(of=Moment) if lock else query))


def set_theme(
    ws: Workspace, session_id: int, theme: str | None, expected_version: int | None = None
) -> str | None:
    """The session's feedback theme (VIPP-SD); returns the previous one. The theme is
    the reel's: ``expected_version`` is the reel's version it was typed on (None: no
    check)."""
    theme = single_line(
        theme or None, f"session {session_id}: the theme", MAX_CHARS["theme"], required=False
    )
    with ws.writes.begin() as db:
        require(db, Act.TAG_MOMENTS)
        if claim_reel(db, session_id, expected_version) is None:
            raise NotFoundError(f"session {session_id}: no such session in {ws.label}")
        session = _session(ws, db, session_id)
        case_access.check_session(db, session_id)
        before = session.theme
        session.theme = theme
        detail = changed(before, session.theme)
        record(db, "theme", "session", session_id, detail, case_id=session.case_id)
        return before


def session_theme(ws: Workspace, session_id: int) -> str | None:
    """The session's feedback theme, or None."""
    with ws.sessions() as db:
        theme = _session(ws, db, session_id).theme
        case_access.check_session(db, session_id)
        return theme


def _session(ws: Workspace, db: DbSession, session_id: int) -> SessionRow:
    session = db.get(SessionRow, session_id)
    if session is None:
        raise NotFoundError(f"session {session_id}: no such session in {ws.label}")
    return session


def reel_guidance(
    ws: Workspace, session_id: int, viewer: str | None = None, find: SchemeLookup = get_scheme
) -> list[str]:
    """Gentle warnings where a reel (as ``viewer``, None: you, sees it) goes beyond its
    schemes' practice guidance (VIG: up to 3 clips of about 10 seconds at most); never a
    refusal. ``find`` looks a scheme up (the window's library; else the folders)."""
    items = reel(ws, session_id, viewer)
    notes: list[str] = []
    for scheme_id in sorted({m.scheme_id for m in items}):
        try:
            settings = find(scheme_id).moments
        except Exception:  # a scheme no longer installed: no guidance to give
            continue
        if settings is None:
            continue
        mine = [m for m in items if m.scheme_id == scheme_id]
        if settings.max_clips is not None and len(mine) > settings.max_clips:
            notes.append(
                f"{scheme_id}: {len(mine)} clips in the reel; the guidance is up to "
                f"{settings.max_clips}"
            )
        if settings.max_clip_ms is not None:
            for n, m in enumerate(items, start=1):
                length = m.span_ms
                if m.scheme_id == scheme_id and length > settings.max_clip_ms + 500:
                    notes.append(
                        f"clip {n} runs {length / 1000:.1f} s; the guidance is about "
                        f"{settings.max_clip_ms / 1000:.0f} s at most"
                    )
    return notes


def ensure_therapist(ws: Workspace, name: str) -> int:
    """The person tagging moments, recorded as a therapist when new."""
    return coding.ensure_coder(ws, name, Role.THERAPIST)
