"""The frame server returns exactly the frame the frame table names."""

from __future__ import annotations

import random

import pytest

from tests.conftest import CLIP_SPECS, SHARED_MEDIA, as_coded, source_indices, vfr_source_indices
from tests.requirements import need_media
from vfa.media.frames import FrameServer
from vfa.media.probe import probe
from vfa.media.synth import read_barcode

SHARED_ROTATED = SHARED_MEDIA / "portrait_rotated.mp4"


def _upright_barcode(image, rotation):
    """The barcode sits on the coded picture's top edge: turn a displayed frame back."""

    return read_barcode(as_coded(image, rotation))


@pytest.mark.parametrize("name", list(CLIP_SPECS))
def test_random_frames_of_generated_clips_are_exact(clips, name):
    result = probe(clips[name])
    server = FrameServer(clips[name], result.frame_table, result.rotation)
    kept = source_indices(name)
    rng = random.Random(name)
    picks = rng.sample(range(len(kept)), min(15, len(kept)))
    got = [_upright_barcode(server.frame(i), result.rotation) for i in picks]
    assert got == [kept[i] for i in picks]
    server.close()


def test_rotated_frames_are_shown_portrait(clips):
    result = probe(clips["rotated"])
    image = FrameServer(clips["rotated"], result.frame_table, result.rotation).frame(0)
    assert image.shape[:2] == (640, 360)  # height, width as displayed


def test_frame_at_time_is_the_last_frame_not_after_it(clips):
    result = probe(clips["vfr"])
    server = FrameServer(clips["vfr"], result.frame_table)
    kept = source_indices("vfr")
    table = result.frame_table
    # halfway between frame 5 and 6 still shows frame 5
    t = (table.pts_of(5) + table.pts_of(6)) // 2
    index, image = server.frame_at(t)
    assert index == 5
    assert read_barcode(image) == kept[5]


@pytest.mark.shared_media
@pytest.mark.parametrize(
    "name", ["cfr25_longgop.mp4", "ntsc2997.mp4", "vfr_phone.mp4", "portrait_rotated.mp4"]
)
def test_random_frames_of_shared_clips_are_exact(shared_media, name):
    result = probe(shared_media / name)
    server = FrameServer(shared_media / name, result.frame_table, result.rotation)
    truth = vfr_source_indices() if name == "vfr_phone.mp4" else list(range(result.frame_count))
    rng = random.Random(name)
    picks = rng.sample(range(result.frame_count), 12)
    got = [_upright_barcode(server.frame(i), result.rotation) for i in picks]
    assert got == [truth[i] for i in picks]


def test_a_file_damaged_part_way_gives_clear_errors_and_good_frames_elsewhere(clips, tmp_path):
    from vfa.errors import MediaError

    data = bytearray(clips["cfr25"].read_bytes())
    rng = random.Random(5)
    start, end = len(data) * 45 // 100, len(data) * 70 // 100
    data[start:end] = bytes(rng.randrange(256) for _ in range(end - start))
    damaged = tmp_path / "damaged.mp4"
    damaged.write_bytes(bytes(data))
    try:
        result = probe(damaged)
    except MediaError as exc:  # refusing the whole file is fine too, if it says why
        assert str(damaged) in str(exc)
        return
    server = FrameServer(damaged, result.frame_table, result.rotation)
    assert read_barcode(server.frame(3)) == 3  # before the damage: exact
    shown = []
    for index in range(0, result.frame_count, 7):
        try:
            shown.append((index, read_barcode(server.frame(index))))
        except MediaError as exc:
            assert str(damaged) in str(exc)
    # every frame that comes back is the one asked for (cfr25 keeps every source frame)
    assert shown == [(index, index) for index, _ in shown]
    assert [i for i, _ in shown][:3] == [0, 7, 14]  # the start, before 45 % of the bytes
    assert read_barcode(server.frame(2)) == 2  # still usable after any error


def test_frames_after_a_destroyed_stretch_are_exact_from_the_next_keyframe(tmp_path):
    """Frames 60-69 of a 25 fps clip with a keyframe every 25 frames are overwritten with
    random bytes (found with the demuxer, not with VFA). Decoding starts again at the next
    keyframe, 75: from there on and before the stretch's GOP (0-49) every frame is exact;
    the destroyed frames are errors; in between (50-74, frames that may lean on destroyed
    ones) each is either exact or an error naming the file, never another picture."""
    import av

    from vfa.errors import MediaError
    from vfa.media.synth import make_clip

    clip = make_clip(tmp_path / "gop25.mp4", seconds=6, rate=25, gop=25)
    with av.open(str(clip)) as container:
        packets = sorted(
            (p.pts, p.pos, p.size, p.is_keyframe)
            for p in container.demux(container.streams.video[0])
            if p.pts is not None
        )
    assert [n for n, p in enumerate(packets) if p[3]] == [0, 25, 50, 75, 100, 125]
    data = bytearray(clip.read_bytes())
    rng = random.Random(60)
    for _pts, pos, size, _key in packets[60:70]:
        data[pos : pos + size] = bytes(rng.randrange(256) for _ in range(size))
    damaged = tmp_path / "destroyed.mp4"
    damaged.write_bytes(bytes(data))
    result = probe(damaged)
    assert result.frame_count == 150
    server = FrameServer(damaged, result.frame_table, result.rotation)

    def shown(index: int) -> int | str:
        try:
            return read_barcode(server.frame(index))
        except MediaError as exc:
            assert str(exc).startswith(f"{damaged}: "), exc
            return "error"

    got = {index: shown(index) for index in range(150)}
    assert {i: got[i] for i in range(50)} == {i: i for i in range(50)}
    assert {i: got[i] for i in range(75, 150)} == {i: i for i in range(75, 150)}
    assert {i: got[i] for i in range(60, 70)} == dict.fromkeys(range(60, 70), "error")
    assert all(got[i] in (i, "error") for i in range(50, 75)), got
    assert shown(3) == 3  # still usable after the errors


@pytest.mark.parametrize("source", ["generated", "shared"])
def test_a_90_degree_display_matrix_turns_the_picture_counter_clockwise(clips, source):
    """The display matrix of these clips rotates by +90 degrees, which FFmpeg defines as
    counter-clockwise (``av_display_rotation_get``): the coded top edge, where the barcode
    is, must end up on the left, read from the bottom up. Checked on the matrix itself,
    independently of VFA's rotation code."""
    import math
    import struct

    import av

    path = clips["rotated"] if source == "generated" else SHARED_ROTATED
    if source == "shared":
        need_media(path.name)
    with av.open(str(path)) as container:
        frame = next(container.decode(video=0))
        matrix = next(sd for sd in frame.side_data if "DISPLAYMATRIX" in str(sd.type))
        m = struct.unpack("<9i", bytes(matrix))
    assert round(-math.degrees(math.atan2(m[1] / 65536, m[0] / 65536))) == 90
    result = probe(path)
    shown = FrameServer(path, result.frame_table, result.rotation).frame(5)
    h, w = shown.shape[:2]
    assert h > w  # portrait
    # the left edge holds the barcode; bit 0 (value 1 of frame 5) sits at the bottom
    left = shown[:, 2:10].mean(axis=(1, 2))
    right = shown[:, -10:-2].mean(axis=(1, 2))
    assert left.max() > 200 and right.max() < 200
    block = h // 16
    bits = [left[h - (b + 1) * block + 2 : h - b * block - 2].mean() > 127 for b in range(16)]
    assert sum(bit << i for i, bit in enumerate(bits)) == 5
