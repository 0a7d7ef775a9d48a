"""Stills: the exact frame as a full-resolution PNG, rotation applied."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from vfa.domain.frames import FrameTable
from vfa.errors import InvalidInputError, MediaError


def frame_for(table: FrameTable, *, at_ms: int | None = None, frame: int | None = None) -> int:
    """The frame index a still asks for: ``frame`` itself, or the frame shown at ``at_ms``."""
    if (at_ms is None) == (frame is None):
        raise InvalidInputError("give either a time (--at-ms) or a frame index (--frame)")
    if frame is not None:
        if not 0 <= frame < table.frame_count:
            raise InvalidInputError(
                f"frame {frame}: the clip has frames 0 to {table.frame_count - 1}"
            )
        return frame
    assert at_ms is not None
    if not 0 <= at_ms < table.duration_ms:
        raise InvalidInputError(f"{at_ms} ms: the clip runs from 0 to {table.duration_ms - 1} ms")
    return table.index_at(at_ms)


def write_png(image: np.ndarray, out: str | os.PathLike[str]) -> Path:
    """Write an RGB array as PNG, atomically (a partial file never appears)."""
    import cv2  # loaded only when a still is written

    target = Path(out)
    if target.is_dir():
        raise InvalidInputError(f"{target}: is a folder; give a file name ending in .png")
    if not target.parent.is_dir():
        raise InvalidInputError(f"{target.parent}: no such folder")
    tmp = target.with_name(f".{target.name}.part.png")
    ok = cv2.imwrite(str(tmp), np.ascontiguousarray(image[:, :, ::-1]))
    if not ok:
        tmp.unlink(missing_ok=True)
        raise MediaError(f"{target}: the still could not be written")
    try:
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise MediaError(f"{target}: the still could not be written ({exc.strerror})") from exc
    return target
