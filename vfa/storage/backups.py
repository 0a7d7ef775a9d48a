"""Rotating backups of a SQLite workspace, and restoring one.

Backups are whole copies made with SQLite's backup API (consistent while others write),
written in a private folder in ``backups/`` beside the workspace and moved into place
(:mod:`vfa.atomic`), named ``STEM.YYYYMMDD-HHMMSS-ffffff.REASON.vfa`` so that names
sort by age. The backups of an encrypted workspace are encrypted with its passphrase
(:mod:`vfa.storage.cipher`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from vfa.atomic import PRIVATE_MODE, AtomicFile, create_private
from vfa.errors import WorkspaceError
from vfa.storage import cipher
from vfa.storage.locks import exclusive_lock
from vfa.storage.passphrases import Passphrase

FOLDER = "backups"
DEFAULT_KEEP = 10
REASONS = (
    "open",
    "daily",
    "manual",
    "before-restore",
    "before-encrypt",
    "before-decrypt",
    "before-merge",
)
_NAME = re.compile(r"^(?P<stem>.+)\.(?P<stamp>\d{8}-\d{6}-\d{6})\.(?P<reason>[a-z-]+)\.vfa$")


@dataclass(frozen=True)
class Backup:
    """One backup file of a workspace."""

    path: Path
    made: dt.datetime
    reason: str
    size: int


def backup_folder(workspace: Path) -> Path:
    """Where a workspace's backups live: ``backups/`` beside it."""
    return workspace.parent / FOLDER


def list_backups(workspace: Path) -> list[Backup]:
    """The workspace's backups, newest first."""
    folder = backup_folder(workspace)
    found: list[Backup] = []
    try:
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise WorkspaceError(f"{folder}: the backups cannot be listed ({exc.strerror})") from exc
    for entry in entries:
        match = _NAME.match(entry.name)
        if not match or match["stem"] != workspace.stem or not entry.is_file(follow_symlinks=False):
            continue
        made = dt.datetime.strptime(match["stamp"], "%Y%m%d-%H%M%S-%f")
        found.append(Backup(Path(entry.path), made, match["reason"], entry.stat().st_size))
    found.sort(key=lambda b: b.made, reverse=True)
    return found


def last_change(workspace: Path) -> float:
    """When the workspace file (or its write-ahead log) was last written, as a timestamp."""
    times = []
    for part in (workspace, Path(f"{workspace}-wal")):
        with contextlib.suppress(OSError):
            times.append(part.stat().st_mtime)
    return max(times, default=0.0)


def is_due(workspace: Path, max_age: dt.timedelta, now: dt.datetime | None = None) -> bool:
    """Whether a backup is due: none yet, or the newest is older than ``max_age`` and
    the workspace changed after it was made."""
    backups = list_backups(workspace)
    if not backups:
        return True
    newest = backups[0]
    now = now or dt.datetime.now()
    if now - newest.made < max_age:
        return False
    return last_change(workspace) > newest.made.timestamp()


def make_backup(
    workspace: Path,
    reason: str,
    keep: int = DEFAULT_KEEP,
    target: Path | None = None,
    passphrase: Passphrase | None = None,
) -> Path:
    """Copy the workspace into a new backup (or ``target``) and keep only the newest ``keep``.
    The backup of an encrypted workspace (``passphrase``) is encrypted with it."""
    if reason not in REASONS:
        raise ValueError(f"unknown backup reason {reason!r}")
    if target is None:
        folder = backup_folder(workspace)
        try:
            folder.mkdir(exist_ok=True)
        except OSError as exc:
            raise WorkspaceError(
                f"{folder}: the backups folder cannot be made ({exc.strerror})"
            ) from exc
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        target = folder / f"{workspace.stem}.{stamp}.{reason}.vfa"
    _copy(workspace, target, passphrase)
    if target.parent == backup_folder(workspace):
        prune(workspace, keep, spare=target)
    return target


def prune(workspace: Path, keep: int, spare: Path | None = None) -> list[Path]:
    """Remove all but the newest ``keep`` backups (never ``spare``); what was removed."""
    removed = []
    for backup in list_backups(workspace)[max(keep, 1) :]:
        if backup.path == spare:
            continue
        with contextlib.suppress(OSError):
            backup.path.unlink()
            removed.append(backup.path)
    return removed


def _copy(source: Path, target: Path, passphrase: Passphrase | None = None) -> None:
    """SQLite's backup API into a private file beside ``target``, then moved into place
    (never over anything: a name that appeared meanwhile is refused)."""
    if target.exists() or target.is_symlink():
        raise WorkspaceError(f"{target}: something is already there; nothing was written")
    try:
        pending = AtomicFile(target, mode=PRIVATE_MODE)
    except OSError as exc:
        raise WorkspaceError(
            f"{target.parent}: cannot write a backup there ({exc.strerror})"
        ) from exc
    with pending:
        try:
            src = cipher.connect(source, passphrase, read_only=True)
            try:
                dst = cipher.connect_new(pending.path, passphrase)
                try:
                    src.backup(dst)
                    dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
                finally:
                    dst.close()
            finally:
                src.close()
            pending.commit(replace=False)
        except cipher.database_errors() as exc:
            raise WorkspaceError(
                f"{source}: the backup failed ({exc}); nothing was written"
            ) from exc
        except OSError as exc:
            raise WorkspaceError(
                f"{target}: the backup could not be written ({exc.strerror})"
            ) from exc


def check_backup(
    path: Path, known_revisions: set[str], passphrase: Passphrase | None = None
) -> str:
    """A backup's schema revision, once it proves a sound VFA workspace this VFA can open.
    An encrypted backup needs ``passphrase``."""
    if not path.is_file():
        raise WorkspaceError(f"{path}: no backup file here")
    secret = cipher.require(path, passphrase) if cipher.looks_encrypted(path) else None
    errors = cipher.database_errors()
    try:
        conn = cipher.connect(path, secret, read_only=True)
    except errors as exc:
        raise WorkspaceError(f"{path}: the backup cannot be opened ({exc})") from exc
    try:
        problems = [r[0] for r in conn.execute("PRAGMA integrity_check(5)")]
        if problems != ["ok"]:
            raise WorkspaceError(f"{path}: the backup is damaged ({'; '.join(problems)})")
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except errors as exc:
        raise WorkspaceError(f"{path}: not a VFA workspace backup ({exc})") from exc
    finally:
        conn.close()
    if row is None or row[0] not in known_revisions:
        raise WorkspaceError(
            f"{path}: the backup is not a workspace this VFA can open "
            f"(schema {row[0] if row else 'none'})"
        )
    return str(row[0])


def restore(
    workspace: Path,
    backup: Path,
    known_revisions: set[str],
    keep: int,
    passphrase: Passphrase | None = None,
) -> Path:
    """Put a backup's content into the workspace; the current state is backed up first.

    Refused while another VFA has the workspace open. Returns the backup of the state
    that was replaced. ``passphrase`` opens an encrypted workspace and an encrypted
    backup; the workspace stays as it is (encrypted or not) whatever the backup is.
    """
    if backup.resolve() == workspace.resolve():
        raise WorkspaceError(f"{backup}: is the workspace itself, not a backup of it")
    check_backup(backup, known_revisions, passphrase)
    if not workspace.is_file():
        raise WorkspaceError(f"{workspace}: no workspace here to restore into")
    secret = cipher.require(workspace, passphrase) if cipher.looks_encrypted(workspace) else None
    if secret is not None:
        cipher.check_opens(workspace, secret)
    with exclusive_lock(workspace):
        before = make_backup(workspace, "before-restore", keep=max(keep, 1) + 1, passphrase=secret)
        source_key = passphrase if cipher.looks_encrypted(backup) else None
        try:
            with _in_form(backup, source_key, workspace, secret) as source:
                src = cipher.connect(source, secret, read_only=True)
                try:
                    dst = cipher.connect(workspace, secret)
                    try:
                        src.backup(dst)
                        dst.execute("PRAGMA journal_mode=WAL")
                    finally:
                        dst.close()
                finally:
                    src.close()
        except cipher.database_errors() as exc:
            raise WorkspaceError(
                f"{workspace}: restoring {backup} failed ({exc}); the state before is in {before}"
            ) from exc
    return before


@contextlib.contextmanager
def _in_form(
    backup: Path, backup_key: Passphrase | None, workspace: Path, secret: Passphrase | None
) -> Iterator[Path]:
    """The backup as the workspace is (encrypted with its passphrase, or plain): itself,
    or a private copy beside the workspace made for the restore and removed after it."""
    if (backup_key is None) == (secret is None):
        yield backup
        return
    with AtomicFile(
        workspace.with_name(f"{workspace.name}.restoring.vfa"), mode=PRIVATE_MODE
    ) as copy:
        cipher.export(backup, backup_key, copy.path, secret)
        yield copy.path


def before_upgrade(path: Path, revision: str, secret: Passphrase | None = None) -> Path:
    """The copy made before an upgrade, beside the workspace (``open_workspace``): with
    SQLite's backup API (consistent even in WAL mode), encrypted with the workspace's
    passphrase when it is encrypted, readable by its owner alone; none is left when it
    cannot be made whole."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.before-{revision}-{stamp}.bak")
    try:
        create_private(target)
    except OSError as exc:
        raise _no_backup(target, exc.strerror or str(exc)) from exc
    try:
        _copy_database(path, target, secret)
    except BaseException as exc:
        target.unlink(missing_ok=True)  # never a partial backup left to be taken for one
        if isinstance(exc, (OSError, *cipher.database_errors())):
            raise _no_backup(target, str(exc)) from exc
        raise
    return target


def _no_backup(target: Path, why: str) -> WorkspaceError:
    return WorkspaceError(
        f"{target}: the backup made before upgrading cannot be written ({why}); the "
        "workspace was not changed"
    )


def _copy_database(source: Path, target: Path, secret: Passphrase | None = None) -> None:
    src = cipher.connect(source, secret)
    try:
        dst = cipher.connect_new(target, secret)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
