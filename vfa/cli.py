"""The ``vfa`` command: the GUI launcher and batch subcommands over the services."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import DatabaseError

from vfa.cli_types import cycle, frame_index, iso_date, milliseconds
from vfa.errors import InvalidInputError, VfaError
from vfa.storage.engine import is_memory_url

# the progress chart's formats (ui/progress_chart.py draws them)
CHART_SUFFIXES = (".png", ".svg")

if TYPE_CHECKING:
    from pathlib import Path

    from vfa.domain.schemes import Scheme
    from vfa.services.progress import Progress
    from vfa.storage.workspace import Workspace


def _emit(args: argparse.Namespace, data: Any, text: Callable[[Any], str]) -> None:
    if getattr(args, "json", False):
        # never a bare NaN or Infinity: an undefined value is null
        print(json.dumps(data, indent=1, default=str, allow_nan=False))
    else:
        print(text(data))


def _workspace(args: argparse.Namespace) -> Workspace:
    from vfa.services.backups import DAILY, backup_if_due
    from vfa.services.workspaces import open_workspace

    ws = open_workspace(args.workspace)
    try:
        backup_if_due(ws, "daily", DAILY)  # a command-line user gets the daily backup too
    except VfaError as exc:  # a backup that cannot be made must not stop the work
        print(f"vfa: warning: {exc}", file=sys.stderr)
    return ws


def cmd_probe(args: argparse.Namespace) -> int:
    from vfa.media.probe import probe

    result = probe(args.file).summary()
    result.pop("path")
    _emit(args, result, lambda d: "\n".join(f"{k}: {v}" for k, v in d.items()))
    return 0


def _existing_workspace(args: argparse.Namespace) -> Workspace | None:
    """The workspace named with --workspace, else the user's own when there is one."""
    if args.workspace is None:
        from vfa.storage.engine import default_workspace_path

        if not default_workspace_path().exists():
            return None
    return _workspace(args)


def cmd_still(args: argparse.Namespace) -> int:
    from vfa.services.stills import still_from_file

    ws = _existing_workspace(args)
    try:
        still = still_from_file(
            args.file,
            args.output,
            at_ms=args.at_ms,
            frame=args.frame,
            force=args.force,
            ws=ws,
            purpose=args.purpose,
        )
    finally:
        if ws is not None:
            ws.close()
    data = {
        "frame": still.frame,
        "pts_ms": still.pts_ms,
        "path": str(still.path),
        "clip_id": still.clip_id,
        "purpose": still.purpose,
    }
    _emit(args, data, lambda d: f"frame {d['frame']} ({d['pts_ms']} ms) -> {d['path']}")
    return 0


def cmd_clip_add(args: argparse.Namespace) -> int:
    from vfa.services.clips import add_clip, verify_clip

    ws = _workspace(args)
    try:
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
    finally:
        ws.close()
    data = {"case_id": added.case_id, "session_id": added.session_id, "clip_id": added.clip_id}
    _emit(
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

    ws = _workspace(args)
    try:
        cases = catalog(ws)
    finally:
        ws.close()
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
    _emit(
        args,
        data,
        lambda d: (
            "\n".join(f"{r['clip_id']:>5}  {r['case']} / {r['session']} / {r['name']}" for r in d)
            or "no clips"
        ),
    )
    return 0


def cmd_clip_check(args: argparse.Namespace) -> int:
    from vfa.services.clips import ClipState, check_all

    ws = _workspace(args)
    try:
        checks = check_all(ws, quick=args.quick)
    finally:
        ws.close()
    data = [
        {"clip_id": c.clip_id, "path": c.path, "state": c.state.value, "message": c.message}
        for c in checks
    ]
    _emit(
        args, data, lambda d: "\n".join(f"{r['state']:>8}  {r['message']}" for r in d) or "no clips"
    )
    return 1 if any(c.state is not ClipState.OK for c in checks) else 0


def cmd_clip_relink(args: argparse.Namespace) -> int:
    from vfa.services.clips import relink

    ws = _workspace(args)
    try:
        found = relink(ws, args.folder)
    finally:
        ws.close()
    data = [{"clip_id": c.clip_id, "path": c.path} for c in found]
    _emit(
        args,
        data,
        lambda d: (
            "\n".join(f"relinked clip {r['clip_id']}: {r['path']}" for r in d)
            or "no missing clip was found there"
        ),
    )
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from vfa.services.clips import catalog
    from vfa.services.workspaces import open_demo

    if args.open:  # the window shows at once and prepares the demo with a progress bar
        from vfa.app import run_gui

        return run_gui(args.workspace, demo=True)
    ws = open_demo(args.workspace)
    try:
        clip_id = next(k.id for c in catalog(ws) for s in c.sessions for k in s.clips)
        location = ws.label
    finally:
        ws.close()
    _emit(
        args,
        {"workspace": location, "clip_id": clip_id},
        lambda d: f"demo workspace ready: {d['workspace']}",
    )
    return 0


def cmd_workspace_new(args: argparse.Namespace) -> int:
    from vfa.services.workspaces import new_workspace

    ws = new_workspace(args.target or args.workspace, name=args.name)
    try:
        data = {"name": ws.name, "location": ws.label}
    finally:
        ws.close()
    _emit(args, data, lambda d: f"new workspace {d['name']}: {d['location']}")
    return 0


def cmd_workspace_info(args: argparse.Namespace) -> int:
    from vfa.services.workspaces import workspace_summary

    ws = _workspace(args)
    try:
        data = workspace_summary(ws)
    finally:
        ws.close()
    _emit(args, data, lambda d: "\n".join(f"{k}: {v}" for k, v in d.items()))
    return 0


def cmd_schemes_list(args: argparse.Namespace) -> int:
    from vfa.services.schemes import scan_schemes

    scan = scan_schemes()
    for problem in scan.problems:
        print(f"vfa: skipped {problem}", file=sys.stderr)
    data = [
        {"id": s.id, "name": s.name, "version": s.version, "file": s.source_file}
        for s in scan.schemes
    ]
    _emit(
        args,
        data,
        lambda d: (
            "\n".join(f"{r['id']:<20} {r['version']:<6} {r['name']}  ({r['file']})" for r in d)
            or "no schemes"
        ),
    )
    return 0


def _scheme_text(d: dict[str, Any]) -> str:
    lines = [f"{d['name']} ({d['id']} version {d['version']})", f"file: {d['file']}"]
    if d["ratings"]:
        lines.append(f"ratings ({d['ratings']['aggregate']}):")
        lines += [f"  {i['id']}: {i['name']}" for i in d["ratings"]["items"]]
        lines += [f"  band {b['label']}: {b['min']:g}–{b['max']:g}" for b in d["ratings"]["bands"]]
    for grid in d["grids"]:
        lines.append(f"grid {grid['id']}: {grid['points_per_row']} points per row")
        lines += [f"  row {r['id']}: {r['name']}" for r in grid["rows"]]
        for member in grid["members"]:
            lines += [f"  {member['id']} scale {s['id']}: {s['name']}" for s in member["scales"]]
        lines += [
            f"  band {b['label']} ({grid['band_scale']}): {b['min']:g}–{b['max']:g}"
            for b in grid["bands"]
        ]
    if d["ethogram"]:
        lines.append("codes:")
        lines += [
            f"  {c['hotkey'] or '-':<8} {c['id']}: {c['name']}" for c in d["ethogram"]["codes"]
        ]
    return "\n".join(lines)


def cmd_schemes_show(args: argparse.Namespace) -> int:
    from vfa.domain.schemes import scheme_as_dict

    _emit(args, scheme_as_dict(_scheme(args.id)), _scheme_text)
    return 0


def cmd_schemes_validate(args: argparse.Namespace) -> int:
    from vfa.errors import SchemeError
    from vfa.services.schemes import load_scheme_file

    bad = 0
    for file in args.files:
        try:
            load_scheme_file(file)
        except SchemeError as exc:
            print(exc, file=sys.stderr)
            bad += 1
        else:
            print(f"{file}: ok")
    return 2 if bad else 0


def _scheme(id_or_file: str) -> Scheme:
    from vfa.services.schemes import SUFFIXES, get_scheme, load_scheme_file

    if id_or_file.lower().endswith(SUFFIXES):
        return load_scheme_file(id_or_file)
    return get_scheme(id_or_file)


def cmd_score(args: argparse.Namespace) -> int:
    from vfa.services.scoring import score_ratings_csv

    scores = score_ratings_csv(args.ratings, _scheme(args.scheme))
    data = [
        {
            "unit": s.unit,
            "coder": s.coder,
            "total": s.result.total,
            "band": s.result.band,
            "missing": list(s.result.missing),
        }
        for s in scores
    ]

    def text(d: list[dict[str, Any]]) -> str:
        return (
            "\n".join(
                f"{r['unit']} / {r['coder']}: "
                + (
                    f"{r['total']:.2f} ({r['band'] or 'no band'})"
                    if r["total"] is not None
                    else "-"
                )
                + (f", {len(r['missing'])} missing" if r["missing"] else "")
                for r in d
            )
            or "no ratings"
        )

    _emit(args, data, text)
    return 0


def cmd_progress(args: argparse.Namespace) -> int:
    from vfa.outputs import check_target
    from vfa.services.progress import case_progress

    if args.output:  # refused before any work: a link, a device, an existing file
        check_target(args.output, force=args.force, suffixes=CHART_SUFFIXES)
    ws = _workspace(args)
    try:
        progress = case_progress(ws, args.case, args.scheme, submitted_only=args.submitted_only)
    finally:
        ws.close()
    written = _progress_chart(progress, args.output, args.force) if args.output else None
    data = [
        {
            "session": p.session_label,
            "date": p.date.isoformat() if p.date else None,
            "cycle": p.cycle,
            "coder": p.coder,
            "total": p.total,
            "band": p.band,
        }
        for p in progress.points
    ]

    def text(d: list[dict[str, Any]]) -> str:
        lines = [f"{progress.case_code} · {progress.scheme_name} — {progress.measure}"]
        lines += [
            f"{r['session']} ({r['date'] or 'no date'}) / {r['coder']}: "
            + (f"{r['total']:.2f} ({r['band'] or 'no band'})" if r["total"] is not None else "-")
            for r in d
        ] or ["no codings"]
        if written is not None:
            lines.append(f"chart -> {written}")
        return "\n".join(lines)

    _emit(args, data, text)
    return 0


def _progress_chart(progress: Progress, output: str, force: bool) -> Path:
    """Draw the progress chart into a PNG or SVG file, without showing a window."""
    import os

    if sys.platform.startswith("linux") and not (
        os.environ.get("QT_QPA_PLATFORM")
        or os.environ.get("DISPLAY")
        or os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication

    from vfa.ui.progress_chart import ProgressChart

    if QApplication.instance() is None:
        QApplication(["vfa"])  # Qt keeps it as the application instance
    chart = ProgressChart()
    chart.set_progress(progress)
    return chart.export(output, force=force)


def _force(p: argparse.ArgumentParser) -> None:
    """``--force``: the one way to let a writer replace an existing file."""
    p.add_argument(
        "--force", action="store_true", help="replace an existing file (never a link or device)"
    )


AS_HELP = (
    "who you are: the coder name your coding is stored under and what you may see of "
    "blind coding is decided for (default: Settings → Coder, else your login name)"
)


def build_parser() -> argparse.ArgumentParser:
    from vfa.services.consent import PURPOSES

    parser = argparse.ArgumentParser(
        prog="vfa", description="Video Feedback Annotator. Without a subcommand: the desktop app."
    )
    # Options every command takes, before or after the subcommand. Below the top level their
    # default is SUPPRESS, so an option given before the subcommand is not reset by the
    # subcommand's parser.
    parser.add_argument(
        "--workspace",
        metavar="PATH_OR_URL",
        default=None,
        help="a workspace file or SQLAlchemy URL (default: your workspace)",
    )
    parser.add_argument("--json", action="store_true", default=False, help=argparse.SUPPRESS)
    parser.add_argument("--as", dest="viewer", metavar="NAME", default=None, help=AS_HELP)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--workspace",
        metavar="PATH_OR_URL",
        default=argparse.SUPPRESS,
        help="a workspace file or SQLAlchemy URL (default: your workspace)",
    )
    common.add_argument(
        "--as", dest="viewer", metavar="NAME", default=argparse.SUPPRESS, help=AS_HELP
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(
        name: str,
        func: Callable[[argparse.Namespace], int],
        help_: str,
        parent: Any = sub,
        json_out: bool = True,
    ) -> argparse.ArgumentParser:
        p = parent.add_parser(name, parents=[common], help=help_, description=help_)
        if json_out:
            p.add_argument(
                "--json", action="store_true", default=argparse.SUPPRESS, help="print JSON"
            )
        p.set_defaults(func=func)
        return p

    def group(name: str, help_: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, parents=[common], help=help_, description=help_)

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
    _force(p)
    p = add("demo", cmd_demo, "create the demo workspace (default: the demo workspace file)")
    p.add_argument("--open", action="store_true", help="then open it in the desktop app")
    p = add("gui", _gui, "open the desktop app", json_out=False)

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

    schemes = group("schemes", "list, show and validate coding schemes")
    schemes_sub = schemes.add_subparsers(dest="schemes_command", metavar="ACTION", required=True)
    add("list", cmd_schemes_list, "the schemes VFA can use: id, name, version, file", schemes_sub)
    p = add("show", cmd_schemes_show, "a scheme as parsed: every item and code", schemes_sub)
    p.add_argument("id", help="a scheme id (see 'vfa schemes list') or a scheme file")
    p = add(
        "validate",
        cmd_schemes_validate,
        "check scheme files: 'FILE: ok', or FILE: PLACE: REASON on stderr (exit 2)",
        schemes_sub,
        json_out=False,
    )
    p.add_argument("files", nargs="+", metavar="FILE")
    p = add("score", cmd_score, "score item ratings from a CSV file (unit,coder,item,value)")
    p.add_argument("ratings", metavar="RATINGS.csv")
    p.add_argument(
        "--scheme", required=True, metavar="ID", help="a scheme id or a scheme file (.yaml)"
    )

    p = add("progress", cmd_progress, "a case's score on a scheme at each session, per coder")
    p.add_argument("--case", required=True, help="pseudonymous case code, e.g. FAM-017")
    p.add_argument("--scheme", required=True, metavar="ID", help="a scheme id, e.g. kips")
    p.add_argument("--submitted-only", action="store_true", help="only codings that were submitted")
    p.add_argument(
        "-o", "--output", metavar="FILE.svg|FILE.png", help="also draw the chart into this file"
    )
    _force(p)

    from vfa.cli_feedback import register as register_feedback

    register_feedback(add, group)

    from vfa.cli_reliability import register as register_reliability

    register_reliability(add, group)

    from vfa.cli_data import register as register_data

    register_data(add, group)

    from vfa.cli_exchange import register as register_exchange

    register_exchange(add, group)

    ws = group("workspace", "create a workspace, or show its facts")
    ws_sub = ws.add_subparsers(dest="ws_command", metavar="ACTION", required=True)
    add("info", cmd_workspace_info, "name, location, schema and counts", ws_sub)
    p = add(
        "new", cmd_workspace_new, "create a new, empty workspace (a file or a database)", ws_sub
    )
    p.add_argument(
        "target", nargs="?", metavar="PATH_OR_URL", help="where (default: --workspace, else yours)"
    )
    p.add_argument("--name", help="the workspace's name (default: the file name)")
    return parser


def _gui(args: argparse.Namespace) -> int:
    from vfa.app import run_gui

    return run_gui(args.workspace)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    opens_window = (
        args.command is None or args.func is _gui or (args.func is cmd_demo and args.open)
    )
    if opens_window and args.viewer:
        return _fail("--as is for the batch commands; the window's coder is Settings → Coder")
    if args.command is None:
        return _gui(args)
    from vfa.services.viewer import viewing_as

    try:
        _check_options(args)
        with viewing_as(args.viewer):
            return int(args.func(args))
    except VfaError as exc:
        return _fail(str(exc))
    except BrokenPipeError:  # `vfa … | head` stopped reading: not an error of VFA's
        sys.stderr.close()
        return 0
    except OSError as exc:  # a file given on the command line: a symlink loop, a device …
        where = exc.filename if exc.filename is not None else "file"
        return _fail(f"{where}: {exc.strerror or exc}")
    except ValueError as exc:
        return _fail(str(exc))
    except DatabaseError as exc:
        return _fail(f"the workspace could not be used ({getattr(exc, 'orig', None) or exc})")


def _check_options(args: argparse.Namespace) -> None:
    """Options every command takes: a person's name, a workspace that keeps what it is given."""
    from vfa.domain.text_fields import single_line

    if args.viewer is not None:
        args.viewer = single_line(args.viewer, "--as", 128, example="Ann")
    target = getattr(args, "workspace", None) or getattr(args, "target", None)
    if isinstance(target, str) and is_memory_url(target):
        raise InvalidInputError(
            f"--workspace {target}: an in-memory database keeps nothing after the command; "
            "give a workspace file or a PostgreSQL URL"
        )


def _fail(message: str) -> int:
    print(f"vfa: {message}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
