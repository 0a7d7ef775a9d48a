"""A workspace file read without writing leaves nothing beside it.

SQLite gives a workspace in write-ahead-log mode two files beside it (``-wal``, ``-shm``)
while it is open, and the last connection to close removes them; but a read-only
connection may not, so reading a workspace read-only (the other side of a merge, a dry
run, ``vfa check``) would leave them behind. Once VFA has let go of such a file, it opens
it for writing only to close it again, so that SQLite itself removes what it made; nothing
is written, and when anyone else still has the file open SQLite leaves them for them.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from vfa.storage import cipher
from vfa.storage.passphrases import Passphrase


def beside(path: Path) -> list[Path]:
    """The log and shared-memory files SQLite keeps beside a workspace file."""
    return [Path(f"{path}-wal"), Path(f"{path}-shm")]


def any_beside(path: Path) -> bool:
    """Whether SQLite's files are beside the workspace file now."""
    return any(p.exists() for p in beside(path))


def tidy(path: Path, secret: Passphrase | None) -> None:
    """Let SQLite remove the empty log and shared memory a read-only use left beside
    ``path`` (a log with content, or a file that cannot be written, is left as it is)."""
    wal, _shm = beside(path)
    try:
        if wal.stat().st_size != 0:
            return
    except OSError:
        return
    with contextlib.suppress(Exception):  # best effort: a leftover is harmless
        conn = cipher.connect(path, secret)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # opens the log
        finally:
            conn.close()
