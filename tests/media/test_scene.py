"""The demo's generated scene: its script, its picture and its sound, without encoding."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vfa.media.scene import FAMILIES, room, scene_frame
from vfa.media.scene_script import (
    CHANNELS,
    EPISODES,
    INFANT_GAZE,
    PARENT_GAZE,
    TOY_INFANT_X,
    TOY_PARENT_X,
    scene_script,
)
from vfa.media.scene_voice import SAMPLE_RATE, mouth_open, scene_sound
from vfa.media.synth import read_barcode

seeds = st.integers(min_value=0, max_value=2**32)


@given(seeds)
@settings(max_examples=60, deadline=None)
def test_a_script_is_six_episodes_with_the_looks_covering_the_whole_scene(seed):
    script = scene_script(seed)
    assert 20_000 <= script.duration_ms <= 30_000
    assert sorted(e.what for e in script.episodes) == sorted(EPISODES)
    ends = [0] + [e.end_ms for e in script.episodes]
    assert [e.start_ms for e in script.episodes] == ends[:-1]
    assert ends[-1] == script.duration_ms
    for channel, looks in (("parent_gaze", PARENT_GAZE), ("infant_gaze", INFANT_GAZE)):
        spans = script.spans(channel)
        assert spans[0].start_ms == 0 and spans[-1].end_ms == script.duration_ms
        for a, b in itertools.pairwise(spans):
            assert a.end_ms == b.start_ms and a.what != b.what  # one look, then another
        assert {s.what for s in spans} <= set(looks)
    for channel in CHANNELS:
        spans = script.spans(channel)
        assert all(0 <= s.start_ms < s.end_ms <= script.duration_ms for s in spans)
        assert all(a.end_ms <= b.start_ms for a, b in itertools.pairwise(spans))
    xs = [script.toy_x(t) for t in range(0, script.duration_ms, 40)]
    assert min(xs) >= TOY_PARENT_X and max(xs) <= TOY_INFANT_X
    assert max(abs(a - b) for a, b in itertools.pairwise(xs)) < 0.02  # it rolls, never jumps


def test_each_seed_makes_its_own_scene():
    scripts = [scene_script(seed) for seed in (21, 22, 23)]
    assert len({s.duration_ms for s in scripts}) == 3
    assert len({tuple(e.what for e in s.episodes) for s in scripts}) == 3


@pytest.fixture(scope="module")
def background():
    return room()


def test_the_picture_moves_and_carries_no_barcode_or_frame_number(background):
    script = scene_script(21)
    frames = {i: scene_frame(script, i * 40, background) for i in (1, 2, 3, 5, 8, 13, 100)}
    assert all(f.shape == (480, 854, 3) and f.dtype == np.uint8 for f in frames.values())
    assert sum(read_barcode(f) == i for i, f in frames.items()) <= 1
    top = np.stack([f[:24] for f in frames.values()]).astype(int)
    assert np.ptp(top, axis=0).max() < 8  # the top edge is the still wall in every frame
    assert np.abs(frames[100].astype(int) - frames[1]).max() > 60  # the people move
    corner = np.stack([f[-30:, :120] for f in frames.values()]).astype(int)
    assert np.ptp(corner, axis=0).max() < 8  # nothing counts frames in the corner


def test_each_family_has_its_own_look(background):
    script = scene_script(21)
    first, second = (scene_frame(script, 5_000, background, family=k) for k in (0, 1))
    assert len(FAMILIES) > 1 and np.abs(first.astype(int) - second).max() > 60
    half = scene_frame(script, 5_000, background, (427, 240))
    assert half.shape == (240, 427, 3)


def test_the_voices_sound_where_the_script_has_them_and_the_mouths_move_with_them():
    script = scene_script(22)
    sound = scene_sound(script, script.duration_ms / 1000)
    assert len(sound) == round(script.duration_ms / 1000 * SAMPLE_RATE)
    assert sound.dtype == np.float32 and 0.05 < np.abs(sound).max() < 1

    def rms(a_ms: int, b_ms: int) -> float:
        part = sound[a_ms * SAMPLE_RATE // 1000 : b_ms * SAMPLE_RATE // 1000]
        return float(np.sqrt(np.mean(part.astype(float) ** 2)))

    voiced = [s for c in ("parent_voice", "infant_voice") for s in script.spans(c)]
    voiced.sort(key=lambda s: s.start_ms)
    gaps = [(a.end_ms + 50, b.start_ms - 50) for a, b in itertools.pairwise(voiced)]
    quiet = max(rms(a, b) for a, b in gaps if b - a > 300)
    assert all(rms(s.start_ms, s.end_ms) > 4 * quiet for s in voiced)
    talk = script.spans("parent_voice")[0]
    opened = [mouth_open(script, "parent", t) for t in range(talk.start_ms, talk.end_ms, 10)]
    assert max(opened) > 0.5 and min(opened) == 0  # syllables, with breaks between
    a, b = gaps[0]
    assert all(mouth_open(script, w, t) == 0 for w in ("parent", "infant") for t in (a, b))


def test_a_clip_that_cannot_be_made_side_by_side_is_named(tmp_path):
    from vfa.errors import MediaError
    from vfa.media.scene_batch import SceneJob, make_scene_clips

    taken = [tmp_path / "a.mp4", tmp_path / "b.mp4"]
    for path in taken:
        path.mkdir()  # a folder where the clip should go: the encoder cannot open it
    seen: list[float] = []
    with pytest.raises(MediaError) as refused:
        make_scene_clips([SceneJob(p, seed) for seed, p in enumerate(taken)], seen.append)
    assert str(refused.value).startswith(f"{taken[0]}: the demo clip could not be made (")
    assert all(0 <= f < 1 for f in seen)
