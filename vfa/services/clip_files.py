"""Is a clip's file still the one that was added? Quick checks, full verification, relink.

Two fingerprints serve two purposes. The sampled fingerprint (size and three 1 MiB
samples) is instant and finds a moved file among many. Only the content hash (BLAKE2b of
every byte) proves the file unchanged: it is stored on the clip the first time it is
computed (in the background after adding, or at the first full check or export) and
compared on every full check and before every export. A clip whose file no longer
matches is reported, never silently re-hashed.
"""

from __future__ import annotations

import enum
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import select, update

from vfa.errors import MediaError, NotFoundError
from vfa.media.fingerprint import (
    content_hash,
    fingerprint,
    regular_file_problem,
    size_of_fingerprint,
)
from vfa.services.audit import changed, clip_place, record
from vfa.services.case_access import case_filter
from vfa.services.people import Act
from vfa.services.permissions import require_in
from vfa.storage.models import Clip, Session
from vfa.storage.workspace import Workspace

if TYPE_CHECKING:
    from sqlalchemy import CursorResult

ProgressFn = Callable[[float], None]
CancelledFn = Callable[[], bool]

CHANGED_ADVICE = "annotations may no longer line up with its frames"


class ClipState(enum.StrEnum):
    OK = "ok"
    MISSING = "missing"
    CHANGED = "changed"


@dataclass(frozen=True)
class ClipCheck:
    clip_id: int
    path: str
    state: ClipState
    message: str


@dataclass(frozen=True)
class _Stored:
    id: int
    path: str
    size: int
    mtime_ns: int
    fingerprint: str
    content_hash: str | None


def _stored(ws: Workspace, clip_id: int) -> _Stored:
    with ws.sessions() as db:
        clip = db.get(Clip, clip_id)
        if clip is None:
            raise NotFoundError(f"clip {clip_id}: no such clip in {ws.label}")
        return _Stored(
            clip.id,
            clip.path,
            clip.file_size,
            clip.file_mtime_ns,
            clip.fingerprint,
            clip.content_hash,
        )


def _look(clip: _Stored) -> ClipCheck | os.stat_result:
    """The file's status, or a check saying it is not there (or no regular file now) or
    has another size than when it was added."""
    problem = regular_file_problem(clip.path)
    if problem is None:
        try:
            st = os.stat(clip.path)
        except OSError:  # gone between the two looks
            problem = "file not found"
        else:
            return _changed(clip, "its size differs") if st.st_size != clip.size else st
    if problem == "file not found":
        message = (
            f"{clip.path}: the file is missing; point VFA at the folder it was moved to (Relink)"
        )
    else:
        message = f"{clip.path}: {problem}; it was a video file when the clip was added"
    return ClipCheck(clip.id, clip.path, ClipState.MISSING, message)


def _changed(clip: _Stored, how: str) -> ClipCheck:
    return ClipCheck(
        clip.id,
        clip.path,
        ClipState.CHANGED,
        f"{clip.path}: the file has changed since it was added ({how}); {CHANGED_ADVICE}",
    )


def check_clip(ws: Workspace, clip_id: int) -> ClipCheck:
    """The quick check: is the file there with its size and sampled content?

    Instant, for opening a clip; it cannot see a change between the samples, which only
    ``verify_clip`` does. It writes nothing.
    """
    clip = _stored(ws, clip_id)
    st = _look(clip)
    if isinstance(st, ClipCheck):
        return st
    if st.st_mtime_ns == clip.mtime_ns:
        return ClipCheck(clip.id, clip.path, ClipState.OK, f"{clip.path}: unchanged")
    if fingerprint(clip.path) != clip.fingerprint:
        return _changed(clip, "different content")
    return ClipCheck(
        clip.id,
        clip.path,
        ClipState.OK,
        f"{clip.path}: size and sampled content unchanged (the file was touched)",
    )


def _verify(
    ws: Workspace,
    clip_id: int,
    progress: ProgressFn | None,
    cancelled: CancelledFn | None,
) -> ClipCheck:
    clip = _stored(ws, clip_id)
    st = _look(clip)
    if isinstance(st, ClipCheck):
        return st
    if clip.content_hash is None:
        return _first_hash(ws, clip, st.st_mtime_ns, progress, cancelled)
    digest = content_hash(clip.path, progress=progress, cancelled=cancelled)
    if digest != clip.content_hash:
        return _changed(clip, "its content differs from the hash recorded for it")
    if st.st_mtime_ns != clip.mtime_ns and ws.read_only is None:
        with ws.writes.begin() as db:
            db.get_one(Clip, clip.id).file_mtime_ns = st.st_mtime_ns
    return ClipCheck(
        clip.id, clip.path, ClipState.OK, f"{clip.path}: unchanged (every byte checked)"
    )


def _first_hash(
    ws: Workspace,
    clip: _Stored,
    mtime_ns: int,
    progress: ProgressFn | None,
    cancelled: CancelledFn | None,
) -> ClipCheck:
    """A clip added before content hashes (or whose background hash never finished): its
    sampled fingerprint must still match; then the hash is computed and stored."""
    if fingerprint(clip.path) != clip.fingerprint:
        return _changed(clip, "different content")
    if ws.read_only is not None:  # a hash that cannot be kept proves nothing later
        return ClipCheck(
            clip.id,
            clip.path,
            ClipState.OK,
            f"{clip.path}: size and sampled content unchanged; its content hash cannot be "
            f"recorded while the workspace is read-only ({ws.read_only})",
        )
    digest = content_hash(clip.path, progress=progress, cancelled=cancelled)
    with ws.writes.begin() as db:
        result = db.execute(
            update(Clip)
            .where(Clip.id == clip.id, Clip.content_hash.is_(None))
            .values(content_hash=digest, file_mtime_ns=mtime_ns)
        )
        stored = cast("CursorResult[Any]", result).rowcount
        if stored:
            detail = {"path": clip.path, "content_hash": digest}
            record(db, "hash", "clip", clip.id, detail, **clip_place(db, clip.id))
        else:  # another process stored it meanwhile: compare with theirs
            theirs = db.scalar(select(Clip.content_hash).where(Clip.id == clip.id))
            if theirs != digest:
                return _changed(clip, "its content differs from the hash recorded for it")
    return ClipCheck(
        clip.id, clip.path, ClipState.OK, f"{clip.path}: unchanged; its content hash is recorded"
    )


def verify_clip(
    ws: Workspace,
    clip_id: int,
    progress: ProgressFn | None = None,
    cancelled: CancelledFn | None = None,
) -> ClipCheck:
    """Prove the clip's file unchanged by hashing all of it (stored the first time).

    Raises ``MediaError`` naming the file when it is missing or has changed;
    ``vfa.media.cache.Cancelled`` when ``cancelled()`` turns true.
    """
    check = _verify(ws, clip_id, progress, cancelled)
    if check.state is not ClipState.OK:
        raise MediaError(check.message)
    return check


def _weights(ws: Workspace, clip_ids: Sequence[int]) -> list[float]:
    with ws.sessions() as db:
        query = select(Clip.id, Clip.file_size).where(Clip.id.in_(clip_ids))
        sizes = {clip_id: size for clip_id, size in db.execute(query)}
    total = sum(sizes.get(i, 0) for i in clip_ids) or 1
    return [sizes.get(i, 0) / total for i in clip_ids]


def _each(
    ws: Workspace,
    clip_ids: Sequence[int],
    step: Callable[[int, ProgressFn], ClipCheck],
    progress: ProgressFn | None,
) -> list[ClipCheck]:
    """Run ``step`` on each clip, reporting progress weighted by file size."""
    done = 0.0
    checks = []
    for clip_id, weight in zip(clip_ids, _weights(ws, clip_ids), strict=True):

        def part(fraction: float, base: float = done, size: float = weight) -> None:
            if progress is not None:
                progress(min(1.0, base + fraction * size))

        checks.append(step(clip_id, part))
        done += weight
    if progress is not None:
        progress(1.0)
    return checks


def verify_clips(
    ws: Workspace,
    clip_ids: Iterable[int],
    progress: ProgressFn | None = None,
    cancelled: CancelledFn | None = None,
) -> None:
    """``verify_clip`` for each clip (each once), stopping at the first that fails."""
    ids = list(dict.fromkeys(clip_ids))
    _each(ws, ids, lambda i, part: verify_clip(ws, i, part, cancelled), progress)


def check_all(
    ws: Workspace,
    *,
    quick: bool = False,
    clip_ids: Iterable[int] | None = None,
    progress: ProgressFn | None = None,
    cancelled: CancelledFn | None = None,
) -> list[ClipCheck]:
    """Check every clip of the workspace that you see (a therapist: of the cases open to
    them), or those of ``clip_ids``: every byte, recording a missing content hash, or with
    ``quick`` the size and samples only. Problems are returned, not raised."""
    if clip_ids is None:
        with ws.sessions() as db:
            query = select(Clip.id).order_by(Clip.id)
            seen = case_filter(db, None, Session.case_id)
            if seen is not None:
                query = query.join(Session, Session.id == Clip.session_id).where(seen)
            ids: Sequence[int] = db.scalars(query).all()
    else:
        ids = list(dict.fromkeys(clip_ids))
    if quick:
        return [check_clip(ws, i) for i in ids]
    return _each(ws, ids, lambda i, part: _verify(ws, i, part, cancelled), progress)


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
    cancelled: CancelledFn = lambda: False,
) -> list[ClipCheck]:
    """Find missing clips in a folder (and its subfolders) by content fingerprint; a clip
    with a content hash is relinked only to a file with that same hash."""
    require_in(ws, Act.ADD_CLIPS)  # before the folder is searched (a long read)
    root = Path(folder).expanduser().resolve()
    if not root.is_dir():
        raise MediaError(f"{root}: not a folder")
    missing = [c for c in check_all(ws, quick=True) if c.state is ClipState.MISSING]
    if not missing:
        return []
    with ws.sessions() as db:
        rows = db.scalars(select(Clip).where(Clip.id.in_([m.clip_id for m in missing])))
        wanted = {c.fingerprint: (c.id, c.content_hash) for c in rows}
    sizes = {size_of_fingerprint(fp) for fp in wanted}
    found: list[ClipCheck] = []
    for candidate in _candidates(root, sizes):
        if cancelled():
            break
        try:
            fp = fingerprint(candidate)
            if fp not in wanted:
                continue
            clip_id, full = wanted[fp]
            if full is not None and content_hash(candidate, cancelled=cancelled) != full:
                continue  # the same samples, other content: not this clip's file
            mtime_ns = candidate.stat().st_mtime_ns
        except (MediaError, OSError):
            continue  # a pipe, a device or an unreadable file is no clip
        del wanted[fp]
        with ws.writes.begin() as db:
            clip = db.get_one(Clip, clip_id)
            old = clip.path
            clip.path = str(candidate)
            clip.file_mtime_ns = mtime_ns
            detail = changed(old, str(candidate))
            record(db, "relink", "clip", clip_id, detail, **clip_place(db, clip_id))
        found.append(ClipCheck(clip_id, str(candidate), ClipState.OK, f"{old} -> {candidate}"))
        if not wanted:
            break
    return found
