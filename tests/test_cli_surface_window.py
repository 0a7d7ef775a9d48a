"""``vfa`` with no subcommand, ``vfa gui`` and ``vfa demo --open``: the desktop app starts
and shows what the command named. The window runs its real event loop; a timer watches for
the first view and closes the window once it is there (no sleeps)."""

from __future__ import annotations

import sys
from collections.abc import Callable

import pytest

from tests.test_cli_surface import run, workspace_with_clip
from vfa.cli import main

WAIT_MS = 60_000


def open_window(
    qapp, monkeypatch, argv: list[str], ready: Callable[[object], bool]
) -> tuple[int, dict]:
    """Run ``vfa ARGV`` until ``ready(window)``; return its exit status and what it showed."""
    from PySide6.QtCore import QTimer

    from vfa.ui.main_window import MainWindow

    monkeypatch.setenv("VFA_PLAYER", "qt")  # no libVLC window offscreen
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # the app installs its own
    seen: dict = {}

    def windows() -> list[MainWindow]:
        return [w for w in qapp.topLevelWidgets() if isinstance(w, MainWindow)]

    def look() -> None:
        shown = [w for w in windows() if w.isVisible()]
        if shown and ready(shown[0]):
            window = shown[0]
            seen.update(
                title=window.windowTitle(),
                page=window.pages.currentWidget(),
                welcome=window.welcome,
                ws=window.ws,
                clip=window.current_clip,
                message=window.messages.text("workspace"),
                cases=[
                    window.browser.topLevelItem(i).text(0)
                    for i in range(window.browser.topLevelItemCount())
                ],
            )
            poll.stop()
            window.close()
            qapp.quit()

    def give_up() -> None:
        seen["timed_out"] = True
        qapp.quit()

    poll = QTimer()
    poll.setInterval(10)
    poll.timeout.connect(look)
    poll.start()
    watchdog = QTimer()
    watchdog.setSingleShot(True)
    watchdog.timeout.connect(give_up)
    watchdog.start(WAIT_MS)
    try:
        code = main(argv)
    finally:
        poll.stop()
        watchdog.stop()
        for window in windows():
            window.close()
            window.deleteLater()
    assert "timed_out" not in seen, f"vfa {' '.join(argv)}: the window never got ready"
    return code, seen


def on_welcome(window) -> bool:
    return window.pages.currentWidget() is window.welcome


def with_workspace(window) -> bool:
    return window.ws is not None


def test_bare_vfa_opens_the_window_on_the_welcome_view(qapp, monkeypatch, isolated_user):
    code, seen = open_window(qapp, monkeypatch, [], on_welcome)
    assert code == 0
    assert seen["title"] == "VFA" and seen["ws"] is None and seen["cases"] == []
    # a first start creates no workspace of its own
    assert not (isolated_user / "data" / "workspace.vfa").exists()


def test_bare_vfa_opens_the_users_own_workspace_when_there_is_one(
    capsys, qapp, monkeypatch, isolated_user, clips, tmp_path
):
    own = isolated_user / "data" / "workspace.vfa"
    workspace_with_clip(capsys, own, clips["noaudio"], tmp_path, case="FAM-3")
    code, seen = open_window(qapp, monkeypatch, [], with_workspace)
    assert code == 0
    assert seen["title"] == "VFA — workspace" and seen["cases"] == ["FAM-3"]
    assert seen["ws"].path == own


@pytest.mark.parametrize(
    "argv",
    [["gui", "--workspace", "{ws}"], ["--workspace", "{ws}", "gui"], ["--workspace", "{ws}"]],
    ids=["gui-after", "gui-before", "bare"],
)
def test_gui_opens_the_named_workspace(capsys, qapp, monkeypatch, clips, tmp_path, argv):
    ws = tmp_path / "team.vfa"
    workspace_with_clip(capsys, ws, clips["noaudio"], tmp_path, case="FAM-8")
    argv = [a.replace("{ws}", str(ws)) for a in argv]
    code, seen = open_window(qapp, monkeypatch, argv, with_workspace)
    assert code == 0
    assert seen["title"] == "VFA — team" and seen["cases"] == ["FAM-8"]
    assert seen["ws"].path == ws and seen["page"] is not seen["welcome"]


def test_demo_open_prepares_the_demo_and_shows_its_clip(capsys, qapp, monkeypatch, tmp_path):
    target = tmp_path / "show.vfa"
    code, seen = open_window(
        qapp,
        monkeypatch,
        ["demo", "--open", "--workspace", str(target)],
        lambda w: w.current_clip is not None,
    )
    assert code == 0
    # the window shows the same workspace and clip the batch command reports
    code, out, err = run(capsys, "clip", "list", "--workspace", str(target), "--json")
    assert code == 0, err
    assert seen["title"] == "VFA — show" and seen["cases"] == [r["case"] for r in out]
    assert seen["clip"] == out[0]["clip_id"]


@pytest.mark.parametrize(
    "argv",
    [
        ["--as", "Ben"],
        ["gui", "--as", "Ben"],
        ["--as", "Ben", "gui"],
        ["demo", "--open", "--as", "Ben"],
    ],
)
def test_as_is_refused_before_any_window_opens(capsys, qapp, argv):
    before = list(qapp.topLevelWidgets())
    code, _, err = run(capsys, *argv)
    assert code == 2 and err.startswith("vfa: --as is for the batch commands")
    assert list(qapp.topLevelWidgets()) == before


def test_a_missing_workspace_is_named_in_the_window_and_not_created(qapp, monkeypatch, tmp_path):
    missing = tmp_path / "nowhere" / "w.vfa"
    code, seen = open_window(
        qapp,
        monkeypatch,
        ["gui", "--workspace", str(missing)],
        lambda w: w.messages.level("workspace") is not None,
    )
    assert code == 0 and seen["ws"] is None and seen["title"] == "VFA"
    assert str(missing) in seen["message"]
    assert not missing.parent.exists()
