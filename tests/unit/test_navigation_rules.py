"""Typed positions with hours, the refusals' words, the rate ladder's direction and a loop
ending one frame before the last, each from navigation.py's stated rules."""

from __future__ import annotations

import pytest

from vfa.domain.frames import FrameTable
from vfa.domain.navigation import LoopRange, next_rate, parse_position

LONG = FrameTable.from_pts([i * 1000 for i in range(7200)], 7_200_000)  # 2 h at 1 fps
TEN = FrameTable.from_pts([i * 40 for i in range(10)], 400)  # 10 frames at 25 fps


@pytest.mark.parametrize(
    ("text", "frame"),
    [
        ("1:02:03", 3723),  # 1 h + 2 min + 3 s
        ("01:00:00.000", 3600),
        ("0:59:59", 3599),
        ("1:59:59.999", 7199),
        ("2:03", 123),
        ("59:00", 3540),
    ],
)
def test_hours_minutes_and_seconds_add_up(text, frame):
    assert parse_position(text, LONG) == frame


@pytest.mark.parametrize(
    ("text", "table", "message"),
    [
        ("f10", TEN, "frame 10 is past the end (the clip has frames 0–9)"),
        ("frame 7200", LONG, "frame 7200 is past the end (the clip has frames 0–7199)"),
        ("soon", TEN, "'soon': type a time such as 1:02.5 or a frame such as f120"),
        ("1:02ms", LONG, "'1:02ms': milliseconds cannot follow minutes"),
        ("0.4", TEN, "'0.4' is past the end of the clip (400 ms long)"),
        ("2:00:00", LONG, "'2:00:00' is past the end of the clip (7200000 ms long)"),
    ],
)
def test_a_refused_position_says_why(text, table, message):
    with pytest.raises(ValueError) as refused:
        parse_position(text, table)
    assert str(refused.value) == message


def test_the_last_instant_of_the_clip_is_still_in_it():
    assert parse_position("399ms", TEN) == 9
    assert parse_position("f9", TEN) == 9


@pytest.mark.parametrize(("direction", "rate"), [(1, 1.5), (2, 1.5), (0, 0.5), (-1, 0.5)])
def test_only_a_positive_direction_goes_up_the_ladder(direction, rate):
    assert next_rate(1.0, direction) == rate


@pytest.mark.parametrize(
    ("last_ms", "end_ms"),
    [(280, 320), (320, 360), (360, 400), (399, 400)],  # frames 7, 8 and the last, 9
)
def test_a_loop_ends_where_its_last_frame_ends(last_ms, end_ms):
    # a frame ends where the next begins; the last frame ends with the clip
    assert LoopRange.between(last_ms, 40, TEN) == LoopRange(40, end_ms)
