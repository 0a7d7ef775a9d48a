"""Content fingerprints: recognise a moved file (sampled), prove an unchanged one (full)."""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import stat
from collections.abc import Callable, Iterator

from vfa import files
from vfa.errors import MediaError
from vfa.files import kind_of, os_reason
from vfa.media.cache import Cancelled, Progress

CHUNK = 1 << 20  # 1 MiB
# the full hash reads in larger blocks: fewer system calls, same memory order
HASH_BLOCK = 8 << 20
# BLAKE2b with a 32-byte digest: 64 hex characters, the clip's content_hash column
CONTENT_HASH_BYTES = 32


def regular_file_problem(path: str | os.PathLike[str]) -> str | None:
    """Why ``path`` is not a regular file VFA may read (None when it is one).

    Follows symbolic links; a loop of them, a device, a pipe or a socket is refused
    before anything is opened, so a FIFO never blocks the caller.
    """
    try:
        st = os.stat(path)
    except OSError as exc:
        return os_reason(exc)
    if stat.S_ISDIR(st.st_mode):
        return "is a folder, not a video file"
    if not stat.S_ISREG(st.st_mode):
        return f"is {kind_of(st.st_mode)}, not a regular file"
    return None


@contextlib.contextmanager
def open_regular(path: str | os.PathLike[str]) -> Iterator[io.FileIO]:
    """Open a regular file for reading, refusing anything else with a MediaError."""
    problem = regular_file_problem(path)
    if problem is not None:
        raise MediaError(f"{path}: {problem}")
    try:
        with files.open_regular(path) as fh:
            yield fh
    except files.NotReadable as exc:
        raise MediaError(f"{path}: {exc.reason}") from exc


def fingerprint(path: str | os.PathLike[str]) -> str:
    """Size plus a BLAKE2b of three 1 MiB samples (start, middle, end).

    Sampling keeps this under a few milliseconds on a 20-minute clip, which is what
    finding a moved file needs; it does not prove a file unchanged (see content_hash).
    """
    with open_regular(path) as fh:
        size = os.fstat(fh.fileno()).st_size
        digest = hashlib.blake2b(digest_size=16)
        digest.update(size.to_bytes(8, "little"))
        for offset in sorted({0, max(0, size // 2 - CHUNK // 2), max(0, size - CHUNK)}):
            fh.seek(offset)
            digest.update(_read_exactly(fh, CHUNK))
    return f"{size:x}-{digest.hexdigest()}"


def _read_exactly(fh: io.FileIO, n: int) -> bytes:
    """Up to ``n`` bytes, fewer only at the end of the file (raw reads may be short)."""
    parts = []
    while n > 0:
        part = fh.read(n)
        if not part:  # end of file (a raw read returns None only when non-blocking)
            break
        parts.append(part)
        n -= len(part)
    return b"".join(parts)


def content_hash(
    path: str | os.PathLike[str],
    *,
    progress: Callable[[float], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> str:
    """BLAKE2b-256 of every byte of the file, read in blocks; 64 hex characters.

    Reports progress as a fraction of the bytes read and raises ``Cancelled`` between
    blocks when asked to stop.
    """
    with open_regular(path) as fh:
        size = os.fstat(fh.fileno()).st_size
        report = Progress(progress, size)
        digest = hashlib.blake2b(digest_size=CONTENT_HASH_BYTES)
        buffer = bytearray(HASH_BLOCK)
        view = memoryview(buffer)
        done = 0
        while True:
            if cancelled is not None and cancelled():
                raise Cancelled(f"{path}: checking the file's content was cancelled")
            n = fh.readinto(buffer)
            if not n:
                break
            digest.update(view[:n])
            done += n
            report.update(done)
    report.finish()
    return digest.hexdigest()


def size_of_fingerprint(fp: str) -> int:
    """The file size recorded in a fingerprint."""
    return int(fp.split("-", 1)[0], 16)
