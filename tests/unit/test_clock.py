"""The playhead clock between the backend's coarse readings."""

import time

from vfa.player.base import ClockInterpolator


def test_paused_clock_stands_still():
    clock = ClockInterpolator()
    clock.reset(1234, running=False)
    assert clock.position() == 1234


def test_running_clock_advances_at_the_rate():
    clock = ClockInterpolator()
    clock.rate = 2.0
    clock.reset(0, running=True)
    t0 = time.monotonic()
    while time.monotonic() - t0 < 0.05:
        pass
    elapsed_ms = (time.monotonic() - t0) * 1000
    assert 2 * elapsed_ms - 5 <= clock.position() <= 2 * elapsed_ms + 20


def test_each_reading_is_the_new_anchor_in_either_direction():
    clock = ClockInterpolator()
    clock.reset(0, running=True)
    clock._settle_until = 0  # long after the start
    clock.update(5000)
    assert 5000 <= clock.position() < 5050
    clock.update(4900)  # the backend says the picture is a little behind: follow it
    assert 4900 <= clock.position() < 4950


def test_a_stale_reading_just_after_a_seek_is_ignored():
    clock = ClockInterpolator()
    clock.reset(10_000, running=True)  # a seek
    clock.update(2_000)  # from before the seek
    assert clock.position() >= 10_000
    clock.update(10_020)  # a reading that fits
    assert 10_020 <= clock.position() < 10_070
