import pytest

from vfa.domain.frames import FrameTable
from vfa.domain.navigation import RATES, LoopRange, format_rate, next_rate, parse_position

TABLE = FrameTable.from_pts([i * 40 for i in range(250)], 10_000)  # 10 s at 25 fps
VFR = FrameTable.from_pts([0, 33, 100, 133, 200], 233)


def test_rate_ladder_steps_and_clamps():
    assert next_rate(1.0, +1) == 1.5
    assert next_rate(1.0, -1) == 0.5
    assert next_rate(0.125, -1) == 0.125
    assert next_rate(4.0, +1) == 4.0
    rate, seen = 0.125, [0.125]
    for _ in range(10):
        rate = next_rate(rate, +1)
        seen.append(rate)
    assert tuple(dict.fromkeys(seen)) == RATES


def test_rate_labels():
    assert [format_rate(r) for r in RATES] == ["1/8×", "1/4×", "1/2×", "1×", "1.5×", "2×", "4×"]


@pytest.mark.parametrize(
    "text, index",
    [
        ("f120", 120),
        ("frame 7", 7),
        ("#0", 0),
        ("4.8", 120),
        ("4.8s", 120),
        ("4,81", 120),
        ("4810ms", 120),
        ("0:04.8", 120),
        ("00:00:04.839", 120),
        ("0:09.999", 249),
    ],
)
def test_typed_positions(text, index):
    assert parse_position(text, TABLE) == index


def test_a_time_names_the_frame_shown_then_on_vfr():
    assert parse_position("0.099", VFR) == 1
    assert parse_position("100ms", VFR) == 2


@pytest.mark.parametrize("text", ["f250", "10", "0:10", "abc", "1:2:3:4", "", "1:00ms"])
def test_bad_positions_say_why(text):
    with pytest.raises(ValueError):
        parse_position(text, TABLE)


def test_loop_range_snaps_to_whole_frames_in_either_drag_direction():
    loop = LoopRange.between(1_030, 410, TABLE)
    assert (loop.start_ms, loop.end_ms) == (400, 1_040)
    assert loop.contains(400) and loop.contains(1_039) and not loop.contains(1_040)
    last = LoopRange.between(9_000, 99_999, TABLE)
    assert last.end_ms == 10_000
