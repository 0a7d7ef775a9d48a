"""Reading a file the user named without trusting it: a regular file only (a pipe or a
device is refused before it can block), at most so many bytes, with reasons in words.

Each layer turns :class:`NotReadable` into its own error (MediaError, SchemeError,
FormatError), which names the file.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import stat
from collections.abc import Iterator

_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


class NotReadable(Exception):
    """Why a file cannot be read; ``reason`` is a phrase such as "is a folder"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def kind_of(mode: int) -> str:
    """What a file system entry is, in words ("a folder", "a pipe (FIFO)", …)."""
    if stat.S_ISREG(mode):
        return "a regular file"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISFIFO(mode):
        return "a pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


def os_reason(exc: OSError) -> str:
    """An operating-system error as a reason a person can act on."""
    if isinstance(exc, FileNotFoundError):
        return "file not found"
    if exc.errno == errno.ELOOP:
        return "a loop of symbolic links (it points back to itself)"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "cannot be read (permission denied)"
    return f"cannot be read ({exc.strerror or exc})"


def _not_regular(mode: int) -> NotReadable:
    return NotReadable(f"is {kind_of(mode)}, not a regular file")


@contextlib.contextmanager
def open_regular(path: str | os.PathLike[str]) -> Iterator[io.FileIO]:
    """Open a regular file for reading (unbuffered), or raise NotReadable.

    Opened without blocking and checked on the open descriptor, so a file swapped for a
    pipe after an earlier check is still refused rather than waited on.
    """
    try:
        before = os.stat(path)
        if not stat.S_ISREG(before.st_mode):
            raise _not_regular(before.st_mode)
        fd = os.open(path, _FLAGS)
    except OSError as exc:
        raise NotReadable(os_reason(exc)) from exc
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise _not_regular(mode)
        if _FLAGS & getattr(os, "O_NONBLOCK", 0):
            os.set_blocking(fd, True)  # a regular file after all: plain reads from here
        fh = os.fdopen(fd, "rb", buffering=0)
    except BaseException:
        os.close(fd)
        raise
    with fh:
        yield fh


def read_regular(path: str | os.PathLike[str], limit: int) -> bytes:
    """The whole of a regular file of at most ``limit`` bytes, or NotReadable (a larger
    file is refused before it is read, and if it grows while being read)."""
    with open_regular(path) as fh:
        try:
            size = os.fstat(fh.fileno()).st_size
            if size > limit:
                raise NotReadable(too_big(size, limit))
            chunks: list[bytes] = []
            total = 0
            while chunk := fh.read(min(1 << 20, limit + 1 - total)):
                chunks.append(chunk)
                total += len(chunk)
                if total > limit:
                    raise NotReadable(too_big(total, limit))
        except OSError as exc:
            raise NotReadable(os_reason(exc)) from exc
    return b"".join(chunks)


def too_big(size: int, limit: int) -> str:
    """The reason for refusing a file over the limit."""
    return f"is {size:,} bytes; files over {limit:,} bytes are refused (is this the right file?)"
