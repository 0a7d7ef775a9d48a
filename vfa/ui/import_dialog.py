"""File → Import…: another tool's coding into a clip, previewed before anything is written.

The file is read and the import planned off the GUI thread (a bar, and Cancel); the
preview shows which file code and subject becomes which VFA code and subject with
counts, and every problem with its place. Import writes the plan in one transaction;
Edit → Undo removes the whole batch (:class:`ImportCommand`), whatever is open by then.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from vfa.domain.schemes import Scheme
from vfa.services import clips as clip_service
from vfa.services.imports import (
    ImportOptions,
    ImportPlan,
    ImportResult,
    plan_import,
    run_import,
    undo_import,
)
from vfa.services.schemes import available_schemes
from vfa.services.workspaces import Workspace
from vfa.ui.changes import Change, RunsChanged
from vfa.ui.forms import act_buttons, add_choose_row
from vfa.ui.messages import Level, inline_brush
from vfa.ui.session import CodingSession
from vfa.ui.tasks import BackgroundJob, TaskContext
from vfa.ui.undo import Command

REFUSED = inline_brush(Level.ERROR)


class ImportDialog(QDialog):
    """Choose a file and how it maps; see the preview; Import or Cancel."""

    planned = Signal(object)  # the ImportPlan shown, or None
    imported = Signal(object)  # the ImportResult

    def __init__(
        self,
        ws: Workspace,
        parent: QWidget | None = None,
        schemes: Callable[[], list[Scheme]] = available_schemes,
    ) -> None:
        super().__init__(parent)
        self.ws = ws
        self.plan: ImportPlan | None = None
        self.outcome: ImportResult | None = None
        self._job: BackgroundJob | None = None
        self._asked: tuple[str, ImportOptions] | None = None
        self.setWindowTitle(self.tr("Import coding"))
        self.resize(760, 560)

        self.file = QLineEdit()
        self.file.setObjectName("importFile")
        self.file.setPlaceholderText(self.tr("ELAN, BORIS, Datavyu, Observer XT, VFA CSV or JSON"))
        self.file.editingFinished.connect(self._file_edited)

        self.clip = QComboBox()
        self.clip.setObjectName("importClip")
        self.clip.addItem(self.tr("The clip the file names (by name or fingerprint)"), None)
        for case in clip_service.catalog(ws):
            for session in case.sessions:
                for clip in session.clips:
                    self.clip.addItem(f"{case.code} / {session.label} / {clip.name}", clip.id)
        self.media_dir = QLineEdit()
        self.media_dir.setPlaceholderText(self.tr("a folder to look for the file's media in"))
        self.media_dir.editingFinished.connect(self.replan)
        self.scheme = QComboBox()
        self.scheme.setObjectName("importScheme")
        self.scheme.addItem(self.tr("A new scheme from the file's codes"), None)
        for scheme in schemes():
            self.scheme.addItem(f"{scheme.name} ({scheme.id})", scheme.id)
        self.coder = QLineEdit()
        self.coder.setObjectName("importCoder")
        self.coder.setPlaceholderText(self.tr("the coder the file names, else “imported”"))
        self.coder.editingFinished.connect(self.replan)
        self.observation = QComboBox()
        self.observation.setObjectName("importObservation")
        self.observation.addItem(self.tr("All observations"), None)
        self.skip = QCheckBox(self.tr("Leave out codes the scheme does not know"))
        self.skip.setObjectName("importSkipUnknown")
        for combo in (self.clip, self.scheme, self.observation):
            combo.currentIndexChanged.connect(self.replan)
        self.skip.toggled.connect(self.replan)

        self.progress = QProgressBar()
        self.progress.setObjectName("importProgress")
        self.progress.setRange(0, 0)  # reading: busy
        self.progress.hide()
        self.stop = QPushButton(self.tr("Cancel reading"))
        self.stop.setObjectName("importStop")
        self.stop.clicked.connect(self.cancel_reading)
        self.stop.hide()
        busy = QHBoxLayout()
        busy.addWidget(self.progress, 1)
        busy.addWidget(self.stop)

        self.summary = QLabel(self.tr("Choose a file to see what it holds."))
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        self.preview = QTableWidget(0, 5)
        self.preview.setObjectName("importPreview")
        self.preview.setAccessibleName(self.tr("What the file holds"))
        self.preview.setHorizontalHeaderLabels(
            [
                self.tr("In the file"),
                self.tr("Subject in the file"),
                self.tr("Subject"),
                self.tr("Code"),
                self.tr("Events in the file"),
            ]
        )
        self.preview.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.preview.verticalHeader().hide()
        self.preview.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.problems = QListWidget()
        self.problems.setObjectName("importProblems")
        self.problems.setAccessibleName(self.tr("Problems"))
        self.problems.setWordWrap(True)

        self.buttons, self.import_button = act_buttons(
            self,
            QDialogButtonBox.StandardButton.Cancel,
            self.tr("Import"),
            "importButton",
            self.do_import,
        )

        form = QFormLayout()
        add_choose_row(form, self.tr("File"), self.file, self.choose_file)
        form.addRow(self.tr("Observation"), self.observation)
        form.addRow(self.tr("Clip"), self.clip)
        form.addRow(self.tr("Media folder"), self.media_dir)
        form.addRow(self.tr("Scheme"), self.scheme)
        form.addRow(self.tr("Coder"), self.coder)
        form.addRow("", self.skip)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(busy)
        layout.addWidget(self.summary)
        layout.addWidget(self.preview, 3)
        layout.addWidget(QLabel(self.tr("Problems")))
        layout.addWidget(self.problems, 2)
        layout.addWidget(self.buttons)

    # -- choosing ------------------------------------------------------------------------
    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Import coding"),
            "",
            self.tr(
                "Coding files (*.eaf *.boris *.boris.gz *.opf *.otx *.otb *.csv *.json);;"
                "All files (*)"
            ),
        )
        if path:
            self.set_file(path)

    def _file_edited(self) -> None:
        """A file typed in: a new file starts with its own observations, not the last one's."""
        if self._asked is None or self.file.text().strip() != self._asked[0]:
            self.set_file(self.file.text().strip())

    def set_file(self, path: str) -> None:
        """Read this file and show its preview (off the GUI thread)."""
        self.file.setText(path)
        self.observation.blockSignals(True)
        self.observation.setCurrentIndex(0)
        while self.observation.count() > 1:
            self.observation.removeItem(1)
        self.observation.blockSignals(False)
        self.replan()

    def options(self) -> ImportOptions:
        """The choices as the import service takes them."""
        return ImportOptions(
            clip_id=self.clip.currentData(),
            media_dir=self.media_dir.text().strip() or None,
            observation=self.observation.currentData(),
            coder=self.coder.text().strip() or None,
            scheme_id=self.scheme.currentData(),
            skip_unknown=self.skip.isChecked(),
        )

    # -- planning off the GUI thread --------------------------------------------------------
    def replan(self) -> None:
        path = self.file.text().strip()
        if not path:
            return
        ws, options = self.ws, self.options()
        if (path, options) == self._asked and (self._job is not None or self.plan is not None):
            return  # the same file and choices (a field that only lost the focus)
        self.cancel_reading()
        self._asked = (path, options)

        def work(ctx: TaskContext) -> ImportPlan:
            return plan_import(ws, path, options, cancelled=ctx.cancelled)

        job = BackgroundJob(work, self)
        job.finished.connect(self._planned)
        job.failed.connect(self._failed)
        self._job = job
        self.import_button.setEnabled(False)
        self.progress.show()
        self.stop.show()
        self.summary.setText(self.tr("Reading {0}…").format(path))
        job.start()

    def cancel_reading(self) -> None:
        """Stop reading the file; nothing is shown or imported."""
        if self._job is not None:
            self._job.cancel()
            self._job = None
            self._asked = None
            self.summary.setText(self.tr("Reading was cancelled."))
        self.progress.hide()
        self.stop.hide()

    def busy(self) -> bool:
        """Whether the file is being read."""
        return self._job is not None

    def _failed(self, message: str) -> None:
        self._job = None
        self._asked = None
        self.progress.hide()
        self.stop.hide()
        self.plan = None
        self.preview.setRowCount(0)
        self.problems.clear()
        self.summary.setText(self.tr("The file cannot be imported:"))
        item = QListWidgetItem(message)
        item.setForeground(REFUSED)
        self.problems.addItem(item)
        self.planned.emit(None)

    def _planned(self, plan: ImportPlan | None) -> None:
        self._job = None
        self.progress.hide()
        self.stop.hide()
        if plan is None:
            return
        self.plan = plan
        self._show(plan)
        self.planned.emit(plan)

    def _show(self, plan: ImportPlan) -> None:
        names = plan.observations
        if self.observation.count() == 1 and len(names) > 1:
            self.observation.blockSignals(True)
            for name in names:
                self.observation.addItem(name, name)
            self.observation.blockSignals(False)
        if not self.coder.text() and plan.runs:
            self.coder.setPlaceholderText(plan.runs[0].coder)
        scheme = plan.scheme.id + (self.tr(" (new)") if plan.scheme_created else "")
        where = "\n".join(
            self.tr("“{0}” → clip {1} ({2}), coder {3}").format(
                r.observation, r.clip_name, r.how, r.coder
            )
            for r in plan.runs
        )
        self.summary.setText(
            self.tr("{0} events to import ({1} points, {2} states) with scheme {3}\n{4}").format(
                plan.events, plan.points, plan.states, scheme, where
            )
        )
        self.preview.setRowCount(len(plan.mappings))
        for row, m in enumerate(plan.mappings):
            source = m.source if m.source_name == m.source else f"{m.source_name} ({m.source})"
            cells = [
                source,
                m.source_subject or "—",
                m.subject or "—",
                m.code or self.tr("unknown"),
                str(m.count),
            ]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if m.code is None:
                    item.setForeground(REFUSED)
                if col == 4:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.preview.setItem(row, col, item)
        self.problems.clear()
        for p in plan.refusals:
            refused = QListWidgetItem(self.tr("Refused — {0}: {1}").format(p.place, p.reason))
            refused.setForeground(REFUSED)
            self.problems.addItem(refused)
        for p in plan.problems:
            self.problems.addItem(QListWidgetItem(f"{p.place}: {p.reason}"))
        self.import_button.setEnabled(not plan.refusals)

    # -- importing ---------------------------------------------------------------------------
    def do_import(self) -> None:
        """Write the plan shown (off the GUI thread); the dialog closes when it is stored."""
        plan = self.plan
        if plan is None or plan.refusals or self._job is not None:
            return
        ws = self.ws

        def work(_ctx: TaskContext) -> ImportResult:
            return run_import(ws, plan)

        job = BackgroundJob(work, self)
        job.finished.connect(self._imported)
        job.failed.connect(self._failed)
        self._job = job
        self.import_button.setEnabled(False)
        self.progress.show()
        self.summary.setText(self.tr("Importing…"))
        job.start()

    def _imported(self, result: ImportResult) -> None:
        self._job = None
        self.progress.hide()
        self.outcome = result
        self.imported.emit(result)
        self.accept()


class ImportCommand(Command):
    """A coding file's import, undone by removing its batch and redone by writing its
    plan again (a batch of its own); the dialog writes it, off the GUI thread, before it
    is pushed."""

    def __init__(self, session: CodingSession, plan: ImportPlan, written: ImportResult) -> None:
        clips = sorted({r.clip_name for r in plan.runs})
        where = " · ".join([plan.scheme.name, *clips])
        text = QCoreApplication.translate("Undo", "import {0}").format(Path(plan.file).name)
        super().__init__(session, text, where)
        self.plan, self.result = plan, written

    def apply(self) -> Change:
        return self._change()  # (written already)

    def reapply(self) -> Change:
        assert self.ws is not None
        self.result = run_import(self.ws, self.plan)
        return self._change()

    def revert(self) -> Change:
        assert self.ws is not None
        undo_import(self.ws, self.result.batch)
        return self._change()

    def _change(self) -> Change:
        return RunsChanged(tuple(self.result.runs), self.result.scheme_created)


def import_into(session: CodingSession) -> None:
    """File → Import…: the dialog, then the import on the session's undo history."""
    ws = session.ws
    assert ws is not None  # (the window asks for a workspace first)
    messages = session.shell.messages
    dialog = ImportDialog(ws, session.shell.host, session.schemes)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.outcome is None:
        return
    assert dialog.plan is not None
    ImportCommand(session, dialog.plan, dialog.outcome).push(
        lambda text: messages.error(text, "import")
    )
    messages.info(
        QCoreApplication.translate(
            "ImportDialog", "Imported {0} events (batch {1}); Edit → Undo removes them"
        ).format(dialog.outcome.events, dialog.outcome.batch),
        "import",
    )
