"""Clip export: exactly the chosen frames, upright, with sound in sync and captions."""

from __future__ import annotations

import struct
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from tests.conftest import as_coded, source_indices, vfr_source_indices
from vfa.errors import InvalidInputError
from vfa.media import export as export_module
from vfa.media.cache import Cancelled
from vfa.media.export import export_clip
from vfa.media.probe import ProbeResult, probe
from vfa.media.synth import draw_barcode, read_barcode

CAPTION = "You waited, and she turned to you \u2014 \u2018I like it when you wait for me\u2019"


@dataclass
class Decoded:
    """What a player gets from an exported file."""

    images: list[np.ndarray]  # RGB, as decoded (no display rotation applied)
    pts_ms: list[float]  # relative to the first frame
    rotations: list[int]
    track_s: dict[str, float]  # each track's presented length ("vide", "soun") from its header
    audio_samples: int | None
    audio_rate: int | None
    audio: np.ndarray | None  # mono mix, float


def decode(path: Path) -> Decoded:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        tb = stream.time_base
        frames = list(container.decode(stream))
    pts = [f.pts * tb for f in frames]
    audio = samples = rate = None
    with av.open(str(path)) as container:
        if container.streams.audio:
            chunks = [f.to_ndarray() for f in container.decode(container.streams.audio[0])]
            audio = np.concatenate([c.reshape(c.shape[0], -1) for c in chunks], axis=1).mean(0)
            samples = audio.shape[0]
            rate = container.streams.audio[0].rate
    return Decoded(
        images=[f.to_ndarray(format="rgb24") for f in frames],
        pts_ms=[float((p - pts[0]) * 1000) for p in pts],
        rotations=[round(f.rotation) % 360 for f in frames],
        track_s=track_durations(path),
        audio_samples=samples,
        audio_rate=rate,
        audio=audio,
    )


def track_durations(path: Path) -> dict[str, float]:
    """Each MP4 track's duration (tkhd, which its edit list sets) by handler type, in s.

    PyAV reports only the longest track (the movie) or a track's media duration, which
    includes the encoder's start delay; a player shows the presented length read here.
    """
    data = path.read_bytes()
    timescale = 0
    found: dict[str, float] = {}

    def walk(start: int, end: int) -> None:
        nonlocal timescale
        offset = start
        while offset + 8 <= end:
            size, kind = struct.unpack(">I4s", data[offset : offset + 8])
            header = 8
            if size == 1:
                size = struct.unpack(">Q", data[offset + 8 : offset + 16])[0]
                header = 16
            body = data[offset + header : offset + size]
            if kind == b"moov":
                walk(offset + header, offset + size)
            elif kind == b"mvhd":
                timescale = struct.unpack(">I", body[12:16] if body[0] == 0 else body[20:24])[0]
            elif kind == b"trak":
                tkhd = body.find(b"tkhd")
                hdlr = body.find(b"hdlr")
                version = body[tkhd + 4]
                if version == 0:
                    duration = struct.unpack(">I", body[tkhd + 24 : tkhd + 28])[0]
                else:
                    duration = struct.unpack(">Q", body[tkhd + 32 : tkhd + 40])[0]
                handler = body[hdlr + 12 : hdlr + 16].decode()
                found[handler] = duration / timescale
            offset += size

    walk(0, len(data))
    return found


def keyframe_indices(result: ProbeResult, path: Path) -> list[int]:
    """Frame indices of the keyframes, from the packets' key flags."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        tb = stream.time_base
        start = stream.start_time or 0
        key_ms = {
            round((p.pts - start) * tb * 1000)
            for p in container.demux(stream)
            if p.pts is not None and p.is_keyframe
        }
    return [i for i, ms in enumerate(result.frame_table.pts_ms) if ms in key_ms]


def mid_gop_span(result: ProbeResult, path: Path, frames: int = 30) -> tuple[int, int]:
    """A span starting 7 frames after the last-but-one keyframe (so not on a keyframe)."""
    keys = keyframe_indices(result, path)
    first = keys[-2] + 7 if len(keys) > 1 else keys[0] + 7
    assert first not in keys
    return first, min(first + frames - 1, result.frame_count - 1)


def end_of(result: ProbeResult, index: int) -> int:
    """When frame ``index`` stops being shown (ms): the next frame's pts or the clip's end."""
    table = result.frame_table
    if index + 1 < table.frame_count:
        return table.pts_ms[index + 1]
    return table.duration_ms


def check_export(
    path: Path, truth: list[int], tmp_path: Path, frames: int = 30
) -> tuple[ProbeResult, Decoded, int, int]:
    result = probe(path)
    first, last = mid_gop_span(result, path, frames)
    out = export_clip(
        path, result.frame_table, first, last, tmp_path / "clip.mp4", rotation=result.rotation
    )
    got = decode(out)
    assert len(got.images) == last - first + 1
    codes = [read_barcode(as_coded(image, result.rotation)) for image in got.images]
    assert codes[0] == truth[first]
    assert codes[-1] == truth[last]
    assert codes == truth[first : last + 1]
    # upright: the displayed size, and nothing left for a player to turn
    assert {image.shape[:2] for image in got.images} == {(result.height, result.width)}
    assert set(got.rotations) == {0}
    # the source's timing, variable rate included
    table = result.frame_table
    expected = [table.pts_ms[i] - table.pts_ms[first] for i in range(first, last + 1)]
    assert got.pts_ms == pytest.approx(expected, abs=1.0)
    video_s = (end_of(result, last) - table.pts_ms[first]) / 1000
    assert got.track_s["vide"] == pytest.approx(video_s, abs=0.002)
    if result.has_audio:
        assert got.audio_samples is not None and got.audio_rate is not None
        audio_s = got.audio_samples / got.audio_rate
        assert -0.002 <= audio_s - video_s <= 1024 / got.audio_rate + 0.002
        assert got.track_s["soun"] == pytest.approx(video_s, abs=0.002)
    else:
        assert got.audio_samples is None
    return result, got, first, last


@pytest.mark.parametrize("name", ["cfr25", "ntsc", "vfr", "rotated", "noaudio"])
def test_export_starts_and_ends_on_the_chosen_frames(clips, tmp_path, name):
    check_export(clips[name], source_indices(name), tmp_path)


@pytest.mark.shared_media
@pytest.mark.parametrize("name", ["cfr25_longgop.mp4", "vfr_phone.mp4", "portrait_rotated.mp4"])
def test_export_of_shared_clips_is_frame_exact(shared_media, tmp_path, name):
    count = probe(shared_media / name).frame_count
    truth = vfr_source_indices() if name == "vfr_phone.mp4" else list(range(count))
    result, _, _, _ = check_export(shared_media / name, truth, tmp_path, frames=40)
    if name == "portrait_rotated.mp4":
        assert (result.width, result.height) == (360, 640)


def test_the_sound_stays_in_sync(clips, tmp_path):
    # the generated tone beeps for a second from every even second (0-1 s, 2-3 s, ...)
    result = probe(clips["cfr25"])
    table = result.frame_table
    first, last = table.index_at(1200), table.index_at(3199)
    out = export_clip(clips["cfr25"], table, first, last, tmp_path / "sync.mp4")
    got = decode(out)
    assert got.audio is not None and got.audio_rate is not None
    window = got.audio_rate // 200  # 5 ms
    usable = got.audio.shape[0] // window * window
    rms = np.sqrt((got.audio[:usable].reshape(-1, window) ** 2).mean(axis=1))
    loud = np.flatnonzero(rms > 0.05)
    onset_s = loud[0] * window / got.audio_rate
    offset_s = (loud[-1] + 1) * window / got.audio_rate
    start_s = table.pts_ms[first] / 1000
    assert onset_s == pytest.approx(2.0 - start_s, abs=0.011)
    assert offset_s == pytest.approx(3.0 - start_s, abs=0.011)


def test_a_burned_caption_covers_the_bottom_and_spares_the_barcode(clips, tmp_path):
    result = probe(clips["cfr25"])
    table = result.frame_table
    plain = decode(export_clip(clips["cfr25"], table, 60, 79, tmp_path / "plain.mp4"))
    burned = decode(
        export_clip(
            clips["cfr25"],
            table,
            60,
            79,
            tmp_path / "burned.mp4",
            caption=CAPTION,
            burn_caption=True,
        )
    )
    assert len(burned.images) == len(plain.images) == 20
    height = result.height
    for a, b, index in zip(plain.images, burned.images, range(60, 80), strict=True):
        bottom = np.abs(a[-height // 8 :].astype(int) - b[-height // 8 :].astype(int)).mean()
        top = np.abs(a[: height // 4].astype(int) - b[: height // 4].astype(int)).mean()
        assert bottom > 20
        assert top < 3
        assert read_barcode(b) == source_indices("cfr25")[index]
    # white type on the dark band
    band = burned.images[0][-height // 8 :]
    assert band.max() > 200
    assert np.median(band) < np.median(plain.images[0][-height // 8 :])


def test_a_soft_caption_is_a_subtitle_track_for_the_whole_clip(clips, tmp_path):
    result = probe(clips["cfr25"])
    out = export_clip(
        clips["cfr25"],
        result.frame_table,
        10,
        34,
        tmp_path / "soft.mp4",
        caption=CAPTION,
        soft_caption=True,
    )
    with av.open(str(out)) as container:
        assert len(container.streams.subtitles) == 1
        stream = container.streams.subtitles[0]
        cues = [
            (p.pts * stream.time_base, p.duration * stream.time_base, bytes(p))
            for p in container.demux(stream)
            if p.size
        ]
    assert len(cues) == 1
    start, duration, payload = cues[0]
    assert start == 0
    assert float(duration) == pytest.approx(1.0, abs=0.002)  # 25 frames at 25 fps
    assert CAPTION.encode() in payload
    assert not out.with_suffix(".srt").exists()


def test_without_a_subtitle_encoder_the_caption_goes_to_a_sidecar(clips, tmp_path, monkeypatch):
    monkeypatch.setattr(export_module, "soft_subtitles_supported", lambda: False)
    result = probe(clips["noaudio"])
    out = export_clip(
        clips["noaudio"],
        result.frame_table,
        5,
        29,
        tmp_path / "side.mp4",
        caption=CAPTION,
        soft_caption=True,
    )
    with av.open(str(out)) as container:
        assert not container.streams.subtitles
    text = out.with_suffix(".srt").read_text(encoding="utf-8")
    assert CAPTION in text
    assert "00:00:00,000 --> 00:00:01,000" in text  # 25 frames at 25 fps


def test_odd_sizes_lose_one_column_and_row(tmp_path):
    src = tmp_path / "odd.mkv"
    with av.open(str(src), "w") as container:
        stream = container.add_stream("libx264", rate=25)
        stream.width, stream.height, stream.pix_fmt = 321, 181, "yuv444p"
        for i in range(20):
            image = np.full((181, 321, 3), 40, np.uint8)
            draw_barcode(image, i)
            frame = av.VideoFrame.from_ndarray(image, format="rgb24")
            frame.pts, frame.time_base = i, Fraction(1, 25)
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))
    result = probe(src)
    got = decode(export_clip(src, result.frame_table, 3, 12, tmp_path / "even.mp4"))
    assert [image.shape[:2] for image in got.images] == [(180, 320)] * 10
    assert [read_barcode(image) for image in got.images] == list(range(3, 13))


def test_progress_reaches_the_end(clips, tmp_path):
    result = probe(clips["noaudio"])
    seen: list[float] = []
    export_clip(
        clips["noaudio"], result.frame_table, 0, 24, tmp_path / "p.mp4", progress=seen.append
    )
    assert seen and seen[-1] == 1.0
    assert seen == sorted(seen)


def test_cancelling_leaves_nothing_behind(clips, tmp_path):
    result = probe(clips["cfr25"])
    out = tmp_path / "clip.mp4"
    out.write_bytes(b"an earlier export")
    calls = 0

    def cancelled() -> bool:
        nonlocal calls
        calls += 1
        return calls > 10

    with pytest.raises(Cancelled):
        export_clip(
            clips["cfr25"], result.frame_table, 20, 70, out, cancelled=cancelled, force=True
        )
    assert calls > 10
    assert out.read_bytes() == b"an earlier export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clip.mp4"]


@pytest.mark.parametrize(("first", "last"), [(10, 5), (-1, 5), (0, 10_000), (10_000, 10_001)])
def test_a_span_outside_the_clip_is_refused_naming_the_file(clips, tmp_path, first, last):
    result = probe(clips["noaudio"])
    with pytest.raises(InvalidInputError, match=r"noaudio\.mp4"):
        export_clip(clips["noaudio"], result.frame_table, first, last, tmp_path / "x.mp4")
    assert list(tmp_path.iterdir()) == []
