"""The Qt binding must keep reference counts straight on void calls (PySide6 6.12.0 does not).

A coding session calls such methods millions of times (the readout, the playhead, the
timeline repaint), so a binding that drops a reference on each call crashes the app after
minutes to hours ("deallocating None" with 6.12.0); pyproject.toml keeps that version out.

None is immortal from Python 3.12 on (its count never moves), so the counts watched here are
those of ordinary objects made for the test, which are mortal on every Python: the widget
the calls go to and the string handed to them. They must end exactly where they started.
The check itself is tested on planted leaks, one reference too many or too few per call.
"""

import ctypes
import gc
import sys
from collections.abc import Callable

import pytest
from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QLabel

CALLS = 500


def _settle() -> None:
    """Let what earlier tests left (windows deleted later, jobs finishing) go first: the
    young generations each round, the whole heap (large in the suite) once at the end."""
    for generation in (1, 1, 2):
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QApplication.processEvents()
        gc.collect(generation)


def drift(watched: list[object], call: Callable[[], object], times: int = CALLS) -> list[int]:
    """How far the reference count of each watched object moved over ``times`` calls."""
    _settle()
    before = [sys.getrefcount(o) for o in watched]
    for _ in range(times):
        call()
    loop = QEventLoop()
    QTimer.singleShot(0, loop.quit)
    loop.exec()
    after = [sys.getrefcount(o) for o in watched]  # counted the same way as before
    return [a - b for a, b in zip(after, before, strict=True)]


def _mortal_text() -> str:
    text = "".join(["frame ", str(12345)])  # built at run time: not interned, not immortal
    assert sys.getrefcount(text) < 1000
    return text


def test_void_calls_on_a_widget_keep_its_and_their_arguments_counts(qapp):
    label = QLabel()
    text = _mortal_text()

    def void_calls() -> None:
        label.setText(text)
        label.update()
        label.setToolTip(text)
        QApplication.processEvents()

    assert drift([label, text], void_calls) == [0, 0]


class _Emitter(QObject):
    moved = Signal(object)


def test_a_signal_to_a_python_slot_keeps_the_payloads_count(qapp):
    emitter = _Emitter()
    payload = [12345]  # a list: always a mortal object
    seen: list[int] = []
    emitter.moved.connect(lambda value: seen.append(len(value)))
    assert drift([emitter, payload], lambda: emitter.moved.emit(payload)) == [0, 0]
    assert seen == [1] * CALLS


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12")
def test_void_calls_keep_none_alive(qapp):
    """Where None is mortal (3.11) its count is what 6.12.0 dropped; other code may move it
    a little while events run, but not by one per call."""
    label = QLabel()
    (moved,) = drift([None], lambda: (label.setText("frame 1"), label.update()))
    assert moved > -CALLS // 5


# -- the check itself catches a planted leak ------------------------------------------


def _planted(obj: object, step: int) -> Callable[[], None]:
    """A 'void call' that leaks (step +1) or drops (step -1) one reference to ``obj``."""
    change = ctypes.pythonapi.Py_IncRef if step > 0 else ctypes.pythonapi.Py_DecRef
    change.argtypes = [ctypes.py_object]
    label = QLabel()

    def call() -> None:
        label.setText("frame 1")
        change(obj)

    return call


@pytest.mark.parametrize("step", [1, -1])
def test_the_check_sees_one_reference_leaked_or_dropped_per_call(qapp, step):
    text = _mortal_text()
    keep = [text] * (CALLS + 10)  # enough real references that dropping some is safe
    try:
        assert drift([text], _planted(text, step)) == [step * CALLS]
    finally:
        undo = ctypes.pythonapi.Py_DecRef if step > 0 else ctypes.pythonapi.Py_IncRef
        undo.argtypes = [ctypes.py_object]
        for _ in range(CALLS):
            undo(text)
    assert len(keep) == CALLS + 10
