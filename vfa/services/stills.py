"""Stills: the exact frame of a clip or file at full resolution (PNG, or JPEG by name).

A still of a workspace clip leaves VFA like a reel does: it names its purpose, the
family's consent must cover that purpose, and it is recorded in the audit trail. A file
that is no clip of the workspace (neither its path nor its content fingerprint) is the
user's own business, as any other file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from vfa.errors import InvalidInputError
from vfa.media.fingerprint import fingerprint
from vfa.media.frames import FrameServer
from vfa.media.probe import probe
from vfa.media.source import check_readable
from vfa.media.stills import STILL_SUFFIXES, frame_for, write_still
from vfa.outputs import check_target
from vfa.services import consent
from vfa.services.audit import clip_place, current_actor, record
from vfa.services.clip_files import verify_clip
from vfa.services.people import Act
from vfa.services.permissions import require_in
from vfa.storage.models import Clip
from vfa.storage.workspace import Workspace

# what a file name cannot hold on one system or another (and what does not print)
_NOT_IN_NAMES = frozenset('\\/:*?"<>|')


def still_name(case_code: str, session_label: str, frame: int, suffix: str = ".png") -> str:
    """The file name a still of a clip is offered under: the case's pseudonymous code, the
    visit and the frame, never the video's own file name (which often names the family)."""
    visit = "".join(
        "-" if c in _NOT_IN_NAMES or not c.isprintable() else c
        for c in " ".join(session_label.split())
    )
    return " ".join(filter(None, (case_code, visit, f"frame {frame}"))) + suffix


@dataclass(frozen=True)
class Still:
    """A still written: its frame, that frame's pts, the file, and for a workspace clip
    the clip and the purpose it was exported for."""

    frame: int
    pts_ms: int
    path: Path
    clip_id: int | None = None
    purpose: str | None = None


def workspace_clip(ws: Workspace, file: str | os.PathLike[str]) -> int | None:
    """The workspace clip this file is (by its path, else by content fingerprint)."""
    path = Path(file).expanduser().resolve()
    size = path.stat().st_size
    with ws.sessions() as db:
        by_path = db.scalar(select(Clip.id).where(Clip.path == str(path)).order_by(Clip.id))
        if by_path is not None:
            return by_path
        same_size = db.execute(
            select(Clip.id, Clip.fingerprint)
            .where(Clip.fingerprint.like(f"{size:x}-%"))
            .order_by(Clip.id)
        ).all()
    if not same_size:
        return None
    fp = fingerprint(path)
    return next((clip_id for clip_id, known in same_size if known == fp), None)


def _purpose(purpose: str | None, what: str) -> str:
    chosen = consent.check_purposes([purpose or ""])
    if not chosen:
        raise InvalidInputError(
            f"{what}: name the purpose of the still (--purpose: one of "
            f"{', '.join(consent.PURPOSES)}; 'notes' for your own case notes)"
        )
    return chosen[0]


def _allowed(ws: Workspace, clip_id: int, purpose: str | None, what: str) -> str:
    """The purpose, once the person may export for feedback, the consent covers it and
    the export can be audited."""
    require_in(ws, Act.EXPORT_FEEDBACK)
    chosen = _purpose(purpose, what)
    consent.require(ws, clip_id, chosen, f"{what} for {chosen}")
    ws.writes  # noqa: B018 - a read-only workspace cannot record the export: refuse now
    verify_clip(ws, clip_id)  # the file is still, to the byte, the one that was coded
    return chosen


def _audit(ws: Workspace, clip_id: int, purpose: str, frame: int, written: Path) -> None:
    with ws.writes.begin() as db:
        record(
            db,
            "export",
            "clip",
            clip_id,
            {"purpose": purpose, "kind": "still", "frame": frame, "file": str(written)},
            actor=current_actor(),
            **clip_place(db, clip_id),
        )


def still_from_file(
    file: str | os.PathLike[str],
    out: str | os.PathLike[str],
    *,
    at_ms: int | None = None,
    frame: int | None = None,
    force: bool = False,
    ws: Workspace | None = None,
    purpose: str | None = None,
) -> Still:
    """Save the frame shown at ``at_ms`` (or frame ``frame``) of a video file.

    With a workspace, a file that is one of its clips needs a ``purpose`` its consent
    covers, and the still is audited; any other file needs none.
    """
    check_target(out, force=force, suffixes=STILL_SUFFIXES)
    source = check_readable(file)
    clip_id = workspace_clip(ws, source) if ws is not None else None
    if ws is not None and clip_id is not None:
        purpose = _allowed(ws, clip_id, purpose, f"a still of {source} (clip {clip_id})")
    elif purpose is not None:
        purpose = _purpose(purpose, f"a still of {source}")
    result = probe(source)
    try:
        index = frame_for(result.frame_table, at_ms=at_ms, frame=frame)
    except InvalidInputError as exc:  # the frame or time asked for: name the file asked of
        raise InvalidInputError(f"{source}: {exc}") from None
    with FrameServer(source, result.frame_table, result.rotation) as server:
        written = write_still(server.frame(index), out, force=force)
    if ws is not None and clip_id is not None:
        assert purpose is not None
        _audit(ws, clip_id, purpose, index, written)
    return Still(index, result.frame_table.pts_of(index), written, clip_id, purpose)


def save_still(
    ws: Workspace,
    clip_id: int,
    server: FrameServer,
    index: int,
    out: str | os.PathLike[str],
    purpose: str,
    *,
    force: bool = False,
) -> Path:
    """Save frame ``index`` of an open workspace clip for ``purpose`` (the consent must
    cover it; the export is audited)."""
    check_target(out, force=force, suffixes=STILL_SUFFIXES)
    chosen = _allowed(ws, clip_id, purpose, f"a still of clip {clip_id}")
    written = write_still(server.frame(index), out, force=force)
    _audit(ws, clip_id, chosen, index, written)
    return written
