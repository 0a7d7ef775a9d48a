"""Stills: the exact frame of a clip or file as a full-resolution PNG."""

from __future__ import annotations

import os
from pathlib import Path

from vfa.media.frames import FrameServer
from vfa.media.probe import probe
from vfa.media.stills import frame_for, write_png


def still_from_file(
    file: str | os.PathLike[str],
    out: str | os.PathLike[str],
    *,
    at_ms: int | None = None,
    frame: int | None = None,
) -> tuple[int, int, Path]:
    """Save the frame shown at ``at_ms`` (or frame ``frame``) of a video file.

    Returns (frame index, its pts in ms, the PNG written).
    """
    result = probe(file)
    index = frame_for(result.frame_table, at_ms=at_ms, frame=frame)
    server = FrameServer(file, result.frame_table, result.rotation)
    try:
        written = write_png(server.frame(index), out)
    finally:
        server.close()
    return index, result.frame_table.pts_of(index), written


def save_frame(server: FrameServer, index: int, out: str | os.PathLike[str]) -> Path:
    """Save frame ``index`` of an open clip's frame server as a PNG."""
    return write_png(server.frame(index), out)
