"""Which VFA processes have a SQLite workspace open: a shared advisory lock each.

Every open workspace holds a shared ``flock`` on its file; restoring a backup needs the
lock exclusively, so it is refused while another VFA has the workspace open. (SQLite's
own locks are POSIX record locks, which ``flock`` does not touch.) Where ``fcntl`` does
not exist (Windows), nothing is locked.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from vfa.errors import WorkspaceError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


class SharedLock:
    """A shared lock on a workspace file, held until released."""

    def __init__(self, path: Path) -> None:
        self._fd: int | None = None
        if fcntl is None:
            return
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            return  # the open itself will say what is wrong with the file
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:  # a restore is running: wait for it rather than read half of it
            try:
                fcntl.flock(fd, fcntl.LOCK_SH)
            except OSError:
                os.close(fd)
                return
        self._fd = fd

    def release(self) -> None:
        """Let go of the lock."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


@contextlib.contextmanager
def exclusive_lock(path: Path) -> Iterator[None]:
    """Hold the workspace alone, or refuse because another VFA has it open."""
    if fcntl is None:  # pragma: no cover - Windows
        yield
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            raise WorkspaceError(
                f"{path}: another VFA has this workspace open; close it there first "
                "(nothing was changed)"
            ) from exc
        yield
    finally:
        os.close(fd)
