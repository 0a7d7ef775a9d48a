"""Backups, restore and the workspace check in the window."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest
from PySide6.QtWidgets import QMessageBox

from vfa.app import build_window
from vfa.services import clips as clip_service
from vfa.storage import backups as store
from vfa.storage.workspace import open_workspace
from vfa.ui.backups_dialog import BackupsDialog, CheckDialog


@pytest.fixture
def window(qtbot):
    win = build_window("qt")
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()


def case_codes(path) -> list[str]:
    with closing(sqlite3.connect(path)) as raw:
        return [r[0] for r in raw.execute('SELECT code FROM "case" ORDER BY code')]


@pytest.fixture
def path(tmp_path, clips):
    path = tmp_path / "clinic.vfa"
    ws = open_workspace(path, create=True)
    clip_service.add_clip(ws, clips["noaudio"], "FAM-1", "Visit 1")
    ws.close()
    return path


def test_opening_a_workspace_backs_it_up_in_the_background(window, qtbot, path):
    window.open_workspace_at(str(path))
    qtbot.waitUntil(lambda: len(store.list_backups(path)) == 1, timeout=10_000)
    (backup,) = store.list_backups(path)
    assert backup.reason == "open" and case_codes(backup.path) == ["FAM-1"]


def test_restoring_from_the_backups_dialog(window, qtbot, path, clips, monkeypatch):
    window.open_workspace_at(str(path))
    qtbot.waitUntil(lambda: len(store.list_backups(path)) == 1, timeout=10_000)
    window.open_clip(1)
    window.coding.choose("kips")
    qtbot.keyClick(window.coding.table, "3")  # a run that the backup does not have
    assert window.coding.run is not None and window.undo_stack.canUndo()
    clip_service.add_clip(window.ws, clips["cfr25"], "FAM-2", "Visit 1")
    assert case_codes(path) == ["FAM-1", "FAM-2"]
    shown = []
    monkeypatch.setattr(BackupsDialog, "exec", lambda dialog: shown.append(dialog) or 0)
    window.actions_by_id["workspace.backups"].trigger()
    (dialog,) = shown
    assert dialog.list.topLevelItemCount() == 1
    dialog.list.setCurrentItem(dialog.list.topLevelItem(0))
    assert dialog.restore_button.isEnabled()
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes)
    )
    dialog.restore_chosen()
    qtbot.waitUntil(lambda: window.ws is not None and case_codes(path) == ["FAM-1"], timeout=15_000)
    # nothing of the state before is left in the window: no run, nothing to undo
    assert window.coding.run is None and not window.undo_stack.canUndo()
    reasons = sorted(b.reason for b in store.list_backups(path))
    assert "before-restore" in reasons  # the state before is kept
    before = next(b for b in store.list_backups(path) if b.reason == "before-restore")
    assert case_codes(before.path) == ["FAM-1", "FAM-2"]


def test_check_workspace_shows_what_is_wrong(window, qtbot, path, monkeypatch):
    from vfa.storage.models import Clip

    window.open_workspace_at(str(path))
    qtbot.waitUntil(lambda: window.ws is not None, timeout=10_000)
    with window.ws.writes.begin() as db:
        db.get_one(Clip, 1).path = str(path.parent / "gone.mp4")
    shown = []
    monkeypatch.setattr(CheckDialog, "exec", lambda dialog: shown.append(dialog) or 0)
    window.actions_by_id["workspace.check"].trigger()
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    (dialog,) = shown
    text = dialog.list.toPlainText()
    assert "clip 1" in text and "gone.mp4" in text and "Relink" in text
