"""The frame server: the exact frame for a frame index or a time, from PyAV.

Seeks to the keyframe before the wanted frame and decodes forward until the frame's
pts matches the frame table, so the result is exact on constant and variable frame
rate alike. Frames are returned as RGB arrays with the clip's rotation applied.

Stepping backwards is the expensive direction (every step would decode from the
previous keyframe), so a backward request keeps the frames decoded on the way in the
cache: the next steps back are cache hits.
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
from vfa.media.source import first_video_stream, open_container, reading

# decoding forward beats seeking when the wanted frame is this close after the last one
FORWARD_WINDOW_MS = 2000
# frames kept before a backward target (about a second of video)
BACKWARD_PREFETCH = 30
CACHE_BYTES = 160 * 1024 * 1024


def rotate_for_display(image: np.ndarray, rotation: int) -> np.ndarray:
    """Turn a coded picture as its display matrix says: ``rotation`` degrees
    counter-clockwise (FFmpeg's ``av_display_rotation_get``; VLC and ffplay agree)."""
    k = (rotation % 360) // 90
    return np.ascontiguousarray(np.rot90(image, k)) if k else image


class FrameServer:
    """Exact frames of one clip. Thread-safe; keep one per open clip, and close it (or
    use it as a context manager: ``with FrameServer(...) as server``)."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        table: FrameTable,
        rotation: int = 0,
        cache_bytes: int = CACHE_BYTES,
    ) -> None:
        self.path = os.fspath(path)
        self.table = table
        self.rotation = rotation
        self._cache: OrderedDict[int, np.ndarray] = OrderedDict()
        self._cache_bytes = cache_bytes
        self._cached_bytes = 0
        self._lock = threading.Lock()
        self._container: av.container.InputContainer | None = None
        self._decoder: Iterator[av.VideoFrame] | None = None
        self._last_ms: int | None = None
        self._index_of = {pts: i for i, pts in enumerate(table.pts_ms)}

    def __enter__(self) -> FrameServer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the file and the cache."""
        with self._lock:
            if self._container is not None:
                self._container.close()
            self._container = None
            self._decoder = None
            self._cache.clear()
            self._cached_bytes = 0

    def frame_at(self, t_ms: int) -> tuple[int, np.ndarray]:
        """The frame shown at ``t_ms`` (last pts <= t) as (index, RGB image)."""
        index = self.table.index_at(t_ms)
        return index, self.frame(index)

    def frame(self, index: int, *, backward: bool = False) -> np.ndarray:
        """Frame ``index`` as an RGB array, rotation applied.

        ``backward`` says the caller is moving back (frame steps, reverse shuttle): the
        frames before ``index`` decoded on the way are kept for the next requests.
        """
        index = min(max(index, 0), len(self.table) - 1)
        with self._lock:
            cached = self._cache.get(index)
            if cached is not None:
                self._cache.move_to_end(index)
                return cached
            keep_from = self.table.pts_of(index - BACKWARD_PREFETCH) if backward else None
            image = self._decode(self.table.pts_of(index), keep_from)
            self._store(index, image)
            return image

    def cached(self, index: int) -> bool:
        """Whether frame ``index`` would be served without decoding."""
        with self._lock:
            return index in self._cache

    def _store(self, index: int, image: np.ndarray) -> None:
        if index in self._cache:
            return
        self._cache[index] = image
        self._cached_bytes += image.nbytes
        while self._cached_bytes > self._cache_bytes and len(self._cache) > 1:
            _, old = self._cache.popitem(last=False)
            self._cached_bytes -= old.nbytes

    def _open(self) -> av.container.InputContainer:
        if self._container is None:
            container = open_container(self.path)
            try:
                stream = first_video_stream(self.path, container)
            except MediaError:
                container.close()
                raise
            start = stream.start_time
            self._start = start if start is not None else 0
            self._tb: Fraction = stream.time_base or Fraction(1, 1000)
            self._container = container
        return self._container

    def _ms(self, pts: int) -> int:
        return round((pts - self._start) * self._tb * 1000)

    def _rgb(self, frame: av.VideoFrame) -> np.ndarray:
        # rows can be padded: hand out a compact copy
        image = np.ascontiguousarray(frame.to_ndarray(format="rgb24"))
        return rotate_for_display(image, self.rotation)

    def _decode(self, target_ms: int, keep_from_ms: int | None) -> np.ndarray:
        container = self._open()
        stream = container.streams.video[0]
        # the decoder is kept only after a success: a failure leaves none half-way
        decoder, self._decoder = self._decoder, None
        forward = (
            keep_from_ms is None
            and decoder is not None
            and self._last_ms is not None
            and self._last_ms < target_ms <= self._last_ms + FORWARD_WINDOW_MS
        )
        back_ms = 0
        with reading(self.path, f"decoding failed near {target_ms} ms"):
            for _attempt in range(5):
                if not forward:
                    seek_ms = max(0, target_ms - back_ms)
                    container.seek(
                        self._start + int(seek_ms / 1000 / self._tb),
                        stream=stream,
                        backward=True,
                        any_frame=False,
                    )
                    decoder = container.decode(stream)
                forward = False
                assert decoder is not None
                for frame in decoder:
                    if frame.pts is None:
                        continue
                    ms = self._ms(frame.pts)
                    self._last_ms = ms
                    if ms == target_ms:
                        self._decoder = decoder
                        return self._rgb(frame)
                    if ms > target_ms:
                        break  # landed after the target: seek further back
                    if keep_from_ms is not None and ms >= keep_from_ms:
                        index = self._index_of.get(ms)
                        if index is not None:
                            self._store(index, self._rgb(frame))
                back_ms = back_ms * 2 + 1000
        raise MediaError(f"{self.path}: no frame with pts {target_ms} ms could be decoded")
