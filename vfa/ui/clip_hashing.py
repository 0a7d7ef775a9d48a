"""Record newly added clips' content hashes on the thread pool, one batch at a time.

Adding a clip stays quick (probe and sampled fingerprint); reading every byte of a
20-minute file follows in the background, shown by a small bar in the status bar. A clip
whose hash is not recorded here (the window closed first) gets it at its first check or
export.
"""

from __future__ import annotations

from collections import deque

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QProgressBar, QWidget

from vfa.services import clips as clip_service
from vfa.services.workspaces import Workspace
from vfa.ui.tasks import BackgroundJob, TaskContext


class ContentHasher(QObject):
    """Queue of clips whose full content hash is still to be recorded."""

    # ids whose files were read to the end and found as added
    hashed = Signal(list)
    # a clip's file is missing or no longer the one added
    failed = Signal(str)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.indicator = QProgressBar()
        self.indicator.setObjectName("contentHashProgress")
        self.indicator.setRange(0, 1000)
        self.indicator.setMaximumWidth(220)
        self.indicator.setFormat(self.tr("Reading clip content… %p%"))
        self.indicator.setToolTip(
            self.tr("VFA records a hash of every byte of new clips, to tell later if they change")
        )
        self.indicator.hide()
        self._queue: deque[tuple[Workspace, list[int]]] = deque()
        self._job: BackgroundJob | None = None

    def hash(self, ws: Workspace, clip_ids: list[int]) -> None:
        """Record the content hash of these clips after those already queued."""
        if clip_ids and ws.read_only is None:
            self._queue.append((ws, list(clip_ids)))
            self._next()

    def busy(self) -> bool:
        """Whether a batch is being read or waits."""
        return self._job is not None or bool(self._queue)

    def cancel(self) -> None:
        """Stop reading; what is not recorded is recorded at the clip's first check."""
        self._queue.clear()
        if self._job is not None:
            self._job.cancel()  # a cancelled job reports nothing more
            self._finish()

    def _next(self) -> None:
        if self._job is not None or not self._queue:
            return
        ws, ids = self._queue.popleft()

        def work(ctx: TaskContext) -> list[clip_service.ClipCheck]:
            return clip_service.check_all(
                ws, clip_ids=ids, progress=ctx.progress, cancelled=ctx.cancelled
            )

        job = BackgroundJob(work, self)
        job.progress.connect(lambda f: self.indicator.setValue(int(f * 1000)))
        job.finished.connect(self._done)
        job.failed.connect(self._failed)
        self._job = job
        self.indicator.setValue(0)
        self.indicator.show()
        job.start()

    def _done(self, checks: list[clip_service.ClipCheck] | None) -> None:
        self._finish()
        checks = checks or []
        problems = [c.message for c in checks if c.state is not clip_service.ClipState.OK]
        if problems:
            self.failed.emit("\n".join(problems))
        self.hashed.emit([c.clip_id for c in checks if c.state is clip_service.ClipState.OK])
        self._next()

    def _failed(self, message: str) -> None:
        self._finish()
        self.failed.emit(message)
        self._next()

    def _finish(self) -> None:
        if self._job is not None:
            self._job.deleteLater()
        self._job = None
        self.indicator.hide()
