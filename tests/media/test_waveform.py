"""The waveform follows the audio's loudness in time with the video, and is cached."""

from __future__ import annotations

import itertools
import wave
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from vfa.errors import MediaError
from vfa.media import waveform as waveform_module
from vfa.media.cache import Cancelled, clip_cache_path
from vfa.media.fingerprint import fingerprint
from vfa.media.waveform import Waveform, build_waveform, load_or_build_waveform


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private cache folder."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("VFA_CACHE_DIR", str(folder))
    return folder


def write_wav(path: Path, sample_width: int) -> Path:
    """1 s of stereo 440 Hz: left at 0.5 throughout, right silent then 0.5 (in phase)."""
    rate = 16000
    t = np.arange(rate) / rate
    left = 0.5 * np.sin(2 * np.pi * 440 * t)
    right = np.where(t < 0.5, 0.0, left)
    stereo = np.column_stack((left, right)).ravel()
    if sample_width == 1:
        data = (128 + np.round(stereo * 127)).astype(np.uint8)
    else:
        full = 2 ** (8 * sample_width - 1) - 1
        data = np.round(stereo * full).astype(f"<i{sample_width}")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(sample_width)
        out.setframerate(rate)
        out.writeframes(data.tobytes())
    return path


def write_late_audio_clip(path: Path, audio_from_s: float, layout: str = "mono") -> Path:
    """3 s of black video with 1 s of a 0.3 tone starting ``audio_from_s`` after the video."""
    with av.open(str(path), "w", format="mp4") as container:
        video = container.add_stream("libx264", rate=25)
        video.width, video.height, video.pix_fmt = 160, 90, "yuv420p"
        audio = container.add_stream("aac", rate=48000)
        audio.layout = layout
        black = np.zeros((90, 160, 3), np.uint8)
        for i in range(75):
            frame = av.VideoFrame.from_ndarray(black, format="rgb24")
            frame.pts, frame.time_base = i, Fraction(1, 25)
            for packet in video.encode(frame):
                container.mux(packet)
        for packet in video.encode():
            container.mux(packet)
        rate = 48000
        t = np.arange(rate) / rate
        tone = (0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
        channels = 2 if layout == "stereo" else 1
        offset = round(audio_from_s * rate)
        for start in range(0, rate, 1024):
            chunk = np.tile(tone[start : start + 1024], (channels, 1))
            sound = av.AudioFrame.from_ndarray(chunk, format="fltp", layout=layout)
            sound.sample_rate = rate
            sound.pts, sound.time_base = offset + start, Fraction(1, rate)
            for packet in audio.encode(sound):
                container.mux(packet)
        for packet in audio.encode():
            container.mux(packet)
    return path


def test_the_tone_beeps_show_on_and_off(clips):
    # cfr25's tone is on for a second, off for a second, starting on at 0 (6 s in all)
    wave_ = build_waveform(clips["cfr25"])
    assert wave_ is not None
    assert wave_.bucket_ms == 10
    assert wave_.peaks.dtype == np.float32
    assert 600 <= len(wave_.peaks) <= 605
    for second in range(6):
        middle = wave_.peaks[second * 100 + 20 : second * 100 + 80]
        if second % 2 == 0:
            assert middle.min() > 0.1, f"second {second} should be loud"
            assert middle.max() < 0.3
        else:
            assert middle.max() < 0.02, f"second {second} should be quiet"
    assert wave_.peaks[:80].min() > 0.1  # loud from the very start


def test_bucket_length_is_honoured(clips):
    wave_ = build_waveform(clips["cfr25"], bucket_ms=50)
    assert wave_ is not None
    assert wave_.bucket_ms == 50
    assert 120 <= len(wave_.peaks) <= 121
    assert wave_.peaks[2:16].min() > 0.1 and wave_.peaks[24:36].max() < 0.02


def test_no_audio_stream_gives_none(clips):
    assert build_waveform(clips["noaudio"]) is None


@pytest.mark.parametrize("sample_width", [1, 2, 4], ids=["u8", "s16", "s32"])
def test_integer_stereo_is_scaled_and_mixed_to_mono(tmp_path, sample_width):
    wave_ = build_waveform(write_wav(tmp_path / "stereo.wav", sample_width))
    assert wave_ is not None
    assert len(wave_.peaks) == 100
    # left alone at 0.5 mixes to 0.25; both channels at 0.5 mix to 0.5
    tolerance = 0.02 if sample_width == 1 else 0.005
    assert np.allclose(wave_.peaks[2:48], 0.25, atol=tolerance)
    assert np.allclose(wave_.peaks[52:98], 0.5, atol=tolerance)


@pytest.mark.parametrize("layout", ["mono", "stereo"])
def test_audio_is_placed_on_the_video_time_axis(tmp_path, layout):
    path = write_late_audio_clip(tmp_path / f"late-{layout}.mp4", 1.0, layout)
    wave_ = build_waveform(path)
    assert wave_ is not None
    assert wave_.peaks[:95].max() < 0.02  # silent until the audio starts, 1 s in
    assert wave_.peaks[105:195].min() > 0.2
    assert wave_.peaks[205:].max(initial=0.0) < 0.02


def test_window_takes_the_loudest_bucket_in_each_column():
    wave_ = Waveform(10, np.array([0.1, 0.5, 0.2, 0.9, 0.3], np.float32))
    assert wave_.duration_ms == 50

    def window(start, end, columns):
        out = wave_.window(start, end, columns)
        assert out.shape == (columns,) and out.dtype == np.float32
        return out.tolist()

    assert window(0, 50, 5) == pytest.approx([0.1, 0.5, 0.2, 0.9, 0.3])
    assert window(0, 50, 1) == pytest.approx([0.9])
    assert window(0, 40, 2) == pytest.approx([0.5, 0.9])
    assert window(0, 50, 2) == pytest.approx([0.5, 0.9])  # column 1 covers 25..50 ms
    # columns narrower than a bucket show the bucket they fall in
    assert window(10, 20, 4) == pytest.approx([0.5] * 4)
    assert window(15, 35, 4) == pytest.approx([0.5, 0.2, 0.2, 0.9])
    # before and after the audio there is nothing
    assert window(-20, 30, 5) == pytest.approx([0.0, 0.0, 0.1, 0.5, 0.2])
    assert window(40, 80, 4) == pytest.approx([0.3, 0.0, 0.0, 0.0])
    assert window(100, 200, 3) == [0.0, 0.0, 0.0]
    assert wave_.window(0, 50, 0).shape == (0,)
    assert window(50, 0, 2) == [0.0, 0.0]


def test_window_of_a_real_clip(clips):
    wave_ = build_waveform(clips["cfr25"])
    assert wave_ is not None
    seconds = wave_.window(0, 6000, 6)
    assert seconds.shape == (6,)
    assert seconds[0] == wave_.peaks[:100].max()
    assert (seconds[::2] > 0.1).all()
    # a whole second's column includes the fade-out bucket, so "quiet" is relative
    wide = wave_.window(0, 6000, 1200)
    assert wide.shape == (1200,)
    assert wide.max() == wave_.peaks.max()
    assert wide[250:350].max() < 0.02  # 1.25-1.75 s


def test_waveform_checks_its_parts():
    with pytest.raises(ValueError):
        Waveform(0, np.zeros(3, np.float32))
    with pytest.raises(ValueError):
        Waveform(10, np.zeros(3, np.float64))
    with pytest.raises(ValueError):
        Waveform(10, np.zeros((3, 2), np.float32))


def test_progress_rises_to_one_in_at_most_about_fifty_steps(clips):
    seen: list[float] = []
    build_waveform(clips["cfr25"], progress=seen.append)
    assert seen[0] == 0.0 and seen[-1] == 1.0
    assert seen == sorted(seen)
    assert 10 <= len(seen) <= 52


def test_cancelling_stops_the_build(clips, cache):
    with pytest.raises(Cancelled):
        build_waveform(clips["cfr25"], cancelled=lambda: True)
    polls = itertools.count()
    with pytest.raises(Cancelled):
        build_waveform(clips["cfr25"], cancelled=lambda: next(polls) >= 100)
    fp = fingerprint(clips["cfr25"])
    with pytest.raises(Cancelled):
        load_or_build_waveform(clips["cfr25"], fp, cancelled=lambda: True)
    assert not clip_cache_path(fp, "waveform", "npz").exists()


def test_missing_file_is_a_media_error_naming_it(tmp_path):
    with pytest.raises(MediaError, match=r"gone\.mp4"):
        build_waveform(tmp_path / "gone.mp4")


def test_text_file_is_a_media_error_naming_it(tmp_path):
    notes = tmp_path / "notes.m4a"
    notes.write_text("not audio at all\n" * 100)
    with pytest.raises(MediaError, match=r"notes\.m4a"):
        build_waveform(notes)


def _no_decoding(*args, **kwargs):
    raise AssertionError("decoded although the waveform was cached")


def test_cache_round_trip(clips, cache, monkeypatch):
    path = clips["cfr25"]
    fp = fingerprint(path)
    built = load_or_build_waveform(path, fp)
    assert built is not None
    assert clip_cache_path(fp, "waveform", "npz").parent == cache / "waveform"
    monkeypatch.setattr(waveform_module, "build_waveform", _no_decoding)
    again = load_or_build_waveform(path, fp)
    assert again == built


def test_no_audio_is_cached_too(clips, cache, monkeypatch):
    path = clips["noaudio"]
    fp = fingerprint(path)
    assert load_or_build_waveform(path, fp) is None
    assert clip_cache_path(fp, "waveform", "npz").exists()
    monkeypatch.setattr(waveform_module, "build_waveform", _no_decoding)
    assert load_or_build_waveform(path, fp) is None


def test_cache_with_another_bucket_length_is_rebuilt(clips, cache):
    path = clips["cfr25"]
    fp = fingerprint(path)
    fine = load_or_build_waveform(path, fp, bucket_ms=10)
    coarse = load_or_build_waveform(path, fp, bucket_ms=40)
    assert fine is not None and coarse is not None
    assert coarse.bucket_ms == 40
    assert len(coarse.peaks) == pytest.approx(len(fine.peaks) / 4, abs=1)


@pytest.mark.parametrize(
    "damage",
    [lambda data: b"", lambda data: data[: len(data) // 2], lambda data: data[::-1]],
    ids=["empty", "truncated", "reversed"],
)
def test_corrupt_cache_is_rebuilt(clips, cache, damage):
    path = clips["cfr25"]
    fp = fingerprint(path)
    built = load_or_build_waveform(path, fp)
    stored = clip_cache_path(fp, "waveform", "npz")
    stored.write_bytes(damage(stored.read_bytes()))
    assert load_or_build_waveform(path, fp) == built
    with np.load(stored, allow_pickle=False) as data:
        assert bool(data["has_audio"])


@pytest.mark.shared_media
def test_shared_clips_have_audio_or_not(shared_media):
    wave_ = build_waveform(shared_media / "cfr25_longgop.mp4")
    assert wave_ is not None
    assert len(wave_.peaks) == pytest.approx(18000, abs=5)
    assert wave_.peaks.max() > 0.1
    assert build_waveform(shared_media / "noaudio_720p.mp4") is None
