"""``vfa probe``, ``vfa still`` and ``vfa clip``: video files and the workspace's clips."""

from __future__ import annotations

import argparse
import contextlib

from vfa.cli.common import Add, Group, add_force, emit, emit_rows, has_workspace, open_workspace
from vfa.cli.types import cycle, frame_index, iso_date, milliseconds


def cmd_probe(args: argparse.Namespace) -> int:
    from vfa.media.probe import probe

    result = probe(args.file).summary()
    result.pop("path")
    emit(args, result, lambda d: "\n".join(f"{k}: {v}" for k, v in d.items()))
    return 0


def cmd_still(args: argparse.Namespace) -> int:
    from vfa.services.stills import still_from_file

    # the workspace named with --workspace, else the user's own when there is one
    within = open_workspace(args) if has_workspace(args) else contextlib.nullcontext()
    with within as ws:
        still = still_from_file(
            args.file,
            args.output,
            at_ms=args.at_ms,
            frame=args.frame,
            force=args.force,
            ws=ws,
            purpose=args.purpose,
        )
    data = {
        "frame": still.frame,
        "pts_ms": still.pts_ms,
        "path": str(still.path),
        "clip_id": still.clip_id,
        "purpose": still.purpose,
    }
    emit(args, data, lambda d: f"frame {d['frame']} ({d['pts_ms']} ms) -> {d['path']}")
    return 0


def cmd_clip_add(args: argparse.Namespace) -> int:
    from vfa.services.clips import add_clip, verify_clip

    with open_workspace(args) as ws:
        added = add_clip(
            ws,
            args.file,
            args.case,
            args.session,
            context=args.context,
            date=args.date,
            cycle=args.cycle,
        )
        # a batch command: the clip's content hash is recorded before it returns
        verify_clip(ws, added.clip_id)
    data = {"case_id": added.case_id, "session_id": added.session_id, "clip_id": added.clip_id}
    emit(
        args,
        data,
        lambda d: (
            f"clip {d['clip_id']} in {added.case_code} / {added.session}"
            + (" (already present)" if added.already_present else "")
        ),
    )
    return 0


def cmd_clip_list(args: argparse.Namespace) -> int:
    from vfa.services.clips import catalog

    with open_workspace(args) as ws:
        cases = catalog(ws)
    data = [
        {
            "case": c.code,
            "session": s.label,
            "session_id": s.id,
            "clip_id": k.id,
            "name": k.name,
            "duration_ms": k.duration_ms,
        }
        for c in cases
        for s in c.sessions
        for k in s.clips
    ]
    emit_rows(
        args,
        data,
        lambda r: f"{r['clip_id']:>5}  {r['case']} / {r['session']} / {r['name']}",
        "no clips",
    )
    return 0


def cmd_clip_check(args: argparse.Namespace) -> int:
    from vfa.services.clips import ClipState, check_all

    with open_workspace(args) as ws:
        checks = check_all(ws, quick=args.quick)
    data = [
        {"clip_id": c.clip_id, "path": c.path, "state": c.state.value, "message": c.message}
        for c in checks
    ]
    emit_rows(args, data, lambda r: f"{r['state']:>8}  {r['message']}", "no clips")
    return 1 if any(c.state is not ClipState.OK for c in checks) else 0


def cmd_clip_relink(args: argparse.Namespace) -> int:
    from vfa.services.clips import relink

    with open_workspace(args) as ws:
        found = relink(ws, args.folder)
    data = [{"clip_id": c.clip_id, "path": c.path} for c in found]
    emit_rows(
        args,
        data,
        lambda r: f"relinked clip {r['clip_id']}: {r['path']}",
        "no missing clip was found there",
    )
    return 0


def register_video(add: Add) -> None:
    """Add ``vfa probe`` and ``vfa still`` (a video file, in a workspace or not)."""
    from vfa.services.choices import PURPOSES

    p = add("probe", cmd_probe, "show a video file's facts (duration, frames, rate, size)")
    p.add_argument("file")
    p = add(
        "still",
        cmd_still,
        "save one exact frame of a video at full resolution (PNG, or JPEG for .jpg)",
    )
    p.add_argument("file")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument(
        "--at-ms",
        type=milliseconds,
        metavar="MS",
        help="the frame shown at this time (the last frame whose pts <= MS)",
    )
    which.add_argument("--frame", type=frame_index, metavar="N", help="frame index N (0-based)")
    p.add_argument("-o", "--output", required=True, metavar="OUT.png|OUT.jpg")
    p.add_argument(
        "--purpose",
        choices=list(PURPOSES),
        help="what the still is for; needed when FILE is a clip of the workspace, whose "
        "consent must cover it ('notes': your own case notes)",
    )
    add_force(p)


def register(add: Add, group: Group) -> None:
    """Add ``vfa clip add|list|check|relink``."""
    clip = group("clip", "add, list, check and relink clips")
    clip_sub = clip.add_subparsers(dest="clip_command", metavar="ACTION", required=True)
    p = add("add", cmd_clip_add, "add a video to a case and session (created when new)", clip_sub)
    p.add_argument("file")
    p.add_argument("--case", required=True, help="pseudonymous case code, e.g. FAM-017")
    p.add_argument("--session", required=True, help="session label, e.g. 'Visit 1'")
    p.add_argument("--context", help="play, mealtime, …")
    p.add_argument("--date", type=iso_date, help="filming date, YYYY-MM-DD")
    p.add_argument("--cycle", type=cycle, help="intervention cycle number (1 or more)")
    add("list", cmd_clip_list, "list the workspace's clips", clip_sub)
    p = add(
        "check",
        cmd_clip_check,
        "report missing or changed clip files, reading every byte (exit 1 if any)",
        clip_sub,
    )
    p.add_argument(
        "--quick",
        action="store_true",
        help="compare size and sampled content only (instant, but blind to a change "
        "between the samples)",
    )
    p = add(
        "relink", cmd_clip_relink, "find moved clips in FOLDER by content fingerprint", clip_sub
    )
    p.add_argument("folder")
