"""Moments and the reel in the window, driven as a therapist works: tag while watching,
caption, flag for feedback, order the reel, set the still; every edit undoable."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from tests.ui.test_main_window import barcode_on_screen
from vfa.app import build_window
from vfa.media.synth import read_barcode
from vfa.player.base import PlayerState
from vfa.services import clips as clip_service
from vfa.services import moments
from vfa.services.schemes import get_scheme
from vfa.storage.workspace import open_workspace
from vfa.ui.feedback_dialogs import ExportDialog

KEY = Qt.Key
FRAME_MS = 40  # cfr25


@pytest.fixture
def window(qtbot, tmp_path, clips):
    win = build_window("qt")
    qtbot.addWidget(win)
    win.resize(1300, 850)
    win.show()
    win.activateWindow()
    ws = open_workspace(tmp_path / "moments.vfa", create=True)
    clip_id = clip_service.add_clip(ws, clips["cfr25"], "FAM-1", "Visit 1").clip_id
    win.set_workspace(ws)
    with qtbot.waitSignal(win.player_view.frame_shown, timeout=10_000):
        win.open_clip(clip_id)
    yield win
    win.close()


def show(win, qtbot, frame):
    win.player_view.show_frame(frame)
    qtbot.waitUntil(lambda: win.player_view.shown_index() == frame, timeout=10_000)


def tag(win, qtbot, frame, key=KEY.Key_W):
    """Press a VIG key on ``frame``; returns the moment it made."""
    win.side.setCurrentWidget(win.feedback.moments)  # watching the list fill up
    show(win, qtbot, frame)
    before = {m.id for m in win.feedback.moments.moments()}
    qtbot.keyClick(win, key)
    made = [m for m in win.feedback.moments.moments() if m.id not in before]
    assert len(made) == 1
    return made[0]


def stored(win, moment_id):
    return moments.get_moment(win.ws, moment_id)


def test_a_key_while_watching_tags_a_moment_listed_beside_the_player(window, qtbot):
    window.coding.choose("vig")
    m = tag(window, qtbot, 100)  # W: giving time and space
    panel = window.feedback.moments
    assert panel.list.count() == 1
    assert "Giving time and space" in panel.list.item(0).text()
    vig = get_scheme("vig")
    principle = vig.code(vig.code("giving_time_and_space").parent).name
    assert panel.tags.text() == f"{principle} › Giving time and space"
    assert m.key_frame == 100  # the frame on screen at the key press is the still
    assert m.start_frame < 100 < m.end_frame
    assert f"still at frame {m.key_frame}" in panel.span.text()


def test_moments_tagged_with_the_list_hidden_are_there_when_it_is_shown(window, qtbot):
    window.coding.choose("vig")
    window.side.setCurrentWidget(window.coding)
    for frame in (30, 90):
        show(window, qtbot, frame)
        qtbot.keyClick(window, KEY.Key_W)
    window.side.setCurrentWidget(window.feedback.moments)
    panel = window.feedback.moments
    assert [m.key_frame for m in panel.moments()] == [30, 90]
    assert panel.list.count() == 2
    # and the reel, when shown, holds what was flagged meanwhile
    moments.edit_moment(window.ws, panel.moments()[1].id, feedback=True)
    window.session.reload()  # the run read again: the reel redraws when shown
    window.side.setCurrentWidget(window.feedback.reel)
    assert window.feedback.reel.list.count() == 1


def test_caption_is_typed_checked_stored_and_undone(window, qtbot):
    window.coding.choose("vig")
    m = tag(window, qtbot, 60)
    panel = window.feedback.moments
    window.side.setCurrentWidget(panel)
    panel.caption.setFocus()
    qtbot.keyClicks(panel.caption, "You didn't rush her")
    # deficit wording is underlined with a hint, never blocked
    qtbot.waitUntil(lambda: panel.hints.isVisible(), timeout=2_000)
    assert "didn't" in panel.hints.text()
    panel.child_line.setFocus()  # leaving the field stores it at once
    qtbot.waitUntil(lambda: stored(window, m.id).caption == "You didn't rush her", timeout=2_000)
    qtbot.keyClicks(panel.child_line, "I like it when you wait")
    qtbot.waitUntil(
        lambda: stored(window, m.id).child_line == "I like it when you wait", timeout=2_000
    )
    window.undo_stack.undo()
    assert stored(window, m.id).child_line is None
    window.undo_stack.undo()
    assert stored(window, m.id).caption is None
    assert panel.caption.toPlainText() == ""
    window.undo_stack.redo()
    assert stored(window, m.id).caption == "You didn't rush her"
    assert panel.caption.toPlainText() == "You didn't rush her"


def test_the_still_is_set_to_the_frame_on_screen_with_ctrl_k(window, qtbot):
    window.coding.choose("vig")
    m = tag(window, qtbot, 80)
    target = m.start_frame + 3
    show(window, qtbot, target)
    qtbot.keyClick(window, KEY.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert stored(window, m.id).key_frame == target
    window.undo_stack.undo()
    assert stored(window, m.id).key_frame == 80


def test_feedback_moments_make_the_reel_which_reorders_and_undoes(window, qtbot):
    window.coding.choose("vig")
    first = tag(window, qtbot, 30)
    second = tag(window, qtbot, 120)
    panel, reel = window.feedback.moments, window.feedback.reel
    for row in (1, 0):  # the later one first
        panel.list.setCurrentRow(row)
        panel.feedback.click()
    window.side.setCurrentWidget(reel)
    assert reel.order() == [second.id, first.id]
    assert reel.list.count() == 2
    reel.list.setCurrentRow(1)
    reel.up.click()
    assert [m.id for m in moments.reel(window.ws, reel.session_id)] == [first.id, second.id]
    window.undo_stack.undo()
    assert [m.id for m in moments.reel(window.ws, reel.session_id)] == [second.id, first.id]
    assert reel.order() == [second.id, first.id]


def test_a_click_on_a_moment_plays_it_looped(window, qtbot):
    window.coding.choose("vig")
    m = tag(window, qtbot, 50)
    panel, view = window.feedback.moments, window.player_view
    show(window, qtbot, 140)
    panel.list.itemClicked.emit(panel.list.item(0))
    qtbot.waitUntil(lambda: view.player.state() is PlayerState.PLAYING, timeout=10_000)
    assert view.loop_enabled and view.loop is not None
    assert view.loop.start_ms == m.start_ms
    view.player.pause()
    qtbot.waitUntil(lambda: view.shown_index() >= 0, timeout=10_000)
    assert m.start_frame <= barcode_on_screen(window) <= m.end_frame + 1


def test_the_export_dialog_names_the_consent_a_purpose_lacks(qtbot, tmp_path):
    reason = "the family's consent covers feedback, not training"
    dialog = ExportDialog({"feedback": None, "training": reason}, str(tmp_path), None)
    qtbot.addWidget(dialog)
    ok = dialog.box.button(dialog.box.StandardButton.Ok)
    assert dialog.chosen_purpose() == "feedback" and ok.isEnabled()
    dialog.purpose.setCurrentIndex(dialog.purpose.findData("training"))
    assert dialog.reason.text() == reason and not ok.isEnabled()


def test_f5_presents_the_reel_and_escape_returns(window, qtbot):
    window.coding.choose("vig")
    m = tag(window, qtbot, 40)
    window.feedback.moments.feedback.click()
    window.feedback.moments.caption.show_text("You waited")
    window.feedback.moments.caption.committed.emit("You waited")
    qtbot.keyClick(window, KEY.Key_F5)
    shown = window.feedback.presentation
    assert shown is not None
    qtbot.waitUntil(lambda: shown.prefetched(), timeout=10_000)
    assert shown.line_text() == "You waited"
    qtbot.waitUntil(lambda: not shown.canvas.image().isNull(), timeout=10_000)
    assert read_canvas(shown) == m.start_frame
    with qtbot.waitSignal(shown.closed, timeout=5_000):
        qtbot.keyClick(shown, KEY.Key_Escape)
    assert window.feedback.presentation is None


def read_canvas(shown) -> int:
    image = shown.canvas.image().convertToFormat(shown.canvas.image().Format.Format_RGB888)
    array = (
        np.frombuffer(image.constBits(), np.uint8)
        .reshape(image.height(), image.bytesPerLine())[:, : image.width() * 3]
        .reshape(image.height(), image.width(), 3)
        .copy()
    )
    return read_barcode(array)
