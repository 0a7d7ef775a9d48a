"""Encrypting a workspace file with a passphrase, and decrypting it again.

The workspace is copied with ``sqlcipher_export`` into a private file beside it, checked
(every table holds as many rows as before), backed up as it was, then the copy is moved
over the workspace in one step. Refused while another VFA has the workspace open. Until
that step nothing is stored (no backup, no file beside it) and the work can be stopped
(``cancel``); after it, its backups follow it (encrypted with the same passphrase, or
decrypted), so no plain copy is left beside an encrypted workspace, and the audit trail
records the change.
"""

from __future__ import annotations

import glob
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from vfa.atomic import AtomicFile
from vfa.errors import InvalidInputError, VfaError, WorkspaceError, WrongPassphraseError
from vfa.services.audit import record
from vfa.services.backups import keep_count
from vfa.storage import backups as store
from vfa.storage import cipher
from vfa.storage.engine import resolve_target
from vfa.storage.locks import exclusive_lock
from vfa.storage.passphrases import MIN_NEW_LENGTH, Passphrase, check_new, forget, remember
from vfa.storage.workspace import open_workspace

__all__ = [
    "MIN_NEW_LENGTH",
    "Conversion",
    "EncryptionCancelled",
    "Passphrase",
    "decrypt_workspace",
    "encrypt_workspace",
    "opens",
]

ProgressFn = Callable[[float], None]
CancelFn = Callable[[], bool]
# the share of the work done when the copy is checked: after this nothing stops it
CHECKED = 0.8


class EncryptionCancelled(WorkspaceError):
    """Encrypting or decrypting was stopped before the workspace was replaced."""


@dataclass(frozen=True)
class Conversion:
    """What encrypting or decrypting did."""

    path: Path
    encrypted: bool  # the workspace as it is now
    backup: Path  # the backup made first (now in the workspace's new form too)
    backups: int = 0  # backups converted along with the workspace
    # backups left as they were, each with the reason (another passphrase, damaged …)
    left: list[str] = field(default_factory=list)


def encrypt_workspace(
    target: str | os.PathLike[str] | None,
    passphrase: Passphrase,
    *,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> Conversion:
    """Encrypt the workspace file at ``target`` (and its backups) with ``passphrase``;
    ``cancel`` stops it (EncryptionCancelled) until the copy replaces the workspace."""
    path = _file(target, "encrypted")
    check_new(passphrase)
    if cipher.looks_encrypted(path):
        raise InvalidInputError(
            f"{path}: is already encrypted (or not a workspace); nothing was changed. "
            "To change its passphrase, decrypt it, then encrypt it again"
        )
    return _convert(path, None, passphrase, _Meter(path, "encrypted", progress, cancel))


def decrypt_workspace(
    target: str | os.PathLike[str] | None,
    passphrase: Passphrase,
    *,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> Conversion:
    """Decrypt the encrypted workspace file at ``target`` (and its backups); ``cancel``
    stops it (EncryptionCancelled) until the copy replaces the workspace."""
    path = _file(target, "decrypted")
    if not cipher.looks_encrypted(path):
        raise InvalidInputError(f"{path}: is not encrypted; nothing was changed")
    return _convert(path, passphrase, None, _Meter(path, "decrypted", progress, cancel))


def opens(target: str | os.PathLike[str] | None, passphrase: Passphrase) -> bool:
    """Whether ``passphrase`` opens the encrypted workspace file at ``target`` (which
    stays as it is)."""
    try:
        cipher.check_opens(_file(target, "decrypted"), passphrase)
    except WrongPassphraseError:
        return False
    return True


class _Meter:
    """Progress through the conversion, and the stop asked for while it can stop."""

    def __init__(
        self, path: Path, done: str, progress: ProgressFn | None, cancel: CancelFn | None
    ) -> None:
        self.path, self.done = path, done
        self.progress, self.cancel = progress, cancel

    def stopping(self) -> bool:
        """Whether a stop was asked for."""
        return self.cancel is not None and self.cancel()

    def stopped(self) -> EncryptionCancelled:
        return EncryptionCancelled(
            f"{self.path}: stopped; it was not {self.done}, nothing was changed"
        )

    def check(self, fraction: float) -> None:
        """Report ``fraction`` done; stop here when asked to."""
        if self.stopping():
            raise self.stopped()
        self.report(fraction)

    def report(self, fraction: float) -> None:
        if self.progress is not None:
            self.progress(max(0.0, min(1.0, fraction)))


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


def _convert(
    path: Path, old: Passphrase | None, new: Passphrase | None, meter: _Meter
) -> Conversion:
    reason = "before-encrypt" if new is not None else "before-decrypt"
    meter.check(0.0)
    ws = open_workspace(path, passphrase=old)  # a sound VFA workspace at this VFA's schema
    try:
        if ws.read_only is not None:
            raise WorkspaceError(
                f"{path}: the workspace is open read-only ({ws.read_only}); nothing was changed"
            )
        keep = keep_count(ws)
    finally:
        ws.close()
    meter.check(0.1)
    with exclusive_lock(path):
        try:
            before = _replace(path, old, new, reason, keep, meter)
        except BaseException:
            _drop_empty_log(path)  # (left by reading it) the workspace is as it was
            raise
    if new is not None:
        remember(path, new)
    else:
        forget(path)
    meter.report(0.9)
    converted, left = _convert_backups(path, old, new)
    _audit(path, new, before, converted)
    meter.report(1.0)
    return Conversion(path, new is not None, before, converted, left)


def _replace(
    path: Path,
    old: Passphrase | None,
    new: Passphrase | None,
    reason: str,
    keep: int,
    meter: _Meter,
) -> Path:
    """Copy and check the workspace, back it up, then put the copy in its place (holding
    the exclusive lock); the backup. Nothing is stored until the copy is checked."""
    _settle(path, old)
    meter.check(0.15)
    mode = stat.S_IMODE(path.stat().st_mode)
    with AtomicFile(path, mode=mode) as pending:
        try:
            cipher.export(path, old, pending.path, new, cancel=meter.stopping)
            meter.check(0.55)
            _check_copy(path, old, pending.path, new, meter.stopping)
        except cipher.database_errors() as exc:
            if meter.stopping():  # (SQLite's "interrupted")
                raise meter.stopped() from None
            raise WorkspaceError(
                f"{path}: the workspace could not be copied ({exc}); nothing was changed"
            ) from exc
        meter.check(CHECKED)  # the last stop: from here on the workspace is replaced
        before = store.make_backup(path, reason, keep=keep + 1, passphrase=old)
        try:
            _no_log_left(path)
        except WorkspaceError:
            before.unlink(missing_ok=True)  # nothing was changed: no backup of it either
            raise
        pending.commit()
    return before


def _settle(path: Path, old: Passphrase | None) -> None:
    """Everything in the write-ahead log goes into the file, so the copy and the file that
    replaces the workspace hold it all and no log of the old file is left to replay."""
    conn = cipher.connect(path, old)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    finally:
        conn.close()


def _check_copy(
    path: Path,
    old: Passphrase | None,
    copy: Path,
    new: Passphrase | None,
    cancel: CancelFn | None = None,
) -> None:
    """The copy is sound and every table holds as many rows as in the workspace (a
    ``cancel`` that turns true interrupts the reads: SQLite's "interrupted")."""
    counts = []
    for file, key in ((path, old), (copy, new)):
        conn = cipher.connect(file, key, read_only=True)
        try:
            if cancel is not None:
                conn.set_progress_handler(lambda: int(cancel()), cipher.CANCEL_EVERY)
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
    _drop_empty_log(path)


def _drop_empty_log(path: Path) -> None:
    """An empty write-ahead log and its index (left by reading the file) go, as they do
    when SQLite's last connection closes; a log with content stays."""
    wal = Path(f"{path}-wal")
    try:
        if wal.stat().st_size:
            return
    except FileNotFoundError:
        pass
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
