"""The frame shown at t and navigation at their edges, from the time model (architecture,
"Time model"): the frame shown at t is the last frame whose pts <= t (the first frame
before it starts, the last one to the end and beyond); frames are 0-based; a typed
position must lie before the clip's end; a loop range is whole frames [first pts, the next
frame's pts or the clip's end)."""

from __future__ import annotations

import pytest

from vfa.domain.frames import FrameTable, format_timestamp
from vfa.domain.limits import MAX_MS
from vfa.domain.navigation import LoopRange, next_rate, parse_position

# a phone's variable frame rate: intervals of 33, 67, 33, 67, 50 ms, starting at 17 ms
VFR_PTS = (17, 50, 117, 150, 217, 267)
VFR = FrameTable(VFR_PTS, 300)


@pytest.mark.parametrize("index", range(len(VFR_PTS)))
def test_t_exactly_on_a_frames_pts_and_one_ms_either_side(index):
    pts = VFR_PTS[index]
    assert VFR.index_at(pts) == index
    assert VFR.index_at(pts + 1) == index
    assert VFR.index_at(pts - 1) == max(index - 1, 0)  # the frame before (none: the first)


@pytest.mark.parametrize(
    ("t", "index"),
    [
        (-1, 0),  # before the clip
        (0, 0),  # before the first frame's pts (17): the first frame is what shows
        (16, 0),
        (266, 4),  # one ms before the last frame
        (267, 5),  # the last frame
        (299, 5),  # the clip's last ms
        (300, 5),  # its end
        (MAX_MS, 5),  # far past it
    ],
)
def test_the_first_and_last_frames_and_beyond(t, index):
    assert VFR.index_at(t) == index


@pytest.mark.parametrize(("index", "pts"), [(-1, 17), (0, 17), (5, 267), (6, 267), (99, 267)])
def test_pts_of_is_clamped_to_the_clip(index, pts):
    assert VFR.pts_of(index) == pts


def test_a_constant_rate_table_has_its_edges_every_frame():
    table = FrameTable.from_pts([k * 40 for k in range(25)], 1_000)
    assert [table.index_at(t) for t in (39, 40, 41, 79, 80, 959, 960, 999)] == [
        0, 1, 1, 1, 2, 23, 24, 24,
    ]  # fmt: skip


@pytest.mark.parametrize(("duration", "kept"), [(267, 268), (268, 268), (269, 269), (300, 300)])
def test_a_table_lasts_at_least_one_ms_past_its_last_frame(duration, kept):
    assert FrameTable.from_pts(VFR_PTS, duration).duration_ms == kept


def test_the_packed_table_gives_back_every_pts_of_a_vfr_clip():
    again = FrameTable.from_blob(VFR.to_blob(), VFR.duration_ms)
    assert again == VFR


@pytest.mark.parametrize(
    ("t", "text"),
    [
        (-5, "00:00:00.000"),
        (999, "00:00:00.999"),
        (1_000, "00:00:01.000"),
        (59_999, "00:00:59.999"),
        (60_000, "00:01:00.000"),
        (3_599_999, "00:59:59.999"),
        (3_600_000, "01:00:00.000"),
        (MAX_MS, "24:00:00.000"),
    ],
)
def test_the_readout_carries_at_each_unit(t, text):
    assert format_timestamp(t) == text


# -- typed positions ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "index"),
    [
        ("116ms", 1),  # one ms before frame 2
        ("117ms", 2),  # on it
        ("118ms", 2),
        ("299ms", 5),  # the clip's last ms
        ("f0", 0),
        ("f5", 5),  # the last frame
    ],
)
def test_typed_positions_inside_the_clip(text, index):
    assert parse_position(text, VFR) == index


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("300ms", "past the end of the clip"),  # the clip's end itself
        ("0.3", "past the end of the clip"),
        ("f6", r"frame 6 is past the end \(the clip has frames 0–5\)"),
    ],
)
def test_typed_positions_at_the_end_and_beyond_are_refused(text, reason):
    with pytest.raises(ValueError, match=reason):
        parse_position(text, VFR)


# -- loops and rates ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "span"),
    [
        (117, 117, (117, 150)),  # one frame: its pts to the next frame's
        (116, 117, (50, 150)),  # one ms earlier reaches back to the frame before
        (117, 150, (117, 217)),  # ending on a frame's pts takes that frame in
        (117, 149, (117, 150)),
        (267, 299, (267, 300)),  # the last frame runs to the clip's end
        (0, 0, (17, 50)),  # before the first frame: the first frame
    ],
)
def test_a_loop_range_is_whole_frames(a, b, span):
    loop = LoopRange.between(a, b, VFR)
    assert (loop.start_ms, loop.end_ms) == span
    assert loop == LoopRange.between(b, a, VFR)  # either drag direction
    assert loop.contains(span[0]) and loop.contains(span[1] - 1)
    assert not loop.contains(span[0] - 1) and not loop.contains(span[1])


@pytest.mark.parametrize(
    ("rate", "up", "down"),
    [
        (0.125, 0.25, 0.125),  # the bottom of the ladder holds
        (4.0, 4.0, 2.0),  # so does the top
        (1.0, 1.5, 0.5),
        (1.2, 1.5, 0.5),  # off the ladder: from the nearest rung (1.0)
        (1.3, 2.0, 1.0),  # nearest 1.5
    ],
)
def test_the_rate_ladder_at_its_ends_and_between_rungs(rate, up, down):
    assert (next_rate(rate, +1), next_rate(rate, -1)) == (up, down)
