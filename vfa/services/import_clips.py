"""Which workspace clip an imported observation's events land in.

In order: the clip the user names; else the workspace clip whose file name is the name
of the observation's media (exactly, then whatever its capitals); else, with a media
folder, a file of that name under the folder whose sampled fingerprint is a workspace
clip's (and whose content hash is that clip's, when the clip has one).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from vfa.domain.frames import FrameTable
from vfa.errors import MediaError, NotFoundError
from vfa.io.document import MediaRef, Observation
from vfa.media.fingerprint import content_hash, fingerprint
from vfa.storage.models import Clip
from vfa.storage.workspace import Workspace


@dataclass(frozen=True)
class KnownClip:
    """A workspace clip as matching and time conversion need it."""

    id: int
    path: str
    fingerprint: str
    content_hash: str | None
    duration_ms: int
    table: FrameTable

    @property
    def name(self) -> str:
        return MediaRef(self.path).name


@dataclass(frozen=True)
class ClipChoice:
    """The clip found for an observation (or why none was), and the media it stands for."""

    clip: KnownClip | None
    media: MediaRef | None
    how: str  # "chosen", "found by name", "found by fingerprint in DIR"
    problem: str | None = None


def workspace_clips(ws: Workspace) -> list[KnownClip]:
    """Every clip of the workspace with its frame table."""
    with ws.sessions() as db:
        rows = db.execute(
            select(
                Clip.id,
                Clip.path,
                Clip.fingerprint,
                Clip.content_hash,
                Clip.duration_ms,
                Clip.frame_table,
            ).order_by(Clip.id)
        ).all()
    return [
        KnownClip(id_, path, fp, full, duration, FrameTable.from_blob(blob, duration))
        for id_, path, fp, full, duration, blob in rows
    ]


def _by_name(ref: MediaRef, clips: Sequence[KnownClip]) -> list[KnownClip]:
    exact = [c for c in clips if c.name == ref.name]
    return exact or [c for c in clips if c.name.casefold() == ref.name.casefold()]


def _files_named(folder: Path, name: str) -> list[Path]:
    key = name.casefold()
    found = []
    for root, _dirs, files in os.walk(folder):
        found += [Path(root, f) for f in files if f.casefold() == key]
    return sorted(found)


def _by_fingerprint(
    ref: MediaRef, clips: Sequence[KnownClip], folder: Path
) -> tuple[KnownClip | None, Path | None]:
    for candidate in _files_named(folder, ref.name):
        try:
            fp = fingerprint(candidate)
        except (MediaError, OSError):
            continue  # unreadable, a pipe or a device: not a clip's file
        for clip in clips:
            if clip.fingerprint != fp:
                continue
            try:
                if clip.content_hash is not None and content_hash(candidate) != clip.content_hash:
                    continue  # the same samples, other content
            except (MediaError, OSError):
                continue
            return clip, candidate
    return None, None


def find_clip(
    observation: Observation,
    clips: Sequence[KnownClip],
    clip_id: int | None = None,
    media_dir: Path | None = None,
) -> ClipChoice:
    """The clip an observation's events go into (see the module's notes)."""
    first = observation.media[0] if observation.media else None
    if clip_id is not None:
        chosen = next((c for c in clips if c.id == clip_id), None)
        if chosen is None:
            raise NotFoundError(f"clip {clip_id}: no such clip")
        return ClipChoice(chosen, first, "chosen")
    if not observation.media:
        return ClipChoice(None, None, "", "the file names no media file; choose a clip (--clip)")
    for ref in observation.media:
        named = _by_name(ref, clips)
        if len(named) == 1:
            return ClipChoice(named[0], ref, "found by name")
        if len(named) > 1:
            ids = ", ".join(str(c.id) for c in named)
            return ClipChoice(
                None, ref, "", f"{ref.name!r} is the name of clips {ids}; choose one (--clip)"
            )
    if media_dir is not None:
        for ref in observation.media:
            clip, _file = _by_fingerprint(ref, clips, media_dir)
            if clip is not None:
                return ClipChoice(clip, ref, f"found by fingerprint in {media_dir}")
    names = ", ".join(repr(r.name) for r in observation.media)
    where = f" nor a file of that name under {media_dir} that is one" if media_dir else ""
    return ClipChoice(
        None,
        first,
        "",
        f"no clip of the workspace is the media {names}{where}; choose a clip (--clip) "
        "or the folder the media is in (--media-dir)",
    )
