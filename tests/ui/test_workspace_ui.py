"""New and damaged workspaces in the window."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QFileDialog

from tests.storage.test_workspace_safety import _digest, damaged_workspace
from vfa.app import build_window
from vfa.services.viewer import login_name
from vfa.ui.settings import Settings


@pytest.fixture
def window(qtbot):
    win = build_window("qt")
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()


def test_new_creates_the_chosen_workspace(window, qtbot, tmp_path, monkeypatch):
    target = tmp_path / "clinic" / "team"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), ""))
    )
    asked = []
    window.people.ask = lambda parent, label, found, default: asked.append(
        (label, found.managed, default)
    )  # cancelled: the login name signs, and the next new workspace asks again
    window.new_workspace()
    qtbot.waitUntil(lambda: window.ws is not None, timeout=10_000)
    assert window.ws.path == target.with_suffix(".vfa")
    assert window.ws.read_only is None
    assert target.with_suffix(".vfa").is_file()
    assert asked == [("team", False, login_name())]
    assert window.windowTitle() == f"VFA — team — {login_name()}"


def test_a_new_workspace_asks_no_name_once_settings_has_one(window, qtbot, tmp_path, monkeypatch):
    Settings().set("coder/name", "Ann")
    window.people.ask = lambda *args: pytest.fail("asked who, though Settings names Ann")
    target = tmp_path / "mine.vfa"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), ""))
    )
    window.new_workspace()
    qtbot.waitUntil(lambda: window.ws is not None, timeout=10_000)
    assert window.windowTitle() == "VFA — mine — Ann"


def test_new_never_replaces_an_existing_file(window, qtbot, tmp_path, monkeypatch):
    target = tmp_path / "notes.vfa"
    target.write_text("a file that is not to be lost")
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), ""))
    )
    window.new_workspace()
    qtbot.waitUntil(lambda: window.messages.isVisible(), timeout=10_000)
    assert str(target) in window.messages.label.text()
    assert window.ws is None
    assert target.read_text() == "a file that is not to be lost"


def test_a_damaged_workspace_opens_read_only_and_says_so(window, qtbot, tmp_path):
    path = tmp_path / "damaged.vfa"
    damaged_workspace(path)
    before = _digest(path)
    window.open_workspace_at(str(path))
    qtbot.waitUntil(lambda: window.ws is not None, timeout=10_000)
    reason = window.ws.read_only
    assert reason is not None and "damaged" in reason
    qtbot.waitUntil(lambda: window.messages.isVisible(), timeout=10_000)
    text = window.messages.label.text()
    assert "read-only" in text and reason in text and str(path) in text
    assert _digest(path) == before


def test_a_change_of_coder_shows_that_coders_own_run_never_the_last_ones(
    window, qtbot, tmp_path, clips, monkeypatch
):
    from vfa.services import assignments
    from vfa.services import clips as clip_service
    from vfa.storage.workspace import open_workspace
    from vfa.ui.dialogs import SettingsDialog
    from vfa.ui.settings import Settings

    ws = open_workspace(tmp_path / "blind.vfa", create=True)
    clip_id = clip_service.add_clip(ws, clips["noaudio"], "FAM-1", "Visit 1").clip_id
    ann, ben = assignments.assign(ws, [clip_id], "kips", ["Ann", "Ben"])
    Settings().set("coder/name", "Ann")
    window.set_workspace(ws)
    window.open_clip(clip_id)
    window.coding.choose("kips")
    qtbot.keyClick(window.coding.table, "3")
    assert window.coding.run is not None and window.coding.run.id == ann.id

    def become_ben(dialog):
        dialog.coder.setText("Ben")
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(SettingsDialog, "exec", become_ben)
    window.edit_settings()
    assert window.coding.run is None or window.coding.run.id == ben.id
    assert not window.undo_stack.canUndo()  # Ann's rating is not Ben's to undo
