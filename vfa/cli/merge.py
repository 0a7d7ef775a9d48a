"""``vfa merge OTHER`` and ``vfa checkout``: work done elsewhere (a laptop, another
workspace) brought into this one, and a coder's clips taken away to code."""

from __future__ import annotations

import argparse

from vfa.cli.common import Add, Group, emit, open_workspace


def case_rename(text: str) -> tuple[str, str]:
    """``OLD=NEW``: an incoming case's code and the code it takes here."""
    old, sep, new = text.partition("=")
    if not sep or not old.strip() or not new.strip():
        raise argparse.ArgumentTypeError(
            f"{text!r}: give the incoming case's code and its new one, as FAM-001=FAM-001-B"
        )
    return old.strip(), new.strip()


def cmd_merge(args: argparse.Namespace) -> int:
    from vfa.services.merge import merge, merge_text
    from vfa.services.merge_report import rename_map

    renames = rename_map(args.rename_case or [], "--rename-case")
    same = set(args.same_case or [])
    # a dry run reads this workspace only; a merge backs it up itself, before writing
    with open_workspace(args, read_only=args.dry_run, daily_backup=False) as ws:
        report = merge(ws, args.other, dry_run=args.dry_run, renames=renames, same_cases=same)
    emit(args, report.as_dict(), lambda _d: merge_text(report))
    return 1 if report.conflicts else 0


def cmd_checkout(args: argparse.Namespace) -> int:
    from vfa.services.checkout import checkout

    result = checkout(args.source or args.workspace, args.coder, args.output)
    data = {
        "path": str(result.path),
        "from": result.source,
        "coder": result.coder,
        "clips": result.clips,
        "runs": result.runs,
        "schemes": result.schemes,
    }
    emit(
        args,
        data,
        lambda d: (
            f"{d['coder']}'s {d['clips']} clip(s) and {d['runs']} run(s) from {d['from']} "
            f"-> {d['path']}\n"
            f"code there (the videos are not copied: vfa clip relink FOLDER finds them), then "
            f"bring it back: vfa merge {d['path']} --workspace {d['from']}"
        ),
    )
    return 0


def register(add: Add, group: Group) -> None:
    """Add the merge and checkout commands to the ``vfa`` parser."""
    del group
    p = add(
        "merge",
        cmd_merge,
        "bring another workspace's work into this one (a laptop's checkout, another site's "
        "workspace); identical items are skipped, a run changed on both sides refuses it all",
    )
    p.add_argument("other", metavar="OTHER", help="the workspace to merge from: a file or URL")
    p.add_argument(
        "--dry-run", action="store_true", help="say what the merge would do; change nothing"
    )
    p.add_argument(
        "--rename-case",
        action="append",
        type=case_rename,
        metavar="CODE=NEW",
        help="give an incoming case another code (another family with the same code here)",
    )
    p.add_argument(
        "--same-case",
        action="append",
        metavar="CODE",
        help="the incoming case is this workspace's case of that code, though no clip matches",
    )
    p = add(
        "checkout",
        cmd_checkout,
        "a new workspace file with a coder's clips to code, to take away; bring it back "
        "with vfa merge",
    )
    p.add_argument(
        "source",
        nargs="?",
        metavar="URL_OR_PATH",
        help="the workspace to take the clips from (default: --workspace, else yours)",
    )
    p.add_argument("--coder", required=True, metavar="NAME", help="whose assigned clips")
    p.add_argument(
        "-o", "--output", required=True, metavar="FILE.vfa", help="the new workspace file"
    )
