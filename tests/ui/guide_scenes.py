"""The user guide's screenshots (docs/guide/images), taken from the real app on the demo
workspace, on an X server: what a user of the guide sees on their screen.

Not collected by the main run (no ``test_`` prefix): ``test_guide.py`` starts Xvfb and
runs this file in a child pytest with ``QT_QPA_PLATFORM=xcb``, writing the pictures into
the folder ``VFA_GUIDE_SHOTS`` names. Each picture is what the X server holds for the
window (``QScreen.grabWindow``), taken once two grabs in a row agree (nothing is still
being drawn), after the work it shows has finished: never after a fixed time.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication, QImage
from PySide6.QtWidgets import QApplication, QWidget

from vfa.fonts import sans

# name -> the size it is taken at (the window's size: no window manager, no frame)
SHOTS: dict[str, tuple[int, int]] = {
    "welcome.png": (1000, 640),
    "workspace.png": (1200, 760),
    "moments.png": (1200, 760),
    "reel.png": (1200, 760),
    "coding.png": (1200, 760),
    "reliability.png": (960, 600),
    "quick-start.png": (860, 600),
    "shortcuts.png": (720, 600),
}
TIMEOUT = 60_000


def shoot(qtbot, widget: QWidget, name: str) -> QImage:
    """Grab the window as the X server shows it, once it is drawn, and save it."""
    width, height = SHOTS[name]
    assert (widget.width(), widget.height()) == (width, height), name
    screen = QGuiApplication.primaryScreen()
    grabs: list[QImage] = []

    def settled() -> bool:
        QApplication.processEvents()
        widget.repaint()
        grabs.append(screen.grabWindow(int(widget.winId())).toImage())
        return len(grabs) > 1 and grabs[-1] == grabs[-2]

    qtbot.waitUntil(settled, timeout=TIMEOUT)
    image = grabs[-1]
    assert (image.width(), image.height()) == (width, height), name
    target = Path(os.environ["VFA_GUIDE_SHOTS"]) / name
    assert image.save(str(target)), target
    return image


def show_at(qtbot, widget: QWidget, name: str) -> None:
    """Show a window at the size of its picture, at the top left of the screen, active."""
    widget.resize(*SHOTS[name])
    widget.move(0, 0)
    widget.show()
    qtbot.waitExposed(widget)
    widget.raise_()
    widget.activateWindow()


def same_look_everywhere(app: QApplication) -> None:
    """Qt's own style and the shipped DejaVu Sans at 9 points (what Debian shows), so the
    pictures do not depend on the desktop or the fonts of the machine taking them; a text
    cursor that does not blink, so a picture does not depend on the moment either."""
    for face in ("", "B", "I", "BI"):
        QFontDatabase.addApplicationFont(str(sans(face)))
    app.setStyle("Fusion")
    app.setFont(QFont("DejaVu Sans", 9))
    app.setCursorFlashTime(0)


@pytest.fixture
def window(qtbot, qapp):
    from vfa.app import build_window

    assert QGuiApplication.platformName() == "xcb"
    same_look_everywhere(qapp)
    win = build_window("qt")
    qtbot.addWidget(win)
    yield win
    for other in QApplication.topLevelWidgets():
        if other is not win and other.isVisible():
            other.close()
    win.close()


def quiet(qtbot, win) -> None:
    """Wait until the window's background work is done and its passing notes are gone."""
    view = win.player_view
    qtbot.waitUntil(lambda: not view.media_building() and not win.hasher.busy(), timeout=TIMEOUT)
    win.statusBar().clearMessage()


def test_the_guides_screenshots(window, qtbot):
    win = window
    show_at(qtbot, win, "welcome.png")
    assert win.pages.currentWidget() is win.welcome  # a first start: no workspace yet
    shoot(qtbot, win, "welcome.png")

    show_at(qtbot, win, "workspace.png")
    with qtbot.waitSignal(win.clip_opened, timeout=TIMEOUT):
        win.actions_by_id["workspace.demo"].trigger()  # File → Open the demo workspace
    qtbot.waitUntil(lambda: win.player_view.shown_index() == 0, timeout=TIMEOUT)
    quiet(qtbot, win)
    shoot(qtbot, win, "workspace.png")

    win.coding.choose("vig")
    win.side.setCurrentWidget(win.feedback.moments)
    moments = win.feedback.moments
    if moments.list.count():
        moments.list.setCurrentRow(0)
    quiet(qtbot, win)
    shoot(qtbot, win, "moments.png")

    win.side.setCurrentWidget(win.feedback.reel)
    shoot(qtbot, win, "reel.png")

    win.ctx.settings.set("coder/name", "Tess")  # (the status line names the coder)
    win.coding.choose("kips")
    win.side.setCurrentWidget(win.coding)
    qtbot.keyClicks(win.coding.table, "43N")  # three items rated from the keyboard
    qtbot.waitUntil(lambda: win.coding.table.currentRow() == 3, timeout=TIMEOUT)
    quiet(qtbot, win)
    shoot(qtbot, win, "coding.png")

    win.actions_by_id["reliability.open"].trigger()
    reliability = win.reliability
    show_at(qtbot, reliability, "reliability.png")
    reliability.scheme.setCurrentIndex(reliability.scheme.findData("kips"))
    reliability.tabs.setCurrentWidget(reliability.ratings)
    reliability.ratings.show_button.click()
    qtbot.waitUntil(
        lambda: reliability.ratings.result is not None or bool(reliability.message.text()),
        timeout=TIMEOUT,
    )
    shoot(qtbot, reliability, "reliability.png")
    reliability.close()

    guide = win.help.quick_start()  # Help → Quick start
    show_at(qtbot, guide, "quick-start.png")
    shoot(qtbot, guide, "quick-start.png")
    guide.close()

    win.coding.choose("vipp_sd")  # a scheme with event keys
    keys = win.help.shortcuts()  # Help → Keyboard shortcuts
    show_at(qtbot, keys, "shortcuts.png")
    qtbot.keyClicks(keys.filter, "VIPP")  # its keys: the section its name heads
    assert keys.shown_rows()
    shoot(qtbot, keys, "shortcuts.png")
    keys.close()
