"""Generate test clips locally, whose frames carry their index; and the H.264 + AAC
streams every generated clip is written with (the demo's scenes too: ``media/scene.py``).

Every frame can carry its source index as a 16-bit barcode along the top edge (block i
white when bit i is set), the same layout as the shared test media, so a test can read
back exactly which frame a player, a seek or an export produced.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import av
import cv2
import numpy as np

BITS = 16
SAMPLE_RATE = 48000


def draw_barcode(img: np.ndarray, index: int) -> None:
    """Paint ``index`` as the 16-bit barcode along the top edge of a BGR image."""
    h, w = img.shape[:2]
    block = w // BITS
    bar_h = max(12, h // 20)
    for bit in range(BITS):
        img[0:bar_h, bit * block : (bit + 1) * block] = 255 if (index >> bit) & 1 else 0


def read_barcode(img: np.ndarray) -> int:
    """Decode the barcode of a BGR, RGB or grey image made by :func:`draw_barcode`."""
    gray = img if img.ndim == 2 else img.mean(axis=2)
    h, w = gray.shape
    block = w // BITS
    bar_h = max(12, h // 20)
    value = 0
    for bit in range(BITS):
        patch = gray[2 : bar_h - 2, bit * block + 2 : (bit + 1) * block - 2]
        if patch.mean() > 127:
            value |= 1 << bit
    return value


def shapes_frame(index: int, width: int, height: int, rate: float, barcode: bool) -> np.ndarray:
    """Moving shapes: a large and a small circle, the frame number, and the barcode."""
    t = index / rate
    img = np.empty((height, width, 3), np.uint8)
    img[:] = (58, 46, 38)  # BGR: dark blue-grey room
    cv2.rectangle(img, (0, height * 3 // 4), (width, height), (70, 90, 110), -1)  # floor
    r_big, r_small = height // 6, height // 11
    cx_big = int(width * 0.32 + math.sin(t * 0.9) * width * 0.05)
    cx_small = int(width * 0.68 + math.sin(t * 1.3 + 1.0) * width * 0.08)
    cy_small = int(height * 0.62 - abs(math.sin(t * 2.1)) * height * 0.08)
    cv2.circle(img, (cx_big, height // 2), r_big, (120, 170, 235), -1, cv2.LINE_AA)
    cv2.circle(img, (cx_small, cy_small), r_small, (150, 215, 250), -1, cv2.LINE_AA)
    # a gaze line that appears when the two "look" at each other
    if math.sin(t * 0.7) > 0.3:
        cv2.line(
            img,
            (cx_big + r_big, height // 2),
            (cx_small - r_small, cy_small),
            (200, 230, 255),
            max(1, height // 180),
            cv2.LINE_AA,
        )
    cv2.putText(
        img,
        f"{index:06d}",
        (width // 40, height - height // 30),
        cv2.FONT_HERSHEY_SIMPLEX,
        height / 600,
        (230, 230, 230),
        max(1, height // 360),
        cv2.LINE_AA,
    )
    if barcode:
        draw_barcode(img, index)
    return img


def make_clip(
    path: str | os.PathLike[str],
    *,
    seconds: float = 10.0,
    width: int = 640,
    height: int = 360,
    rate: Fraction | int = 25,
    gop: int = 50,
    audio: bool = True,
    barcode: bool = True,
    rotation: int = 0,
    keep: Callable[[int], bool] | None = None,
    preset: str = "veryfast",
    progress: Callable[[float], None] | None = None,
) -> Path:
    """Encode an H.264 (+ AAC tone) MP4 of moving shapes; return its path.

    ``keep`` drops source frames for which it returns False while keeping the others'
    timestamps: a variable-frame-rate clip as phones record. ``rotation`` writes a
    display matrix as phones do for portrait video (:func:`vfa.media.probe.probe` reports
    the same value back).
    """
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    rate = Fraction(rate)
    frames = round(seconds * rate)
    time_base = Fraction(1, 15360) if keep else 1 / rate
    with av.open(str(out), "w", format="mp4") as container:
        vstream = add_video_stream(container, width, height, rate, gop, preset, time_base)
        if rotation:
            vstream.set_display_rotation(rotation)
        astream = add_audio_stream(container) if audio else None
        kept = 0
        for i in range(frames):
            if keep is not None and not keep(i):
                continue
            frame = av.VideoFrame.from_ndarray(
                shapes_frame(i, width, height, float(rate), barcode), format="bgr24"
            )
            frame.pts = round(i / rate / time_base)
            frame.time_base = time_base
            for packet in vstream.encode(frame):
                container.mux(packet)
            kept += 1
            if progress is not None and i % 25 == 0:
                progress(0.9 * i / frames)
        for packet in vstream.encode():
            container.mux(packet)
        if astream is not None:
            _encode_tone(container, astream, seconds)
    if progress is not None:
        progress(1.0)
    return out


def add_video_stream(
    container: av.container.OutputContainer,
    width: int,
    height: int,
    rate: Fraction,
    gop: int,
    preset: str,
    time_base: Fraction,
    crf: int = 28,
) -> av.VideoStream:
    """An H.264 (yuv420p) stream of the given size, rate, keyframe interval and preset."""
    vstream = container.add_stream("libx264", rate=rate)
    vstream.width, vstream.height = width, height
    vstream.pix_fmt = "yuv420p"
    vstream.time_base = time_base
    vstream.codec_context.gop_size = gop
    vstream.options = {"preset": preset, "crf": str(crf)}
    return vstream


def add_audio_stream(
    container: av.container.OutputContainer, rate: int = SAMPLE_RATE
) -> av.AudioStream:
    """A mono AAC stream at ``rate`` samples a second (48 kHz), 64 kbit/s."""
    astream = container.add_stream("aac", rate=rate)
    astream.layout = "mono"
    astream.bit_rate = 64000
    return astream


def encode_samples(
    container: av.container.OutputContainer,
    stream: av.AudioStream,
    samples: np.ndarray,
    step: int = 1024,
) -> None:
    """Encode mono float samples (-1..1, at the stream's rate) into the stream, ``step``
    samples a frame, then flush it."""
    samples = samples.astype(np.float32, copy=False)
    rate = stream.rate
    for start in range(0, len(samples), step):
        chunk = samples[start : start + step].reshape(1, -1)
        frame = av.AudioFrame.from_ndarray(chunk, format="fltp", layout="mono")
        frame.sample_rate = rate
        frame.pts = start
        frame.time_base = Fraction(1, rate)
        for packet in stream.encode(frame):
            container.mux(packet)
    for packet in stream.encode():
        container.mux(packet)


def _encode_tone(
    container: av.container.OutputContainer, stream: av.AudioStream, seconds: float
) -> None:
    """A soft 440 Hz tone in short beeps, like a voice taking turns."""
    n = int(seconds * SAMPLE_RATE)
    t = np.arange(n) / SAMPLE_RATE
    envelope = (np.sin(2 * np.pi * 0.5 * t) > 0).astype(np.float32)
    encode_samples(container, stream, 0.2 * np.sin(2 * np.pi * 440 * t) * envelope)
