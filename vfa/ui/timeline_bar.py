"""The timeline under the player with its zoom buttons, and the building of its
filmstrip and waveform in the background (with progress and a cancel button)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QProgressBar,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from vfa.services.clips import ClipInfo
from vfa.ui.frame_jobs import to_qimage
from vfa.ui.tasks import BackgroundJob, TaskContext
from vfa.ui.timeline import Timeline
from vfa.ui.timeline_paint import LABEL_W


class TimelineBar(QWidget):
    """Zoom buttons and the filmstrip's progress above the timeline itself."""

    problem = Signal(str)  # the filmstrip or waveform could not be built

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._media_job: BackgroundJob | None = None
        self._clip_id: int | None = None
        self.timeline = Timeline()
        # its lane names and room to aim at a moment, however narrow the player
        self.timeline.setMinimumWidth(LABEL_W + self.fontMetrics().horizontalAdvance("0") * 20)
        self.media_progress = QProgressBar()
        self.media_progress.setObjectName("filmstripProgress")
        self.media_progress.setRange(0, 100)
        self.media_progress.setMaximumWidth(180)
        self.media_progress.setFormat(self.tr("Filmstrip %p%"))
        self.media_progress.hide()
        self.media_cancel = QToolButton()
        self.media_cancel.setText("×")
        self.media_cancel.setToolTip(self.tr("Stop building the filmstrip and waveform"))
        self.media_cancel.setAccessibleName(self.tr("Stop building"))
        self.media_cancel.setAutoRaise(True)
        self.media_cancel.clicked.connect(self.cancel_media)
        self.media_cancel.hide()
        zoom_in, zoom_out, zoom_fit = QToolButton(), QToolButton(), QToolButton()
        for button, text, tip, slot in (
            (zoom_in, "+", self.tr("Zoom in (Ctrl+wheel)"), lambda: self.timeline.zoom(0.5)),
            (zoom_out, "−", self.tr("Zoom out"), lambda: self.timeline.zoom(2.0)),
            (zoom_fit, self.tr("Fit"), self.tr("Show the whole clip"), self.timeline.fit),
        ):
            button.setText(text)
            button.setToolTip(tip)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # (a click leaves the focus)
            button.clicked.connect(slot)
        zoom_in.setObjectName("zoomIn")
        zoom_out.setObjectName("zoomOut")
        zoom_in.setAccessibleName(self.tr("Zoom in"))  # (a sign is no name to read out)
        zoom_out.setAccessibleName(self.tr("Zoom out"))

        self.tools = bar = QHBoxLayout()
        bar.setContentsMargins(4, 0, 8, 0)
        for widget in (zoom_in, zoom_out, zoom_fit):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.media_progress)
        bar.addWidget(self.media_cancel)
        # as tall as its rows: the video above takes whatever height is left
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(bar)
        layout.addWidget(self.timeline)

    def add_tool(self, widget: QWidget) -> None:
        """A widget at the end of the zoom buttons' row (the player's readout)."""
        self.tools.addWidget(widget)

    def build_media(self, info: ClipInfo) -> None:
        """Build the clip's filmstrip and waveform off the GUI thread, then show them."""
        from vfa.services.timeline_media import build_timeline_media

        def work(ctx: TaskContext) -> object:
            strip, wave = build_timeline_media(info, progress=ctx.progress, cancelled=ctx.cancelled)
            # QImages are made here, off the GUI thread (600 of them for 20 minutes)
            thumbs = (list(strip.times_ms), [to_qimage(i) for i in strip.images])
            return thumbs, wave

        job = BackgroundJob(work, self)
        job.progress.connect(lambda f: self.media_progress.setValue(round(f * 100)))
        job.finished.connect(lambda media: self._media_ready(info.id, media))
        job.failed.connect(self._media_failed)
        self._media_job = job
        self._clip_id = info.id
        self.media_progress.setValue(0)
        self.media_progress.show()
        self.media_cancel.show()
        job.start()

    def _media_ready(self, clip_id: int, media: tuple[Any, Any] | None) -> None:
        current = self._clip_id
        self._end_media_job()
        if current != clip_id or media is None:
            return
        (times, images), wave = media
        if images:
            self.timeline.set_filmstrip(times, images)
        if wave is not None:
            self.timeline.set_waveform(wave.peaks, wave.bucket_ms)

    def _media_failed(self, message: str) -> None:
        self._end_media_job()
        self.problem.emit(message)

    def cancel_media(self) -> None:
        """Stop building the filmstrip and waveform (the clip stays usable)."""
        if self._media_job is not None:
            self._media_job.cancel()
        self._end_media_job()
        self._clip_id = None

    def _end_media_job(self) -> None:
        self._media_job = None
        self.media_progress.hide()
        self.media_cancel.hide()

    def media_building(self) -> bool:
        """Whether the filmstrip and waveform are being built."""
        return self._media_job is not None
