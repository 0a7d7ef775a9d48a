"""The coding panel and event coding, driven from the keyboard as a coder works."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from vfa.app import build_window
from vfa.services import clips as clip_service
from vfa.services import coding, events
from vfa.storage.models import RunStatus
from vfa.storage.workspace import open_workspace

KEY = Qt.Key


@pytest.fixture
def window(qtbot, tmp_path, clips):
    win = build_window("qt")
    qtbot.addWidget(win)
    win.resize(1300, 850)
    win.show()
    ws = open_workspace(tmp_path / "coding.vfa", create=True)
    clip_id = clip_service.add_clip(ws, clips["cfr25"], "FAM-1", "Visit 1").clip_id
    win.set_workspace(ws)
    with qtbot.waitSignal(win.player_view.frame_shown, timeout=10_000):
        win.open_clip(clip_id)
    yield win
    win.close()


def stored(win):
    run = win.coding.run
    return {k: s.value for k, s in coding.ratings(win.ws, run.id).items()} if run else {}


def runs_of(win):
    """Every coding run stored in the window's workspace."""
    from sqlalchemy import select

    from vfa.storage.models import CodingRun

    with win.ws.sessions() as db:
        return db.scalars(select(CodingRun)).all()


def test_kips_is_rated_entirely_from_the_keyboard(window, qtbot):
    panel = window.coding
    panel.choose("kips")
    items = [i.id for i in panel.scheme.ratings.items]
    table = panel.table
    table.setFocus()
    for key in [KEY.Key_4, KEY.Key_3, KEY.Key_N, KEY.Key_5]:
        qtbot.keyClick(table, key)
    assert stored(window) == {items[0]: 4, items[1]: 3, items[2]: "NOB", items[3]: 5}
    # (4 + 3 + 5) / 3 = 4.00: NOB does not count; 4.0 is the floor of "high"
    assert panel.total.text().startswith("Total 4.00 · high")
    assert "8 unrated" in panel.total.text()
    # unrated rows are highlighted, rated ones are not
    assert table.item(5, 0).background().color().name() == "#fff4ce"
    assert table.item(0, 0).background().style() == Qt.BrushStyle.NoBrush
    # a digit outside 1–5 changes nothing and says why; Delete clears the current row
    table.setCurrentCell(0, 1)
    qtbot.keyClick(table, KEY.Key_9)
    assert stored(window)[items[0]] == 4
    assert "9 is not a rating" in panel.message.text() and table.currentRow() == 0
    qtbot.keyClick(table, KEY.Key_Delete)
    assert items[0] not in stored(window)


def test_undo_and_redo_of_ratings(window, qtbot):
    panel = window.coding
    panel.choose("kips")
    item = panel.scheme.ratings.items[0].id
    panel.table.setFocus()
    qtbot.keyClick(panel.table, KEY.Key_2)
    panel.table.setCurrentCell(0, 1)
    qtbot.keyClick(panel.table, KEY.Key_5)
    assert stored(window)[item] == 5
    window.undo_stack.undo()
    assert stored(window)[item] == 2
    window.undo_stack.undo()
    assert item not in stored(window)
    window.undo_stack.redo()
    window.undo_stack.redo()
    assert stored(window)[item] == 5
    assert panel.table.item(0, 1).text() == "5"


def test_a_care_grid_row_that_does_not_add_up_is_refused_inline(window, qtbot):
    panel = window.coding
    panel.choose("care_index_infant")
    adult = panel.grid_tables[0]
    grid = adult.grid
    adult.setFocus()
    adult.setCurrentCell(0, 0)
    qtbot.keyClick(adult, KEY.Key_1)  # 1 of 2: the row waits, and the cursor moves across
    qtbot.keyClick(adult, KEY.Key_2)  # 3 points where each aspect gives 2
    assert "add up" in panel.message.text()
    assert stored(window) == {} and runs_of(window) == []  # a refused edit begins nothing
    assert adult.item(0, 0).background().color().name() == "#fde2e1"
    assert adult.currentColumn() == 1
    qtbot.keyClick(adult, KEY.Key_1)  # 1 + 1 + blank = 2
    assert panel.message.text() == ""
    points = coding.grid_points(coding.ratings(window.ws, panel.run.id))
    first, second, third = (s.id for s in adult.member.scales)
    assert points[grid.id][grid.rows[0].id][adult.member.id] == {first: 1, second: 1, third: 0}
    window.undo_stack.undo()
    assert coding.grid_points(coding.ratings(window.ws, panel.run.id)) == {}


def test_hotkeys_code_events_on_the_frame_shown_and_draw_them(window, qtbot):
    panel = window.coding
    panel.choose("vig")
    view = window.player_view
    code = next(c for c in panel.scheme.ethogram.codes if c.hotkey == "W")
    view.show_frame(40)
    qtbot.waitUntil(lambda: view.shown_index() == 40, timeout=10_000)
    qtbot.keyClick(window, KEY.Key_W)
    found = events.run_events(window.ws, panel.run.id)
    # a moment tag: a span from `before_ms` before frame 40 (1600 ms) to `after_ms` after
    start = max(0, 1600 - panel.scheme.moments.before_ms) // 40 * 40
    assert [(e.code, e.start_ms) for e in found] == [(code.id, start)]
    lane = found[0].subject
    drawn = view.timeline._lane_events[lane]
    assert list(drawn.starts) == [start] and drawn.codes == [code.id]
    window.undo_stack.undo()
    assert events.run_events(window.ws, panel.run.id) == []
    assert view.timeline.event_count(lane) == 0
    window.undo_stack.redo()
    assert [e.start_ms for e in events.run_events(window.ws, panel.run.id)] == [start]
    # Ctrl+Backspace deletes the event under the playhead, undoably
    qtbot.keyClick(window, KEY.Key_Backspace, Qt.KeyboardModifier.ControlModifier)
    assert events.run_events(window.ws, panel.run.id) == []
    window.undo_stack.undo()
    assert len(events.run_events(window.ws, panel.run.id)) == 1


def test_a_hotkey_without_a_scheme_explains(window, qtbot):
    window.events.code("anything")
    assert "Choose a scheme" in window.messages.label.text()


def test_a_submitted_run_is_locked_and_reopened_with_a_reason(window, qtbot, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    panel = window.coding
    panel.choose("kips")
    panel.table.setFocus()
    qtbot.keyClick(panel.table, KEY.Key_3)
    qtbot.mouseClick(panel.submit, Qt.MouseButton.LeftButton)
    assert coding.run_info(window.ws, panel.run.id).status is RunStatus.SUBMITTED
    assert not panel.table.isEnabled() and panel.reopen_button.isVisible()
    assert not window.undo_stack.canUndo()
    before = stored(window)
    panel.rate(panel.scheme.ratings.items[1].id, 4)
    assert "locked" in panel.message.text()
    assert stored(window) == before and not window.undo_stack.canUndo()
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("checked item 2", True))
    qtbot.mouseClick(panel.reopen_button, Qt.MouseButton.LeftButton)
    assert coding.run_info(window.ws, panel.run.id).status is RunStatus.IN_PROGRESS
    assert panel.table.isEnabled()


def test_ethogram_hotkeys_never_take_the_players_keys(window):
    from vfa.services.schemes import available_schemes

    player_keys = {a.shortcut().toString() for a in window.actions_by_id.values()}
    for scheme in available_schemes():
        for code in scheme.ethogram.codes if scheme.ethogram else ():
            assert QKeySequence(code.hotkey).toString() not in player_keys, (scheme.id, code.id)


def test_dragging_a_span_edge_snaps_it_to_a_frame_and_undoes(window, qtbot):
    from PySide6.QtCore import QPoint

    from vfa.ui.timeline import FILM_H, LANE_H, RULER_H, WAVE_H

    panel = window.coding
    panel.choose("vig")
    view = window.player_view
    assert window.session.begin_run()
    ws, run = window.ws, panel.run
    code = panel.scheme.ethogram.codes[0]
    made = events.code_event(ws, run.id, panel.scheme, code.id, None, 1_000, view.info.frame_table)
    events.move_event(ws, run.id, made.event.id, 1_000, 3_000, view.info.frame_table)
    window.events.refresh()
    timeline = view.timeline
    lane_row = [lane.key for lane in timeline.lanes].index(made.event.subject)
    y = RULER_H + FILM_H + WAVE_H + lane_row * LANE_H + LANE_H // 2
    grab = QPoint(round(timeline.x_of(3_000)), y)
    drop = QPoint(round(timeline.x_of(4_210)), y)
    assert timeline.edge_at(grab.x(), grab.y())[:2] == (made.event.id, "end")
    qtbot.mousePress(timeline, Qt.MouseButton.LeftButton, pos=grab)
    qtbot.mouseMove(timeline, drop)
    qtbot.mouseRelease(timeline, Qt.MouseButton.LeftButton, pos=drop)
    moved = events.get_event(ws, run.id, made.event.id)
    expected_frame = timeline.ms_at(drop.x()) // 40  # 25 fps: the frame shown then
    assert (moved.start_ms, moved.end_frame, moved.end_ms) == (
        1_000,
        expected_frame,
        expected_frame * 40,
    )
    window.undo_stack.undo()
    assert events.get_event(ws, run.id, made.event.id).end_ms == 3_000


def test_notes_and_evidence_links_on_an_item_undo(window, qtbot):
    panel = window.coding
    panel.choose("kips")
    item = panel.scheme.ratings.items[0].id
    panel.table.setFocus()
    qtbot.keyClick(panel.table, KEY.Key_4)
    panel.table.setCurrentCell(0, 1)
    qtbot.keyClick(panel.table, KEY.Key_F2)  # the current item's note, in the details
    assert panel.details.note.hasFocus()
    qtbot.keyClicks(panel.details.note, "waited for the turn")
    qtbot.keyClick(panel.details.note, KEY.Key_Return)  # kept, and back to the list
    assert panel.table.hasFocus()
    state = coding.rating_state(window.ws, panel.run.id, item)
    assert (state.value, state.note) == (4, "waited for the turn")
    event_id = 4242  # a moment's id (KIPS itself has no ethogram)
    panel.table.setCurrentCell(0, 1)
    panel.link_evidence(event_id)
    assert coding.rating_state(window.ws, panel.run.id, item).evidence == (event_id,)
    assert panel.details.evidence.text() == "1 linked"
    window.undo_stack.undo()
    assert coding.rating_state(window.ws, panel.run.id, item).evidence == ()
    window.undo_stack.undo()
    assert coding.rating_state(window.ws, panel.run.id, item).note is None
    assert coding.rating_state(window.ws, panel.run.id, item).value == 4


def test_link_the_moment_at_the_playhead(window, qtbot):
    panel = window.coding
    panel.choose("vipp_sd")
    view = window.player_view
    code = next(c for c in panel.scheme.ethogram.codes if c.hotkey)
    view.show_frame(30)
    qtbot.waitUntil(lambda: view.shown_index() == 30, timeout=10_000)
    window.events.code(code.id)
    event = events.run_events(window.ws, panel.run.id)[0]
    if panel.scheme.ratings is None:
        window.link_evidence()  # no rating item to link to: says so
        assert "Select the item" in panel.message.text()
    else:
        panel.table.setCurrentCell(0, 1)
        window.link_evidence()
        item = panel.table.current_item_id()
        assert coding.rating_state(window.ws, panel.run.id, item).evidence == (event.id,)


def test_a_hotkey_with_no_clip_open_says_so(qtbot):
    win = build_window("qt")
    qtbot.addWidget(win)
    win.show()
    win.events.code("anything")
    assert "Open a clip" in win.messages.label.text()


def choose_by_keyboard(panel, qtbot, scheme_id):
    """Choose a scheme as a person does with the keyboard: focus the chooser, type."""
    panel.chooser.setFocus()
    index = next(
        i
        for i in range(panel.chooser.count())
        if panel.chooser.itemData(i) is not None and panel.chooser.itemData(i).id == scheme_id
    )
    panel.chooser.setCurrentIndex(index - 1)
    qtbot.keyClick(panel.chooser, KEY.Key_Down)
    assert panel.scheme is not None and panel.scheme.id == scheme_id


def test_choosing_a_scheme_to_look_begins_no_run(window, qtbot):
    panel = window.coding
    for scheme_id in ("kips", "vig", "care_index_infant", "vipp_sd"):
        choose_by_keyboard(panel, qtbot, scheme_id)
        assert panel.run is None
        assert "Not started" in panel.status.text() and not panel.submit.isEnabled()
    assert runs_of(window) == []


def test_after_choosing_a_scheme_the_first_digit_rates_and_begins_the_run(window, qtbot):
    panel = window.coding
    choose_by_keyboard(panel, qtbot, "kips")
    assert window.focusWidget() is panel.table
    qtbot.keyClick(window.focusWidget(), KEY.Key_3)
    first = panel.scheme.ratings.items[0].id
    assert stored(window) == {first: 3}
    (run,) = runs_of(window)
    assert run.status is RunStatus.IN_PROGRESS
    assert "In progress" in panel.status.text() and panel.submit.isEnabled()
    # choosing another scheme and back finds the same run
    choose_by_keyboard(panel, qtbot, "vig")
    choose_by_keyboard(panel, qtbot, "kips")
    assert panel.run is not None and panel.run.id == run.id and stored(window) == {first: 3}


def test_after_choosing_an_ethogram_the_first_key_codes_and_begins_the_run(window, qtbot):
    panel = window.coding
    choose_by_keyboard(panel, qtbot, "vig")
    assert window.focusWidget() is not panel.chooser
    qtbot.keyClick(window.focusWidget() or window, KEY.Key_W)
    (run,) = runs_of(window)
    assert run.status is RunStatus.IN_PROGRESS
    assert [e.code for e in events.run_events(window.ws, run.id)] == ["giving_time_and_space"]
    assert "In progress" in panel.status.text()
