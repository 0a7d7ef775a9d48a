"""The frame server: the exact frame for a frame index or a time, from PyAV.

Seeks to the keyframe before the wanted frame and decodes forward until the frame's
pts matches the frame table, so the result is exact on constant and variable frame
rate alike. Frames are returned as RGB arrays with the clip's rotation applied.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Iterator
from fractions import Fraction

import av
import numpy as np

from vfa.domain.frames import FrameTable
from vfa.errors import MediaError

# decoding forward beats seeking when the wanted frame is this close after the last one
FORWARD_WINDOW_MS = 2000


def rotate_for_display(image: np.ndarray, rotation: int) -> np.ndarray:
    """Turn a coded picture upright according to the clip's display rotation."""
    k = {0: 0, 90: -1, 180: 2, 270: 1}.get(rotation % 360, 0)
    return np.ascontiguousarray(np.rot90(image, k)) if k else image


class FrameServer:
    """Exact frames of one clip. Thread-safe; keep one per open clip."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        table: FrameTable,
        rotation: int = 0,
        cache_size: int = 16,
    ) -> None:
        self.path = os.fspath(path)
        self.table = table
        self.rotation = rotation
        self._cache: OrderedDict[int, np.ndarray] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()
        self._container: av.container.InputContainer | None = None
        self._decoder: Iterator[av.VideoFrame] | None = None
        self._last_ms: int | None = None

    def close(self) -> None:
        """Release the file."""
        with self._lock:
            if self._container is not None:
                self._container.close()
            self._container = None
            self._decoder = None

    def frame_at(self, t_ms: int) -> tuple[int, np.ndarray]:
        """The frame shown at ``t_ms`` (last pts <= t) as (index, RGB image)."""
        index = self.table.index_at(t_ms)
        return index, self.frame(index)

    def frame(self, index: int) -> np.ndarray:
        """Frame ``index`` as an RGB array, rotation applied."""
        index = min(max(index, 0), len(self.table) - 1)
        with self._lock:
            cached = self._cache.get(index)
            if cached is not None:
                self._cache.move_to_end(index)
                return cached
            image = rotate_for_display(self._decode(self.table.pts_of(index)), self.rotation)
            self._cache[index] = image
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
            return image

    def _open(self) -> av.container.InputContainer:
        if self._container is None:
            try:
                self._container = av.open(self.path, metadata_errors="ignore")
            except (av.FFmpegError, OSError) as exc:
                raise MediaError(f"{self.path}: cannot be opened ({exc})") from exc
            stream = self._container.streams.video[0]
            stream.thread_type = "AUTO"
            start = stream.start_time
            self._start = start if start is not None else 0
            self._tb: Fraction = stream.time_base or Fraction(1, 1000)
        return self._container

    def _ms(self, pts: int) -> int:
        return round((pts - self._start) * self._tb * 1000)

    def _decode(self, target_ms: int) -> np.ndarray:
        container = self._open()
        stream = container.streams.video[0]
        forward = (
            self._decoder is not None
            and self._last_ms is not None
            and self._last_ms < target_ms <= self._last_ms + FORWARD_WINDOW_MS
        )
        back_ms = 0
        for _attempt in range(4):
            if not forward:
                seek_ms = max(0, target_ms - back_ms)
                container.seek(
                    self._start + int(seek_ms / 1000 / self._tb),
                    stream=stream,
                    backward=True,
                    any_frame=False,
                )
                self._decoder = container.decode(stream)
            forward = False
            try:
                assert self._decoder is not None
                for frame in self._decoder:
                    if frame.pts is None:
                        continue
                    ms = self._ms(frame.pts)
                    self._last_ms = ms
                    if ms == target_ms:
                        # rows can be padded: hand out a compact copy
                        return np.ascontiguousarray(frame.to_ndarray(format="rgb24"))
                    if ms > target_ms:
                        break  # landed after the target: seek further back
            except av.FFmpegError as exc:
                raise MediaError(
                    f"{self.path}: decoding failed near {target_ms} ms ({exc})"
                ) from exc
            back_ms = back_ms * 2 + 1000
            self._decoder = None
        raise MediaError(f"{self.path}: no frame with pts {target_ms} ms could be decoded")
