"""Python's cycle collector, run on the GUI thread only.

Left to itself the collector runs in whichever thread happens to allocate when a
threshold is crossed: the live-changes watcher, a decode or a backup on the thread pool.
A cycle it then frees may hold a widget, whose C++ destructor would run on that thread,
beside the GUI thread using it: Qt allows neither, and the outcome is a crash or a hang
long after the object was let go. So the automatic collector is off, and the GUI thread
collects on a timer, each generation when its threshold is crossed, as the automatic
collector would (``due_generation``, with its guard against walking a large heap again
and again), so garbage is freed at the same pace. The same pattern is used by
pyqtgraph (``pyqtgraph.util.garbage_collector``)."""

from __future__ import annotations

import gc
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 1000


@dataclass
class LongLived:
    """What the automatic collector keeps to decide on a full collection, which Python
    does not show: how many objects survived the last one (``total``) and how many have
    reached the oldest generation since (``pending``)."""

    total: int = 0
    pending: int = 0


LONG_LIVED = LongLived()


def due_generation(counts: Sequence[int], thresholds: Sequence[int], long_lived: LongLived) -> int:
    """The generation the automatic collector would collect now, -1 for none: nothing
    before the youngest is over its threshold; then the oldest that is, except that a
    full collection waits until the objects come to stay since the last one are a quarter
    of those it kept (CPython's guard: a large heap is not walked again and again)."""
    if counts[0] <= thresholds[0]:
        return -1
    oldest = len(counts) - 1
    for generation in range(oldest, -1, -1):
        if counts[generation] <= thresholds[generation]:
            continue
        if generation == oldest and long_lived.pending < long_lived.total // 4:
            continue
        return generation
    return -1


def collect_due(long_lived: LongLived = LONG_LIVED) -> int:
    """Collect what the automatic collector would (on the calling thread, which must be
    the GUI thread); how many objects were found unreachable."""
    generation = due_generation(gc.get_count(), gc.get_threshold(), long_lived)
    if generation < 0:
        return 0
    oldest = len(gc.get_count()) - 1
    if generation == oldest:
        found = gc.collect(generation)
        long_lived.total, long_lived.pending = len(gc.get_objects(generation=oldest)), 0
        return found
    if generation < oldest - 1:
        return gc.collect(generation)
    young = sum(len(gc.get_objects(generation=g)) for g in range(oldest))
    found = gc.collect(generation)
    long_lived.pending += max(young - found, 0)  # the survivors, now in the oldest
    return found


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
