"""Long work off the GUI thread, with a cancellable progress dialog."""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from vfa.errors import VfaError


class TaskContext:
    """Handed to the work function: report progress, ask whether to stop."""

    def __init__(self, signals: _Signals) -> None:
        self._signals = signals
        self._cancel = threading.Event()

    def progress(self, fraction: float) -> None:
        self._signals.progress.emit(int(max(0.0, min(1.0, fraction)) * 1000))

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()


class _Signals(QObject):
    progress = Signal(int)
    done = Signal(object)
    failed = Signal(str)


class _Runnable(QRunnable):
    def __init__(
        self, fn: Callable[[TaskContext], Any], signals: _Signals, ctx: TaskContext
    ) -> None:
        super().__init__()
        self._fn, self._signals, self._ctx = fn, signals, ctx

    def run(self) -> None:
        try:
            result = self._fn(self._ctx)
        except Exception as exc:
            if self._ctx.cancelled():  # it stopped because it was asked to
                self._signals.done.emit(None)
            elif isinstance(exc, VfaError):
                self._signals.failed.emit(str(exc))
            else:  # an unexpected bug: show it rather than lose it
                traceback.print_exc()
                self._signals.failed.emit(f"{type(exc).__name__}: {exc}")
        else:
            self._signals.done.emit(result)


class Task(QObject):
    """A running background job; ``finished`` carries the result, ``failed`` a message."""

    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.signals = _Signals()
        self.context = TaskContext(self.signals)
        self.signals.done.connect(self._on_done, Qt.ConnectionType.QueuedConnection)
        self.signals.failed.connect(self.failed, Qt.ConnectionType.QueuedConnection)

    def _on_done(self, result: object) -> None:
        if self.context.cancelled():
            self.cancelled.emit()
        else:
            self.finished.emit(result)


def run_task(
    parent: QWidget,
    label: str,
    fn: Callable[[TaskContext], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[str], None],
) -> Task:
    """Run ``fn`` on the thread pool behind a progress dialog that can cancel it."""
    task = Task(parent)
    cancel = QCoreApplication.translate("Tasks", "Cancel")
    dialog = QProgressDialog(label, cancel, 0, 1000, parent)
    dialog.setWindowTitle(QCoreApplication.translate("Tasks", "VFA"))
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    task.signals.progress.connect(dialog.setValue, Qt.ConnectionType.QueuedConnection)
    dialog.canceled.connect(task.context.cancel)

    def finish(callback: Callable[..., None], *args: object) -> None:
        # reset() stops the timer that shows the dialog once the work has taken its minimum
        # duration: close() alone does not stop it when the window holds a native child
        # (libVLC's video surface), and the dialog then came up over the question
        # ``callback`` asks (Who are you?) and stayed
        dialog.reset()
        dialog.close()
        dialog.deleteLater()
        callback(*args)
        task.deleteLater()

    task.finished.connect(lambda result: finish(on_done, result))
    task.failed.connect(lambda message: finish(on_error, message))
    task.cancelled.connect(lambda: finish(lambda: None))
    QThreadPool.globalInstance().start(_Runnable(fn, task.signals, task.context))
    return task


class BackgroundJob(QObject):
    """Work on the thread pool without a dialog; the caller shows progress its own way."""

    progress = Signal(float)
    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, fn: Callable[[TaskContext], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._task = Task(self)
        self.context = self._task.context
        # a method of this object, not a lambda: Qt drops the connection when the job is
        # deleted (its window closed) while the work still reports progress
        self._task.signals.progress.connect(self._progress, Qt.ConnectionType.QueuedConnection)
        self._task.finished.connect(self.finished)
        self._task.failed.connect(self.failed)
        self._fn = fn

    def _progress(self, value: int) -> None:
        self.progress.emit(value / 1000)

    def start(self) -> BackgroundJob:
        QThreadPool.globalInstance().start(_Runnable(self._fn, self._task.signals, self.context))
        return self

    def cancel(self) -> None:
        self.context.cancel()
