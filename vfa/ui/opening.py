"""The first window on screen: VFA's frame saying "Opening…" while the rest of VFA loads.

It imports nothing but Qt's core, gui and widgets modules, so it is on screen a few tenths
of a second after the process starts. Once shown it loads the heavy modules (the database
layer, numpy, PyAV, libVLC, the scheme files' validator …) on a thread, then lets the
composition root build the main window, which takes its place at the same geometry.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

from PySide6.QtCore import QByteArray, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QVBoxLayout, QWidget

# VFA_REPORT_FIRST_PAINT=FILE: at the first window's first paint, and when the main window
# has taken its place, append to FILE a JSON line with the event, the wall-clock time and
# the top-level modules loaded by then (bench_first_window, tests/test_installer.py)
REPORT_ENV = "VFA_REPORT_FIRST_PAINT"

T = TypeVar("T")

# what the main window needs that is not Qt, loaded off the GUI thread; the main window's
# own modules (Qt widgets) are imported on the GUI thread, where they belong
BACKGROUND_MODULES = (
    "sqlalchemy.orm",
    "numpy",
    "av",
    "yaml",
    "jsonschema",
    "vfa.services.clips",
    "vfa.services.workspaces",
    "vfa.services.schemes",
    "vfa.services.coding",
    "vfa.services.moments",
    "vfa.services.stills",
)


def preload_modules(names: Iterable[str]) -> None:
    """Import ``names``; one that fails is left for its real import to report."""
    for name in names:
        try:
            importlib.import_module(name)
        except Exception:  # the GUI thread's own import of it raises in place
            continue


# the window's size the first time, where the screen has room for it
FIRST_SIZE = (1200, 760)
# what a window manager adds above and around a window (its title bar, its borders)
FRAME_ROOM = 40


def first_size(window: QWidget) -> tuple[int, int]:
    """The window's size the first time: ``FIRST_SIZE``, but never larger than its
    screen's free room, its frame included (a 1024 × 700 laptop screen showed the
    window's right side and its status bar off the screen)."""
    room = window.screen().availableGeometry()
    width, height = FIRST_SIZE
    return min(width, room.width()), min(height, room.height() - FRAME_ROOM)


class OpeningWindow(QMainWindow):
    """The window as it first appears: VFA's title and a line saying it is opening."""

    first_painted = Signal()

    def __init__(self, geometry: QByteArray | None = None) -> None:
        super().__init__()
        self.setObjectName("openingWindow")
        self.setWindowTitle(self.tr("VFA"))
        self.resize(*first_size(self))
        if geometry is not None and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        title = QLabel(self.tr("Video Feedback Annotator"))
        title.setObjectName("openingTitle")
        title.setStyleSheet("font-size: 22pt; font-weight: 600")
        self.status = QLabel(self.tr("Opening…"))
        self.status.setObjectName("openingStatus")
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        layout.addWidget(title, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.status, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        self.setCentralWidget(page)
        self._painted = False

    def paintEvent(self, event: QPaintEvent) -> None:
        """The first paint: the window is on screen (said to $VFA_REPORT_FIRST_PAINT)."""
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            report("first paint")
            QTimer.singleShot(0, self, self.first_painted.emit)  # once this paint is out

    def failed(self, reason: str) -> None:
        """VFA could not open: the window says so and why, in place of "Opening…"."""
        self.status.setText(self.tr("VFA could not open: {0}").format(reason))
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    def hand_over(self, window: QMainWindow) -> None:
        """Show ``window`` where this one is and as large, then close this one."""
        if self.isMaximized() or self.isFullScreen():
            window.setWindowState(self.windowState())
        else:
            window.setGeometry(self.geometry())
        window.show()
        self.close()


def report(event: str) -> None:
    """Append ``event``, this moment and the loaded top-level modules to
    $VFA_REPORT_FIRST_PAINT (when it is set)."""
    path = os.environ.get(REPORT_ENV)
    if not path:
        return
    modules = sorted({name.split(".")[0] for name in list(sys.modules)})
    line = {"event": event, "time": time.time(), "pid": os.getpid(), "modules": modules}
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(line) + "\n")


class Startup(QObject, Generic[T]):
    """From the opening window to the main window: once the opening window is painted,
    ``before_load()`` (libVLC's own thread), then ``load()`` on a thread (the heavy modules,
    the scheme files), then ``build(what load returned)`` on the GUI thread, whose window
    takes the opening window's place. Nothing is built when the opening window was closed
    meanwhile."""

    ready = Signal(object)  # the main window, shown
    loaded = Signal()  # load() is done (emitted on the loading thread)

    def __init__(
        self,
        opening: OpeningWindow,
        load: Callable[[], T],
        build: Callable[[T | None], QMainWindow],
        before_load: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(opening)
        self.opening = opening
        self.window: QMainWindow | None = None
        self._load_work = load
        self._build = build
        self._before_load = before_load
        self._result: T | None = None
        self.loaded.connect(self._finish, Qt.ConnectionType.QueuedConnection)
        opening.first_painted.connect(self._begin)

    def _begin(self) -> None:
        if self._before_load is not None:
            self._before_load()
        threading.Thread(target=self._load, name="vfa-load", daemon=True).start()

    def _load(self) -> None:
        try:
            self._result = self._load_work()
        except Exception:  # build() meets it again on the GUI thread, where it is shown
            self._result = None
        self.loaded.emit()

    def _finish(self) -> None:
        if self.window is not None or not self.opening.isVisible():
            return
        try:
            window = self._build(self._result)
        except Exception as exc:  # never "Opening…" for ever: say why, and the details
            self.opening.failed(str(exc) or type(exc).__name__)
            traceback.print_exc()
            return
        self.window = window
        self.opening.hand_over(window)
        report("main window")
        self.ready.emit(self.window)
