"""Backups of a SQLite workspace: made when it opens and daily, listed, restored."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from sqlalchemy import select

from vfa.errors import InvalidInputError, WorkspaceError
from vfa.services.audit import record
from vfa.storage import backups as store
from vfa.storage.backups import DEFAULT_KEEP, Backup
from vfa.storage.engine import resolve_target
from vfa.storage.models import WorkspaceInfo
from vfa.storage.passphrases import passphrase_for
from vfa.storage.workspace import Workspace, open_workspace

__all__ = [
    "DAILY",
    "Backup",
    "backup_if_due",
    "backup_now",
    "backups_of",
    "keep_count",
    "restore_backup",
    "set_keep_count",
]

DAILY = dt.timedelta(days=1)
KEEP_KEY = "backups_keep"
MAX_KEEP = 1000


def _path(ws: Workspace) -> Path:
    if ws.path is None:
        raise WorkspaceError(
            f"{ws.label}: a team database is backed up by its server (pg_dump), not by VFA"
        )
    return ws.path


def keep_count(ws: Workspace) -> int:
    """How many backups are kept (stored in the workspace; 10 unless set)."""
    with ws.sessions() as db:
        value = db.scalar(select(WorkspaceInfo.value).where(WorkspaceInfo.key == KEEP_KEY))
    try:
        return min(max(int(value), 1), MAX_KEEP) if value else DEFAULT_KEEP
    except ValueError:
        return DEFAULT_KEEP


def set_keep_count(ws: Workspace, keep: int) -> None:
    """Keep the newest ``keep`` backups from now on."""
    if not 1 <= keep <= MAX_KEEP:
        raise InvalidInputError(f"backups to keep: {keep} is not 1 to {MAX_KEEP}")
    with ws.writes.begin() as db:
        row = db.get(WorkspaceInfo, KEEP_KEY)
        if row is None:
            db.add(WorkspaceInfo(key=KEEP_KEY, value=str(keep)))
        else:
            row.value = str(keep)
        record(db, "set", "backups", 0, {"keep": keep})


def backups_of(ws: Workspace) -> list[Backup]:
    """The workspace's backups, newest first (none for a team database)."""
    return store.list_backups(ws.path) if ws.path is not None else []


def backup_now(ws: Workspace, reason: str = "manual", target: str | None = None) -> Path:
    """Make a backup now, into the backups folder (rotated) or into ``target``."""
    path = _path(ws)
    out = None
    if target is not None:
        out = Path(target).expanduser().absolute()
        if out.suffix.lower() != ".vfa":
            raise InvalidInputError(f"{out}: name the backup with the .vfa suffix")
    return store.make_backup(
        path, reason, keep=keep_count(ws), target=out, passphrase=ws.passphrase
    )


def backup_if_due(ws: Workspace, reason: str, max_age: dt.timedelta) -> Path | None:
    """A rotating backup when none is newer than ``max_age`` and the workspace changed."""
    if ws.path is None or ws.read_only is not None:
        return None
    if not store.is_due(ws.path, max_age):
        return None
    return store.make_backup(ws.path, reason, keep=keep_count(ws), passphrase=ws.passphrase)


def restore_backup(
    target: str | os.PathLike[str] | None, backup: str | os.PathLike[str]
) -> tuple[Path, Path]:
    """Restore a backup into the workspace at ``target``; (workspace, backup of the state
    before). Refused while another VFA has the workspace open."""
    from alembic.script import ScriptDirectory

    from vfa.storage.workspace import alembic_config

    _url, path = resolve_target(target)
    if path is None:
        raise WorkspaceError(f"{target}: a team database is restored by its server, not by VFA")
    known = {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}
    keep = DEFAULT_KEEP
    source = Path(backup).expanduser().absolute()
    before = store.restore(path, source, known, keep, passphrase_for(path))
    ws = open_workspace(path)  # brings an older backup up to this VFA's schema
    try:
        with ws.writes.begin() as db:
            record(db, "restore", "workspace", 0, {"from": str(source), "before": str(before)})
    finally:
        ws.close()
    return path, before
