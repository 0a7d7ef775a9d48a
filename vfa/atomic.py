"""Writing a file whole or not at all: the one atomic-write helper.

The content is written under a fixed name inside a private folder made beside the target
(random name, created exclusively, readable by the owner only, so nobody can plant a
link there), flushed to disk, given its permissions and moved into place in one step;
the target's folder is then flushed too, so the new name survives a power cut. Until
the move the target is untouched, and whatever fails, the private folder goes: nothing
is left beside the target.

Who uses it: :mod:`vfa.outputs` (every file written for the user), workspace backups
(:mod:`vfa.storage.backups`), the timeline caches (:mod:`vfa.media.cache`) and a scheme
file made by an import. Each turns :class:`OSError` into its own typed error.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

# file systems without hard links: the move falls back to a check and a rename
NO_LINKS = frozenset(
    {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK, errno.ENOSYS}
)


class AtomicFile:
    """A file being written for ``target``: write ``path``, then :meth:`commit`.

    Used as a context manager, the private folder (and a file never committed) is
    removed at the end of the block, whatever happened. Making the folder raises
    :class:`OSError` when the target's folder takes no new file.
    """

    def __init__(
        self, target: str | os.PathLike[str], *, mode: int | None = None, sync: bool = True
    ) -> None:
        self.target = Path(target)
        self.mode = mode
        self.sync = sync
        self.folder = Path(tempfile.mkdtemp(prefix=".vfa-", suffix=".part", dir=self.target.parent))
        # the target's suffix, for libraries that choose the format by the name
        self.path = self.folder / f"part{self.target.suffix.lower()}"

    def __enter__(self) -> AtomicFile:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.discard()

    def commit(
        self, *, replace: bool = True, before_replace: Callable[[], None] | None = None
    ) -> None:
        """Move the written file to the target in one step (see :func:`publish`)."""
        publish(
            self.path,
            self.target,
            replace=replace,
            before_replace=before_replace,
            mode=self.mode,
            sync=self.sync,
        )

    def discard(self) -> None:
        """Remove the private folder and what is left in it."""
        shutil.rmtree(self.folder, ignore_errors=True)


def publish(
    done: Path,
    target: Path,
    *,
    replace: bool = True,
    before_replace: Callable[[], None] | None = None,
    mode: int | None = None,
    sync: bool = True,
) -> None:
    """Move the finished file ``done`` to ``target`` (same file system) in one step.

    ``done`` is flushed to disk first (``sync``) and given ``mode``. Without
    ``replace`` an existing target is never written over: a hard link refuses a name
    that appeared meanwhile (:class:`FileExistsError`); where the file system has no
    hard links, a check and a rename do. ``before_replace`` runs just before a rename
    (it may raise to refuse what is at the target now).
    """
    if sync:
        sync_file(done)
    if mode is not None:
        os.chmod(done, mode)
    linked = False
    if not replace:
        try:
            os.link(done, target)
            linked = True
        except FileExistsError:
            raise
        except OSError as exc:
            if exc.errno not in NO_LINKS:
                raise
    if not linked:
        if before_replace is not None:
            before_replace()
        if not replace and os.path.lexists(target):
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(target))
        os.replace(done, target)
    if sync:
        sync_folder(target.parent)


# a workspace, its backups and a checkout hold a family's coding: their owner's only
PRIVATE_MODE = 0o600


def create_private(path: Path) -> None:
    """Make ``path`` a new empty file that only its owner may read and write, never over
    anything there (a link included). SQLite keeps a database file's mode and gives it to
    the log files it makes beside it."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    os.close(os.open(path, flags, PRIVATE_MODE))


@contextlib.contextmanager
def atomic_writer(target: str | os.PathLike[str], *, mode: int | None = None) -> Iterator[BinaryIO]:
    """A binary file whose content replaces ``target`` in one step when the block ends
    without an error; after an error the target is as it was."""
    with AtomicFile(target, mode=mode) as pending:
        with open(pending.path, "wb") as fh:
            yield fh
        pending.commit()


def sync_file(path: Path) -> None:
    """Flush a written file's content to the disk."""
    fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sync_folder(folder: Path) -> None:
    """Flush a folder's entries (a new or renamed name) to the disk, where the system
    allows it (not on Windows, whose renames need no such step)."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):  # some file systems cannot sync a folder
            os.fsync(fd)
    finally:
        os.close(fd)
