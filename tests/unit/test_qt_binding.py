"""The Qt binding must not leak references on void calls (PySide6 6.12.0 does).

A coding session calls such methods millions of times (the readout, the playhead, the
timeline repaint), so a binding that drops a reference to None on each call crashes the
app after minutes to hours with "deallocating None". pyproject.toml keeps that version out.
"""

import sys

from PySide6.QtCore import QEvent, QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QLabel


def _settle() -> None:
    """Let what earlier tests left (windows deleted later, jobs finishing) go first, so
    that only the calls below move the count."""
    import gc

    for _ in range(3):
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QApplication.processEvents()
        gc.collect()


def test_void_calls_keep_none_alive(qapp):
    _settle()
    label = QLabel()
    before = sys.getrefcount(None)
    for _ in range(500):
        label.setText("frame 1")
        label.update()
        QApplication.processEvents()
    loop = QEventLoop()
    QTimer.singleShot(0, loop.quit)
    loop.exec()
    assert sys.getrefcount(None) - before > -100
