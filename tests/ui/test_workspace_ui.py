"""New and damaged workspaces in the window."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QFileDialog

from tests.storage.test_workspace_safety import _digest, damaged_workspace
from vfa.app import build_window


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
    window.new_workspace()
    qtbot.waitUntil(lambda: window.ws is not None, timeout=10_000)
    assert window.ws.path == target.with_suffix(".vfa")
    assert window.ws.read_only is None
    assert target.with_suffix(".vfa").is_file()


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
    assert window.ws.read_only is not None
    qtbot.waitUntil(lambda: window.messages.isVisible(), timeout=10_000)
    text = window.messages.label.text()
    assert "read-only" in text and "damaged" in text
    assert _digest(path) == before
