"""Encrypting a workspace file with a passphrase, and decrypting it again.

The workspace is copied with ``sqlcipher_export`` into a private file beside it, checked
(every table holds as many rows as before), then moved over the workspace in one step.
Refused while another VFA has the workspace open; a backup of the state before is made
first. Its backups follow it (encrypted with the same passphrase, or decrypted), so no
plain copy is left beside an encrypted workspace; the audit trail records the change.
"""

from __future__ import annotations

import glob
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from vfa.atomic import AtomicFile
from vfa.errors import InvalidInputError, VfaError, WorkspaceError
from vfa.services.audit import record
from vfa.services.backups import keep_count
from vfa.storage import backups as store
from vfa.storage import cipher
from vfa.storage.engine import resolve_target
from vfa.storage.locks import exclusive_lock
from vfa.storage.passphrases import Passphrase, check_new, forget, remember
from vfa.storage.workspace import open_workspace

__all__ = ["Conversion", "Passphrase", "decrypt_workspace", "encrypt_workspace"]


@dataclass(frozen=True)
class Conversion:
    """What encrypting or decrypting did."""

    path: Path
    encrypted: bool  # the workspace as it is now
    backup: Path  # the backup made first (now in the workspace's new form too)
    backups: int = 0  # backups converted along with the workspace
    # backups left as they were, each with the reason (another passphrase, damaged …)
    left: list[str] = field(default_factory=list)


def encrypt_workspace(target: str | os.PathLike[str] | None, passphrase: Passphrase) -> Conversion:
    """Encrypt the workspace file at ``target`` (and its backups) with ``passphrase``."""
    path = _file(target, "encrypted")
    check_new(passphrase)
    if cipher.looks_encrypted(path):
        raise InvalidInputError(
            f"{path}: is already encrypted (or not a workspace); nothing was changed. "
            "To change its passphrase, decrypt it, then encrypt it again"
        )
    return _convert(path, None, passphrase)


def decrypt_workspace(target: str | os.PathLike[str] | None, passphrase: Passphrase) -> Conversion:
    """Decrypt the encrypted workspace file at ``target`` (and its backups)."""
    path = _file(target, "decrypted")
    if not cipher.looks_encrypted(path):
        raise InvalidInputError(f"{path}: is not encrypted; nothing was changed")
    return _convert(path, passphrase, None)


def _file(target: str | os.PathLike[str] | None, done: str) -> Path:
    _url, path = resolve_target(target)
    if path is None:
        raise WorkspaceError(
            f"{target}: a team database is kept safe by its server (its disk and "
            f"connections), not {done} by VFA"
        )
    if not path.is_file():
        raise WorkspaceError(f"{path}: no workspace here; nothing was changed")
    return path


def _convert(path: Path, old: Passphrase | None, new: Passphrase | None) -> Conversion:
    reason = "before-encrypt" if new is not None else "before-decrypt"
    ws = open_workspace(path, passphrase=old)  # a sound VFA workspace at this VFA's schema
    try:
        if ws.read_only is not None:
            raise WorkspaceError(
                f"{path}: the workspace is open read-only ({ws.read_only}); nothing was changed"
            )
        keep = keep_count(ws)
    finally:
        ws.close()
    with exclusive_lock(path):
        before = store.make_backup(path, reason, keep=keep + 1, passphrase=old)
        _settle(path, old)
        mode = stat.S_IMODE(path.stat().st_mode)
        with AtomicFile(path, mode=mode) as pending:
            try:
                cipher.export(path, old, pending.path, new)
                _check_copy(path, old, pending.path, new)
            except cipher.database_errors() as exc:
                raise WorkspaceError(
                    f"{path}: the workspace could not be copied ({exc}); nothing was changed"
                ) from exc
            _no_log_left(path)
            pending.commit()
    if new is not None:
        remember(path, new)
    else:
        forget(path)
    converted, left = _convert_backups(path, old, new)
    _audit(path, new, before, converted)
    return Conversion(path, new is not None, before, converted, left)


def _settle(path: Path, old: Passphrase | None) -> None:
    """Everything in the write-ahead log goes into the file, so the copy and the file that
    replaces the workspace hold it all and no log of the old file is left to replay."""
    conn = cipher.connect(path, old)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    finally:
        conn.close()


def _check_copy(path: Path, old: Passphrase | None, copy: Path, new: Passphrase | None) -> None:
    """The copy is sound and every table holds as many rows as in the workspace."""
    counts = []
    for file, key in ((path, old), (copy, new)):
        conn = cipher.connect(file, key, read_only=True)
        try:
            tables = [
                r[0]
                for r in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
                )
            ]
            counts.append(
                {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
            )
            if file == copy:
                problems = [r[0] for r in conn.execute("PRAGMA quick_check(5)")]
                if problems != ["ok"]:
                    raise WorkspaceError(
                        f"{path}: the copy is not sound ({'; '.join(problems)}); "
                        "nothing was changed"
                    )
        finally:
            conn.close()
    if counts[0] != counts[1]:
        raise WorkspaceError(f"{path}: the copy lost rows; nothing was changed")


def _no_log_left(path: Path) -> None:
    """No write-ahead log with content may outlive the file it belongs to."""
    wal = Path(f"{path}-wal")
    try:
        size = wal.stat().st_size
    except FileNotFoundError:
        size = 0
    if size:
        raise WorkspaceError(
            f"{path}: another program is writing to the workspace; close it and try again "
            "(nothing was changed)"
        )
    for leftover in (wal, Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)


def _convert_backups(
    path: Path, old: Passphrase | None, new: Passphrase | None
) -> tuple[int, list[str]]:
    """Encrypt (or decrypt) the workspace's backups and the copies made before upgrades."""
    files = [b.path for b in store.list_backups(path)]
    files += sorted(Path(p) for p in glob.glob(f"{glob.escape(str(path))}.before-*.bak"))
    converted, left = 0, []
    errors: tuple[type[BaseException], ...] = (VfaError, OSError, *cipher.database_errors())
    for file in files:
        if cipher.looks_encrypted(file) == (new is not None):
            continue  # already as the workspace is
        try:
            mode = stat.S_IMODE(file.stat().st_mode)
            with AtomicFile(file, mode=mode) as pending:
                cipher.export(file, old, pending.path, new)
                pending.commit()
            converted += 1
        except errors as exc:
            left.append(f"{file}: {exc}")
    return converted, left


def _audit(path: Path, new: Passphrase | None, before: Path, converted: int) -> None:
    ws = open_workspace(path, passphrase=new)
    try:
        with ws.writes.begin() as db:
            record(
                db,
                "encrypt" if new is not None else "decrypt",
                "workspace",
                0,
                {"backup": before.name, "backups_converted": converted},
            )
    finally:
        ws.close()
