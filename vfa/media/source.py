"""Opening a media file, the one way: what FFmpeg may not see is refused first, and what
FFmpeg (through PyAV) says is turned into a :class:`MediaError` naming the file and the
reason in words.

Every reader in ``vfa/media`` (probe, frame server, filmstrip, waveform, export) opens
its source here, so a missing file, a folder, a pipe, an empty or unreadable file, a
file that is no media at all and one that breaks while it is read are each reported the
same way wherever they are met.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

import av

from vfa.errors import MediaError
from vfa.files import os_reason
from vfa.media.fingerprint import regular_file_problem

# what is read from the file: a video file's pictures, or the sound of any media file
Content = Literal["video", "audio"]
_FILE_KIND = {"video": "video file", "audio": "media file"}


def check_readable(path: str | os.PathLike[str]) -> Path:
    """The path, once it is a readable, non-empty regular file; else a MediaError.

    Runs before FFmpeg opens anything, so a pipe or a device never blocks the caller.
    """
    p = Path(path)
    problem = regular_file_problem(p)
    if problem is not None:
        raise MediaError(f"{p}: {problem}")
    if not os.access(p, os.R_OK):
        raise MediaError(f"{p}: cannot be read (permission denied)")
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise MediaError(f"{p}: {os_reason(exc)}") from exc
    if size == 0:
        raise MediaError(f"{p}: the file is empty")
    return p


def open_container(
    path: str | os.PathLike[str], content: Content = "video"
) -> av.container.InputContainer:
    """The checked file opened for reading; the caller closes it (see :func:`open_media`)."""
    p = check_readable(path)
    try:
        return av.open(str(p), metadata_errors="ignore")
    except av.error.EOFError as exc:
        raise MediaError(
            f"{p}: the file ends too early (it is cut short, or still being copied)"
        ) from exc
    except av.error.InvalidDataError as exc:
        raise MediaError(f"{p}: not a {_FILE_KIND[content]} VFA can read ({_reason(exc)})") from exc
    except (av.FFmpegError, OSError) as exc:
        raise MediaError(f"{p}: cannot be opened ({_reason(exc)})") from exc


@contextlib.contextmanager
def reading(path: str | os.PathLike[str], doing: str) -> Iterator[None]:
    """Turn an FFmpeg error raised in the block into a MediaError: ``PATH: doing (reason)``."""
    try:
        yield
    except av.FFmpegError as exc:
        raise MediaError(f"{os.fspath(path)}: {doing} ({_reason(exc)})") from exc


@contextlib.contextmanager
def open_media(
    path: str | os.PathLike[str], content: Content = "video"
) -> Iterator[av.container.InputContainer]:
    """The file opened for reading ``content``, closed at the end of the block.

    A file that cannot be opened, and an FFmpeg error while the block reads it, are
    MediaErrors naming the file ("the video is damaged or unsupported (…)").
    """
    container = open_container(path, content)
    try:
        with reading(path, f"the {content} is damaged or unsupported"):
            yield container
    finally:
        container.close()


def first_video_stream(
    path: str | os.PathLike[str], container: av.container.InputContainer
) -> av.VideoStream:
    """The container's first video stream, or a MediaError saying it has none or that no
    decoder opens it (a damaged header can name a codec that does not exist)."""
    if not container.streams.video:
        raise MediaError(f"{os.fspath(path)}: contains no video stream")
    stream = container.streams.video[0]
    if stream.codec_context is None:
        raise MediaError(
            f"{os.fspath(path)}: its video cannot be decoded (no decoder for its stream)"
        )
    return stream


def _reason(exc: Exception) -> str:
    """FFmpeg's words for an error, without the file name it repeats."""
    if isinstance(exc, av.FFmpegError):
        return exc.strerror or str(exc)
    if isinstance(exc, OSError):
        return os_reason(exc)
    return str(exc)
