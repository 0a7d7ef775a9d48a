"""The Reel tab as a therapist preparing a visit meets it: the session's moments for
feedback are on screen in reel order, follow the clip that is open, can be ordered with
Earlier/Later (stored), and are current whenever the tab is shown."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from vfa.app import build_window
from vfa.services import clips as clip_service
from vfa.services import moments
from vfa.storage.workspace import open_workspace


@pytest.fixture
def visits(tmp_path, clips):
    """Two visits of one family, each with a clip; three reel moments in the first
    (flagged in an order unlike their time order), one in the second."""
    ws = open_workspace(tmp_path / "reel.vfa", create=True)
    first = clip_service.add_clip(ws, clips["cfr25"], "FAM-1", "Visit 1")
    second = clip_service.add_clip(ws, clips["ntsc"], "FAM-1", "Visit 2")
    made = {}
    for name, start in (("late", 4_000), ("early", 200), ("middle", 2_000)):
        made[name] = moments.add_moment(
            ws, first.clip_id, ["vig:waiting"], start, start + 800,
            caption=f"The {name} moment", feedback=True, coder="T",
        ).id  # fmt: skip
    made["other"] = moments.add_moment(
        ws, second.clip_id, ["vig:waiting"], 500, 1_500,
        caption="A moment of the second visit", feedback=True, coder="T",
    ).id  # fmt: skip
    yield ws, first, second, made
    ws.close()


@pytest.fixture
def window(qtbot):
    win = build_window("qt")
    qtbot.addWidget(win)
    win.resize(1300, 850)
    win.show()
    yield win
    win.close()


def on_screen(reel) -> list[str]:
    """The rows the list view shows, read where a person would see them: each row's
    place in the viewport, top to bottom, and the item found there."""
    view = reel.list
    shown = []
    for row in range(view.count()):
        rect = view.visualItemRect(view.item(row))
        if rect.isEmpty() or not view.viewport().rect().intersects(rect):
            continue
        hit = view.itemAt(rect.center())
        if hit is not None:
            shown.append((rect.top(), hit.text()))
    return [text for _top, text in sorted(shown)]


def open_reel(win, qtbot, ws, clip_id, tab_first=False):
    """Open the workspace and the clip, with the Reel tab chosen before (as left open
    from earlier work) or after."""
    win.set_workspace(ws)
    if tab_first:
        win.side.setCurrentWidget(win.feedback.reel)
        qtbot.waitExposed(win.feedback.reel.list)
    win.open_clip(clip_id)
    win.side.setCurrentWidget(win.feedback.reel)
    qtbot.waitExposed(win.feedback.reel.list)


@pytest.mark.parametrize("tab_first", [True, False], ids=["tab-open", "tab-chosen-after"])
def test_three_moments_for_feedback_show_in_reel_order(window, qtbot, visits, tab_first):
    ws, first, _second, _made = visits
    open_reel(window, qtbot, ws, first.clip_id, tab_first)
    rows = on_screen(window.feedback.reel)
    assert len(rows) == 3
    # reel order is the order they were flagged in, not their time order
    assert ["late" in rows[0], "early" in rows[1], "middle" in rows[2]] == [True] * 3
    assert rows[0].startswith("1.") and rows[2].startswith("3.")
    reel = window.feedback.reel
    # the first moment is chosen: it can go later, not earlier
    assert reel.list.currentRow() == 0
    assert reel.down.isEnabled() and not reel.up.isEnabled()


def test_switching_to_another_visit_with_the_tab_open_shows_its_reel(window, qtbot, visits):
    ws, first, second, _made = visits
    open_reel(window, qtbot, ws, second.clip_id)
    rows = on_screen(window.feedback.reel)
    assert len(rows) == 1 and "second visit" in rows[0]
    window.open_clip(first.clip_id)
    assert window.side.currentWidget() is window.feedback.reel
    rows = on_screen(window.feedback.reel)
    assert len(rows) == 3 and not any("second visit" in r for r in rows)
    assert "Visit 1" in window.feedback.reel.title.text()
    window.open_clip(second.clip_id)
    rows = on_screen(window.feedback.reel)
    assert len(rows) == 1 and "second visit" in rows[0]
    assert "Visit 2" in window.feedback.reel.title.text()


def test_earlier_and_later_move_the_chosen_moment_and_are_stored(window, qtbot, visits):
    ws, first, _second, made = visits
    open_reel(window, qtbot, ws, first.clip_id, tab_first=True)
    reel = window.feedback.reel
    # the therapist clicks the last row, then Earlier twice: it opens the reel
    rect = reel.list.visualItemRect(reel.list.item(2))
    qtbot.mouseClick(reel.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert reel.list.currentRow() == 2
    qtbot.mouseClick(reel.up, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(reel.up, Qt.MouseButton.LeftButton)
    stored = [m.id for m in moments.reel(ws, first.session_id)]
    assert stored == [made["middle"], made["late"], made["early"]]
    rows = on_screen(reel)
    assert "middle" in rows[0] and "late" in rows[1] and "early" in rows[2]
    assert reel.list.currentRow() == 0  # the moved moment stays chosen
    assert not reel.up.isEnabled() and reel.down.isEnabled()
    qtbot.mouseClick(reel.down, Qt.MouseButton.LeftButton)
    assert [m.id for m in moments.reel(ws, first.session_id)] == [
        made["late"],
        made["middle"],
        made["early"],
    ]
    assert "late" in on_screen(reel)[0] and reel.list.currentRow() == 1
    window.undo_stack.undo()
    assert "middle" in on_screen(reel)[0]


def test_the_tab_shown_after_being_hidden_is_current(window, qtbot, visits):
    ws, first, second, made = visits
    open_reel(window, qtbot, ws, first.clip_id)
    window.side.setCurrentWidget(window.coding)
    # meanwhile: another moment is flagged in the Moments tab, and another visit opened
    window.side.setCurrentWidget(window.feedback.moments)
    panel = window.feedback.moments
    window.side.setCurrentWidget(window.coding)
    window.open_clip(second.clip_id)
    window.open_clip(first.clip_id)
    window.side.setCurrentWidget(panel)
    row = next(n for n, m in enumerate(panel.moments()) if m.id == made["early"])
    panel.list.setCurrentRow(row)
    panel.feedback.click()  # out of the reel
    window.side.setCurrentWidget(window.feedback.reel)
    rows = on_screen(window.feedback.reel)
    assert len(rows) == 2 and not any("early" in r for r in rows)
    window.side.setCurrentWidget(panel)
    panel.feedback.click()  # back in, at the end
    window.side.setCurrentWidget(window.feedback.reel)
    rows = on_screen(window.feedback.reel)
    assert len(rows) == 3 and "early" in rows[2]


def test_the_moments_list_follows_the_clip_with_its_tab_open(window, qtbot, visits):
    ws, first, second, _made = visits
    window.set_workspace(ws)
    window.side.setCurrentWidget(window.feedback.moments)
    window.open_clip(second.clip_id)
    qtbot.waitExposed(window.feedback.moments.list)
    assert len(on_screen(window.feedback.moments)) == 1
    window.open_clip(first.clip_id)
    rows = on_screen(window.feedback.moments)
    assert len(rows) == 3 and not any("second visit" in r for r in rows)
