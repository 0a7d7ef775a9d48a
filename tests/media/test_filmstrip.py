"""The filmstrip shows the clip's keyframes, upright, and is cached per clip."""

from __future__ import annotations

import itertools
import math
import wave
from pathlib import Path

import av
import cv2
import numpy as np
import pytest

from tests.conftest import CLIP_SPECS
from vfa.errors import MediaError
from vfa.media import filmstrip as filmstrip_module
from vfa.media.cache import Cancelled, cache_dir, clip_cache_path
from vfa.media.filmstrip import Filmstrip, build_filmstrip, load_or_build_filmstrip
from vfa.media.fingerprint import fingerprint
from vfa.media.frames import FrameServer
from vfa.media.probe import probe


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private cache folder."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("VFA_CACHE_DIR", str(folder))
    return folder


def keyframe_times(path: Path) -> list[int]:
    """Keyframe pts (ms after the stream start) from the demuxer's keyframe flags."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        start = stream.start_time or 0
        tb = stream.time_base
        assert tb is not None
        return sorted(
            round((packet.pts - start) * tb * 1000)
            for packet in container.demux(stream)
            if packet.is_keyframe and packet.pts is not None
        )


def spaced(times: list[int], min_interval_ms: int) -> list[int]:
    """The times kept when each must be at least ``min_interval_ms`` after the last kept."""
    kept: list[int] = []
    for t in times:
        if not kept or t >= kept[-1] + min_interval_ms:
            kept.append(t)
    return kept


def write_wav(path: Path, seconds: float = 1.0) -> Path:
    """A 16-bit mono WAV of a 440 Hz tone: a media file with no video."""
    rate = 16000
    t = np.arange(int(seconds * rate)) / rate
    samples = (0.5 * 32767 * np.sin(2 * np.pi * 440 * t)).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples.tobytes())
    return path


@pytest.mark.parametrize("name", list(CLIP_SPECS))
def test_thumbnails_are_the_keyframes(clips, name):
    path = clips[name]
    keys = keyframe_times(path)
    strip = build_filmstrip(path, probe(path).rotation, min_interval_ms=0)
    assert list(strip.times_ms) == keys
    default = build_filmstrip(path, probe(path).rotation)
    assert list(default.times_ms) == spaced(keys, 1000)


def test_min_interval_keeps_at_most_one_thumbnail_per_interval(clips):
    # cfr25 has a keyframe every 2 s: 0, 2000, 4000
    assert keyframe_times(clips["cfr25"]) == [0, 2000, 4000]
    strip = build_filmstrip(clips["cfr25"], 0, min_interval_ms=3000)
    assert strip.times_ms == (0, 4000)
    assert strip.images.shape[0] == 2


@pytest.mark.parametrize("name", list(CLIP_SPECS))
def test_thumbnails_look_like_the_exact_frames(clips, name):
    path = clips[name]
    result = probe(path)
    strip = build_filmstrip(path, result.rotation, min_interval_ms=0)
    server = FrameServer(path, result.frame_table, result.rotation)
    _, h, w, _ = strip.images.shape
    assert h == 72
    # the thumbnail keeps the displayed aspect ratio
    assert w == round(72 * result.width / result.height)
    for t, thumb in zip(strip.times_ms, strip.images, strict=True):
        index, exact = server.frame_at(t)
        assert result.frame_table.pts_of(index) == t  # a keyframe time is a frame's pts
        small = cv2.resize(exact, (w, h), interpolation=cv2.INTER_AREA)
        diff = np.abs(small.astype(np.int16) - thumb.astype(np.int16)).mean()
        # ~1 for the right frame; a frame 1 s away or swapped colours give 9 to 20
        assert diff < 4, f"thumbnail at {t} ms differs by {diff:.1f}"
    server.close()


def test_rotated_clip_gives_portrait_thumbnails(clips):
    strip = build_filmstrip(clips["rotated"], 90, height=96)
    _, h, w, _ = strip.images.shape
    assert h == 96 and w == round(96 * 360 / 640)
    assert h > w


def test_images_are_rgb_uint8_and_read_only(clips):
    strip = build_filmstrip(clips["noaudio"], 0)
    assert strip.images.dtype == np.uint8
    assert strip.images.shape[3] == 3
    with pytest.raises(ValueError):
        strip.images[0, 0, 0, 0] = 1


def test_nearest_is_the_last_thumbnail_not_after_the_time(clips):
    strip = build_filmstrip(clips["cfr25"], 0)
    assert strip.times_ms == (0, 2000, 4000)
    assert [strip.nearest(t) for t in (-50, 0, 1999, 2000, 3999, 4000, 10**9)] == [
        0,
        0,
        0,
        1,
        1,
        2,
        2,
    ]


def test_filmstrip_checks_its_parts():
    with pytest.raises(ValueError):
        Filmstrip((0, 1000), np.zeros((1, 8, 8, 3), np.uint8))
    with pytest.raises(ValueError):
        Filmstrip((0,), np.zeros((1, 8, 8), np.uint8))
    with pytest.raises(ValueError):
        Filmstrip((), np.zeros((0, 8, 8, 3), np.uint8))


def test_progress_rises_to_one_in_at_most_about_fifty_steps(clips):
    seen: list[float] = []
    build_filmstrip(clips["cfr25"], 0, progress=seen.append)
    assert seen[0] == 0.0 and seen[-1] == 1.0
    assert seen == sorted(seen)
    assert all(0.0 <= f <= 1.0 for f in seen)
    assert 3 <= len(seen) <= 52


def test_cancelling_stops_the_build(clips):
    with pytest.raises(Cancelled):
        build_filmstrip(clips["cfr25"], 0, cancelled=lambda: True)
    polls = itertools.count()
    with pytest.raises(Cancelled):
        build_filmstrip(clips["cfr25"], 0, cancelled=lambda: next(polls) >= 60)


def test_cancelled_build_leaves_no_cache_file(clips, cache):
    fp = fingerprint(clips["cfr25"])
    with pytest.raises(Cancelled):
        load_or_build_filmstrip(clips["cfr25"], fp, 0, cancelled=lambda: True)
    assert not clip_cache_path(fp, "filmstrip", "npz").exists()


def test_missing_file_is_a_media_error_naming_it(tmp_path):
    with pytest.raises(MediaError, match=r"gone\.mp4"):
        build_filmstrip(tmp_path / "gone.mp4", 0)


def test_text_file_is_a_media_error_naming_it(tmp_path):
    notes = tmp_path / "notes.mp4"
    notes.write_text("not a video at all\n" * 100)
    with pytest.raises(MediaError, match=r"notes\.mp4"):
        build_filmstrip(notes, 0)


def test_audio_only_file_has_no_video_stream(tmp_path):
    sound = write_wav(tmp_path / "sound.wav")
    with pytest.raises(MediaError, match=r"sound\.wav.*no video stream"):
        build_filmstrip(sound, 0)


def test_cache_hit_returns_the_same_filmstrip_without_decoding(clips, cache, monkeypatch):
    path = clips["cfr25"]
    fp = fingerprint(path)
    built = load_or_build_filmstrip(path, fp, 0)
    stored = clip_cache_path(fp, "filmstrip", "npz")
    assert stored.parent == cache / "filmstrip"
    assert stored.exists()

    def no_decoding(*args, **kwargs):
        raise AssertionError("decoded although the filmstrip was cached")

    monkeypatch.setattr(filmstrip_module, "build_filmstrip", no_decoding)
    again = load_or_build_filmstrip(path, fp, 0)
    assert again == built
    assert again.images.shape == built.images.shape


def test_cache_made_with_other_settings_is_rebuilt(clips, cache):
    path = clips["cfr25"]
    fp = fingerprint(path)
    small = load_or_build_filmstrip(path, fp, 0, height=48)
    large = load_or_build_filmstrip(path, fp, 0, height=96)
    assert small.images.shape[1] == 48
    assert large.images.shape[1] == 96
    # the cache now holds the latest settings
    assert load_or_build_filmstrip(path, fp, 0, height=96) == large


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: b"",
        lambda data: data[: len(data) // 2],
        lambda data: b"\x93NUMPY garbage" + data[:100],
        lambda data: bytes(b ^ 0x5A for b in data),
    ],
    ids=["empty", "truncated", "garbage", "scrambled"],
)
def test_corrupt_cache_is_rebuilt(clips, cache, damage):
    path = clips["cfr25"]
    fp = fingerprint(path)
    built = load_or_build_filmstrip(path, fp, 0)
    stored = clip_cache_path(fp, "filmstrip", "npz")
    stored.write_bytes(damage(stored.read_bytes()))
    assert load_or_build_filmstrip(path, fp, 0) == built
    # and the cache was written again, readable
    with np.load(stored, allow_pickle=False) as data:
        assert list(data["times"]) == list(built.times_ms)


def test_unwritable_cache_still_gives_a_filmstrip(clips, tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("VFA_CACHE_DIR", str(blocker))
    path = clips["noaudio"]
    strip = load_or_build_filmstrip(path, fingerprint(path), 0)
    # the same strip as one built without any cache: the keyframes a second apart
    assert list(strip.times_ms) == spaced(keyframe_times(path), 1000)
    assert strip == build_filmstrip(path, 0)
    assert blocker.read_text() == "a file where the cache folder should be"


def test_cache_dir_is_the_environment_or_the_user_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("VFA_CACHE_DIR", str(tmp_path / "here"))
    assert cache_dir() == tmp_path / "here"
    monkeypatch.delenv("VFA_CACHE_DIR")
    from platformdirs import user_cache_path

    assert cache_dir() == user_cache_path("vfa", appauthor=False)


def test_cache_paths_refuse_unsafe_names(cache):
    assert clip_cache_path("1a2b-ff00", "filmstrip", "npz") == cache / "filmstrip/1a2b-ff00.npz"
    for bad in ("../escape", "a/b", "", ".hidden"):
        with pytest.raises(ValueError):
            clip_cache_path(bad, "filmstrip", "npz")


@pytest.mark.shared_media
@pytest.mark.parametrize(
    "name",
    ["cfr25_longgop.mp4", "ntsc2997.mp4", "vfr_phone.mp4", "portrait_rotated.mp4"],
)
def test_shared_clips_give_their_keyframes(shared_media, name):
    path = shared_media / name
    result = probe(path)
    strip = build_filmstrip(path, result.rotation)
    assert list(strip.times_ms) == spaced(keyframe_times(path), 1000)
    _, h, w, _ = strip.images.shape
    assert h == 72
    assert w == round(72 * result.width / result.height)
    assert (h > w) is (result.height > result.width)
    assert math.isclose(w / h, result.width / result.height, rel_tol=0.05)
