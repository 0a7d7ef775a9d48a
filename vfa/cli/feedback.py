"""``vfa moment``, ``vfa consent`` and ``vfa reel``: the feedback session from the
command line (batch preparation, scripts and tests use the same services as the app)."""

from __future__ import annotations

import argparse
import dataclasses
from typing import Any

from vfa.cli.common import (
    Add,
    Group,
    add_force,
    emit,
    emit_rows,
    open_workspace,
    scheme_library,
)
from vfa.cli.types import day, days, iso_date, milliseconds, record_id, record_version
from vfa.errors import InvalidInputError


def cmd_moment_add(args: argparse.Namespace) -> int:
    from vfa.services.moments import add_moment

    with open_workspace(args) as ws:
        moment = add_moment(
            ws,
            args.clip,
            args.tag,
            args.start_ms,
            args.end_ms,
            key_ms=args.key_ms,
            caption=args.caption,
            child_line=args.child_line,
            comment=args.comment,
            feedback=args.feedback,
            coder=args.coder,
        )
    data = {
        "moment_id": moment.id,
        "session_id": moment.session_id,
        "start_frame": moment.start_frame,
        "end_frame": moment.end_frame,
        "key_frame": moment.key_frame,
        "start_ms": moment.start_ms,
        "end_ms": moment.end_ms,
        "key_ms": moment.key_ms,
        "feedback": moment.feedback,
    }
    emit(
        args,
        data,
        lambda d: (
            f"moment {d['moment_id']}: frames {d['start_frame']}–{d['end_frame']}, "
            f"still at frame {d['key_frame']}" + (" (for feedback)" if d["feedback"] else "")
        ),
    )
    return 0


def _moment_dict(m: Any) -> dict[str, Any]:
    data = dataclasses.asdict(m)
    data["tags"] = [f"{m.scheme_id}:{t}" for t in m.tags]
    data["span_ms"] = m.span_ms
    return data


def cmd_moment_list(args: argparse.Namespace) -> int:
    from vfa.services.moments import moments

    if args.clip is None and args.session is None:
        raise InvalidInputError("moment list: give --clip ID or --session ID")
    with open_workspace(args) as ws:
        found = moments(ws, clip_id=args.clip, session_id=args.session)
    emit_rows(
        args,
        [_moment_dict(m) for m in found],
        lambda m: (
            f"{m['id']:>5}  clip {m['clip_id']}  frames {m['start_frame']}–{m['end_frame']}"
            f"  {'★' if m['feedback'] else ' '} {', '.join(m['tags'])}  {m['caption'] or ''}"
        ),
        "no moments",
    )
    return 0


def cmd_consent_set(args: argparse.Namespace) -> int:
    from vfa.services.consent import set_consent

    purposes = [p for p in args.purposes.split(",")] if args.purposes else []
    given = args.date
    until = day(args.until, "--until") if args.until is not None else None
    with open_workspace(args) as ws:
        consent = set_consent(
            ws, args.clip, purposes, given_on=given, by=args.by, valid_until=until
        )
    data = {
        "clip_id": consent.clip_id,
        "purposes": list(consent.purposes),
        "given_on": consent.given_on.isoformat() if consent.given_on else None,
        "valid_until": consent.valid_until.isoformat() if consent.valid_until else None,
        "recorded_by": consent.recorded_by,
    }
    emit(
        args,
        data,
        lambda d: (
            f"clip {d['clip_id']}: consent for {', '.join(d['purposes']) or 'nothing'}"
            + (f" until {d['valid_until']}" if d["valid_until"] else "")
        ),
    )
    return 0


def cmd_consent_show(args: argparse.Namespace) -> int:
    from vfa.services.consent import consent_for

    with open_workspace(args) as ws:
        consent = consent_for(ws, args.clip)
    data = (
        None
        if consent is None
        else {
            "clip_id": consent.clip_id,
            "purposes": list(consent.purposes),
            "given_on": consent.given_on.isoformat() if consent.given_on else None,
            "valid_until": consent.valid_until.isoformat() if consent.valid_until else None,
            "ended": consent.ended(),
            "recorded_by": consent.recorded_by,
            "recorded_at": consent.recorded_at.isoformat(),
        }
    )
    emit(args, data, lambda d: _consent_text(args.clip, d))
    return 0


def _consent_text(clip_id: int, d: dict[str, Any] | None) -> str:
    if d is None:
        return f"clip {clip_id}: no consent recorded"
    end = ""
    if d["valid_until"]:
        end = f", ended on {d['valid_until']}" if d["ended"] else f", until {d['valid_until']}"
    agreed = ", ".join(d["purposes"]) or "nothing"
    return f"clip {clip_id}: {agreed} (recorded by {d['recorded_by']}{end})"


def cmd_consent_due(args: argparse.Namespace) -> int:
    from vfa.services.consent import consent_due

    with open_workspace(args) as ws:
        due = consent_due(ws, args.within)
    rows = [
        {
            "case": d.case,
            "session": d.session,
            "session_id": d.session_id,
            "clip_id": d.clip_id,
            "clip": d.clip,
            "purposes": list(d.purposes),
            "valid_until": d.valid_until.isoformat(),
            "days_left": d.days_left,
        }
        for d in due
    ]
    emit_rows(
        args,
        rows,
        lambda r: (
            f"{r['case']} · {r['session']} · clip {r['clip_id']} ({r['clip']}): "
            + (
                f"ended on {r['valid_until']}"
                if r["days_left"] < 0
                else f"ends {r['valid_until']} ({r['days_left']} days left)"
            )
        ),
        f"no consent has ended or ends within {args.within} days",
    )
    return 0


def cmd_reel_show(args: argparse.Namespace) -> int:
    from vfa.services.moments import reel, reel_guidance, reel_version, session_theme

    with open_workspace(args) as ws:
        find = scheme_library(args).get
        items, notes = reel(ws, args.session), reel_guidance(ws, args.session, find=find)
        theme, version = session_theme(ws, args.session), reel_version(ws, args.session)
    data = {
        "theme": theme,
        "version": version,
        "moments": [_moment_dict(m) for m in items],
        "guidance": notes,
    }
    emit(
        args,
        data,
        lambda d: "\n".join(
            [f"theme: {d['theme'] or '-'}"]
            + [
                f"{n:02d}  moment {m['id']}  {m['span_ms'] / 1000:.1f} s  {m['caption'] or ''}"
                for n, m in enumerate(d["moments"], start=1)
            ]
            + [f"note: {g}" for g in d["guidance"]]
        ),
    )
    return 0


def cmd_reel_order(args: argparse.Namespace) -> int:
    from vfa.services.moments import reorder_reel

    try:
        order = [int(x) for x in args.order.split(",") if x.strip()]
    except ValueError:
        raise InvalidInputError(
            f"reel order: {args.order!r} is not a list of moment ids (3,1,2)"
        ) from None
    with open_workspace(args) as ws:
        reorder_reel(ws, args.session, order, expected_version=args.if_version)
    emit(args, {"session_id": args.session, "order": order}, lambda d: "reel reordered")
    return 0


def cmd_reel_export(args: argparse.Namespace) -> int:
    from vfa.services.reel_export import export_reel

    with open_workspace(args) as ws:
        result = export_reel(
            ws,
            args.session,
            args.purpose,
            args.output,
            burn_captions=args.burn_captions,
            handout=not args.no_handout,
            force=args.force,
        )
    data = {
        "folder": str(result.folder),
        "purpose": result.purpose,
        "moments": list(result.moments),
        "files": [str(f) for f in result.files],
    }
    emit(args, data, lambda d: "\n".join(d["files"]))
    return 0


def cmd_reel_script(args: argparse.Namespace) -> int:
    from vfa.outputs import check_target
    from vfa.services.reel_export import export_script

    check_target(args.output, force=args.force, suffixes=(".pdf",))  # before any work
    find = scheme_library(args).get
    with open_workspace(args) as ws:
        written = export_script(
            ws, args.session, args.output, args.purpose, force=args.force, find_scheme=find
        )
    emit(args, {"file": str(written)}, lambda d: d["file"])
    return 0


def cmd_reel_theme(args: argparse.Namespace) -> int:
    from vfa.services.moments import session_theme, set_theme

    with open_workspace(args) as ws:
        before = set_theme(ws, args.session, args.theme, expected_version=args.if_version)
        theme = session_theme(ws, args.session)  # as stored: trimmed, or none when empty
    emit(
        args,
        {"session_id": args.session, "theme": theme, "previous": before},
        lambda d: f"theme set: {d['theme']}" if d["theme"] else "theme cleared",
    )
    return 0


def _add_if_version(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--if-version",
        type=record_version,
        metavar="N",
        help="only if the reel is still at version N (vfa reel show --json): refused when "
        "someone changed it since",
    )


def register(add: Add, group: Group) -> None:
    """Add the moment, consent and reel commands to the ``vfa`` parser."""
    from vfa.services.choices import DUE_DAYS, PURPOSES

    moment = group("moment", "tag and list strength moments")
    moment_sub = moment.add_subparsers(dest="moment_command", metavar="ACTION", required=True)
    p = add("add", cmd_moment_add, "tag a moment of a clip (a span in ms)", moment_sub)
    p.add_argument("--clip", type=record_id, required=True, metavar="ID")
    p.add_argument("--start-ms", type=milliseconds, required=True, metavar="A")
    p.add_argument(
        "--end-ms", type=milliseconds, required=True, metavar="B", help="end (exclusive)"
    )
    p.add_argument(
        "--key-ms", type=milliseconds, metavar="K", help="the still (default: the middle)"
    )
    p.add_argument(
        "--tag",
        action="append",
        required=True,
        metavar="SCHEME:CODE",
        help="a moment tag, e.g. vig:returning_eye_contact (repeatable)",
    )
    p.add_argument("--caption", help="in the parent's words")
    p.add_argument("--child-line", help='"speaking for the child"')
    p.add_argument("--comment", help="a prepared comment for the visit")
    p.add_argument("--feedback", action="store_true", help="for feedback: add it to the reel")
    p.add_argument("--coder", help="who tags it (default: you)")
    p = add("list", cmd_moment_list, "list the moments of a clip or session", moment_sub)
    p.add_argument("--clip", type=record_id, metavar="ID")
    p.add_argument("--session", type=record_id, metavar="ID")

    consent = group("consent", "record and show a clip's consent")
    consent_sub = consent.add_subparsers(dest="consent_command", metavar="ACTION", required=True)
    p = add("set", cmd_consent_set, "record the purposes the family agreed to", consent_sub)
    p.add_argument("--clip", type=record_id, required=True, metavar="ID")
    p.add_argument(
        "--purposes",
        required=True,
        metavar="P,P,…",
        help=f"comma-separated: {', '.join(PURPOSES)} (empty to withdraw)",
    )
    p.add_argument("--date", type=iso_date, help="when consent was given, YYYY-MM-DD")
    p.add_argument(
        "--until", metavar="YYYY-MM-DD", help="the last day it holds (default: no end date)"
    )
    p.add_argument("--by", metavar="NAME", help="who recorded it (default: you)")
    p = add("show", cmd_consent_show, "the clip's consent as last recorded", consent_sub)
    p.add_argument("--clip", type=record_id, required=True, metavar="ID")
    p = add("due", cmd_consent_due, "clips whose consent has ended or ends soon", consent_sub)
    p.add_argument(
        "--within",
        type=days,
        default=DUE_DAYS,
        metavar="DAYS",
        help=f"how many days ahead to look (default: {DUE_DAYS})",
    )

    reel = group("reel", "a session's reel: show, order, export")
    reel_sub = reel.add_subparsers(dest="reel_command", metavar="ACTION", required=True)
    p = add("show", cmd_reel_show, "the reel's moments in order, and guidance notes", reel_sub)
    p.add_argument("--session", type=record_id, required=True, metavar="ID")
    p = add("order", cmd_reel_order, "set the reel's order", reel_sub)
    p.add_argument("--session", type=record_id, required=True, metavar="ID")
    p.add_argument("order", metavar="ID,ID,…", help="moment ids in their new order")
    _add_if_version(p)
    p = add("theme", cmd_reel_theme, "set the session's feedback theme (VIPP-SD)", reel_sub)
    p.add_argument("--session", type=record_id, required=True, metavar="ID")
    p.add_argument("theme")
    _add_if_version(p)
    p = add(
        "export",
        cmd_reel_export,
        "export NN.mp4, NN.png, reel.srt and handout.pdf for a purpose the consent covers",
        reel_sub,
    )
    p.add_argument("--session", type=record_id, required=True, metavar="ID")
    p.add_argument("--purpose", required=True, choices=list(PURPOSES))
    p.add_argument("-o", "--output", required=True, metavar="DIR")
    p.add_argument("--burn-captions", action="store_true", help="draw captions into the video")
    p.add_argument("--no-handout", action="store_true", help="leave out handout.pdf")
    p.add_argument("--force", action="store_true", help="replace files of the same names in DIR")
    p = add("script", cmd_reel_script, "the feedback script for the visit (PDF)", reel_sub)
    p.add_argument("--session", type=record_id, required=True, metavar="ID")
    p.add_argument("--purpose", default="feedback", choices=list(PURPOSES))
    p.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    add_force(p)
