"""``vfa backup``, ``vfa restore`` and ``vfa check``: keeping a workspace safe."""

from __future__ import annotations

import argparse
from typing import Any

from vfa.cli.common import Add, Group, emit, emit_rows, open_workspace, scheme_library
from vfa.cli.types import count


def cmd_backup(args: argparse.Namespace) -> int:
    from vfa.services.backups import backup_now, backups_of, keep_count, set_keep_count

    with open_workspace(args, daily_backup=False) as ws:
        if args.keep is not None:
            set_keep_count(ws, args.keep)
        if args.list:
            data: Any = [
                {
                    "path": str(b.path),
                    "made": b.made.isoformat(),
                    "reason": b.reason,
                    "size": b.size,
                }
                for b in backups_of(ws)
            ]
            emit_rows(
                args,
                data,
                lambda r: f"{r['made']}  {r['reason']:<14} {r['path']}",
                "no backups yet",
            )
            return 0
        made = backup_now(ws, "manual", args.output)
        data = {"path": str(made), "keep": keep_count(ws)}
    emit(args, data, lambda d: f"backup -> {d['path']}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from vfa.services.backups import restore_backup

    path, before = restore_backup(args.workspace, args.backup)
    emit(
        args,
        {"workspace": str(path), "restored_from": args.backup, "before": str(before)},
        lambda d: (
            f"restored {d['workspace']} from {d['restored_from']}; "
            f"the state before is kept as {d['before']}"
        ),
    )
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from vfa.services.check import check_workspace

    with open_workspace(args, read_only=True) as ws:
        findings = check_workspace(ws, scheme_library(args).get)
        where = ws.label
    data = {
        "workspace": where,
        "ok": not findings,
        "problems": [
            {"kind": f.kind, "place": f.place, "problem": f.problem, "advice": f.advice}
            for f in findings
        ],
    }
    emit(
        args,
        data,
        lambda d: (
            f"{d['workspace']}: all is well"
            if d["ok"]
            else "\n".join(
                f"{p['place']}: {p['problem']}\n    {p['advice']}" for p in d["problems"]
            )
        ),
    )
    return 1 if findings else 0


def register(add: Add, group: Group) -> None:
    """Add the backup, restore and check commands to the ``vfa`` parser."""
    p = add("backup", cmd_backup, "back the workspace up now (kept in backups/ beside it)")
    p.add_argument("-o", "--output", metavar="FILE.vfa", help="write the backup here instead")
    p.add_argument("--list", action="store_true", help="list the backups, newest first")
    p.add_argument("--keep", type=count, metavar="N", help="keep the newest N backups (10)")
    p = add(
        "restore",
        cmd_restore,
        "put a backup's content back into the workspace (the current state is backed up first)",
    )
    p.add_argument("backup", metavar="BACKUP.vfa")
    add(
        "check",
        cmd_check,
        "check the workspace: integrity, references, clip files, scheme files (exit 1 if wrong)",
    )
