"""The cycle collector runs on the GUI thread only: garbage made unreachable while a
worker thread allocates is freed by the GUI thread's timer, never by the worker."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QObject

from vfa.ui.gui_gc import (
    GuiThreadCollector,
    LongLived,
    collect_due,
    collect_on_gui_thread,
    due_generation,
)


class Cycle:
    """An object in a reference cycle that says on which thread it was freed."""

    def __init__(self, freed_on: list[str]) -> None:
        self.me, self.freed_on = self, freed_on

    def __del__(self) -> None:
        self.freed_on.append(threading.current_thread().name)


@pytest.fixture
def eager_collector() -> Iterator[None]:
    """gc on as by default, with thresholds no test allocation reaches (the worker lowers
    them), and everything restored after."""
    was_enabled, thresholds = gc.isenabled(), gc.get_threshold()
    gc.collect(1)  # (not the whole heap: the suite's is large)
    gc.set_threshold(100_000, 100_000, 100_000)
    gc.enable()
    yield
    gc.set_threshold(*thresholds)
    if not was_enabled:
        gc.disable()


def allocate_on_a_worker() -> None:
    """Allocate on a thread of its own with thresholds so low that any allocation is due
    a collection (the main thread waits meanwhile, allocating nothing)."""

    def work() -> None:
        gc.set_threshold(1, 1, 1)
        for _ in range(200):
            [[i] for i in range(10)]  # (container allocations count for gc)

    worker = threading.Thread(target=work, name="worker")
    worker.start()
    worker.join()


def test_without_it_a_worker_frees_the_cycle(eager_collector):
    # (what the collector guards against: this fails if the worker never collects)
    freed_on: list[str] = []
    Cycle(freed_on)
    allocate_on_a_worker()
    assert freed_on == ["worker"]


def test_with_it_the_gui_thread_frees_the_cycle_and_the_worker_never_does(eager_collector, qtbot):
    owner = QObject()
    collector = GuiThreadCollector(owner, interval_ms=10)
    try:
        assert not gc.isenabled()
        freed_on: list[str] = []
        Cycle(freed_on)
        allocate_on_a_worker()
        assert freed_on == []  # over every threshold, yet not collected on the worker
        qtbot.waitUntil(lambda: freed_on != [], timeout=5_000)
        assert freed_on == [threading.main_thread().name]
    finally:
        collector.stop()
    assert gc.isenabled()  # given back as it was


def test_only_generations_over_their_threshold_are_collected(eager_collector):
    freed_on: list[str] = []
    gc.collect(1)
    Cycle(freed_on)
    assert collect_due() == 0 and freed_on == []  # one allocation: nothing due yet
    gc.set_threshold(0, 10_000, 10_000)
    assert collect_due() >= 1 and freed_on == [threading.main_thread().name]


PYTHON = (700, 10, 10)  # CPython's own thresholds


@pytest.mark.parametrize(
    ("counts", "long_lived", "due"),
    [
        ((700, 11, 11), LongLived(), -1),  # nothing before the youngest crosses
        ((701, 0, 0), LongLived(), 0),
        ((701, 11, 0), LongLived(), 1),
        ((701, 11, 11), LongLived(), 2),  # nothing kept yet: a full collection
        ((701, 0, 11), LongLived(), 2),  # the oldest over is the one collected
        # a full collection waits until a quarter as many as it kept have come to stay
        ((701, 11, 11), LongLived(total=1000, pending=249), 1),
        ((701, 0, 11), LongLived(total=1000, pending=249), 0),
        ((701, 11, 11), LongLived(total=1000, pending=250), 2),
    ],
)
def test_the_generation_due_is_the_one_python_would_collect(counts, long_lived, due):
    assert due_generation(counts, PYTHON, long_lived) == due


def test_a_full_collection_kept_back_collects_the_younger_and_counts_what_stays(eager_collector):
    full = gc.get_stats()[2]["collections"]
    middle = gc.get_stats()[1]["collections"]
    gc.set_threshold(0, 0, 0)
    gc.collect(1)  # (the oldest's count over 0)
    gc.collect(0)  # (the middle one's)
    freed_on: list[str] = []
    Cycle(freed_on)
    kept = [[n] for n in range(100)]  # reached from here: they stay
    long_lived = LongLived(total=10**12)
    assert collect_due(long_lived) >= 1 and freed_on == [threading.main_thread().name]
    assert gc.get_stats()[2]["collections"] == full  # the heap was not walked
    assert gc.get_stats()[1]["collections"] == middle + 2
    assert long_lived.pending >= len(kept)  # now in the oldest generation


def test_the_app_installs_one_collector(qapp):
    first = collect_on_gui_thread(qapp)
    try:
        assert collect_on_gui_thread(qapp) is first
        assert qapp.findChildren(GuiThreadCollector) == [first]
    finally:
        first.stop()
        first.setParent(None)
        first.deleteLater()
