"""Stills: the exact frame as a full-resolution PNG, rotation applied."""

from __future__ import annotations

import random

import cv2
import numpy as np
import pytest

from tests.conftest import CLIP_SPECS, as_coded, source_indices, vfr_source_indices
from vfa.errors import InvalidInputError, MediaError
from vfa.media.probe import probe
from vfa.media.synth import read_barcode
from vfa.services.stills import still_from_file


def _upright(image: np.ndarray, rotation: int) -> np.ndarray:
    return as_coded(image, rotation)


@pytest.mark.parametrize("name", ["cfr25", "ntsc", "vfr", "rotated"])
def test_stills_at_random_times_are_the_frame_shown_then(clips, tmp_path, name):
    result = probe(clips[name])
    table = result.frame_table
    kept = source_indices(name)
    rng = random.Random(f"still-{name}")
    for n in range(6):
        at_ms = rng.randrange(table.duration_ms)
        # the frame shown at a time: the last frame whose pts <= it, counted independently
        expected = max(i for i, pts in enumerate(table.pts_ms) if pts <= at_ms)
        still = still_from_file(clips[name], tmp_path / f"{n}.png", at_ms=at_ms)
        index, pts, path = still.frame, still.pts_ms, still.path
        assert (index, pts) == (expected, table.pts_ms[expected])
        image = cv2.imread(str(path))
        assert read_barcode(_upright(image, result.rotation)) == kept[expected]
        assert image.shape[:2] == (result.height, result.width)  # full size, as displayed


def test_a_still_by_frame_index(clips, tmp_path):
    still = still_from_file(clips["vfr"], tmp_path / "f.png", frame=17)
    index, path = still.frame, still.path
    assert index == 17
    assert read_barcode(cv2.imread(str(path))) == source_indices("vfr")[17]


@pytest.mark.shared_media
@pytest.mark.parametrize(
    "name", ["cfr25_longgop.mp4", "ntsc2997.mp4", "vfr_phone.mp4", "portrait_rotated.mp4"]
)
def test_stills_of_shared_clips_are_exact(shared_media, tmp_path, name):
    result = probe(shared_media / name)
    truth = vfr_source_indices() if name == "vfr_phone.mp4" else list(range(result.frame_count))
    rng = random.Random(name)
    for n in range(5):
        frame = rng.randrange(result.frame_count)
        path = still_from_file(shared_media / name, tmp_path / f"{n}.png", frame=frame).path
        image = cv2.imread(str(path))
        assert read_barcode(_upright(image, result.rotation)) == truth[frame]


@pytest.mark.parametrize(
    "kwargs, reason",
    [
        ({"at_ms": 10_000_000}, "runs from 0"),
        ({"at_ms": -1}, "runs from 0"),
        ({"frame": 99_999}, "has frames 0 to"),
        ({}, "either a time"),
        ({"at_ms": 5, "frame": 5}, "either a time"),
    ],
)
def test_impossible_positions_are_refused(clips, tmp_path, kwargs, reason):
    out = tmp_path / "x.png"
    with pytest.raises(InvalidInputError, match=reason):
        still_from_file(clips["cfr25"], out, **kwargs)
    assert not out.exists()


def test_an_unwritable_destination_is_named(clips, tmp_path):
    with pytest.raises(InvalidInputError, match="missing does not exist"):
        still_from_file(clips["cfr25"], tmp_path / "missing" / "x.png", frame=0)


def test_a_non_video_file_is_refused(tmp_path):
    text = tmp_path / "notes.mp4"
    text.write_text("hello\n" * 100)
    with pytest.raises(MediaError, match=str(text)):
        still_from_file(text, tmp_path / "x.png", frame=0)


@pytest.mark.parametrize("name", list(CLIP_SPECS))
def test_frame_steps_forward_and_back_are_exact_from_random_positions(clips, name):
    from vfa.media.frames import FrameServer

    result = probe(clips[name])
    server = FrameServer(clips[name], result.frame_table, result.rotation)
    kept = source_indices(name)
    count = result.frame_count
    rng = random.Random(f"steps-{name}")
    for _ in range(3):
        index = rng.randrange(count)
        got, want = [], []
        for step in [-1] * 6 + [1] * 9:
            index = min(max(index + step, 0), count - 1)
            got.append(
                read_barcode(_upright(server.frame(index, backward=step < 0), result.rotation))
            )
            want.append(kept[index])
        assert got == want
    server.close()


def test_backward_steps_are_served_from_the_cache_after_the_first(clips):
    from vfa.media.frames import FrameServer

    result = probe(clips["cfr25"])
    server = FrameServer(clips["cfr25"], result.frame_table)
    server.frame(120, backward=True)
    assert all(server.cached(i) for i in range(100, 120))
