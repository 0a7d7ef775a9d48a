"""The steps every playback backend shares (``TickingPlayer``), on an engine that only
records what it is asked and a clock that moves only when told: open, play, pause, play
again after the end, the engine's clock readings, its end and its failure.

The Qt Multimedia backend runs these steps on real clips in test_presentation.py and the
window tests; libVLC's in tests/e2e.
"""

from __future__ import annotations

import pytest

from vfa.player.base import ClockInterpolator, PlayerState, TickingPlayer


class FakeClock:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


class RecordingPlayer(TickingPlayer):
    """An engine that keeps a list of what it was asked to do."""

    def __init__(self, now: FakeClock) -> None:
        super().__init__()
        self._clock = ClockInterpolator(now=now)
        self.asked: list[tuple[object, ...]] = []
        self.positions: list[int] = []
        self.errors: list[str] = []
        self.position_changed.connect(self.positions.append)
        self.error.connect(self.errors.append)

    def _engine_open(self, path: str) -> None:
        self.asked.append(("open", path, self._rate))

    def _engine_close(self) -> None:
        self.asked.append(("close",))

    def _engine_play(self, from_start: bool) -> None:
        self.asked.append(("play", from_start))

    def _engine_pause(self) -> None:
        self.asked.append(("pause",))

    def _engine_seek(self, position_ms: int) -> None:
        self.asked.append(("seek", position_ms))

    def _engine_set_rate(self, rate: float) -> None:
        self.asked.append(("rate", rate))

    def _engine_leave_end(self) -> None:
        self.asked.append(("leave end",))


@pytest.fixture
def now() -> FakeClock:
    return FakeClock()


@pytest.fixture
def player(qapp, now) -> RecordingPlayer:
    return RecordingPlayer(now)


def test_nothing_plays_before_a_file_is_open(player):
    player.play()
    player.pause()
    player.seek(500)
    assert player.asked == []
    assert player.state() is PlayerState.EMPTY


def test_a_file_opens_paused_at_zero_at_the_rate_chosen(player):
    player.set_rate(0.5)
    player.asked.clear()
    player.open("/clips/visit.mp4", 4_000)
    assert player.asked == [("open", "/clips/visit.mp4", 0.5)]
    assert player.state() is PlayerState.PAUSED
    assert player.positions == [0]


def test_play_then_pause_runs_the_playhead_on_the_clock(player, now):
    player.open("a.mp4", 4_000)
    player.seek(1_000)
    player.play()
    now.t = 0.5
    assert player.position() == 1_500
    player.pause()
    now.t = 3.0
    assert player.position() == 1_500
    assert player.positions[-1] == 1_500
    assert player.asked[-2:] == [("play", False), ("pause",)]
    assert player.state() is PlayerState.PAUSED


def test_engine_readings_anchor_the_playhead_only_while_playing(player, now):
    player.open("a.mp4", 4_000)
    player._engine_time(2_000)  # a paused engine's late report
    assert player.position() == 0
    player.play()
    now.t = 1.0  # past the seek's settling time
    player._engine_time(900)
    assert player.position() == 900


def test_the_end_stops_at_the_length_and_play_starts_again_from_zero(player, now):
    player.open("a.mp4", 4_000)
    player.play()
    now.t = 3.9
    player._engine_ended()
    assert player.state() is PlayerState.ENDED
    assert player.position() == 4_000
    assert player.positions[-1] == 4_000
    player.play()
    assert player.asked[-1] == ("play", True)
    assert player.state() is PlayerState.PLAYING
    assert player.position() == 0


def test_a_failure_names_the_file(player):
    player.open("/clips/broken.mp4", 4_000)
    player._engine_failed("cannot decode")
    assert player.state() is PlayerState.ERROR
    assert player.errors == ["/clips/broken.mp4: cannot decode"]


def test_close_empties_the_player(player):
    player.open("a.mp4", 4_000)
    player.close()
    assert player.asked[-1] == ("close",)
    assert player.state() is PlayerState.EMPTY
    player.play()
    assert player.asked[-1] == ("close",)
