"""Every file VFA writes for its user (stills, clips, PDFs, CSVs, charts, a reel's folder)
is written here, the same way.

- The target is checked before any work: it must be a new name or an existing regular
  file (never a symbolic link, a folder, a pipe or a device), in a folder that exists.
  An existing file is replaced only with ``force=True`` (``--force``; the window asks).
- The data goes into a private folder made beside the target (random name, created
  exclusively, readable by the user only), is flushed to disk, then is moved into place
  in one step (:mod:`vfa.atomic`), so the target is either the finished file or
  untouched, and a link planted anywhere cannot redirect the write. Without ``force``
  the move cannot replace anything that appeared meanwhile (a hard link, which refuses
  an existing name).
- The file gets ordinary permissions: ``0o666`` less the umask, like any new file.
- A failure leaves nothing behind and is an :class:`OutputError` naming the path and the
  reason.

CSV text goes through :func:`csv_text`: every cell quoted as needed by the ``csv`` module,
and a cell a spreadsheet would run as a formula made plain text (:func:`safe_cell`).
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from vfa import atomic
from vfa.errors import InvalidInputError
from vfa.files import kind_of

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


class OutputError(InvalidInputError):
    """A file cannot be written where the user asked: what is there, or why not."""


# what to do instead when a target is not a regular file, by what it is (``kind_of``)
_NOT_WRITTEN_OVER = {
    "a symbolic link": "is a symbolic link; VFA does not write through links, give the real path",
    "a folder": "is a folder; give a file name",
    "a pipe (FIFO)": "is a pipe, not a file; VFA writes only ordinary files",
    "a device": "is a device, not a file; VFA writes only ordinary files",
}


def _describe(mode: int) -> str | None:
    """Why something already at a target may not be written over (None: a regular file)."""
    kind = kind_of(mode)
    if kind == "a regular file":
        return None
    return _NOT_WRITTEN_OVER.get(kind, "is not an ordinary file; VFA writes only ordinary files")


def _exists(target: Path) -> OutputError:
    return OutputError(
        f"{target}: a file of that name already exists; choose another name, or replace it "
        "(--force)"
    )


def _lstat(target: Path) -> os.stat_result | None:
    try:
        return os.lstat(target)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise OutputError(f"{target}: cannot write there ({exc.strerror or exc})") from None


def check_target(
    path: str | os.PathLike[str],
    *,
    force: bool = False,
    suffixes: Sequence[str] | None = None,
) -> Path:
    """The path a file may be written to, or OutputError saying why not (nothing written).

    ``suffixes`` (lower case, with the dot) are the endings the file's format allows.
    """
    text = os.fspath(path)
    target = Path(text).expanduser()
    if not text.strip() or text.endswith(("/", os.sep)) or target.name in ("", ".", ".."):
        raise OutputError(f"{text or '(empty)'}: give a file name, not a folder")
    st = _lstat(target)
    if st is not None:  # what is there first: a device is refused as a device
        reason = _describe(st.st_mode)
        if reason is not None:
            raise OutputError(f"{target}: {reason}")
    if suffixes and target.suffix.lower() not in suffixes:
        given = f"'{target.suffix}'" if target.suffix else "no suffix"
        raise OutputError(
            f"{target}: the file name must end in {' or '.join(suffixes)} (it has {given})"
        )
    if st is not None and not force:
        raise _exists(target)
    _check_folder(target, target.parent)
    return target


def _check_folder(target: Path, folder: Path) -> None:
    if not folder.exists():
        raise OutputError(f"{target}: the folder {folder} does not exist")
    if not folder.is_dir():
        raise OutputError(f"{target}: {folder} is not a folder")
    try:  # the one sure test of "can a file be made here" (permissions, /proc, read-only)
        os.rmdir(tempfile.mkdtemp(prefix=".vfa-", suffix=".check", dir=folder))
    except OSError as exc:
        raise OutputError(
            f"{target}: cannot write into the folder {folder} ({exc.strerror or exc})"
        ) from None


def file_mode() -> int:
    """The permissions of an ordinary new file: 0o666 less the process's umask."""
    return 0o666 & ~_umask()


def folder_mode() -> int:
    """The permissions of an ordinary new folder: 0o777 less the process's umask."""
    return 0o777 & ~_umask()


def _umask() -> int:
    # read without setting it (os.umask would change it for every thread for a moment)
    with (
        contextlib.suppress(OSError, ValueError),
        open("/proc/self/status", encoding="ascii") as fh,
    ):
        for line in fh:
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    with tempfile.TemporaryDirectory(prefix=".vfa-umask-") as tmp:
        probe = os.path.join(tmp, "probe")
        os.close(os.open(probe, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o777))
        return 0o777 & ~stat.S_IMODE(os.stat(probe).st_mode)


def _replaceable(target: Path, force: bool) -> Callable[[], None]:
    """The last check before a rename: what is at ``target`` now may be written over."""

    def check() -> None:
        st = _lstat(target)
        if st is not None:
            reason = _describe(st.st_mode)
            if reason is not None:
                raise OutputError(f"{target}: {reason}")
            if not force:
                raise _exists(target)

    return check


def publish(done: Path, target: Path, *, force: bool) -> None:
    """Move the finished file ``done`` to ``target`` in one step (same file system), with
    ordinary permissions; an existing file is replaced only with ``force``."""
    try:
        atomic.publish(
            done,
            target,
            replace=force,
            before_replace=_replaceable(target, force),
            mode=file_mode(),
        )
    except FileExistsError:
        raise _exists(target) from None
    except OSError as exc:
        raise OutputError(f"{target}: could not be written ({exc.strerror or exc})") from None


@contextlib.contextmanager
def staged(
    path: str | os.PathLike[str],
    *,
    force: bool = False,
    suffixes: Sequence[str] | None = None,
) -> Iterator[Path]:
    """A fresh file name in a private folder beside ``path``: write there (by name, as
    libraries do); when the block ends without an error it becomes ``path``.

    The staged name keeps the target's suffix, for libraries that choose the format by it.
    """
    target = check_target(path, force=force, suffixes=suffixes)
    try:
        pending = atomic.AtomicFile(target)
    except OSError as exc:
        raise OutputError(
            f"{target}: cannot write into the folder {target.parent} ({exc.strerror or exc})"
        ) from None
    with pending:
        yield pending.path
        if not pending.path.is_file():
            raise OutputError(f"{target}: nothing was written")
        publish(pending.path, target, force=force)


def write_bytes(
    path: str | os.PathLike[str],
    data: bytes,
    *,
    force: bool = False,
    suffixes: Sequence[str] | None = None,
) -> Path:
    """Write ``data`` to ``path`` whole or not at all; returns the path written."""
    with staged(path, force=force, suffixes=suffixes) as tmp:
        try:
            tmp.write_bytes(data)
        except OSError as exc:
            raise OutputError(f"{path}: could not be written ({exc.strerror or exc})") from None
    return Path(path).expanduser()


def write_text(
    path: str | os.PathLike[str],
    text: str,
    *,
    force: bool = False,
    suffixes: Sequence[str] | None = None,
) -> Path:
    """Write ``text`` as UTF-8 to ``path`` whole or not at all; returns the path written."""
    return write_bytes(path, text.encode("utf-8"), force=force, suffixes=suffixes)


# -- folders ------------------------------------------------------------------------


def check_folder_target(
    path: str | os.PathLike[str], names: Iterable[str] = (), *, force: bool = False
) -> Path:
    """The folder files may be exported into (new, or an existing real folder), or
    OutputError. ``names`` already in an existing folder must be regular files, and are
    replaced only with ``force``."""
    text = os.fspath(path)
    if not text.strip():
        raise OutputError("(empty): give a folder")
    out = Path(text).expanduser()
    st = _lstat(out)
    if st is None:
        _check_folder(out, out.parent)
        return out
    if stat.S_ISLNK(st.st_mode):
        raise OutputError(
            f"{out}: is a symbolic link; VFA does not export through links, give the real folder"
        )
    if not stat.S_ISDIR(st.st_mode):
        raise OutputError(f"{out}: exists and is not a folder")
    _check_folder(out, out)
    clashes = []
    for name in names:
        there = _lstat(out / name)
        if there is None:
            continue
        reason = _describe(there.st_mode)
        if reason is not None:
            raise OutputError(f"{out / name}: {reason}")
        clashes.append(name)
    if clashes and not force:
        raise OutputError(
            f"{out}: already holds {', '.join(clashes)}; choose an empty folder, or replace "
            "them (--force)"
        )
    return out


@contextlib.contextmanager
def staged_folder(
    path: str | os.PathLike[str], names: Iterable[str] = (), *, force: bool = False
) -> Iterator[tuple[Path, list[Path]]]:
    """A private folder to write an export's files into; when the block ends without an
    error they are moved into ``path`` (the folder itself when it is new, else file by
    file under the rules of :func:`publish`). Yields the staging folder and the list
    that receives the files published, in name order."""
    out = check_folder_target(path, names, force=force)
    base = out if out.is_dir() else out.parent
    try:
        staging = Path(tempfile.mkdtemp(prefix=".vfa-export-", dir=base))
    except OSError as exc:
        raise OutputError(f"{out}: cannot write there ({exc.strerror or exc})") from None
    published: list[Path] = []
    try:
        yield staging, published
        files = sorted(staging.iterdir())
        for file in files:
            atomic.sync_file(file)
            os.chmod(file, file_mode())
        if not os.path.lexists(out):
            os.chmod(staging, folder_mode())
            try:
                staging.rename(out)
            except OSError as exc:
                raise OutputError(f"{out}: cannot write there ({exc.strerror or exc})") from None
            published.extend(out / f.name for f in files)
            return
        check_folder_target(out, [f.name for f in files], force=force)
        for file in files:
            publish(file, out / file.name, force=force)
            published.append(out / file.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


# -- CSV ----------------------------------------------------------------------------


def safe_cell(value: Any) -> Any:
    """A value as a spreadsheet shows it, never runs it: None is empty, numbers stay
    numbers (negative ones too), and text starting with = + - @, a tab or a line break
    gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return value
    text = str(value)
    first = text.lstrip(" ")[:1]
    if first and first in _FORMULA_START and not _NUMBER.match(text.strip(" ")):
        return "'" + text
    return text


def csv_text(
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    comments: Iterable[tuple[str, str]] = (),
) -> str:
    """CSV text: ``comments`` as leading ``LABEL,TEXT`` rows (LABEL starting ``#``, so
    readers that skip comment lines skip them), the header, then the rows; every cell
    through :func:`safe_cell` and quoted as needed."""
    buffer = io.StringIO()
    # CRLF ends a row (RFC 4180), so a cell holding either line break is quoted
    writer = csv.writer(buffer, lineterminator="\r\n")
    for label, text in comments:
        if not label.startswith("#") or "," in label or '"' in label:
            raise ValueError(f"a CSV comment label must start with # and hold no comma: {label!r}")
        writer.writerow([label, safe_cell(" ".join(str(text).split()))])
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return buffer.getvalue()
