"""What the window remembers across a close and a new start: where its panes were, the
clip last open in a workspace and the scheme last used on each clip; and what an empty
workspace, a window with no clip and a panel with no scheme say to do next."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QFileDialog

from vfa.app import build_window
from vfa.services import clips as clip_service
from vfa.storage.workspace import open_workspace
from vfa.ui.settings import Settings


@pytest.fixture
def two_clips(tmp_path, clips):
    """A workspace file with two clips of one family."""
    path = tmp_path / "remember.vfa"
    ws = open_workspace(path, create=True)
    first = clip_service.add_clip(ws, clips["cfr25"], "FAM-1", "Visit 1").clip_id
    second = clip_service.add_clip(ws, clips["ntsc"], "FAM-1", "Visit 2").clip_id
    ws.close()
    return path, first, second


def start(qtbot, path=None, wait_for_clip=True):
    """A new window, as the app makes it at start, showing the workspace at ``path``."""
    win = build_window("qt")
    qtbot.addWidget(win)
    win.resize(1100, 760)
    win.show()
    qtbot.waitExposed(win)
    if path is not None:
        if wait_for_clip:
            with qtbot.waitSignal(win.player_view.frame_shown, timeout=20_000):
                win.set_workspace(open_workspace(path))
        else:
            win.set_workspace(open_workspace(path))
    return win


def open_clip(win, qtbot, clip_id):
    with qtbot.waitSignal(win.player_view.frame_shown, timeout=20_000):
        win.open_clip(clip_id)


def test_the_panes_the_last_clip_and_each_clips_scheme_are_remembered(qtbot, two_clips):
    path, first, second = two_clips
    win = start(qtbot, path, wait_for_clip=False)
    assert win.current_clip is None  # nothing remembered yet: nothing opens by itself
    open_clip(win, qtbot, first)
    win.coding.choose("kips")
    open_clip(win, qtbot, second)
    win.coding.choose("care_index_infant")
    win.splitter.setSizes([150, 560, 380])
    panes = win.splitter.sizes()
    win.coding.form.setSizes([250, 250])
    form = win.coding.form.sizes()
    win.close()

    again = start(qtbot, path)  # the last clip opens, with its scheme
    assert again.current_clip == second
    assert again.coding.scheme.id == "care_index_infant"
    assert again.coding.chooser.currentData().id == "care_index_infant"
    assert [t.member.id for t in again.coding.grid_tables] == ["adult", "infant"]
    QApplication.processEvents()
    assert again.splitter.sizes() == panes
    assert again.coding.form.sizes() == form
    open_clip(again, qtbot, first)  # the other clip: the scheme used on it
    assert again.coding.scheme.id == "kips" and again.coding.table.rowCount() == 12
    again.close()

    third = start(qtbot, path)
    assert third.current_clip == first and third.coding.scheme.id == "kips"
    third.close()


def test_a_remembered_clip_that_is_gone_is_not_opened(qtbot, two_clips, clips):
    path, _first, second = two_clips
    win = start(qtbot, path, wait_for_clip=False)
    open_clip(win, qtbot, second)
    win.close()
    path.unlink()  # another workspace in its place, with one clip
    ws = open_workspace(path, create=True)
    clip_service.add_clip(ws, clips["cfr25"], "FAM-2", "Visit 1")
    ws.close()
    again = start(qtbot, path, wait_for_clip=False)
    assert again.current_clip is None and again.messages.text() == ""
    again.close()


def test_an_empty_workspace_says_to_add_clips(qtbot, tmp_path, monkeypatch):
    asked = []
    monkeypatch.setattr(
        QFileDialog, "getOpenFileNames", lambda *a, **k: asked.append(a) or ([], "")
    )
    path = tmp_path / "empty.vfa"
    open_workspace(path, create=True).close()
    win = start(qtbot, path, wait_for_clip=False)
    assert win.clips.currentWidget() is win.clips.empty and win.clips.add.isVisible()
    assert win.player_view.placeholder.isVisible()  # no clip: says where clips come from
    win.clips.add.click()
    assert len(asked) == 1  # the Add clips dialog
    win.close()


def test_the_coding_panel_says_what_to_do_next(qtbot, two_clips):
    path, first, _second = two_clips
    win = start(qtbot, path, wait_for_clip=False)
    panel = win.coding
    assert "Open a clip" in panel.status.text()
    open_clip(win, qtbot, first)
    assert not win.player_view.placeholder.isVisible()
    assert panel.form.empty.isVisible() and "Choose a scheme" in panel.form.empty.text()
    assert not panel.submit.isVisible()
    panel.choose("kips")
    assert not panel.form.empty.isVisible() and panel.table.isVisible()
    win.close()


def test_splitter_state_and_memory_live_in_the_settings_file(qtbot, two_clips):
    path, first, _second = two_clips
    win = start(qtbot, path, wait_for_clip=False)
    open_clip(win, qtbot, first)
    win.close()
    settings = Settings()
    assert not settings.get("window/panes").isEmpty()
    assert not settings.get("coding/panes").isEmpty()


def test_the_reliability_window_shows_the_scheme_it_showed_last_time(qtbot, two_clips):
    path, _first, _second = two_clips
    win = start(qtbot, path, wait_for_clip=False)
    win.show_reliability()
    rel = win.reliability
    first_offered = rel.scheme_id()
    last = rel.scheme.count() - 1
    rel.scheme.setCurrentIndex(last)  # not the one offered first
    chosen = rel.scheme_id()
    assert chosen != first_offered
    rel.close()
    win.close()
    again = start(qtbot, path, wait_for_clip=False)
    again.show_reliability()
    assert again.reliability.scheme_id() == chosen
    again.reliability.close()
    again.close()
