"""Exact frames decoded on a worker thread and handed back to the GUI thread as QImages
(the player view's paused picture, presentation mode's prefetched stills)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, QRunnable, Signal
from PySide6.QtGui import QImage

from vfa.errors import VfaError
from vfa.media.frames import FrameServer


def to_qimage(rgb: np.ndarray) -> QImage:
    """An owning QImage copy of an RGB array."""
    rgb = np.ascontiguousarray(rgb)
    h, w = rgb.shape[:2]
    return QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()


class FrameSignals(QObject):
    """Connect with a queued connection: the job emits on its worker thread."""

    ready = Signal(object, int, object)  # tag, frame index, QImage
    failed = Signal(object, int, str)  # tag, frame index, message


class FrameJob(QRunnable):
    """Decode frame ``index`` of ``server``; ``tag`` tells the receiver which request it
    answers (a generation number, a file)."""

    def __init__(
        self,
        server: FrameServer,
        index: int,
        tag: object,
        signals: FrameSignals,
        *,
        backward: bool = False,
    ) -> None:
        super().__init__()
        self.server, self.index, self.tag = server, index, tag
        self.signals, self.backward = signals, backward

    def run(self) -> None:
        try:
            image = to_qimage(self.server.frame(self.index, backward=self.backward))
        except VfaError as exc:
            self.signals.failed.emit(self.tag, self.index, str(exc))
            return
        except Exception as exc:  # a decoder bug must not leave a blank picture silently
            self.signals.failed.emit(self.tag, self.index, f"frame {self.index}: {exc}")
            return
        self.signals.ready.emit(self.tag, self.index, image)
