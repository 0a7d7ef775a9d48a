"""Python's cycle collector, run on the GUI thread only.

Left to itself the collector runs in whichever thread happens to allocate when a
threshold is crossed: the live-changes watcher, a decode or a backup on the thread pool.
A cycle it then frees may hold a widget, whose C++ destructor would run on that thread,
beside the GUI thread using it: Qt allows neither, and the outcome is a crash or a hang
long after the object was let go. So the automatic collector is off, and the GUI thread
collects on a timer, each generation when its threshold is crossed (as the automatic
collector would), so garbage is freed at the same pace. The same pattern is used by
pyqtgraph (``pyqtgraph.util.garbage_collector``)."""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 1000


def collect_due() -> int:
    """Collect each generation whose threshold is crossed (on the calling thread, which
    must be the GUI thread); how many objects were freed."""
    due = -1  # the oldest generation whose count is over its threshold (and all younger)
    for generation, (count, threshold) in enumerate(
        zip(gc.get_count(), gc.get_threshold(), strict=False)
    ):
        if count <= threshold:
            break
        due = generation
    return gc.collect(due) if due >= 0 else 0


class GuiThreadCollector(QObject):
    """While it lives (a child of the application), the cycle collector runs only from
    the GUI thread's event loop; :meth:`stop` gives it back to Python."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer = QTimer(self, interval=interval_ms)
        self._timer.timeout.connect(collect_due)
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        if self._was_enabled:
            gc.enable()


def collect_on_gui_thread(app: QObject) -> GuiThreadCollector:
    """Install the collector for ``app`` (once; the one installed is returned)."""
    found = app.findChild(GuiThreadCollector)
    return found if found is not None else GuiThreadCollector(app)
