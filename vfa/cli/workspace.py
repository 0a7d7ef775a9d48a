"""``vfa gui``, ``vfa demo`` and ``vfa workspace``: the desktop app, and making workspaces."""

from __future__ import annotations

import argparse

from vfa.cli import encryption
from vfa.cli.common import Add, Group, emit, open_workspace


def cmd_gui(args: argparse.Namespace) -> int:
    from vfa.app import run_gui

    return run_gui(args.workspace)


def cmd_demo(args: argparse.Namespace) -> int:
    if args.open:  # the window shows at once and prepares the demo with a progress bar
        from vfa.app import run_gui

        return run_gui(args.workspace, demo=True)
    from vfa.services.clips import catalog
    from vfa.services.workspaces import open_demo

    with open_workspace(args, opener=lambda: open_demo(args.workspace)) as ws:
        clip_id = next(k.id for c in catalog(ws) for s in c.sessions for k in s.clips)
        location = ws.label
    emit(
        args,
        {"workspace": location, "clip_id": clip_id},
        lambda d: f"demo workspace ready: {d['workspace']}",
    )
    return 0


def opens_window(args: argparse.Namespace) -> bool:
    """Whether the command shows the desktop app rather than printing."""
    return args.command is None or args.func is cmd_gui or (args.func is cmd_demo and args.open)


def cmd_workspace_new(args: argparse.Namespace) -> int:
    from vfa.services.workspaces import new_workspace

    target = args.target or args.workspace
    with open_workspace(args, opener=lambda: new_workspace(target, name=args.name)) as ws:
        data = {"name": ws.name, "location": ws.label}
    emit(args, data, lambda d: f"new workspace {d['name']}: {d['location']}")
    return 0


def cmd_workspace_info(args: argparse.Namespace) -> int:
    from vfa.services.workspaces import workspace_summary

    with open_workspace(args) as ws:
        data = workspace_summary(ws)
    emit(args, data, lambda d: "\n".join(f"{k}: {v}" for k, v in d.items()))
    return 0


def register_app(add: Add) -> None:
    """Add ``vfa demo`` and ``vfa gui``."""
    p = add("demo", cmd_demo, "create the demo workspace (default: the demo workspace file)")
    p.add_argument("--open", action="store_true", help="then open it in the desktop app")
    add("gui", cmd_gui, "open the desktop app", json_out=False)


def register(add: Add, group: Group) -> None:
    """Add ``vfa workspace info|new|encrypt|decrypt``."""
    ws = group("workspace", "create a workspace, or show its facts")
    ws_sub = ws.add_subparsers(dest="ws_command", metavar="ACTION", required=True)
    add("info", cmd_workspace_info, "name, location, schema and counts", ws_sub)
    encryption.register(add, ws_sub)
    p = add(
        "new", cmd_workspace_new, "create a new, empty workspace (a file or a database)", ws_sub
    )
    p.add_argument(
        "target", nargs="?", metavar="PATH_OR_URL", help="where (default: --workspace, else yours)"
    )
    p.add_argument("--name", help="the workspace's name (default: the file name)")
