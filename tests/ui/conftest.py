"""Fixtures of the window-action tests: a workspace of one barcode clip made once, a window
on a copy of it with its clip open, and a check that a test leaves no window or dialog
open."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

THERAPIST = "Demo therapist"


@pytest.fixture(scope="session")
def barcode_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace laid out as the first demo was, made once per run: DEMO-001 / Visit 1
    with one 20 s clip (854x480, 25 fps, a tone) whose every frame carries its index as a
    barcode (the demo's own scenes carry none), two VIG moments, the first in the reel,
    and consent for feedback. Its clip stays where it was generated and every copy of the
    workspace refers to it."""
    from vfa.media.synth import make_clip
    from vfa.services.clips import add_clip
    from vfa.services.consent import set_consent
    from vfa.services.moments import add_moment
    from vfa.storage.workspace import open_workspace

    folder = tmp_path_factory.mktemp("demo")
    path = folder / "demo.vfa"
    clip = make_clip(
        folder / "demo-media" / "demo-play.mp4",
        seconds=20,
        width=854,
        height=480,
        rate=25,
        gop=50,
        preset="ultrafast",
    )
    ws = open_workspace(path, create=True, name=None)
    clip_id = add_clip(ws, clip, "DEMO-001", "Visit 1", context="play", cycle=1).clip_id
    add_moment(
        ws,
        clip_id,
        ["vig:returning_eye_contact"],
        2_000,
        8_000,
        caption="You smiled back, and she kept looking at you",
        child_line="I like it when you smile at me",
        feedback=True,
        coder=THERAPIST,
    )
    add_moment(ws, clip_id, ["vig:waiting"], 11_000, 16_000, key_ms=13_000, coder=THERAPIST)
    set_consent(ws, clip_id, ["feedback"], by=THERAPIST)
    ws.close()
    return path


@pytest.fixture
def barcode_copy(barcode_template: Path, tmp_path: Path) -> Path:
    """A copy of the barcode workspace of this test's own."""
    path = tmp_path / "demo.vfa"
    shutil.copyfile(barcode_template, path)
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
def window(bare_window, barcode_copy, qtbot):
    """The window on a copy of the barcode workspace, its clip paused on frame 0, with the
    backup made on opening finished (so no background write races the test)."""
    from vfa.services.backups import backups_of
    from vfa.storage.workspace import open_workspace

    win = bare_window
    ws = open_workspace(barcode_copy)
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
