"""The one undo history of the window, as a coder meets it: Edit → Undo names the act,
and choosing another scheme or clip keeps what can be undone."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from vfa.app import build_window
from vfa.services import clips as clip_service
from vfa.services import coding, events, moments
from vfa.storage.workspace import open_workspace

KEY = Qt.Key


@pytest.fixture
def window(qtbot, tmp_path, clips):
    win = build_window("qt")
    qtbot.addWidget(win)
    win.resize(1300, 850)
    win.show()
    ws = open_workspace(tmp_path / "history.vfa", create=True)
    first = clip_service.add_clip(ws, clips["cfr25"], "FAM-1", "Visit 1").clip_id
    second = clip_service.add_clip(ws, clips["ntsc"], "FAM-1", "Visit 2").clip_id
    win.set_workspace(ws)
    with qtbot.waitSignal(win.player_view.frame_shown, timeout=10_000):
        win.open_clip(first)
    win.clip_ids = (first, second)
    yield win
    win.close()


def show(win, qtbot, frame):
    win.player_view.show_frame(frame)
    qtbot.waitUntil(lambda: win.player_view.shown_index() == frame, timeout=10_000)


def menu_text(win, key):
    return win.actions_by_id[key].text().replace("&", "")


def test_edit_undo_names_the_act(window, qtbot):
    window.coding.choose("vig")
    code = next(c for c in window.coding.scheme.ethogram.codes if c.hotkey == "W")
    show(window, qtbot, 40)
    qtbot.keyClick(window, KEY.Key_W)
    assert menu_text(window, "edit.undo") == f'Undo coding of "{code.name}"'
    (event,) = events.run_events(window.ws, window.coding.run.id)
    window.events.move_edge(event.id, event.start_ms + 200, event.end_ms)
    assert menu_text(window, "edit.undo") == f'Undo trim of "{code.name}"'
    window.undo_stack.undo()
    assert menu_text(window, "edit.redo") == f'Redo trim of "{code.name}"'
    assert events.run_events(window.ws, window.coding.run.id) == [event]


def test_choosing_another_scheme_keeps_the_moment_history(window, qtbot):
    window.coding.choose("vig")
    show(window, qtbot, 40)
    qtbot.keyClick(window, KEY.Key_W)
    panel = window.feedback.moments
    window.side.setCurrentWidget(panel)
    (m,) = panel.moments()
    panel.caption.setPlainText("You waited")
    panel.caption.commit()
    window.side.setCurrentWidget(window.coding)
    window.coding.choose("kips")  # (a moment of another scheme chosen: the same)
    assert window.undo_stack.canUndo()
    window.undo_stack.undo()
    assert moments.get_moment(window.ws, m.id).caption is None
    window.side.setCurrentWidget(panel)
    assert panel.caption.toPlainText() == ""  # the same clip: redrawn when shown


def test_an_undo_of_a_rating_after_opening_another_clip(window, qtbot):
    first, second = window.clip_ids
    window.coding.choose("kips")
    item = window.coding.scheme.ratings.items[0]
    window.coding.rate(item.id, 4)
    run_a = window.coding.run.id
    with qtbot.waitSignal(window.player_view.frame_shown, timeout=10_000):
        window.open_clip(second)
    window.coding.rate(item.id, 2)  # run B, on the second clip
    run_b = window.coding.run.id
    window.undo_stack.undo()  # B's rating
    window.undo_stack.undo()  # A's rating: nothing is opened for it
    assert window.current_clip == second and window.coding.run.id == run_b
    assert coding.ratings(window.ws, run_a) == {}
    assert coding.ratings(window.ws, run_b) == {}
    name = clip_service.clip_info(window.ws, first).name
    assert f'Undid rating of "{item.name}"' in window.statusBar().currentMessage()
    assert name in window.statusBar().currentMessage()
