"""The timeline's thumbnail filmstrip: keyframes only, one pass, cached per clip.

Only keyframe packets reach the decoder (the rest are demuxed and dropped unparsed), so
a 20-minute clip with a keyframe every 2 s costs 600 picture decodes. Thumbnails keep
the displayed aspect ratio and are turned upright like the frame server's pictures.
"""

from __future__ import annotations

import os
from bisect import bisect_right
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from av.video.reformatter import Interpolation, VideoReformatter

from vfa.errors import MediaError
from vfa.media.cache import Cancelled, Progress, cached_or_built
from vfa.media.frames import rotate_for_display
from vfa.media.source import first_video_stream, open_media

# bump when the cached layout or the way thumbnails are made changes
FORMAT_VERSION = 1


@dataclass(frozen=True, eq=False)
class Filmstrip:
    """Thumbnails at keyframe times: ``images`` is (n, h, w, 3) uint8 RGB, upright, read-only."""

    times_ms: tuple[int, ...]
    images: np.ndarray

    def __post_init__(self) -> None:
        shape = self.images.shape
        if self.images.dtype != np.uint8 or len(shape) != 4 or shape[3] != 3:
            raise ValueError(f"filmstrip images must be (n, h, w, 3) uint8, not {shape}")
        if not self.times_ms or len(self.times_ms) != shape[0]:
            raise ValueError("a filmstrip needs one time per thumbnail and at least one")
        self.images.flags.writeable = False

    def __len__(self) -> int:
        return len(self.times_ms)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Filmstrip):
            return NotImplemented
        return self.times_ms == other.times_ms and np.array_equal(self.images, other.images)

    def nearest(self, t_ms: int) -> int:
        """Index of the thumbnail for ``t_ms``: the last whose time <= t_ms (clamped)."""
        i = bisect_right(self.times_ms, t_ms) - 1
        return min(max(i, 0), len(self.times_ms) - 1)


def build_filmstrip(
    path: str | os.PathLike[str],
    rotation: int,
    *,
    height: int = 72,
    min_interval_ms: int = 1000,
    progress: Callable[[float], None] | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> Filmstrip:
    """Decode the keyframes (at most one per ``min_interval_ms``) into thumbnails."""
    if height < 1:
        raise ValueError(f"thumbnail height must be positive, not {height}")
    p = Path(path)
    with open_media(p) as container:
        return _build(p, container, rotation % 360, height, min_interval_ms, progress, cancelled)


def thumbnail_size(
    width: int, height: int, sar: Fraction, rotation: int, target: int
) -> tuple[int, int]:
    """The coded picture's scaled (width, height) so that, turned upright, it is ``target`` high."""
    aspect = width * sar / height  # displayed width / height before rotation
    if rotation % 180 == 90:
        return target, max(1, round(target / aspect))
    return max(1, round(target * aspect)), target


def _build(
    p: Path,
    container: av.container.InputContainer,
    rotation: int,
    height: int,
    min_interval_ms: int,
    progress: Callable[[float], None] | None,
    cancelled: Callable[[], bool],
) -> Filmstrip:
    stream = first_video_stream(p, container)
    cc = stream.codec_context
    cc.skip_frame = "NONKEY"
    tb = stream.time_base or Fraction(1, 1000)
    start = stream.start_time if stream.start_time is not None else 0
    total = stream.duration
    if not total and container.duration:
        total = round(container.duration / av.time_base / tb)
    report = Progress(progress, total)
    report.update(0)
    scaler = VideoReformatter()
    size: tuple[int, int] | None = None
    times: list[int] = []
    images: list[np.ndarray] = []
    next_ms: int | None = None  # the earliest time the next thumbnail may have
    for packet in container.demux(stream):
        if cancelled():
            raise Cancelled(f"{p}: making the filmstrip was cancelled")
        # an empty packet ends the stream and flushes the decoder; decode keyframes only
        if packet.size:
            if packet.pts is not None:
                report.update(packet.pts - start)
            if not packet.is_keyframe:
                continue
            if packet.pts is not None:
                ms = round((packet.pts - start) * tb * 1000)
                if next_ms is not None and ms < next_ms:
                    continue
                next_ms = ms + min_interval_ms
        for frame in packet.decode():
            if frame.pts is None:
                continue
            ms = round((frame.pts - start) * tb * 1000)
            if times and ms < times[-1] + max(min_interval_ms, 1):
                continue
            if size is None:
                sar = cc.sample_aspect_ratio
                sar = sar if sar and sar > 0 else Fraction(1)
                size = thumbnail_size(frame.width, frame.height, sar, rotation, height)
            small = scaler.reformat(
                frame,
                width=size[0],
                height=size[1],
                format="rgb24",
                interpolation=Interpolation.AREA,
            )
            times.append(ms)
            images.append(rotate_for_display(small.to_ndarray(), rotation))
    if not images:
        raise MediaError(f"{p}: the video stream has no decodable keyframe")
    report.finish()
    return Filmstrip(tuple(times), np.stack(images))


def load_or_build_filmstrip(
    path: str | os.PathLike[str],
    fingerprint: str,
    rotation: int,
    *,
    height: int = 72,
    min_interval_ms: int = 1000,
    progress: Callable[[float], None] | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> Filmstrip:
    """The clip's filmstrip from the cache, else built and cached."""
    settings = np.array([FORMAT_VERSION, rotation % 360, height, min_interval_ms], np.int64)
    return cached_or_built(
        fingerprint,
        "filmstrip",
        settings,
        _from_arrays,
        lambda: build_filmstrip(
            path,
            rotation,
            height=height,
            min_interval_ms=min_interval_ms,
            progress=progress,
            cancelled=cancelled,
        ),
        lambda strip: {"times": np.array(strip.times_ms, np.int64), "images": strip.images},
    )


def _from_arrays(data: Mapping[str, np.ndarray]) -> Filmstrip:
    """A filmstrip from its cached arrays (ValueError when they do not make one)."""
    times = data["times"]
    if times.ndim != 1 or times.dtype.kind != "i":
        raise ValueError(f"times have shape {times.shape} and type {times.dtype}")
    return Filmstrip(tuple(int(t) for t in times), data["images"])
