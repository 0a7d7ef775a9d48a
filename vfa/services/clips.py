"""Cases, sessions and clips as they enter VFA: add (checking every field), list, load.

Whether a clip's file is still the one added (quick checks, full verification, relink)
is services/clip_files.py; its names are re-exported here.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session as DbSession

from vfa.domain.frames import FrameTable
from vfa.domain.text_fields import matching_key, shown, single_line
from vfa.errors import InvalidInputError, MediaError, NotFoundError
from vfa.media.fingerprint import fingerprint, regular_file_problem
from vfa.media.probe import ProbeResult, probe
from vfa.services import case_access
from vfa.services.audit import record
from vfa.services.clip_files import (
    ClipCheck,
    ClipState,
    check_all,
    check_clip,
    relink,
    verify_clip,
    verify_clips,
)
from vfa.services.people import Act, require
from vfa.storage.models import Case, Clip, Session
from vfa.storage.workspace import Workspace

__all__ = [
    "AddedClip",
    "CaseNode",
    "ClipCheck",
    "ClipInfo",
    "ClipNode",
    "ClipState",
    "SessionNode",
    "add_clip",
    "catalog",
    "check_all",
    "check_clip",
    "clip_info",
    "find_case",
    "is_probably_video",
    "relink",
    "validate_case_code",
    "validate_session_fields",
    "verify_clip",
    "verify_clips",
]

CASE_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
VIDEO_SUFFIXES = {".mp4", ".mov", ".m4v", ".mkv", ".avi", ".mts", ".m2ts", ".webm", ".3gp", ".mpg"}
# the model's column lengths
SESSION_LABEL_MAX = 128
CONTEXT_MAX = 64
CYCLE_RANGE = (1, 999)
EARLIEST_DATE = dt.date(1900, 1, 1)


@dataclass(frozen=True)
class AddedClip:
    case_id: int
    session_id: int
    clip_id: int
    already_present: bool = False
    case_code: str = ""  # as stored (an existing case keeps its spelling)
    session: str = ""  # the session's label as stored


@dataclass(frozen=True)
class ClipNode:
    id: int
    name: str
    duration_ms: int


@dataclass(frozen=True)
class SessionNode:
    id: int
    label: str
    context: str | None
    clips: tuple[ClipNode, ...]


@dataclass(frozen=True)
class CaseNode:
    id: int
    code: str
    sessions: tuple[SessionNode, ...]


@dataclass(frozen=True)
class ClipInfo:
    """Everything the player needs to show a clip."""

    id: int
    path: str
    name: str
    fingerprint: str
    case_code: str
    session_label: str
    duration_ms: int
    fps: float
    vfr: bool
    width: int
    height: int
    rotation: int
    has_audio: bool
    frame_table: FrameTable
    session_id: int = 0


def validate_case_code(code: str) -> str:
    """A pseudonymous code: letters, digits, '.', '_' or '-', no spaces (so no names)."""
    if not isinstance(code, str):
        raise InvalidInputError(f"case code: expected text, got {type(code).__name__}")
    code = code.strip()
    if not CASE_CODE.match(code):
        raise InvalidInputError(
            f"case code {shown(code)}: use a pseudonymous code of letters, digits, '.', '_' "
            "or '-' (for example FAM-017), at most 64 characters and no spaces"
        )
    return code


@dataclass(frozen=True)
class SessionFields:
    """A session's label and details, checked."""

    label: str
    context: str | None
    date: dt.date | None
    cycle: int | None


def validate_session_fields(
    label: str,
    context: str | None = None,
    date: dt.date | None = None,
    cycle: int | None = None,
) -> SessionFields:
    """Check a session's label, context, filming date and cycle, naming the field."""
    checked = single_line(label, "session label", SESSION_LABEL_MAX, example="Visit 1")
    assert checked is not None
    ctx = single_line(context, "session context", CONTEXT_MAX, required=False)
    if date is not None:
        if not isinstance(date, dt.date) or isinstance(date, dt.datetime):
            raise InvalidInputError(f"session date: expected a date, got {type(date).__name__}")
        latest = dt.date.today() + dt.timedelta(days=1)  # a time zone ahead still counts
        if not EARLIEST_DATE <= date <= latest:
            raise InvalidInputError(
                f"session date {date.isoformat()}: give the date the session was filmed "
                f"(from {EARLIEST_DATE.isoformat()} to today)"
            )
    if cycle is not None:
        low, high = CYCLE_RANGE
        if isinstance(cycle, bool) or not isinstance(cycle, int) or not low <= cycle <= high:
            raise InvalidInputError(
                f"session cycle {cycle!r}: the intervention cycle is a whole number from "
                f"{low} to {high}"
            )
    return SessionFields(checked, ctx, date, cycle)


def _ambiguous(what: str, given: str, names: list[str]) -> InvalidInputError:
    listed = " and ".join(repr(n) for n in names)
    return InvalidInputError(
        f"{what} {given!r}: this workspace holds {listed}, which differ only in capitals or "
        "spaces; give one of them exactly as written"
    )


def find_case(db: DbSession, code: str) -> Case | None:
    """The case with this code in any capitals (FAM-001 is fam-001), under its stored
    spelling. Where a workspace already holds several spellings, the exact one wins and
    any other spelling is refused, naming them."""
    found = db.scalars(
        select(Case).where(func.lower(Case.code) == code.lower()).order_by(Case.id)
    ).all()
    if len(found) <= 1:
        return found[0] if found else None
    exact = [c for c in found if c.code == code]
    if exact:
        return exact[0]
    raise _ambiguous("case code", code, [c.code for c in found])


def _find_session(db: DbSession, case: Case, label: str) -> Session | None:
    """The case's session with this label in any capitals and spacing, as for cases."""
    key = matching_key(label)
    found = [
        s
        for s in db.scalars(select(Session).where(Session.case_id == case.id).order_by(Session.id))
        if matching_key(s.label) == key
    ]
    if len(found) <= 1:
        return found[0] if found else None
    exact = [s for s in found if s.label == label]
    if exact:
        return exact[0]
    raise _ambiguous(f"session label (case {case.code})", label, [s.label for s in found])


def _get_or_create_case(db: DbSession, code: str) -> Case:
    case = find_case(db, code)
    if case is None:
        case = Case(code=code)
        db.add(case)
        db.flush()
        record(db, "create", "case", case.id, {"code": code}, case_id=case.id)
    return case


def _get_or_create_session(db: DbSession, case: Case, fields: SessionFields) -> Session:
    session = _find_session(db, case, fields.label)
    if session is None:
        session = Session(
            case_id=case.id,
            label=fields.label,
            context=fields.context,
            date=fields.date,
            cycle=fields.cycle,
        )
        db.add(session)
        db.flush()
        detail = {"case": case.code, "label": fields.label}
        record(db, "create", "session", session.id, detail, case_id=case.id)
    return session


def _video_path(file: str | os.PathLike[str]) -> Path:
    """The file as an absolute path, refused before anything reads it unless it is a
    regular file (a loop of links, a device or a pipe is named with the reason)."""
    given = Path(file).expanduser()
    problem = regular_file_problem(given)
    if problem is not None:
        raise MediaError(f"{given}: {problem}")
    try:
        return given.resolve(strict=True)
    except (OSError, RuntimeError) as exc:  # RuntimeError: a link loop (Python < 3.13)
        raise MediaError(f"{given}: the path cannot be followed ({exc})") from exc


def add_clip(
    ws: Workspace,
    file: str | os.PathLike[str],
    case_code: str,
    session_label: str,
    *,
    context: str | None = None,
    date: dt.date | None = None,
    cycle: int | None = None,
    probed: ProbeResult | None = None,
) -> AddedClip:
    """Probe a video and add it to a case and session, creating both when new.

    Case codes and session labels are matched whatever their capitals: an existing one
    is reused under its stored spelling. The clip's content hash is not computed here
    (see ``verify_clip``).
    """
    code = validate_case_code(case_code)
    fields = validate_session_fields(session_label, context, date, cycle)
    path = _video_path(file)
    result = probed or probe(path)
    fp = fingerprint(path)
    stat = path.stat()
    with ws.writes.begin() as db:
        person = require(db, Act.ADD_CLIPS)
        new = find_case(db, code) is None
        case = _get_or_create_case(db, code)
        case_access.entering_case(db, case, person, new)
        session = _get_or_create_session(db, case, fields)
        existing = db.scalar(
            select(Clip).where(Clip.session_id == session.id, Clip.fingerprint == fp)
        )
        if existing is not None:
            return AddedClip(
                case.id, session.id, existing.id, True, case_code=case.code, session=session.label
            )
        clip = Clip(
            session_id=session.id,
            path=str(path),
            fingerprint=fp,
            file_size=stat.st_size,
            file_mtime_ns=stat.st_mtime_ns,
            duration_ms=result.duration_ms,
            frame_count=result.frame_count,
            fps=result.fps,
            vfr=result.vfr,
            width=result.width,
            height=result.height,
            rotation=result.rotation,
            has_audio=result.has_audio,
            codec=result.codec,
            frame_table=result.frame_table.to_blob(),
        )
        db.add(clip)
        db.flush()
        detail = {"path": str(path), "fingerprint": fp}
        record(db, "add", "clip", clip.id, detail, case_id=case.id, clip_id=clip.id)
        return AddedClip(case.id, session.id, clip.id, case_code=case.code, session=session.label)


def catalog(ws: Workspace, viewer: str | None = None) -> list[CaseNode]:
    """Every case with its sessions and clips that ``viewer`` (None: you) sees (a
    therapist: the cases shared with them or with nobody), for the browser."""
    with ws.sessions() as db:
        query = select(Case).order_by(Case.code)
        seen = case_access.case_filter(db, viewer)
        cases = db.scalars(query if seen is None else query.where(seen)).all()
        return [
            CaseNode(
                c.id,
                c.code,
                tuple(
                    SessionNode(
                        s.id,
                        s.label,
                        s.context,
                        tuple(ClipNode(k.id, k.name, k.duration_ms) for k in s.clips),
                    )
                    for s in c.sessions
                ),
            )
            for c in cases
        ]


def clip_info(ws: Workspace, clip_id: int, viewer: str | None = None) -> ClipInfo:
    """Load a clip with its frame table (no file access), if its case is not hidden
    from ``viewer`` (None: you; see ``case_access``)."""
    with ws.sessions() as db:
        clip = db.get(Clip, clip_id)
        if clip is None:
            raise NotFoundError(f"clip {clip_id}: no such clip in {ws.label}")
        case_access.check_clip(db, clip_id, viewer)
        return ClipInfo(
            id=clip.id,
            path=clip.path,
            name=clip.name,
            fingerprint=clip.fingerprint,
            case_code=clip.session.case.code,
            session_label=clip.session.label,
            duration_ms=clip.duration_ms,
            fps=clip.fps,
            vfr=clip.vfr,
            width=clip.width,
            height=clip.height,
            rotation=clip.rotation,
            has_audio=clip.has_audio,
            frame_table=FrameTable.from_blob(clip.frame_table, clip.duration_ms),
            session_id=clip.session_id,
        )


def is_probably_video(path: Path) -> bool:
    """A cheap filter for drag-and-drop: a known video suffix."""
    return path.suffix.lower() in VIDEO_SUFFIXES
