"""A clip export's sound: the source's audio from the span's start, as AAC, placed by
its timestamps and muxed as the video advances (see :mod:`vfa.media.export`)."""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from vfa.media.source import open_container

AUDIO_BIT_RATE = 128_000
AAC_RATES = frozenset(
    (96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350)
)


class AudioSpan:
    """The source's sound from a start time on, as AAC, pulled along as the video advances.

    Decoded sound is placed by its pts relative to the start (so a gap or a late start
    becomes silence and sound before the start is dropped), converted to AAC's planar
    float format and encoded in AAC-sized frames. Muxing sound up to each video packet's
    time keeps the two interleaved in the file.
    """

    def __init__(self, source: Path, output: av.container.OutputContainer) -> None:
        self.source = source
        self._input = open_container(source, "audio")
        self._in = self._input.streams.audio[0]
        in_rate = self._in.codec_context.sample_rate or 48000
        self.rate = in_rate if in_rate in AAC_RATES else 48000
        channels = self._in.codec_context.layout.nb_channels
        self.layout = "mono" if channels == 1 else "stereo"
        self._output = output
        self.stream = output.add_stream("aac", rate=self.rate)
        self.stream.layout = self.layout
        self.stream.bit_rate = AUDIO_BIT_RATE
        self._resampler = av.AudioResampler(format="fltp", layout=self.layout, rate=self.rate)
        self._channels = 1 if self.layout == "mono" else 2
        self._decoder: Iterator[av.AudioFrame] | None = None
        self._start = Fraction(0)
        self._pending: list[np.ndarray] = []
        self._pending_len = 0
        self._cursor = 0  # reel-relative sample position where the pending sound ends
        self._emitted = 0  # samples handed to the encoder
        self._placed_any = False
        # jitter (from resampling) up to this many samples is treated as contiguous
        self._tolerance = self.rate // 100

    def close(self) -> None:
        """Close the source opened for its sound."""
        self._input.close()

    def start(self, t0: Fraction) -> None:
        """Begin the sound at ``t0`` seconds of the source's timeline."""
        self._start = t0
        tb = self._in.time_base or Fraction(1, self.rate)
        # a little before the start: anything before it is cut off exactly below
        target = int((t0 - Fraction(1, 2)) / tb)
        self._input.seek(max(target, 0), stream=self._in, backward=True, any_frame=False)
        self._decoder = self._frames()

    def _frames(self) -> Iterator[av.AudioFrame]:
        yield from self._input.decode(self._in)

    def _frame_size(self) -> int:
        return self.stream.codec_context.frame_size or 1024

    def _fill(self, until: int) -> None:
        """Decode until the pending sound reaches sample ``until`` or the source ends."""
        tb = self._in.time_base or Fraction(1, self.rate)
        while self._decoder is not None and self._cursor < until:
            frame = next(self._decoder, None)
            if frame is None:
                self._decoder = None
                for tail in self._resampler.resample(None):
                    self._place(None, tail)
                break
            position = None
            if frame.pts is not None:
                position = round((frame.pts * tb - self._start) * self.rate)
            for converted in self._resampler.resample(frame):
                self._place(position, converted)
                position = None

    def _place(self, position: int | None, frame: av.AudioFrame) -> None:
        data = frame.to_ndarray().reshape(self._channels, -1).astype(np.float32, copy=False)
        if position is None or (
            self._placed_any and abs(position - self._cursor) <= self._tolerance
        ):
            position = self._cursor
        if position > self._cursor:
            gap = np.zeros((self._channels, position - self._cursor), np.float32)
            self._append(gap)
        elif position < self._cursor:
            data = data[:, self._cursor - position :]
        if data.shape[1]:
            self._append(data)
            self._placed_any = True

    def _append(self, data: np.ndarray) -> None:
        self._pending.append(data)
        self._pending_len += data.shape[1]
        self._cursor += data.shape[1]

    def _emit(self, upto: int, *, final: bool = False) -> None:
        """Encode pending sound in AAC frames up to sample ``upto`` (a short last one
        only when ``final``)."""
        size = self._frame_size()
        if not self._pending:
            return
        buffer = (
            np.concatenate(self._pending, axis=1) if len(self._pending) > 1 else self._pending[0]
        )
        done = 0
        available = min(self._pending_len, upto - self._emitted)
        while available - done >= size or (final and available - done > 0):
            n = min(size, available - done)
            chunk = np.ascontiguousarray(buffer[:, done : done + n])
            frame = av.AudioFrame.from_ndarray(chunk, format="fltp", layout=self.layout)
            frame.sample_rate = self.rate
            frame.pts = self._emitted
            frame.time_base = Fraction(1, self.rate)
            self._output.mux(self.stream.encode(frame))
            self._emitted += n
            done += n
        rest = buffer[:, done:]
        self._pending = [rest] if rest.shape[1] else []
        self._pending_len = rest.shape[1]

    def pump(self, upto: int) -> None:
        """Mux the sound up to sample ``upto`` of the clip (whole AAC frames only)."""
        if self._decoder is None and not self._pending:
            return
        self._fill(upto)
        self._emit(upto)

    def finish(self, total: int) -> None:
        """Mux exactly ``total`` samples in all (silence after the source's sound ends)."""
        self._fill(total)
        if self._cursor < total:
            self._append(np.zeros((self._channels, total - self._cursor), np.float32))
        self._emit(total, final=True)
        self._output.mux(self.stream.encode(None))
