"""The audio envelope for the timeline's waveform lane: peaks per bucket, cached per clip.

Samples are placed by their frames' pts, on the same time axis as the video's frame
table (ms after the video stream's start), so the waveform lines up with the pictures
even when the audio starts late or has gaps.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from vfa.errors import MediaError
from vfa.media.cache import Cancelled, Progress, cached_or_built
from vfa.media.source import open_media

# bump when the cached layout or the way peaks are computed changes
FORMAT_VERSION = 1

# the sample formats read (planar ones end in "p"), and the integer ones' scale to -1..1
_DTYPES: dict[str, type[np.generic]] = {
    "u8": np.uint8,
    "s16": np.int16,
    "s32": np.int32,
    "flt": np.float32,
    "dbl": np.float64,
}
_INT_SCALE = {"s16": 1 / 32768, "s32": 1 / 2147483648, "u8": 1 / 128}

# decoded samples are gathered into runs of about this many before their peaks are taken
_RUN_SAMPLES = 1 << 16


@dataclass(frozen=True, eq=False)
class Waveform:
    """Peak absolute level (0..1) of the mono mix in each ``bucket_ms`` of audio."""

    bucket_ms: int
    peaks: np.ndarray

    def __post_init__(self) -> None:
        if self.bucket_ms < 1:
            raise ValueError(f"bucket length must be positive, not {self.bucket_ms} ms")
        if self.peaks.dtype != np.float32 or self.peaks.ndim != 1:
            raise ValueError(f"peaks must be 1-D float32, not {self.peaks.dtype}")
        self.peaks.flags.writeable = False

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Waveform):
            return NotImplemented
        return self.bucket_ms == other.bucket_ms and np.array_equal(self.peaks, other.peaks)

    @property
    def duration_ms(self) -> int:
        """The time covered by the buckets."""
        return len(self.peaks) * self.bucket_ms

    def window(self, start_ms: float, end_ms: float, columns: int) -> np.ndarray:
        """``columns`` levels across [start_ms, end_ms): the loudest bucket touching each.

        A column narrower than a bucket shows the bucket it falls in; columns before the
        start or after the end of the audio are 0.
        """
        out = np.zeros(max(columns, 0), np.float32)
        if columns <= 0 or end_ms <= start_ms or not len(self.peaks):
            return out
        edges = start_ms + (end_ms - start_ms) * np.arange(columns + 1) / columns
        n = len(self.peaks)
        lo = np.floor(edges[:-1] / self.bucket_ms).astype(np.int64)
        hi = np.maximum(np.ceil(edges[1:] / self.bucket_ms).astype(np.int64), lo + 1)
        lo, hi = np.clip(lo, 0, n), np.clip(hi, 0, n)
        inside = hi > lo
        if inside.any():
            # reduceat over (lo, hi) pairs: the even results are max(peaks[lo:hi])
            padded = np.append(self.peaks, np.float32(0))
            pairs = np.column_stack((lo[inside], hi[inside])).ravel()
            out[inside] = np.maximum.reduceat(padded, pairs)[::2]
        return out


def build_waveform(
    path: str | os.PathLike[str],
    *,
    bucket_ms: int = 10,
    progress: Callable[[float], None] | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> Waveform | None:
    """Decode the first audio stream into per-bucket peaks; None when there is no audio."""
    if bucket_ms < 1:
        raise ValueError(f"bucket length must be positive, not {bucket_ms} ms")
    p = Path(path)
    with open_media(p, "audio") as container:
        return _build(p, container, bucket_ms, progress, cancelled)


class _Peaks:
    """Running per-bucket peaks, fed with the levels of contiguous runs of samples."""

    def __init__(self, bucket_ms: int, expected_buckets: int) -> None:
        self.bucket_ms = bucket_ms
        self.peaks = np.zeros(max(expected_buckets, 16), np.float32)
        self.used = 0  # buckets that have received samples (a prefix of self.peaks)
        self.run: list[np.ndarray] = []
        self.run_start = 0  # first sample of the run, counted at run_rate from time 0
        self.run_rate = 0
        self.run_len = 0

    def add(self, samples: np.ndarray, first: int, rate: int) -> None:
        """Add sample levels, the first being sample ``first`` at ``rate`` Hz from time 0."""
        # jitter of a sample or two from rounding the pts is not a gap
        if rate != self.run_rate or abs(first - self.run_end) > 2:
            self.flush()
            self.run_start, self.run_rate = first, rate
        self.run.append(samples)
        self.run_len += len(samples)
        if self.run_len >= _RUN_SAMPLES:
            self.flush()  # the next frame continues where this run ended

    @property
    def run_end(self) -> int:
        return self.run_start + self.run_len

    def flush(self) -> None:
        """Fold the gathered run into the peaks."""
        if not self.run:
            return
        level = np.concatenate(self.run) if len(self.run) > 1 else self.run[0]
        first, rate = self.run_start, self.run_rate
        self.run_start += self.run_len
        self.run, self.run_len = [], 0
        if first < 0:  # before the video's time 0: not shown
            level = level[-first:]
            first = 0
        if not len(level):
            return
        # bucket b holds samples s with s * 1000 // (rate * bucket_ms) == b (exact integers)
        per = rate * self.bucket_ms
        b0 = first * 1000 // per
        b1 = (first + len(level) - 1) * 1000 // per
        starts = (np.arange(b0 + 1, b1 + 1, dtype=np.int64) * per + 999) // 1000 - first
        run_peaks = np.maximum.reduceat(level, np.concatenate(([0], starts)))
        if b1 + 1 > len(self.peaks):
            grown = np.zeros(max(b1 + 1, len(self.peaks) * 3 // 2), np.float32)
            grown[: len(self.peaks)] = self.peaks
            self.peaks = grown
        np.maximum(self.peaks[b0 : b1 + 1], run_peaks, out=self.peaks[b0 : b1 + 1])
        self.used = max(self.used, b1 + 1)

    def result(self) -> np.ndarray:
        self.flush()
        return np.clip(self.peaks[: self.used], 0.0, 1.0).astype(np.float32)


def _levels(p: Path, frame: av.AudioFrame) -> np.ndarray:
    """The absolute level (0..1) of each sample of the frame's mono mix, as float32."""
    fmt = frame.format
    base = fmt.name.removesuffix("p") if fmt.is_planar else fmt.name
    dtype = _DTYPES.get(base)
    if dtype is None:
        raise MediaError(f"{p}: the audio sample format {fmt.name} is not supported")
    n = frame.samples
    planes = frame.planes
    # reading the planes' buffers directly is several times faster than to_ndarray()
    if fmt.is_planar:
        channels = [np.frombuffer(memoryview(plane), dtype, count=n) for plane in planes]
    else:
        count = frame.layout.nb_channels
        channels = list(
            np.frombuffer(memoryview(planes[0]), dtype, count=n * count).reshape(n, count).T
        )
    if len(channels) == 1:
        mixed = channels[0]
    else:
        mixed = np.add.reduce(channels, dtype=np.float64 if base == "dbl" else np.float32)
        mixed /= len(channels)
    if base in _INT_SCALE:
        mixed = mixed.astype(np.float32)
        if base == "u8":
            mixed -= 128
        mixed *= _INT_SCALE[base]
    return np.abs(mixed, dtype=np.float32)


def _build(
    p: Path,
    container: av.container.InputContainer,
    bucket_ms: int,
    progress: Callable[[float], None] | None,
    cancelled: Callable[[], bool],
) -> Waveform | None:
    if not container.streams.audio:
        return None
    stream = container.streams.audio[0]
    tb = stream.time_base or Fraction(1, stream.rate or 1000)
    # time 0 is the video's first frame when there is video, else the audio's start
    zero = Fraction(0)
    if container.streams.video:
        video = container.streams.video[0]
        if video.start_time is not None and video.time_base is not None:
            zero = video.start_time * video.time_base
    elif stream.start_time is not None:
        zero = stream.start_time * tb
    audio_start = float(stream.start_time * tb) if stream.start_time is not None else 0.0
    tick, zero_s = float(tb), float(zero)  # floats: Fraction arithmetic per frame is slow
    seconds = float(stream.duration * tb) if stream.duration else None
    if seconds is None and container.duration:
        seconds = container.duration / av.time_base
    report = Progress(progress, seconds)
    report.update(0)
    peaks = _Peaks(bucket_ms, round((seconds or 0) * 1000 / bucket_ms) + 1)
    for frame in container.decode(stream):
        if cancelled():
            raise Cancelled(f"{p}: making the waveform was cancelled")
        if not frame.samples:
            continue
        rate = frame.sample_rate
        if frame.pts is None:
            first = peaks.run_end if peaks.run_rate == rate else 0
        else:
            at = frame.pts * tick
            first = round((at - zero_s) * rate)
            report.update(at - audio_start)
        peaks.add(_levels(p, frame), first, rate)
    report.finish()
    return Waveform(bucket_ms, peaks.result())


def load_or_build_waveform(
    path: str | os.PathLike[str],
    fingerprint: str,
    *,
    bucket_ms: int = 10,
    progress: Callable[[float], None] | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> Waveform | None:
    """The clip's waveform (None: no audio) from the cache, else built and cached."""
    settings = np.array([FORMAT_VERSION, bucket_ms], np.int64)
    return cached_or_built(
        fingerprint,
        "waveform",
        settings,
        lambda data: _from_arrays(data, bucket_ms),
        lambda: build_waveform(path, bucket_ms=bucket_ms, progress=progress, cancelled=cancelled),
        _to_arrays,
    )


def _to_arrays(wave: Waveform | None) -> dict[str, np.ndarray]:
    """What the cache keeps of a waveform: whether there is sound, and its peaks."""
    peaks = wave.peaks if wave is not None else np.zeros(0, np.float32)
    return {"has_audio": np.array(wave is not None), "peaks": peaks}


def _from_arrays(data: Mapping[str, np.ndarray], bucket_ms: int) -> Waveform | None:
    """A waveform from its cached arrays; None for a clip cached as having no sound."""
    return Waveform(bucket_ms, data["peaks"]) if bool(data["has_audio"]) else None
