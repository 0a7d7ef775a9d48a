"""Exporting a session's reel: per moment an exact clip (``NN.mp4``) and its still
(``NN.png``), the captions as ``reel.srt``, and the family's handout (``handout.pdf``).

Nothing leaves VFA without a purpose the family's consent covers. The files are written
into a private folder beside the destination and moved there only when all of them are
complete (``vfa.outputs.staged_folder``), so a failed or cancelled export leaves nothing
half written; a destination that is a link is refused, and files already there are
replaced only with ``force``. Each export is recorded in the audit trail with its
purpose, folder and moments.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vfa.domain.subtitles import reel_srt
from vfa.errors import InvalidInputError, MediaError
from vfa.media.cache import Cancelled
from vfa.media.export import export_clip, soft_subtitles_supported
from vfa.media.frames import FrameServer
from vfa.media.stills import write_still
from vfa.outputs import check_target, staged_folder, write_text
from vfa.reports.handout import MAX_STILLS, HandoutItem, write_handout
from vfa.reports.script import ScriptItem, write_feedback_script
from vfa.services import consent, moments
from vfa.services.audit import record, session_place
from vfa.services.clips import ClipInfo, ClipState, check_clip, clip_info, verify_clips
from vfa.services.people import Act
from vfa.services.permissions import require_in
from vfa.services.schemes import SchemeLookup, get_scheme
from vfa.storage.workspace import Workspace

HANDOUT_TITLE = "Moments to keep"


@dataclass(frozen=True)
class ReelExport:
    folder: Path
    files: tuple[Path, ...]
    moments: tuple[int, ...]
    purpose: str


@dataclass(frozen=True)
class _Item:
    moment: moments.MomentInfo
    clip: ClipInfo

    @property
    def text(self) -> str:
        return self.moment.caption or self.moment.child_line or ""

    @property
    def duration_ms(self) -> int:
        table = self.clip.frame_table
        after = self.moment.end_frame + 1
        end = table.pts_of(after) if after < table.frame_count else table.duration_ms
        return end - table.pts_of(self.moment.start_frame)


def prepare(ws: Workspace, session_id: int, purpose: str) -> list[_Item]:
    """The reel's moments with their clips, each checked: the file is there and unchanged,
    the span lies in the clip, and the consent covers the purpose."""
    reel = moments.reel(ws, session_id, complete=True)
    if not reel:
        raise InvalidInputError(
            f"session {session_id}: the reel is empty; mark moments 'for feedback' first"
        )
    items = []
    for n, moment in enumerate(reel, start=1):
        what = f"reel moment {n:02d} (moment {moment.id})"
        check = check_clip(ws, moment.clip_id)
        if check.state is not ClipState.OK:
            raise MediaError(f"{what}: {check.message}")
        clip = clip_info(ws, moment.clip_id)
        if moment.end_frame >= clip.frame_table.frame_count:
            raise InvalidInputError(
                f"{what}: its span ends at frame {moment.end_frame}, past the clip's last "
                f"frame ({clip.frame_table.frame_count - 1})"
            )
        consent.require(ws, moment.clip_id, purpose, f"{what} for {purpose}")
        items.append(_Item(moment, clip))
    verify_clips(ws, [item.clip.id for item in items])  # every byte, before anything is written
    return items


def file_names(count: int, *, handout: bool = True, sidecars: bool = False) -> list[str]:
    """The files an export of ``count`` moments writes (each clip's ``NN.srt`` too when
    captions must go beside the clips)."""
    names = []
    for n in range(1, count + 1):
        names += [f"{n:02d}.mp4", f"{n:02d}.png"] + ([f"{n:02d}.srt"] if sidecars else [])
    return names + ["reel.srt"] + (["handout.pdf"] if handout else [])


def check_handout(count: int) -> None:
    """Refuse, before any encoding, a handout of more stills than it holds."""
    if count > MAX_STILLS:
        raise InvalidInputError(
            f"a handout holds at most {MAX_STILLS} stills and the reel has {count}; "
            "take moments out of the reel, or export without the handout (--no-handout)"
        )


def export_reel(
    ws: Workspace,
    session_id: int,
    purpose: str,
    out_dir: str | os.PathLike[str],
    *,
    burn_captions: bool = False,
    soft_captions: bool = True,
    handout: bool = True,
    progress: Callable[[float], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    force: bool = False,
) -> ReelExport:
    """Export the session's reel for ``purpose`` into ``out_dir`` (a new folder, or an
    existing one whose files of the same names are replaced only with ``force``)."""
    require_in(ws, Act.EXPORT_FEEDBACK)
    items = prepare(ws, session_id, purpose)
    if handout:
        check_handout(len(items))
    ws.writes  # noqa: B018 - a read-only workspace cannot record the export: refuse now
    sidecars = soft_captions and not soft_subtitles_supported()
    names = file_names(len(items), handout=handout, sidecars=sidecars)
    total = sum(item.moment.frames for item in items) or 1
    done = 0
    with staged_folder(out_dir, names, force=force) as (staging, files):
        for n, item in enumerate(items, start=1):
            m, clip = item.moment, item.clip
            if cancelled is not None and cancelled():
                raise Cancelled()
            with FrameServer(clip.path, clip.frame_table, clip.rotation) as server:
                write_still(server.frame(m.key_frame), staging / f"{n:02d}.png")

            def step(fraction: float, base: int = done, size: int = m.frames) -> None:
                if progress is not None:
                    progress((base + fraction * size) / total)

            export_clip(
                clip.path,
                clip.frame_table,
                m.start_frame,
                m.end_frame,
                staging / f"{n:02d}.mp4",
                rotation=clip.rotation,
                caption=item.text or None,
                burn_caption=burn_captions and bool(item.text),
                soft_caption=soft_captions and bool(item.text),
                progress=step,
                cancelled=cancelled,
            )
            done += m.frames
        write_text(
            staging / "reel.srt", reel_srt([(item.duration_ms, item.text) for item in items])
        )
        if handout:
            write_handout(
                staging / "handout.pdf",
                case_code=items[0].clip.case_code,
                title=HANDOUT_TITLE,
                items=[
                    HandoutItem(
                        staging / f"{n:02d}.png", i.moment.caption or "", i.moment.child_line
                    )
                    for n, i in enumerate(items, start=1)
                ],
            )
    out = Path(out_dir).expanduser()
    _record_export(
        ws,
        session_id,
        {
            "purpose": purpose,
            "folder": str(out),
            "moments": [i.moment.id for i in items],
            "files": [f.name for f in files],
            "burned_captions": burn_captions,
        },
    )
    if progress is not None:
        progress(1.0)
    return ReelExport(out, tuple(files), tuple(i.moment.id for i in items), purpose)


def _approach(items: list[_Item], find_scheme: SchemeLookup) -> str:
    """The names of the schemes the moments were tagged with (VIG, VIPP-SD…)."""
    from vfa.errors import VfaError

    names = []
    for scheme_id in dict.fromkeys(i.moment.scheme_id for i in items):
        try:
            names.append(find_scheme(scheme_id).name)
        except VfaError:  # no longer installed: its id still says which
            names.append(scheme_id)
    return " / ".join(names)


def export_script(
    ws: Workspace,
    session_id: int,
    out_pdf: str | os.PathLike[str],
    purpose: str = "feedback",
    *,
    force: bool = False,
    find_scheme: SchemeLookup = get_scheme,
) -> Path:
    """The practitioner's feedback script for the visit, titled by its approach (the
    schemes of its moments, looked up with ``find_scheme``: a library read once, else the
    folders now): the session's theme, then each reel moment in reel order with its
    still, span, caption, child line and prepared comment. Its stills leave VFA too, so
    the consent must cover ``purpose``."""
    check_target(out_pdf, force=force, suffixes=(".pdf",))
    require_in(ws, Act.EXPORT_FEEDBACK)
    items = prepare(ws, session_id, purpose)
    ws.writes  # noqa: B018 - a read-only workspace cannot record the export: refuse now
    with tempfile.TemporaryDirectory(prefix=".vfa-script-") as tmp:
        stills = []
        for n, item in enumerate(items, start=1):
            clip = item.clip
            with FrameServer(clip.path, clip.frame_table, clip.rotation) as server:
                stills.append(
                    write_still(server.frame(item.moment.key_frame), Path(tmp) / f"{n}.png")
                )
        written = write_feedback_script(
            out_pdf,
            case_code=items[0].clip.case_code,
            session_label=items[0].clip.session_label,
            theme=moments.session_theme(ws, session_id),
            items=[
                ScriptItem(
                    still,
                    i.moment.start_ms,
                    i.moment.start_ms + i.duration_ms,  # where its last frame ends
                    i.moment.caption,
                    i.moment.child_line,
                    i.moment.comment,
                    i.moment.start_frame,
                    i.moment.end_frame,
                )
                for still, i in zip(stills, items, strict=True)
            ],
            approach=_approach(items, find_scheme),
            force=force,
        )
    _record_export(
        ws, session_id, {"purpose": purpose, "file": str(written), "kind": "feedback script"}
    )
    return written


def _record_export(ws: Workspace, session_id: int, detail: dict[str, Any]) -> None:
    """The audit entry of what left VFA from the session, by the person at the keyboard."""
    with ws.writes.begin() as db:
        record(db, "export", "session", session_id, detail, **session_place(db, session_id))
