"""``vfa audit``: the audit trail, newest first, filtered by person, case, kind and dates;
as lines, JSON, or a CSV file."""

from __future__ import annotations

import argparse
import json
from typing import Any

from vfa.cli.common import Add, Group, add_force, emit, emit_rows, open_workspace
from vfa.cli.types import count, day


def cmd_audit(args: argparse.Namespace) -> int:
    from vfa.outputs import check_target
    from vfa.services.audit_trail import read_audit, write_audit_csv

    since = day(args.since, "--since") if args.since is not None else None
    until = day(args.until, "--until") if args.until is not None else None
    if args.csv is not None:
        check_target(args.csv, force=args.force, suffixes=(".csv",))  # before any work
    with open_workspace(args) as ws:
        rows = read_audit(
            ws,
            person=args.person,
            case=args.case,
            kind=args.kind,
            since=since,
            until=until,
            limit=args.limit,
            strict=True,
        )
    if args.csv is not None:
        written = write_audit_csv(rows, args.csv, force=args.force)
        emit(
            args,
            {"file": str(written), "entries": len(rows)},
            lambda d: f"written to {d['file']} (audit entries: {d['entries']})",
        )
        return 0
    emit_rows(args, [r.as_dict() for r in rows], _line, "no audit entries")
    return 0


def _line(entry: dict[str, Any]) -> str:
    """One entry as a line: local time, who, what, where, and before → after."""
    from datetime import datetime

    when = datetime.fromisoformat(entry["when"]).astimezone()
    what = " ".join(
        str(p) for p in (entry["action"], entry["entity"], entry["entity_id"]) if p is not None
    )
    place = ", ".join(
        part
        for part in (
            f"case {entry['case']}" if entry["case"] else "",
            f"clip {entry['clip_id']}" if entry["clip_id"] is not None else "",
            f"run {entry['run_id']}" if entry["run_id"] is not None else "",
        )
        if part
    )
    parts = [f"{when:%Y-%m-%d %H:%M:%S}", entry["who"] or "-", what]
    if place:
        parts.append(f"[{place}]")
    if entry["hidden"]:
        parts.append("(values hidden: blind coding)")
    else:
        if entry["before"] is not None or entry["after"] is not None:
            parts.append(f"{_compact(entry['before'])} → {_compact(entry['after'])}")
        if entry["detail"]:
            parts.append(_compact(entry["detail"]))
    return "  ".join(parts)


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def register(add: Add, group: Group) -> None:
    """Add ``vfa audit`` to the ``vfa`` parser."""
    p = add(
        "audit",
        cmd_audit,
        "the audit trail: who did what, when, to which case, clip and run, newest first",
    )
    p.add_argument("--person", metavar="NAME", help="only what this person did")
    p.add_argument("--case", metavar="CODE", help="only what was done to this case")
    p.add_argument(
        "--kind",
        metavar="KIND",
        help="an action (rate, consent, export, …) or a kind of record (clip, event, person, …)",
    )
    p.add_argument("--since", metavar="YYYY-MM-DD", help="from this day on (local time)")
    p.add_argument("--until", metavar="YYYY-MM-DD", help="up to and with this day")
    p.add_argument("--limit", type=count, metavar="N", help="the newest N entries only")
    p.add_argument("--csv", metavar="FILE.csv", help="write the entries to a CSV file")
    add_force(p)
