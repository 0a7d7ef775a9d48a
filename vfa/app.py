"""Composition root: settings, player backend, main window."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, cast

from vfa.storage.locations import default_workspace_path

if TYPE_CHECKING:  # Qt is imported only when the GUI starts
    from vfa.services.schemes import SchemeLibrary
    from vfa.ui.main_window import MainWindow
    from vfa.ui.opening import Startup


def prepare_platform(backend: str) -> None:
    """Before QApplication: libVLC cannot embed into a Wayland surface, so use XWayland."""
    if (
        sys.platform.startswith("linux")
        and backend != "qt"
        and os.environ.get("WAYLAND_DISPLAY")
        and os.environ.get("DISPLAY")
        and not os.environ.get("QT_QPA_PLATFORM")
    ):
        os.environ["QT_QPA_PLATFORM"] = "xcb"


def build_window(backend: str | None = None, schemes: SchemeLibrary | None = None) -> MainWindow:
    """Create the main window with its player and the schemes of the scheme folders (read
    here once unless given; QApplication must exist). From then on the cycle collector
    runs on the GUI thread only (``ui/gui_gc.py``)."""
    from PySide6.QtCore import QCoreApplication

    from vfa.player.factory import create_player
    from vfa.services.schemes import SchemeLibrary
    from vfa.ui.gui_gc import collect_on_gui_thread
    from vfa.ui.main_window import AppContext, MainWindow
    from vfa.ui.settings import Settings

    app = QCoreApplication.instance()
    assert app is not None, "build_window needs the QApplication"
    collect_on_gui_thread(app)  # never a widget freed on a worker's thread
    settings = Settings()
    player, note = create_player(backend or settings.get("player/backend"))
    return MainWindow(AppContext(settings, player, note, schemes or SchemeLibrary()))


def load_before_window() -> SchemeLibrary:
    """Off the GUI thread, while the opening window shows: the modules the main window
    needs (the database layer, numpy, PyAV …) and the scheme folders, read once."""
    from vfa.ui.opening import BACKGROUND_MODULES, preload_modules

    preload_modules(BACKGROUND_MODULES)
    from vfa.services.schemes import SchemeLibrary

    return SchemeLibrary()


def initial_action(window: MainWindow, target: str | None, demo: bool) -> Callable[[], None]:
    """What to show first: the demo, a named workspace, the last one, or the welcome view."""
    if demo:
        return lambda: window.open_demo(target)
    if target:
        return lambda: window.open_workspace_at(target)
    last = window.ctx.settings.get("workspace/last")
    if last and ("://" in last or os.path.exists(last)):
        return lambda: window.open_workspace_at(last)
    if default_workspace_path().exists():
        return lambda: window.open_workspace_at(str(default_workspace_path()))
    return window.show_welcome


def install_error_hook(window: MainWindow) -> None:
    """A VfaError that escapes a slot is shown in the window, not lost on stderr."""
    from vfa.errors import VfaError

    previous = sys.excepthook

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        if isinstance(value, VfaError):
            window.show_error(str(value))
        else:
            previous(kind, value, tb)

    sys.excepthook = hook


def start_gui(target: str | None = None, *, demo: bool = False) -> Startup[SchemeLibrary]:
    """Create the application and show the opening window at once; the main window, built
    once the heavy modules have loaded, takes its place, and the first view follows."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from vfa.i18n import chosen_language, install_translators
    from vfa.ui.opening import OpeningWindow, Startup
    from vfa.ui.settings import Settings

    settings = Settings()
    backend = os.environ.get("VFA_PLAYER") or str(settings.get("player/backend"))
    prepare_platform(backend)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("VFA")
    app.setOrganizationName("VFA")
    install_translators(app, chosen_language(str(settings.get("app/language"))))
    opening = OpeningWindow(settings.get("window/geometry"))

    def build(schemes: SchemeLibrary | None) -> MainWindow:
        window = build_window(os.environ.get("VFA_PLAYER"), schemes)
        install_error_hook(window)
        return window

    def preload_vlc() -> None:
        from vfa.player.vlc_loader import preload

        preload()  # libVLC's plugins load on a thread of their own, beside the modules

    startup = Startup(opening, load_before_window, build, None if backend == "qt" else preload_vlc)
    startup.ready.connect(
        lambda window: QTimer.singleShot(0, window, initial_action(window, target, demo))
    )
    opening.show()
    return startup


def run_gui(target: str | None = None, *, demo: bool = False) -> int:
    """Start the desktop application; returns its exit status."""
    from PySide6.QtCore import QThreadPool
    from PySide6.QtWidgets import QApplication

    startup = start_gui(target, demo=demo)
    app = QApplication.instance()
    assert app is not None
    status = app.exec()
    # no worker may outlive the objects it reports to
    QThreadPool.globalInstance().waitForDone(10_000)
    window = cast("MainWindow | None", startup.window)  # None: closed while opening
    if window is not None:
        window.ctx.player.close()  # no frame may reach a canvas that is going away
        release = getattr(window.ctx.player, "release", None)
        if release is not None:
            release()
    return int(status)
