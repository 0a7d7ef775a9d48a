"""Opening workspaces, the demo workspace included."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, select

from vfa.errors import WorkspaceError
from vfa.services.demo import create_demo
from vfa.storage.engine import default_workspace_path, resolve_target
from vfa.storage.models import Case, Clip, Session
from vfa.storage.workspace import HEAD, Workspace, open_workspace, schema_revision

__all__ = [
    "Workspace",
    "demo_workspace_path",
    "new_workspace",
    "open_demo",
    "open_workspace",
    "workspace_summary",
]


def demo_workspace_path() -> Path:
    """The demo workspace lives beside the user's own workspace, never inside it."""
    return default_workspace_path().with_name("demo.vfa")


def open_demo(
    target: str | os.PathLike[str] | None = None,
    progress: Callable[[float], None] | None = None,
) -> Workspace:
    """Open (creating when needed) a workspace holding the demo case and its clip."""
    ws = open_workspace(target or demo_workspace_path(), create=True, name=None)
    try:
        create_demo(ws, progress=progress)
    except BaseException:
        ws.close()
        raise
    return ws


def new_workspace(target: str | os.PathLike[str] | None, name: str | None = None) -> Workspace:
    """Create a workspace; an existing file or an already set-up database is refused."""
    url, path = resolve_target(target)
    if path is not None and (path.exists() or path.is_symlink()):
        raise WorkspaceError(
            f"{path}: something is already there; open it, or choose a new file name"
        )
    if path is None:
        ws = open_workspace(url, name=name, create=True)
        return ws
    return open_workspace(path, create=True, name=name)


def workspace_summary(ws: Workspace) -> dict[str, object]:
    """Name, location, schema and counts, for ``vfa workspace info``."""
    with ws.sessions() as db:
        counts = {
            "cases": db.scalar(select(func.count()).select_from(Case)),
            "sessions": db.scalar(select(func.count()).select_from(Session)),
            "clips": db.scalar(select(func.count()).select_from(Clip)),
        }
    return {
        "name": ws.name,
        "location": ws.label,
        "schema": schema_revision(ws),
        "vfa_schema": HEAD,
        "read_only": ws.read_only,
        "encrypted": ws.passphrase is not None,
        **counts,
    }
