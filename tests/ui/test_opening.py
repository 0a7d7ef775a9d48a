"""The opening window (vfa/ui/opening.py): on screen first, saying VFA is opening; the main
window takes its place, or nothing is built when it was closed meanwhile."""

from __future__ import annotations

import threading

from PySide6.QtCore import QByteArray, QRect, Qt
from PySide6.QtGui import QScreen
from PySide6.QtWidgets import QLabel, QMainWindow

from vfa.ui.opening import OpeningWindow, Startup, preload_modules


def texts(window: QMainWindow) -> list[str]:
    return [label.text() for label in window.findChildren(QLabel) if label.isVisible()]


def test_it_says_vfa_is_opening_and_the_main_window_takes_its_place(qtbot):
    first = OpeningWindow()
    qtbot.addWidget(first)
    built: list[QMainWindow] = []

    def build(loaded: str | None) -> QMainWindow:
        assert loaded == "schemes"
        window = QMainWindow()
        qtbot.addWidget(window)
        built.append(window)
        return window

    startup = Startup(first, lambda: "schemes", build)
    first.setGeometry(40, 50, 900, 600)
    with qtbot.waitSignal(startup.ready, timeout=20_000) as ready:
        first.show()
        assert first.windowTitle() == "VFA" and "Opening…" in texts(first)
    assert built == [ready.args[0]] and startup.window is built[0]
    assert built[0].isVisible() and not first.isVisible()
    assert built[0].geometry().getRect() == (40, 50, 900, 600)
    built[0].close()


def test_a_maximised_opening_window_hands_over_maximised(qtbot):
    first = OpeningWindow()
    qtbot.addWidget(first)
    window = QMainWindow()
    qtbot.addWidget(window)
    first.showMaximized()
    qtbot.waitExposed(first)
    first.hand_over(window)
    assert window.isVisible() and not first.isVisible()
    assert window.windowState() & Qt.WindowState.WindowMaximized
    window.close()


def test_the_saved_geometry_places_it(qtbot):
    before = OpeningWindow()
    qtbot.addWidget(before)
    before.setGeometry(30, 40, 700, 500)
    saved = before.saveGeometry()
    again = OpeningWindow(saved)
    qtbot.addWidget(again)
    assert again.geometry().getRect() == (30, 40, 700, 500)
    first = OpeningWindow(QByteArray())
    qtbot.addWidget(first)
    room = first.screen().availableGeometry()
    assert first.size().toTuple() == (min(1200, room.width()), min(760, room.height() - 40))


def test_the_first_size_fits_a_small_screen_frame_and_all(qtbot, monkeypatch):
    """1200 × 760 where there is room; on a 1024 × 700 laptop screen the window and the
    title bar above it fit, so its right side and status bar are on the screen."""
    small = QRect(0, 0, 1024, 700)
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _screen: small)
    first = OpeningWindow(QByteArray())
    qtbot.addWidget(first)
    assert first.size().toTuple() == (1024, 660)
    large = QRect(0, 0, 1600, 1000)
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _screen: large)
    again = OpeningWindow(QByteArray())
    qtbot.addWidget(again)
    assert again.size().toTuple() == (1200, 760)


def test_closed_while_opening_builds_nothing(qtbot):
    first = OpeningWindow()
    qtbot.addWidget(first)
    built: list[int] = []
    closed = threading.Event()  # the loading goes on until the window is closed
    startup = Startup(first, lambda: closed.wait(20), lambda _: built.append(1) or QMainWindow())
    with qtbot.waitSignal(first.first_painted, timeout=10_000):
        first.show()
    first.close()
    with qtbot.waitSignal(startup.loaded, timeout=20_000):
        closed.set()
    assert built == [] and startup.window is None


def test_a_module_that_fails_to_import_is_left_for_its_own_import():
    preload_modules(["vfa_no_such_module", "json"])  # no exception: the GUI thread's says it


def test_a_failed_load_still_builds_the_window_which_meets_it_again(qtbot):
    first = OpeningWindow()
    qtbot.addWidget(first)
    given: list[object] = []

    def load() -> str:
        raise OSError("a scheme folder cannot be read")

    def build(loaded: object) -> QMainWindow:
        given.append(loaded)
        return QMainWindow()

    startup = Startup(first, load, build)
    first.show()
    with qtbot.waitSignal(startup.ready, timeout=20_000) as ready:
        pass
    assert given == [None]
    ready.args[0].close()


def test_before_load_runs_once_the_window_is_painted(qtbot):
    first = OpeningWindow()
    qtbot.addWidget(first)
    order: list[str] = []
    startup = Startup(
        first,
        lambda: order.append("load"),
        lambda _: order.append("build") or QMainWindow(),
        lambda: order.append("vlc"),
    )
    assert order == []
    first.show()
    with qtbot.waitSignal(startup.ready, timeout=20_000) as ready:
        pass
    assert order == ["vlc", "load", "build"]
    ready.args[0].close()


def test_a_window_that_cannot_be_built_is_said_in_place_of_opening(qtbot, capsys):
    first = OpeningWindow()
    qtbot.addWidget(first)

    def build(_loaded: object) -> QMainWindow:
        raise RuntimeError("the display has no OpenGL")

    startup = Startup(first, lambda: None, build)
    with qtbot.waitSignal(startup.loaded, timeout=20_000):
        first.show()
    qtbot.waitUntil(lambda: "could not open" in first.status.text())
    assert "the display has no OpenGL" in first.status.text()
    assert first.isVisible() and startup.window is None
    assert "RuntimeError" in capsys.readouterr().err  # the details, for a report
    first.close()
