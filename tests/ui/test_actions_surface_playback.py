"""Playback actions fired by their own keys on the barcode clip (20 s at 25 fps: 500 frames
of 40 ms, each frame's barcode its index): the frame on screen after each, the rate, the
shuttle, the loop range and the timeline's zoom."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox

from tests.ui.test_actions_surface import answering, covers
from tests.ui.test_main_window import barcode_on_screen
from vfa.player.base import PlayerState
from vfa.ui.dialogs import GoToDialog

FRAME_MS = 40
LAST = 20 * 25 - 1


def show(window, qtbot, frame: int) -> None:
    view = window.player_view
    view.show_frame(frame)
    qtbot.waitUntil(lambda: view.shown_index() == frame, timeout=10_000)


def frame_at(ms: int) -> int:
    """The frame shown at ``ms`` on the barcode clip (the last one starting at or before)."""
    return min(ms // FRAME_MS, LAST)


# (action, frame before, frame after): each expected frame from the clip's 40 ms frames
STEPS = [
    ("nav.frame_forward", 100, 101),
    ("nav.frame_forward", LAST, LAST),  # nothing after the last frame
    ("nav.frame_back", 100, 99),
    ("nav.frame_back", 0, 0),
    ("nav.second_forward", 100, frame_at(100 * FRAME_MS + 1000)),
    ("nav.second_back", 100, frame_at(100 * FRAME_MS - 1000)),
    ("nav.five_forward", 100, frame_at(100 * FRAME_MS + 5000)),
    ("nav.five_forward", 400, LAST),  # 21 s is past the end: the last frame
    ("nav.five_back", 200, frame_at(200 * FRAME_MS - 5000)),
    ("nav.five_back", 100, 0),  # -1 s: the first frame
    ("nav.start", 100, 0),
    ("nav.end", 100, LAST),
]


@covers(*dict.fromkeys(action for action, _before, _after in STEPS))
@pytest.mark.parametrize(("action_id", "before", "after"), STEPS)
def test_a_navigation_key_shows_exactly_the_frame_it_names(
    window, surface, qtbot, action_id, before, after
):
    view = window.player_view
    show(window, qtbot, before)
    with qtbot.waitSignal(
        view.frame_shown, timeout=10_000, check_params_cb=lambda index: index == after
    ):
        surface.fire(window, action_id)
    assert view.current_frame() == (after, after * FRAME_MS)
    assert view.readout.text().endswith(f"· frame {after}")
    assert barcode_on_screen(window) == after


@covers("player.toggle")
def test_space_plays_and_pauses_on_the_exact_frame(window, surface, qtbot):
    view = window.player_view
    surface.fire(window, "player.toggle")
    qtbot.waitUntil(lambda: view.player.state() is PlayerState.PLAYING, timeout=10_000)
    qtbot.waitUntil(lambda: view.current_frame()[0] >= 5, timeout=10_000)
    with qtbot.waitSignal(view.frame_shown, timeout=10_000) as shown:
        surface.fire(window, "player.toggle")
    assert view.player.state() is PlayerState.PAUSED
    index = view.current_frame()[0]
    assert shown.args == [index] and index >= 5
    assert barcode_on_screen(window) == index


@covers("nav.goto")
def test_go_to_shows_the_typed_time(window, surface, qtbot):
    view = window.player_view
    asked = {}

    def go(dialog: GoToDialog) -> None:
        asked["title"] = dialog.windowTitle()
        QTest.keyClicks(dialog.field, "0:07.5")
        qtbot.mouseClick(
            dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok),
            Qt.MouseButton.LeftButton,
        )

    expected = frame_at(7_500)
    with (
        qtbot.waitSignal(
            view.frame_shown, timeout=10_000, check_params_cb=lambda index: index == expected
        ),
        answering(qtbot, (GoToDialog, go)),
    ):
        surface.fire(window, "nav.goto")
    assert asked == {"title": "Go to"}
    assert view.current_frame() == (187, 7_480)  # 7.5 s falls inside frame 187
    assert barcode_on_screen(window) == 187


@covers("shuttle.forward", "shuttle.stop", "shuttle.reverse")
def test_j_k_l_shuttle_forward_faster_stop_and_backwards(window, surface, qtbot):
    view = window.player_view
    player = view.player
    show(window, qtbot, 250)
    surface.fire(window, "shuttle.forward")
    qtbot.waitUntil(lambda: player.state() is PlayerState.PLAYING, timeout=10_000)
    assert player.rate() == 1.0
    surface.fire(window, "shuttle.forward")  # again while playing: faster
    assert player.rate() == 1.5 and view.rate_label.text() == "1.5×"
    surface.fire(window, "shuttle.stop")
    qtbot.waitUntil(lambda: player.state() is PlayerState.PAUSED, timeout=10_000)
    stopped = view.current_frame()[0]
    qtbot.waitUntil(lambda: view.shown_index() == stopped, timeout=10_000)
    with qtbot.waitSignal(
        view.frame_shown, timeout=10_000, check_params_cb=lambda index: index < stopped
    ):
        surface.fire(window, "shuttle.reverse")
    assert view.reverse_speed() == 1
    assert player.state() is not PlayerState.PLAYING
    surface.fire(window, "shuttle.stop")
    assert view.reverse_speed() == 0
    held = view.current_frame()[0]
    assert held < stopped
    qtbot.waitUntil(lambda: view.shown_index() == held, timeout=10_000)
    assert barcode_on_screen(window) == held


@covers("rate.faster", "rate.slower")
def test_brackets_walk_the_rate_ladder(window, surface, qtbot):
    view = window.player_view
    seen = []
    for action_id in ("rate.faster", "rate.slower", "rate.slower", "rate.slower"):
        surface.fire(window, action_id)
        seen.append((view.player.rate(), view.rate_label.text()))
    # the ladder 1/8, 1/4, 1/2, 1, 1.5, 2, 4
    assert seen == [(1.5, "1.5×"), (1.0, "1×"), (0.5, "1/2×"), (0.25, "1/4×")]


@covers("loop.in", "loop.out", "loop.toggle")
def test_i_and_o_mark_the_loop_and_ctrl_l_loops_it(window, surface, qtbot):
    view = window.player_view
    show(window, qtbot, 50)
    surface.fire(window, "loop.in")
    show(window, qtbot, 75)
    surface.fire(window, "loop.out")
    # from the start of frame 50 to the end of frame 75 (the start of frame 76)
    assert (view.loop.start_ms, view.loop.end_ms) == (50 * FRAME_MS, 76 * FRAME_MS)
    assert not view.loop_enabled
    surface.fire(window, "loop.toggle")
    assert view.loop_enabled and view.loop_button.isChecked()
    assert view.timeline.loop == view.loop and view.timeline.loop_enabled
    surface.fire(window, "loop.toggle")
    assert not view.loop_enabled and not view.loop_button.isChecked()


@covers("timeline.zoom_in", "timeline.zoom_out")
def test_zoom_keys_halve_and_double_the_view_around_the_playhead(window, surface, qtbot):
    timeline = window.player_view.timeline
    show(window, qtbot, 250)  # 10 s, the middle of the clip
    assert (timeline.view_start, timeline.view_span) == (0, 20_000)
    views = []
    for action_id in ("timeline.zoom_in", "timeline.zoom_in", "timeline.zoom_out"):
        surface.fire(window, action_id)
        views.append((timeline.view_start, timeline.view_span))
    surface.fire(window, "timeline.zoom_out")
    views.append((timeline.view_start, timeline.view_span))
    # the playhead stays in the middle of the view: 10 s ± half the span
    assert views == [(5_000, 10_000), (7_500, 5_000), (5_000, 10_000), (0, 20_000)]
