"""Writing an export file whole or not at all: a temporary file beside the target,
renamed into place; a link, a folder, a device or an existing file is refused (the
last unless ``force``)."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from vfa.services.export_selection import ExportError


def check_target(path: str | os.PathLike[str], force: bool) -> Path:
    """Where an export may be written: refuses a link, a folder, a device or pipe, a
    missing folder, and an existing file unless ``force``."""
    target = Path(os.fspath(path)).expanduser()
    if not os.fspath(path).strip() or target.name in ("", ".", ".."):
        raise ExportError(f"{path}: give a file name")
    try:
        st = os.lstat(target)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise ExportError(f"{target}: cannot write there ({exc.strerror or exc})") from None
    if st is not None:
        if stat.S_ISLNK(st.st_mode):
            raise ExportError(f"{target}: is a symbolic link; give the real path")
        if stat.S_ISDIR(st.st_mode):
            raise ExportError(f"{target}: is a folder; give a file name")
        if not stat.S_ISREG(st.st_mode):
            raise ExportError(f"{target}: is a device or a pipe, not a file")
        if not force:
            raise ExportError(
                f"{target}: a file of that name already exists; choose another name, or "
                "replace it (--force)"
            )
    if not target.parent.is_dir():
        raise ExportError(f"{target}: the folder {target.parent} does not exist")
    return target


def _umask() -> int:
    with (
        contextlib.suppress(OSError, ValueError),
        open("/proc/self/status", encoding="ascii") as fh,
    ):
        for line in fh:
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    return 0o022


# merge: use the shared safe writer (vfa/outputs.py staged / publish) once it lands
@contextlib.contextmanager
def staged_file(path: str | os.PathLike[str], force: bool) -> Iterator[BinaryIO]:
    """A temporary file beside the target; renamed into place when the block succeeds,
    removed when it fails, so the target is the finished file or untouched."""
    target = check_target(path, force)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    except OSError as exc:
        raise ExportError(f"{target}: cannot write there ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        if force:
            check_target(target, force=True)  # nothing odd appeared meanwhile
            os.replace(tmp, target)
        else:
            try:
                os.link(tmp, target)  # refuses a name that appeared meanwhile
            except FileExistsError:
                raise ExportError(
                    f"{target}: a file of that name appeared; nothing was replaced"
                ) from None
            except OSError:
                check_target(target, force=False)
                os.replace(tmp, target)
    except OSError as exc:
        raise ExportError(f"{target}: could not be written ({exc.strerror or exc})") from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
