"""The window's background work (``FileActions._run``, which opening workspaces, adding,
relinking and checking clips go through): a failure is said under its topic, and the
topic's problem goes when the same work later succeeds."""

from __future__ import annotations

from vfa.errors import NotFoundError
from vfa.ui.messages import Level


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
