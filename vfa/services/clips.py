"""Cases, sessions and clips: add, list, check, relink."""

from __future__ import annotations

import datetime as dt
import enum
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from vfa.domain.frames import FrameTable
from vfa.errors import InvalidInputError, MediaError, NotFoundError
from vfa.media.fingerprint import fingerprint, size_of_fingerprint
from vfa.media.probe import ProbeResult, probe
from vfa.services.audit import record
from vfa.storage.models import Case, Clip, Session
from vfa.storage.workspace import Workspace

CASE_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
VIDEO_SUFFIXES = {".mp4", ".mov", ".m4v", ".mkv", ".avi", ".mts", ".m2ts", ".webm", ".3gp", ".mpg"}


class ClipState(enum.StrEnum):
    OK = "ok"
    MISSING = "missing"
    CHANGED = "changed"


@dataclass(frozen=True)
class AddedClip:
    case_id: int
    session_id: int
    clip_id: int
    already_present: bool = False


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


@dataclass(frozen=True)
class ClipCheck:
    clip_id: int
    path: str
    state: ClipState
    message: str


def validate_case_code(code: str) -> str:
    """A pseudonymous code: letters, digits, '.', '_' or '-', no spaces (so no names)."""
    code = code.strip()
    if not CASE_CODE.match(code):
        raise InvalidInputError(
            f"case code {code!r}: use a pseudonymous code of letters, digits, '.', '_' or '-' "
            "(for example FAM-017), at most 64 characters and no spaces"
        )
    return code


def _get_or_create_case(db: DbSession, code: str) -> Case:
    case = db.scalar(select(Case).where(Case.code == code))
    if case is None:
        case = Case(code=code)
        db.add(case)
        db.flush()
        record(db, "create", "case", case.id, {"code": code})
    return case


def _get_or_create_session(
    db: DbSession,
    case: Case,
    label: str,
    context: str | None,
    date: dt.date | None,
    cycle: int | None,
) -> Session:
    label = label.strip()
    if not label:
        raise InvalidInputError("session label: give the session a label, such as 'Visit 1'")
    session = db.scalar(select(Session).where(Session.case_id == case.id, Session.label == label))
    if session is None:
        session = Session(case_id=case.id, label=label, context=context, date=date, cycle=cycle)
        db.add(session)
        db.flush()
        record(db, "create", "session", session.id, {"case": case.code, "label": label})
    return session


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
    """Probe a video and add it to a case and session, creating both when new."""
    code = validate_case_code(case_code)
    path = Path(file).expanduser().resolve()
    result = probed or probe(path)
    fp = fingerprint(path)
    stat = path.stat()
    with ws.writes.begin() as db:
        case = _get_or_create_case(db, code)
        session = _get_or_create_session(db, case, session_label, context, date, cycle)
        existing = db.scalar(
            select(Clip).where(Clip.session_id == session.id, Clip.fingerprint == fp)
        )
        if existing is not None:
            return AddedClip(case.id, session.id, existing.id, already_present=True)
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
        record(db, "add", "clip", clip.id, {"path": str(path), "fingerprint": fp})
        return AddedClip(case.id, session.id, clip.id)


def catalog(ws: Workspace) -> list[CaseNode]:
    """Every case with its sessions and clips, for the browser."""
    with ws.sessions() as db:
        cases = db.scalars(select(Case).order_by(Case.code)).all()
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


def clip_info(ws: Workspace, clip_id: int) -> ClipInfo:
    """Load a clip with its frame table (no file access)."""
    with ws.sessions() as db:
        clip = db.get(Clip, clip_id)
        if clip is None:
            raise NotFoundError(f"clip {clip_id}: no such clip in {ws.label}")
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


def check_clip(ws: Workspace, clip_id: int) -> ClipCheck:
    """Is the clip's file still there and unchanged?"""
    with ws.sessions() as db:
        clip = db.get(Clip, clip_id)
        if clip is None:
            raise NotFoundError(f"clip {clip_id}: no such clip in {ws.label}")
        path = Path(clip.path)
        if not path.is_file():
            return ClipCheck(
                clip.id,
                clip.path,
                ClipState.MISSING,
                f"{clip.path}: the file is missing; point VFA at the folder it "
                "was moved to (Relink)",
            )
        stat = path.stat()
        if stat.st_size == clip.file_size and stat.st_mtime_ns == clip.file_mtime_ns:
            return ClipCheck(clip.id, clip.path, ClipState.OK, f"{clip.path}: unchanged")
        fp = fingerprint(path)
        expected = clip.fingerprint
        id_ = clip.id
    if fp == expected:
        with ws.writes.begin() as db:
            db.get_one(Clip, id_).file_mtime_ns = stat.st_mtime_ns
        return ClipCheck(id_, str(path), ClipState.OK, f"{path}: unchanged (only touched)")
    return ClipCheck(
        id_,
        str(path),
        ClipState.CHANGED,
        f"{path}: the file has changed since it was added (different content); "
        "annotations may no longer line up with its frames",
    )


def check_all(ws: Workspace) -> list[ClipCheck]:
    """Check every clip of the workspace."""
    with ws.sessions() as db:
        ids = db.scalars(select(Clip.id).order_by(Clip.id)).all()
    return [check_clip(ws, i) for i in ids]


def _candidates(folder: Path, sizes: set[int]) -> Iterable[Path]:
    for root, _dirs, files in os.walk(folder):
        for name in files:
            p = Path(root, name)
            try:
                if p.stat().st_size in sizes:
                    yield p
            except OSError:
                continue


def relink(
    ws: Workspace,
    folder: str | os.PathLike[str],
    *,
    cancelled: Callable[[], bool] = lambda: False,
) -> list[ClipCheck]:
    """Find missing clips in a folder (and its subfolders) by content fingerprint."""
    root = Path(folder).expanduser().resolve()
    if not root.is_dir():
        raise MediaError(f"{root}: not a folder")
    missing = [c for c in check_all(ws) if c.state is ClipState.MISSING]
    if not missing:
        return []
    with ws.sessions() as db:
        wanted = {
            c.fingerprint: c.id
            for c in db.scalars(select(Clip).where(Clip.id.in_([m.clip_id for m in missing])))
        }
    sizes = {size_of_fingerprint(fp) for fp in wanted}
    found: list[ClipCheck] = []
    for candidate in _candidates(root, sizes):
        if cancelled():
            break
        fp = fingerprint(candidate)
        clip_id = wanted.pop(fp, None)
        if clip_id is None:
            continue
        stat = candidate.stat()
        with ws.writes.begin() as db:
            clip = db.get_one(Clip, clip_id)
            old = clip.path
            clip.path = str(candidate)
            clip.file_mtime_ns = stat.st_mtime_ns
            record(db, "relink", "clip", clip_id, {"from": old, "to": str(candidate)})
        found.append(ClipCheck(clip_id, str(candidate), ClipState.OK, f"{old} -> {candidate}"))
        if not wanted:
            break
    return found


def is_probably_video(path: Path) -> bool:
    """A cheap filter for drag-and-drop: a known video suffix."""
    return path.suffix.lower() in VIDEO_SUFFIXES
