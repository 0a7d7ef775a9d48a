"""Stills: the exact frame at full resolution (PNG, or JPEG by name), rotation applied."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from vfa.domain.frames import FrameTable
from vfa.errors import InvalidInputError, MediaError
from vfa.outputs import check_target, write_bytes

# a still's format follows its file name
STILL_SUFFIXES = (".png", ".jpg", ".jpeg")


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


def write_still(image: np.ndarray, out: str | os.PathLike[str], *, force: bool = False) -> Path:
    """Write an RGB array as PNG (or JPEG, quality 95, for a ``.jpg``/``.jpeg`` name)
    through :mod:`vfa.outputs`: whole or not at all, never over a link or a device, and
    over an existing file only with ``force``."""
    target = check_target(out, force=force, suffixes=STILL_SUFFIXES)
    data = encode_still(image, target.suffix)
    return write_bytes(target, data, force=force, suffixes=STILL_SUFFIXES)


def encode_still(image: np.ndarray, suffix: str) -> bytes:
    """An RGB array as the bytes of a PNG or JPEG file (by ``suffix``)."""
    import cv2  # loaded only when a still is written

    ext = ".png" if suffix.lower() == ".png" else ".jpg"
    params = [] if ext == ".png" else [cv2.IMWRITE_JPEG_QUALITY, 95]
    ok, encoded = cv2.imencode(ext, np.ascontiguousarray(image[:, :, ::-1]), params)
    if not ok:
        raise MediaError(f"the still could not be encoded as {ext[1:].upper()}")
    return encoded.tobytes()
