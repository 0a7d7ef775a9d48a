"""``vfa schemes``, ``vfa score`` and ``vfa progress``: coding schemes and the scores on them."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from vfa.cli.common import (
    Add,
    Group,
    add_force,
    emit,
    emit_rows,
    load_scheme,
    open_workspace,
    scheme_library,
)

if TYPE_CHECKING:
    from pathlib import Path

    from vfa.services.progress import Progress

# the progress chart's formats (ui/progress_chart.py draws them)
CHART_SUFFIXES = (".png", ".svg")


def cmd_schemes_list(args: argparse.Namespace) -> int:
    from vfa.services.schemes import scan_schemes

    scan = scan_schemes()
    for problem in scan.problems:
        print(f"vfa: skipped {problem}", file=sys.stderr)
    data = [
        {"id": s.id, "name": s.name, "version": s.version, "file": s.source_file}
        for s in scan.schemes
    ]
    emit_rows(
        args,
        data,
        lambda r: f"{r['id']:<20} {r['version']:<6} {r['name']}  ({r['file']})",
        "no schemes",
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

    emit(args, scheme_as_dict(load_scheme(args, args.id)), _scheme_text)
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


def cmd_score(args: argparse.Namespace) -> int:
    from vfa.services.scoring import score_ratings_csv

    scores = score_ratings_csv(args.ratings, load_scheme(args, args.scheme))
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

    def line(r: dict[str, Any]) -> str:
        total = f"{r['total']:.2f} ({r['band'] or 'no band'})" if r["total"] is not None else "-"
        return f"{r['unit']} / {r['coder']}: {total}" + (
            f", {len(r['missing'])} missing" if r["missing"] else ""
        )

    emit_rows(args, data, line, "no ratings")
    return 0


def cmd_progress(args: argparse.Namespace) -> int:
    from vfa.outputs import check_target
    from vfa.services.progress import case_progress

    if args.output:  # refused before any work: a link, a device, an existing file
        check_target(args.output, force=args.force, suffixes=CHART_SUFFIXES)
    with open_workspace(args) as ws:
        progress = case_progress(
            ws,
            args.case,
            args.scheme,
            submitted_only=args.submitted_only,
            find_scheme=scheme_library(args).get,
        )
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

    emit(args, data, text)
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


def register(add: Add, group: Group) -> None:
    """Add ``vfa schemes list|show|validate``, ``vfa score`` and ``vfa progress``."""
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
    add_force(p)
