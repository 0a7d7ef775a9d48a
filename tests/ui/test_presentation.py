"""Presentation mode driven from the keyboard, offscreen, on the Qt Multimedia backend."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from tests.conftest import source_indices
from tests.ui.test_main_window import image_array
from vfa.media.probe import probe
from vfa.media.synth import read_barcode
from vfa.player.base import PlayerState
from vfa.player.qt_backend import QtPlayer
from vfa.ui.presentation import PresentationWindow, PresentedMoment

KEY = Qt.Key
TIMEOUT = 10_000


def moment(
    path: Path,
    first: int,
    last: int,
    key: int,
    caption: str | None = None,
    child_line: str | None = None,
) -> PresentedMoment:
    facts = probe(path)
    return PresentedMoment(
        path=str(path),
        table=facts.frame_table,
        rotation=facts.rotation,
        duration_ms=facts.duration_ms,
        first=first,
        last=last,
        key=key,
        caption=caption,
        child_line=child_line,
    )


def on_canvas(window: PresentationWindow) -> int:
    """The barcode (source frame index) of the exact picture on the canvas (-1: none)."""
    image = window.canvas.image()
    return -1 if image.isNull() else read_barcode(image_array(image))


@pytest.fixture
def reel(clips) -> list[PresentedMoment]:
    return [
        moment(
            clips["cfr25"],
            20,
            60,
            40,
            caption="You waited, and she turned to you",
            child_line="I like it when you wait for me",
        ),
        moment(clips["vfr"], 30, 70, 50, caption="You followed his lead"),
    ]


@pytest.fixture
def present(qtbot):
    """Open a presentation of the given moments and wait for its first moment."""
    windows: list[PresentationWindow] = []

    def open_(moments: list[PresentedMoment]) -> PresentationWindow:
        window = PresentationWindow(moments, QtPlayer())
        qtbot.addWidget(window)
        windows.append(window)
        if moments:
            with qtbot.waitSignal(window.moment_shown, timeout=TIMEOUT) as shown:
                window.show_on(None)
            assert shown.args == [0]
        else:
            window.show_on(None)
        return window

    yield open_
    for window in windows:
        window.close()


def test_the_first_moment_opens_on_its_exact_first_frame_with_its_caption(present, reel):
    window = present(reel)
    assert window.isFullScreen()
    assert window.current() == 0
    assert on_canvas(window) == source_indices("cfr25")[20]
    assert window.line.text() == "You waited, and she turned to you"
    assert window.counter.text() == "1 / 2"


def test_right_shows_the_next_moments_exact_first_frame_and_left_goes_back(present, reel, qtbot):
    window = present(reel)
    with qtbot.waitSignal(window.moment_shown, timeout=TIMEOUT) as shown:
        qtbot.keyClick(window, KEY.Key_Right)
    assert shown.args == [1]
    assert window.current() == 1
    assert on_canvas(window) == source_indices("vfr")[30]
    assert window.counter.text() == "2 / 2"
    assert window.line.text() == "You followed his lead"
    qtbot.waitUntil(lambda: window.player.state() is PlayerState.PLAYING, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: window.player.position() > reel[1].start_ms, timeout=TIMEOUT)

    with qtbot.waitSignal(window.moment_shown, timeout=TIMEOUT) as shown:
        qtbot.keyClick(window, KEY.Key_PageUp)
    assert shown.args == [0]
    assert on_canvas(window) == source_indices("cfr25")[20]
    assert window.counter.text() == "1 / 2"
    assert window.line.text() == "You waited, and she turned to you"


def test_a_prefetched_first_frame_is_on_the_canvas_as_the_key_is_handled(present, reel, qtbot):
    window = present(reel)
    qtbot.waitUntil(window.prefetched, timeout=TIMEOUT)
    qtbot.keyClick(window, KEY.Key_PageDown)
    assert window.stack.currentWidget() is window.canvas
    assert on_canvas(window) == source_indices("vfr")[30]
    qtbot.keyClick(window, KEY.Key_Left)
    assert on_canvas(window) == source_indices("cfr25")[20]


def test_next_stays_on_the_last_moment_and_previous_on_the_first(present, reel, qtbot):
    window = present(reel)
    qtbot.keyClick(window, KEY.Key_Left)
    assert window.current() == 0
    with qtbot.waitSignal(window.moment_shown, timeout=TIMEOUT):
        qtbot.keyClick(window, KEY.Key_Right)
    qtbot.keyClick(window, KEY.Key_Right)
    assert window.current() == 1
    assert window.counter.text() == "2 / 2"


def test_the_player_takes_over_and_plays_the_moment(present, reel, qtbot):
    window = present(reel)
    player = window.player
    qtbot.waitUntil(lambda: window.stack.currentWidget() is player.widget(), timeout=TIMEOUT)
    assert player.state() is PlayerState.PLAYING
    assert reel[0].start_ms <= player.position() < reel[0].end_ms


def test_f_freezes_on_the_exact_key_frame_and_f_again_resumes(present, reel, qtbot):
    window = present(reel)
    player = window.player
    qtbot.waitUntil(lambda: player.position() > reel[0].start_ms + 100, timeout=TIMEOUT)
    qtbot.keyClick(window, KEY.Key_F)
    assert window.frozen()
    assert player.state() is PlayerState.PAUSED
    qtbot.waitUntil(lambda: on_canvas(window) == source_indices("cfr25")[40], timeout=TIMEOUT)
    assert window.stack.currentWidget() is window.canvas
    held = player.position()

    qtbot.keyClick(window, KEY.Key_F)
    assert not window.frozen()
    assert player.state() is PlayerState.PLAYING
    assert player.position() >= held
    qtbot.waitUntil(lambda: player.position() > held + 100, timeout=TIMEOUT)


def test_space_pauses_and_resumes(present, reel, qtbot):
    window = present(reel)
    player = window.player
    qtbot.keyClick(window, KEY.Key_Space)
    assert window.paused()
    assert player.state() is PlayerState.PAUSED
    qtbot.keyClick(window, KEY.Key_Space)
    assert not window.paused()
    assert player.state() is PlayerState.PLAYING


def test_c_switches_between_the_caption_and_the_line_for_the_child(present, reel, clips, qtbot):
    window = present([*reel, moment(clips["cfr25"], 70, 90, 80, child_line="Look, Mum, I did it")])
    assert window.line.text() == "You waited, and she turned to you"
    qtbot.keyClick(window, KEY.Key_C)
    assert window.line.text() == "I like it when you wait for me"
    assert window.line.font().italic()
    qtbot.keyClick(window, KEY.Key_C)
    assert window.line.text() == "You waited, and she turned to you"
    assert not window.line.font().italic()

    with qtbot.waitSignal(window.moment_shown, timeout=TIMEOUT):
        qtbot.keyClick(window, KEY.Key_Right)
    qtbot.keyClick(window, KEY.Key_C)  # this moment has no line for the child
    assert window.line.text() == "You followed his lead"
    with qtbot.waitSignal(window.moment_shown, timeout=TIMEOUT):
        qtbot.keyClick(window, KEY.Key_Right)
    assert window.line.text() == "Look, Mum, I did it"  # no caption: the child's line


def test_the_window_shows_only_the_line_and_the_counter(present, reel, qtbot):
    window = present(reel)
    allowed = {"1 / 2", "2 / 2"}
    for m in reel:
        allowed |= {m.caption or "", m.child_line or ""}
    for key in (KEY.Key_Right, KEY.Key_C, KEY.Key_F):
        qtbot.keyClick(window, key)
        texts = [label.text() for label in window.findChildren(QLabel) if label.text()]
        assert texts
        assert set(texts) <= allowed
    names = [Path(m.path).stem for m in reel] + [Path(m.path).name for m in reel]
    assert not any(name in window.windowTitle() for name in names)


def test_a_short_moment_loops_from_its_last_frame_back_to_its_first(present, clips, qtbot):
    short = moment(clips["cfr25"], 20, 29, 25, caption="Again and again")
    window = present([short])
    player = window.player
    qtbot.waitUntil(lambda: window.stack.currentWidget() is player.widget(), timeout=TIMEOUT)
    seen: list[int] = []
    player.position_changed.connect(seen.append)
    qtbot.waitUntil(lambda: seen.count(short.cue_ms) >= 2, timeout=TIMEOUT)  # two seeks back
    assert window.current() == 0
    assert max(seen) >= short.table.pts_of(short.last)  # it played to its last frame
    assert min(seen) >= short.start_ms
    assert window.player.state() is PlayerState.PLAYING


def test_a_moment_ending_on_the_clips_last_frame_loops_too(present, clips, qtbot):
    facts = probe(clips["noaudio"])
    count = facts.frame_count
    window = present([moment(clips["noaudio"], count - 10, count - 1, count - 5)])
    starts: list[int] = []
    window.player.position_changed.connect(
        lambda t: starts.append(t) if t == window.moments[0].cue_ms else None
    )
    qtbot.waitUntil(lambda: len(starts) >= 2, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: window.player.state() is PlayerState.PLAYING, timeout=TIMEOUT)


def test_escape_closes_the_window_and_releases_the_player(present, reel, qtbot):
    window = present(reel)
    with qtbot.waitSignal(window.closed, timeout=TIMEOUT):
        qtbot.keyClick(window, KEY.Key_Escape)
    assert not window.isVisible()
    assert window.player.state() is PlayerState.EMPTY


def test_an_empty_reel_says_so_and_escape_still_closes(present, qtbot):
    window = present([])
    assert window.message is not None
    assert window.message.isVisible()
    assert "no moments" in window.message.text()
    qtbot.keyClick(window, KEY.Key_Right)
    qtbot.keyClick(window, KEY.Key_F)
    assert window.player.state() is PlayerState.EMPTY
    with qtbot.waitSignal(window.closed, timeout=TIMEOUT):
        qtbot.keyClick(window, KEY.Key_Escape)
    assert not window.isVisible()
