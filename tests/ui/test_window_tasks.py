"""The window's background work (``FileActions._run``, which opening workspaces, adding,
relinking and checking clips go through): a failure is said under its topic, and the
topic's problem goes when the same work later succeeds."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFrame, QMainWindow, QProgressDialog

from vfa.errors import NotFoundError
from vfa.ui.messages import Level
from vfa.ui.tasks import run_task


def test_a_failure_is_said_under_its_topic_and_goes_when_the_work_succeeds(bare_window, qtbot):
    window = bare_window
    window.messages.error("about something else", "other")
    done: list[object] = []

    def fails(_ctx):
        raise NotFoundError("clips/visit.mp4: no such file")

    window._run("Working…", fails, done.append, "clips.check")
    qtbot.waitUntil(lambda: window.messages.level("clips.check") is not None, timeout=10_000)
    assert window.messages.level("clips.check") is Level.ERROR
    assert "clips/visit.mp4: no such file" in window.messages.text("clips.check")
    assert done == []

    window._run("Working…", lambda _ctx: 42, done.append, "clips.check")
    qtbot.waitUntil(lambda: done == [42], timeout=10_000)
    assert window.messages.level("clips.check") is None
    assert window.messages.level("other") is Level.ERROR  # another topic's problem stays


def test_work_done_before_its_dialog_shows_never_shows_it_later(qtbot):
    """A window holding a native child (libVLC draws into one) gives its dialogs a window
    of their own at once; the progress dialog of work that ended before its minimum
    duration must not come up afterwards over what the work's end asks."""
    window = QMainWindow()
    surface = QFrame()
    surface.setAttribute(Qt.WidgetAttribute.WA_NativeWindow)
    surface.setAttribute(Qt.WidgetAttribute.WA_DontCreateNativeAncestors)
    window.setCentralWidget(surface)
    qtbot.addWidget(window)
    window.show()
    seen: list[tuple[bool, bool]] = []

    def done(_result: object) -> None:
        # (what a question asked here, in its own event loop, would have over it)
        for dialog in window.findChildren(QProgressDialog):
            showing = any(timer.isActive() for timer in dialog.findChildren(QTimer))
            seen.append((dialog.isVisible(), showing))

    run_task(window, "Opening workspace…", lambda _ctx: None, done, lambda _text: None)
    qtbot.waitUntil(lambda: seen != [], timeout=10_000)
    assert seen == [(False, False)]
