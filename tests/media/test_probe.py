"""Probing real files: generated clips and the shared barcode clips."""

from __future__ import annotations

import json

import av
import numpy as np
import pytest

from tests.conftest import CLIP_SPECS, source_indices
from vfa.errors import MediaError
from vfa.media.probe import probe


@pytest.mark.parametrize("name", list(CLIP_SPECS))
def test_probe_of_generated_clips_matches_how_they_were_made(clips, name):
    spec = CLIP_SPECS[name]
    result = probe(clips[name])
    kept = source_indices(name)
    rate = float(spec["rate"])
    assert result.frame_count == len(kept)
    # every frame's pts is where its source index puts it (to the millisecond)
    assert list(result.frame_table.pts_ms) == [round(i * 1000 / rate) for i in kept]
    assert result.vfr is (name == "vfr")
    assert result.fps == pytest.approx(rate, abs=0.01)
    assert result.rotation == spec.get("rotation", 0)
    w, h = spec.get("width", 640), spec.get("height", 360)
    assert (result.width, result.height) == ((h, w) if result.rotation in (90, 270) else (w, h))
    assert result.has_audio is spec.get("audio", True)
    assert result.codec == "h264"
    # the last frame lasts one frame interval
    assert result.duration_ms == pytest.approx(kept[-1] * 1000 / rate + 1000 / rate, abs=1.5)


@pytest.mark.shared_media
@pytest.mark.parametrize(
    "name",
    [
        "cfr25_longgop.mp4",
        "ntsc2997.mp4",
        "vfr_phone.mp4",
        "portrait_rotated.mp4",
        "noaudio_720p.mp4",
    ],
)
def test_probe_of_shared_clips_matches_the_manifest(shared_media, manifest, name):
    facts = manifest[name]
    result = probe(shared_media / name)
    assert result.frame_count == facts["frames"]
    assert list(result.frame_table.pts_ms) == [round(s * 1000) for s in facts["pts_seconds"]]
    rotation = facts.get("display_rotation", 0)
    assert result.rotation == rotation
    expected = (
        (facts["height"], facts["width"])
        if rotation in (90, 270)
        else (facts["width"], facts["height"])
    )
    assert (result.width, result.height) == expected
    assert result.has_audio is facts["audio"]
    assert result.vfr is (facts["fps"] == "variable")
    if facts["fps"] != "variable":
        num, _, den = facts["fps"].partition("/")
        assert result.fps == pytest.approx(float(num) / float(den or 1), abs=0.01)


def test_missing_file(tmp_path):
    with pytest.raises(MediaError, match="file not found") as err:
        probe(tmp_path / "gone.mp4")
    assert "gone.mp4" in str(err.value)


def test_a_text_file_is_not_a_video(tmp_path):
    notes = tmp_path / "notes.mp4"
    notes.write_text("not a video at all\n" * 50)
    with pytest.raises(MediaError) as err:
        probe(notes)
    assert str(notes) in str(err.value)


def test_an_empty_file(tmp_path):
    empty = tmp_path / "empty.mp4"
    empty.touch()
    with pytest.raises(MediaError, match="empty"):
        probe(empty)


def test_a_folder(tmp_path):
    with pytest.raises(MediaError, match="folder"):
        probe(tmp_path)


def test_a_truncated_video_is_refused(clips, tmp_path):
    damaged = tmp_path / "damaged.mp4"
    damaged.write_bytes(clips["cfr25"].read_bytes()[:4000])  # the header and little else
    with pytest.raises(MediaError) as err:
        probe(damaged)
    assert str(damaged) in str(err.value)


def test_a_file_with_only_audio_has_no_video_stream(tmp_path):
    path = tmp_path / "voice.m4a"
    with av.open(str(path), "w", format="mp4") as out:
        stream = out.add_stream("aac", rate=48000)
        stream.layout = "mono"
        frame = av.AudioFrame.from_ndarray(
            np.zeros((1, 1024), np.float32), format="fltp", layout="mono"
        )
        frame.sample_rate = 48000
        frame.pts = 0
        for packet in [*stream.encode(frame), *stream.encode()]:
            out.mux(packet)
    with pytest.raises(MediaError, match="no video stream"):
        probe(path)


def test_summary_is_json_ready(clips):
    data = probe(clips["ntsc"]).summary()
    # the generated "ntsc" clip (tests/conftest.py): 4 s at 30000/1001 fps is 119.88, so
    # 120 frames of 1001/30000 s each, 4.004 s; make_clip's 640x360 H.264 with audio
    assert json.loads(json.dumps(data)) == {
        "path": str(clips["ntsc"]),
        "duration_ms": 4004,
        "frame_count": 120,
        "fps": 29.97,
        "vfr": False,
        "width": 640,
        "height": 360,
        "rotation": 0,
        "has_audio": True,
        "codec": "h264",
    }
