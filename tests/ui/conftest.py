"""Fixtures of the window-action tests: the demo workspace made once, a window on a copy
of it with its clip open, and a check that a test leaves no window or dialog open."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo workspace as ``vfa demo PATH`` makes it, generated once per run; its clip
    stays where it was generated and every copy of the workspace refers to it."""
    from vfa.services.workspaces import open_demo

    path = tmp_path_factory.mktemp("demo") / "demo.vfa"
    open_demo(path).close()
    return path


@pytest.fixture
def demo_copy(demo_template: Path, tmp_path: Path) -> Path:
    """A copy of the demo workspace of this test's own."""
    path = tmp_path / "demo.vfa"
    shutil.copyfile(demo_template, path)
    return path


@pytest.fixture
def bare_window(qtbot):
    """The main window on the Qt Multimedia backend, shown and active (the welcome page);
    every window and dialog a test leaves open fails it, after being closed."""
    from vfa.app import build_window

    before = {id(w) for w in QApplication.topLevelWidgets() if w.isVisible()}
    win = build_window("qt")
    qtbot.addWidget(win)
    win.resize(1300, 850)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win, timeout=5_000)
    yield win
    left = [
        w
        for w in QApplication.topLevelWidgets()
        if w.isVisible() and w is not win and id(w) not in before
    ]
    for widget in left:
        widget.close()
    win.close()
    assert [type(w).__name__ for w in left] == []


@pytest.fixture
def window(bare_window, demo_copy, qtbot):
    """The window on a copy of the demo workspace, its clip paused on frame 0, with the
    backup made on opening finished (so no background write races the test)."""
    from vfa.services.backups import backups_of
    from vfa.storage.workspace import open_workspace

    win = bare_window
    ws = open_workspace(demo_copy)
    with qtbot.waitSignal(win.player_view.frame_shown, timeout=20_000):
        win.set_workspace(ws)
        win.open_clip(1)
    qtbot.waitUntil(lambda: len(backups_of(ws)) == 1, timeout=20_000)
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win, timeout=5_000)
    return win


@pytest.fixture
def surface(qtbot, request):
    """Fires actions as a user does; a test fires every action it says it covers."""
    from tests.ui.test_actions_surface import Surface

    fired = Surface(qtbot)
    yield fired
    declared = set(getattr(request.node.function, "covers", ()))
    callspec = getattr(request.node, "callspec", None)
    if callspec is not None and "action_id" in callspec.params:
        declared = {callspec.params["action_id"]}  # one action per parameter set
    assert declared <= fired.fired, f"declared but not fired: {sorted(declared - fired.fired)}"
