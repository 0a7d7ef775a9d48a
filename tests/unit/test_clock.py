"""The playhead clock between the backend's coarse readings, on a fake clock: no real time.

The rule (vfa/player/base.py, ClockInterpolator): the playhead is the last anchor plus the
time since it times the rate; every backend reading is the new anchor, except that for
0.4 s after a seek a reading more than 250 ms away from the playhead is one from before
the seek and is ignored. Times below are exact binary fractions of a second, so the
expected milliseconds are plain arithmetic.
"""

import pytest

from vfa.player.base import ClockInterpolator


class FakeClock:
    """A monotonic clock that moves only when told."""

    def __init__(self, start: float = 0.0) -> None:
        self.t = start

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def now() -> FakeClock:
    return FakeClock()


def test_a_paused_clock_stands_still(now):
    clock = ClockInterpolator(now=now)
    clock.reset(1234, running=False)
    now.t = 5.0
    assert clock.position() == 1234


def test_a_clock_that_was_never_anchored_is_at_zero(now):
    clock = ClockInterpolator(now=now)
    now.t = 2.0
    assert clock.position() == 0  # not running until the first reset


@pytest.mark.parametrize(
    ("rate", "seconds", "expected_ms"),
    [
        (1.0, 0.25, 250),  # 1000 ms 0.25 s later at normal speed
        (2.0, 0.125, 250),  # twice as fast: 125 ms of real time are 250 ms of video
        (0.5, 0.5, 250),  # half speed
        (1.0, 0.0, 0),  # no time has passed
    ],
)
def test_a_running_clock_advances_by_elapsed_time_times_the_rate(now, rate, seconds, expected_ms):
    clock = ClockInterpolator(now=now)
    clock.rate = rate
    clock.reset(1000, running=True)
    now.t += seconds
    assert clock.position() == 1000 + expected_ms


def test_each_reading_is_the_new_anchor_in_either_direction(now):
    clock = ClockInterpolator(now=now)
    clock.reset(0, running=True)
    now.t = 1.0  # long after the seek: every reading is taken
    clock.update(5000)
    assert clock.position() == 5000
    now.t = 1.125
    assert clock.position() == 5125
    clock.update(4900)  # the backend says the picture is a little behind: follow it
    assert clock.position() == 4900
    now.t = 1.25
    assert clock.position() == 5025


@pytest.mark.parametrize(
    ("reported", "taken"),
    [
        (10_000 - 251, False),  # one step beyond 250 ms behind: from before the seek
        (10_000 - 250, True),  # exactly 250 ms away still fits
        (10_000 - 249, True),
        (10_000 + 249, True),
        (10_000 + 250, True),
        (10_000 + 251, False),  # one step beyond 250 ms ahead
        (2_000, False),  # far away: the reading from before the seek
    ],
)
def test_a_reading_just_after_a_seek_is_taken_only_within_250_ms(now, reported, taken):
    clock = ClockInterpolator(now=now)
    now.t = 3.0
    clock.reset(10_000, running=False)  # a seek while paused: the playhead stays at 10 000
    now.t = 3.25  # well inside the 0.4 s after the seek
    clock.update(reported)
    assert clock.position() == (reported if taken else 10_000)


@pytest.mark.parametrize(
    ("after_seek", "taken"),
    [
        (0.375, False),  # still settling: the far reading is ignored
        (0.399, False),
        (0.4, True),  # 0.4 s after the seek every reading counts again
        (0.401, True),
        (0.5, True),
    ],
)
def test_the_seek_settles_after_0_4_seconds(now, after_seek, taken):
    clock = ClockInterpolator(now=now)
    clock.reset(10_000, running=False)  # the fake clock is at 0.0, so 0.4 is exact
    now.t = after_seek
    clock.update(2_000)
    assert clock.position() == (2_000 if taken else 10_000)


def test_a_stale_reading_while_playing_is_judged_against_the_moving_playhead(now):
    clock = ClockInterpolator(now=now)
    clock.reset(10_000, running=True)
    now.t = 0.25  # the playhead is at 10 250 now
    clock.update(10_000)  # exactly 250 ms behind the playhead: taken
    assert clock.position() == 10_000
    clock.reset(10_000, running=True)  # a second seek at 0.25 s
    now.t = 0.375  # playhead at 10 125
    clock.update(9_874)  # 251 ms behind: ignored
    assert clock.position() == 10_125
    clock.update(10_020)  # a reading that fits becomes the anchor
    assert clock.position() == 10_020
    now.t = 0.5
    assert clock.position() == 10_145
