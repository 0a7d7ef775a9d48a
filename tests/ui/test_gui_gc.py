"""The cycle collector runs on the GUI thread only: garbage made unreachable while a
worker thread allocates is freed by the GUI thread's timer, never by the worker."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QObject

from vfa.ui.gui_gc import GuiThreadCollector, collect_due, collect_on_gui_thread


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
    gc.collect()
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
    gc.collect()
    Cycle(freed_on)
    assert collect_due() == 0 and freed_on == []  # one allocation: nothing due yet
    gc.set_threshold(0, 10_000, 10_000)
    assert collect_due() >= 1 and freed_on == [threading.main_thread().name]


def test_the_app_installs_one_collector(qapp):
    first = collect_on_gui_thread(qapp)
    try:
        assert collect_on_gui_thread(qapp) is first
        assert qapp.findChildren(GuiThreadCollector) == [first]
    finally:
        first.stop()
        first.setParent(None)
        first.deleteLater()
