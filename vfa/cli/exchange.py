"""``vfa import`` and ``vfa export``: coding in from other tools' files and out to them."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from vfa.cli.common import Add, Group, emit, open_workspace
from vfa.cli.types import record_id
from vfa.errors import InvalidInputError

if TYPE_CHECKING:
    from vfa.storage.workspace import Workspace


def _problems(problems: Any) -> list[dict[str, str]]:
    return [{"place": p.place, "reason": p.reason} for p in problems]


def _import_text(d: dict[str, Any]) -> str:
    runs = ", ".join(
        f"run {r['run_id'] or '(new)'} (clip {r['clip_id']}, {r['coder']})" for r in d["runs"]
    )
    verb = "would import" if d["batch"] is None else "imported"
    scheme = d["scheme"]["id"] + (" (new scheme)" if d["scheme"]["created"] else "")
    lines = [
        f"{verb} {d['events']} events ({d['points']} points, {d['states']} states) with "
        f"scheme {scheme} into {runs or 'no run'}"
    ]
    if d["batch"] is not None:
        lines.append(f"batch {d['batch']} (undo: vfa import --undo {d['batch']})")
    lines += [f"  {p['place']}: {p['reason']}" for p in d["problems"]]
    return "\n".join(lines)


def cmd_import(args: argparse.Namespace) -> int:
    from vfa.services.imports import ImportOptions, plan_import, run_import, undo_import

    if (args.file is None) == (args.undo is None):
        raise InvalidInputError("import: give a FILE to import, or --undo BATCH")
    with open_workspace(args) as ws:
        if args.undo is not None:
            undone = undo_import(ws, args.undo)
            data: dict[str, Any] = {
                "batch": undone.batch,
                "runs": undone.runs,
                "events": undone.events,
                "scheme_removed": undone.scheme_removed,
                "scheme_file": undone.scheme_file,
            }
            emit(
                args,
                data,
                lambda d: (
                    f"undid import {d['batch']}: removed run(s) "
                    f"{', '.join(map(str, d['runs'])) or '-'} and {d['events']} events"
                ),
            )
            return 0
        if args.restore:
            return _restore(args, ws)
        options = ImportOptions(
            clip_id=args.clip,
            media_dir=args.media_dir,
            observation=args.observation,
            coder=args.coder,
            scheme_id=args.scheme,
            skip_unknown=args.skip_unknown,
        )
        plan = plan_import(ws, args.file, options)
        if plan.refusals:
            for p in plan.refusals:
                print(f"vfa: {args.file}: {p.place}: {p.reason}", file=sys.stderr)
            hint = " (--skip-unknown leaves unknown codes out)" if not args.skip_unknown else ""
            print(f"vfa: {args.file}: not imported; nothing was changed{hint}", file=sys.stderr)
            return 2
        data = {
            "batch": None,
            "format": plan.format,
            "runs": [
                {"run_id": None, "clip_id": r.clip_id, "coder": r.coder, "scheme": plan.scheme.id}
                for r in plan.runs
            ],
            "scheme": {"id": plan.scheme.id, "created": plan.scheme_created},
            "events": plan.events,
            "points": plan.points,
            "states": plan.states,
            "problems": _problems(plan.problems),
        }
        if not args.dry_run:
            result = run_import(ws, plan)
            data["batch"] = result.batch
            data["runs"] = [
                {"run_id": r.run_id, "clip_id": r.clip_id, "coder": r.coder, "scheme": r.scheme}
                for r in result.runs
            ]
            data["problems"] = _problems(result.problems)
    emit(args, data, _import_text)
    return 0


def _restore(args: argparse.Namespace, ws: Workspace) -> int:
    from vfa.services.workspace_restore import import_workspace_json

    if args.dry_run:
        raise InvalidInputError("import --restore: --dry-run is not offered for a restore")
    restored = import_workspace_json(ws, args.file)
    data = {
        "cases": restored.cases,
        "clips": restored.clips,
        "runs": restored.runs,
        "events": restored.events,
        "ratings": restored.ratings,
        "sha256": restored.sha256,
    }
    emit(
        args,
        data,
        lambda d: (
            f"restored {d['cases']} cases, {d['clips']} clips, {d['runs']} runs, "
            f"{d['events']} events and {d['ratings']} ratings from {args.file}"
        ),
    )
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from vfa.services.exports import Selection, export_file

    selection = Selection(
        clip_id=args.clip,
        session_id=args.session,
        case=args.case,
        coder=args.coder,
        scheme=args.scheme,
        viewer=args.viewer,
    )
    with open_workspace(args) as ws:
        result = export_file(
            ws, args.format, args.output, selection, what=args.what, force=args.force
        )
    for why in result.left_out:
        print(f"vfa: note: {why}", file=sys.stderr)
    data = {
        "path": str(result.path),
        "format": args.format,
        "what": result.what,
        "runs": result.runs,
        "rows": result.rows,
        "left_out": result.left_out,
    }
    emit(
        args,
        data,
        lambda d: (
            f"exported {d['rows']} {d['what'] if d['format'] == 'csv' else 'events'} "
            f"of {d['runs']} run(s) to {d['path']}"
            + (f" ({len(d['left_out'])} run(s) left out: blind)" if d["left_out"] else "")
        ),
    )
    return 0


def register(add: Add, group: Group) -> None:
    """Add the import and export commands to the ``vfa`` parser."""
    from vfa.services.choices import FORMATS

    p = add(
        "import",
        cmd_import,
        "import coding from an ELAN, BORIS, Datavyu, Observer XT or VFA file into a clip",
    )
    p.add_argument("file", nargs="?", metavar="FILE", help="the file to import")
    p.add_argument("--clip", type=record_id, metavar="ID", help="the clip the events go into")
    p.add_argument(
        "--media-dir", metavar="DIR", help="find the file's media here by content fingerprint"
    )
    p.add_argument("--observation", metavar="NAME", help="import only this observation")
    p.add_argument("--coder", metavar="NAME", help="whose coding it is (default: the file's)")
    p.add_argument("--scheme", metavar="ID", help="map the codes onto this scheme")
    p.add_argument(
        "--skip-unknown", action="store_true", help="leave out codes the scheme does not know"
    )
    p.add_argument(
        "--dry-run", action="store_true", help="say what would be imported; write nothing"
    )
    p.add_argument("--undo", metavar="BATCH", help="remove everything an import batch added")
    p.add_argument(
        "--restore",
        action="store_true",
        help="restore a whole workspace from VFA's JSON export (into an empty workspace)",
    )
    p = add("export", cmd_export, "export coding: tidy CSV, JSON, ELAN, BORIS, SDIS or SRT")
    p.add_argument("--format", required=True, choices=FORMATS)
    p.add_argument("--what", choices=("events", "ratings"), default="events")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--clip", type=record_id, metavar="ID", help="one clip")
    which.add_argument("--session", type=record_id, metavar="ID", help="one session")
    which.add_argument("--case", metavar="CODE", help="one case")
    which.add_argument("--all", action="store_true", help="the whole workspace (the default)")
    p.add_argument("--coder", metavar="NAME", help="only this coder's runs")
    p.add_argument("--scheme", metavar="ID", help="only runs with this scheme")
    p.add_argument("-o", "--output", required=True, metavar="FILE")
    p.add_argument("--force", action="store_true", help="replace an existing file")
