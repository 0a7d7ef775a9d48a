"""Probe a video file once: its stream facts and the pts of every frame."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from fractions import Fraction
from itertools import pairwise
from pathlib import Path

import av

from vfa.domain.frames import FrameTable
from vfa.errors import MediaError
from vfa.media.source import first_video_stream, open_media


@dataclass(frozen=True)
class ProbeResult:
    """What VFA needs to know about a clip before showing it."""

    path: str
    duration_ms: int
    frame_count: int
    fps: float
    vfr: bool
    width: int
    height: int
    rotation: int
    has_audio: bool
    codec: str
    frame_table: FrameTable

    def summary(self) -> dict[str, object]:
        """The JSON-friendly facts (without the frame table)."""
        data = asdict(self)
        del data["frame_table"]
        return data


def _rotation_of(container: av.container.InputContainer, stream: av.VideoStream) -> int:
    """Display rotation in degrees (0, 90, 180, 270) from the first frame's display matrix."""
    for frame in container.decode(stream):
        return round(frame.rotation / 90.0) * 90 % 360
    raise MediaError(f"{container.name}: the video stream has no decodable frame")


def probe(path: str | os.PathLike[str]) -> ProbeResult:
    """Read the file's streams and build its frame table from packet timestamps."""
    p = Path(path)
    with open_media(p) as container:
        return _probe_container(p, container)


def _probe_container(p: Path, container: av.container.InputContainer) -> ProbeResult:
    stream = first_video_stream(p, container)
    if stream.codec_context is None or not stream.codec_context.name:
        raise MediaError(f"{p}: the video codec is not supported")
    tb = stream.time_base or Fraction(1, 1000)
    ticks: list[tuple[int, int]] = []
    for packet in container.demux(stream):
        if packet.pts is None or packet.size == 0:
            continue
        ticks.append((packet.pts, packet.duration or 0))
    if not ticks:
        raise MediaError(f"{p}: the video stream has no frames")
    ticks.sort()
    start = stream.start_time if stream.start_time is not None else ticks[0][0]
    start = min(start, ticks[0][0])
    pts_ms = [round((t - start) * tb * 1000) for t, _ in ticks]
    intervals = [b[0] - a[0] for a, b in pairwise(ticks)]
    vfr = bool(intervals) and max(intervals) - min(intervals) > 1
    last_tick, last_duration = ticks[-1]
    if not last_duration:
        last_duration = sorted(intervals)[len(intervals) // 2] if intervals else 0
    duration_ms = round((last_tick + last_duration - start) * tb * 1000)
    # nominal rate: a phone's VFR clip still says 30 (r_frame_rate) though it averages less
    rate = stream.average_rate or stream.guessed_rate
    if vfr and stream.base_rate and stream.base_rate <= 120:
        rate = stream.base_rate
    if rate is None and intervals:
        rate = Fraction(1, 1) / (sorted(intervals)[len(intervals) // 2] * tb)
    container.seek(0)
    rotation = _rotation_of(container, stream)
    cc = stream.codec_context
    width, height = cc.width, cc.height
    if rotation in (90, 270):
        width, height = height, width
    table = FrameTable.from_pts(pts_ms, duration_ms)
    return ProbeResult(
        path=str(p),
        duration_ms=table.duration_ms,
        frame_count=table.frame_count,
        fps=round(float(rate), 3) if rate else 0.0,
        vfr=vfr,
        width=width,
        height=height,
        rotation=rotation,
        has_audio=bool(container.streams.audio),
        codec=cc.name,
        frame_table=table,
    )
