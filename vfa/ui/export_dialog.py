"""File → Export…: coding out as tidy CSV, VFA JSON, ELAN, BORIS, SDIS or SRT.

The export runs off the GUI thread with a bar and Cancel; it writes through a temporary
file beside the target, so a cancelled or failed export leaves nothing behind. Runs the
blind rule hides from the person exporting are left out, and the dialog says which.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLineEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from vfa.errors import FormatError
from vfa.io import registry
from vfa.services import clips as clip_service
from vfa.services.export_selection import export_choices
from vfa.services.exports import (
    FORMATS,
    SUFFIXES,
    WRITER_FORMATS,
    ExportResult,
    Selection,
    export_file,
)
from vfa.services.workspaces import Workspace
from vfa.ui.forms import add_choose_row
from vfa.ui.messages import MessageBar
from vfa.ui.session import CodingSession
from vfa.ui.tasks import BackgroundJob, TaskContext


def format_name(fmt: str) -> str:
    """A format's name as the dialog lists it."""
    names = {
        "csv": QCoreApplication.translate("ExportDialog", "Tidy CSV (R, SPSS, Excel)"),
        "json": QCoreApplication.translate("ExportDialog", "VFA JSON (the workspace, restorable)"),
        "eaf": QCoreApplication.translate("ExportDialog", "ELAN (.eaf)"),
        "boris": QCoreApplication.translate("ExportDialog", "BORIS project (.boris)"),
        "sdis": QCoreApplication.translate("ExportDialog", "SDIS for GSEQ"),
        "srt": QCoreApplication.translate("ExportDialog", "SRT subtitles"),
    }
    return names.get(fmt, fmt)


def _writable(fmt: str) -> bool:
    """Whether this VFA has the writer behind a format."""
    if fmt not in WRITER_FORMATS:
        return True
    try:
        return registry.by_id(WRITER_FORMATS[fmt]).write is not None
    except FormatError:
        return False


class ExportDialog(QDialog):
    """Format, what, which coding, where; Export or Cancel."""

    def __init__(
        self,
        ws: Workspace,
        viewer: str,
        clip_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ws, self.viewer = ws, viewer
        self.outcome: ExportResult | None = None
        self._job: BackgroundJob | None = None
        self.setWindowTitle(self.tr("Export coding"))
        self.setMinimumWidth(560)

        self.format = QComboBox()
        self.format.setObjectName("exportFormat")
        for fmt in FORMATS:
            self.format.addItem(format_name(fmt), fmt)
            if not _writable(fmt):
                index = self.format.count() - 1
                self.format.model().item(index).setEnabled(False)  # type: ignore[attr-defined]
                self.format.setItemData(
                    index,
                    self.tr("this VFA has no writer for it"),
                    3,  # ToolTipRole
                )
        self.what = QComboBox()
        self.what.setObjectName("exportWhat")
        self.what.addItem(self.tr("Events"), "events")
        self.what.addItem(self.tr("Ratings"), "ratings")
        self.scope = QComboBox()
        self.scope.setObjectName("exportScope")
        self.scope.addItem(self.tr("The whole workspace"), ("all", None))
        for case in clip_service.catalog(ws):
            self.scope.addItem(self.tr("Case {0}").format(case.code), ("case", case.code))
            for session in case.sessions:
                self.scope.addItem(f"    {session.label}", ("session", session.id))
                for clip in session.clips:
                    self.scope.addItem(f"        {clip.name}", ("clip", clip.id))
                    if clip.id == clip_id:
                        self.scope.setCurrentIndex(self.scope.count() - 1)
        self.coder = QComboBox()
        self.coder.setObjectName("exportCoder")
        self.scheme = QComboBox()
        self.scheme.setObjectName("exportScheme")
        self.coder.addItem(self.tr("Every coder"), None)
        self.scheme.addItem(self.tr("Every scheme"), None)
        coders, scheme_ids = export_choices(ws)
        for name in coders:
            self.coder.addItem(name, name)
        for key in scheme_ids:
            self.scheme.addItem(key, key)
        self.path = QLineEdit()
        self.path.setObjectName("exportPath")
        self.force = QCheckBox(self.tr("Replace the file if it exists"))
        self.force.setObjectName("exportForce")
        self.progress = QProgressBar()
        self.progress.setObjectName("exportProgress")
        self.progress.setRange(0, 1000)
        self.progress.hide()
        self.message = MessageBar()
        self.message.setObjectName("exportMessage")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = self.buttons.addButton(
            self.tr("Export"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.export_button.setObjectName("exportButton")
        self.buttons.accepted.connect(self.do_export)
        self.buttons.rejected.connect(self.cancel)
        self.format.currentIndexChanged.connect(self._format_changed)

        form = QFormLayout()
        form.addRow(self.tr("Format"), self.format)
        form.addRow(self.tr("What"), self.what)
        form.addRow(self.tr("Coding of"), self.scope)
        form.addRow(self.tr("Coder"), self.coder)
        form.addRow(self.tr("Scheme"), self.scheme)
        add_choose_row(form, self.tr("File"), self.path, self.choose_file)
        form.addRow("", self.force)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self._format_changed()

    def _format_changed(self) -> None:
        fmt = self.format.currentData()
        self.what.setEnabled(fmt == "csv")
        if fmt != "csv":
            self.what.setCurrentIndex(0)
        text = self.path.text().strip()
        if text:
            self.path.setText(str(Path(text).with_suffix(SUFFIXES[fmt])))

    def choose_file(self) -> None:
        fmt = self.format.currentData()
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export coding"), f"coding{SUFFIXES[fmt]}", f"*{SUFFIXES[fmt]}"
        )
        if path:
            self.path.setText(path)

    def selection(self) -> Selection:
        """The coding chosen, as the export service takes it."""
        kind, value = self.scope.currentData()
        return Selection(
            clip_id=value if kind == "clip" else None,
            session_id=value if kind == "session" else None,
            case=value if kind == "case" else None,
            coder=self.coder.currentData(),
            scheme=self.scheme.currentData(),
            viewer=self.viewer,
        )

    def do_export(self) -> None:
        """Write the file off the GUI thread; the dialog closes when it is written."""
        if self._job is not None:
            return
        path = self.path.text().strip()
        if not path:
            self.message.error(self.tr("Choose the file to write."), "export")
            return
        ws, fmt, what = self.ws, self.format.currentData(), self.what.currentData()
        sel, force = self.selection(), self.force.isChecked()

        def work(ctx: TaskContext) -> ExportResult:
            return export_file(
                ws, fmt, path, sel, what, force, progress=ctx.progress, cancelled=ctx.cancelled
            )

        job = BackgroundJob(work, self)
        job.progress.connect(lambda f: self.progress.setValue(int(f * 1000)))
        job.finished.connect(self._done)
        job.failed.connect(self._failed)
        self._job = job
        self.export_button.setEnabled(False)
        self.progress.setValue(0)
        self.progress.show()
        self.message.info(self.tr("Exporting…"), "export")
        job.start()

    def busy(self) -> bool:
        """Whether an export is being written."""
        return self._job is not None

    def cancel(self) -> None:
        """Stop a running export (nothing is written), else close."""
        if self._job is not None:
            self._job.cancel()
            self._job = None
            self.progress.hide()
            self.export_button.setEnabled(True)
            self.message.info(self.tr("The export was cancelled; nothing was written."), "export")
            return
        self.reject()

    def _failed(self, message: str) -> None:
        self._job = None
        self.progress.hide()
        self.export_button.setEnabled(True)
        self.message.error(message, "export")

    def _done(self, result: ExportResult) -> None:
        self._job = None
        self.outcome = result
        self.accept()


def export_from(session: CodingSession) -> None:
    """File → Export…: the dialog over the session's workspace; the result in the status
    bar, anything left out in the message bar."""
    assert session.ws is not None  # (the window asks for a workspace first)
    messages = session.shell.messages
    dialog = ExportDialog(session.ws, session.coder(), session.clip_id, session.shell.host)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.outcome is None:
        return
    result = dialog.outcome
    messages.info(
        QCoreApplication.translate("ExportDialog", "Exported {0} rows of {1} run(s) to {2}").format(
            result.rows, result.runs, result.path
        ),
        "export",
    )
    if result.left_out:
        messages.warning(
            QCoreApplication.translate(
                "ExportDialog", "Left out of the export (blind coding):\n{0}"
            ).format("\n".join(result.left_out)),
            "export.left_out",
        )
    else:
        messages.clear("export.left_out")
