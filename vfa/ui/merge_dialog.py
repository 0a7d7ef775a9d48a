"""File → Merge workspace…: another workspace's work (a laptop's checkout, another site's
workspace) brought into the one open, after a summary of what the merge would do.

The other workspace is chosen in a file dialog; the dry run reads it off the GUI thread (a
bar, and Stop) and the dialog shows, per kind, what would be added, updated, removed or is
already here, the runs changed on both sides (which refuse the merge) and notes. Merge
writes it off the GUI thread too; the window then shows the workspace as it now is, with
an empty undo history (the coding it showed may have changed under it).

An encrypted workspace to merge asks for its passphrase in the dialog the window uses when
it opens one (again, saying so, after a wrong one); the dialog keeps it for that file's
dry run and merge only.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
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

from vfa.errors import PassphraseError, VfaError, WrongPassphraseError
from vfa.services.encryption import Passphrase
from vfa.services.merge import MergeReport, merge
from vfa.services.merge_report import rename_map
from vfa.services.workspaces import Workspace
from vfa.ui.forms import act_buttons, add_choose_row, labelled
from vfa.ui.messages import Level, inline_brush
from vfa.ui.passphrase_dialog import ask_passphrase
from vfa.ui.session import CodingSession
from vfa.ui.tasks import BackgroundJob, TaskContext

REFUSED = inline_brush(Level.ERROR)


def kind_names() -> dict[str, str]:
    """The kinds a merge counts, as the summary names them."""
    return {
        "people": QCoreApplication.translate("MergeDialog", "People"),
        "schemes": QCoreApplication.translate("MergeDialog", "Schemes"),
        "cases": QCoreApplication.translate("MergeDialog", "Cases"),
        "sessions": QCoreApplication.translate("MergeDialog", "Sessions"),
        "clips": QCoreApplication.translate("MergeDialog", "Clips"),
        "runs": QCoreApplication.translate("MergeDialog", "Codings"),
        "events": QCoreApplication.translate("MergeDialog", "Events"),
        "ratings": QCoreApplication.translate("MergeDialog", "Ratings"),
        "moments": QCoreApplication.translate("MergeDialog", "Moments"),
        "consent": QCoreApplication.translate("MergeDialog", "Consent records"),
        "criteria": QCoreApplication.translate("MergeDialog", "Reliability criteria"),
        "audit": QCoreApplication.translate("MergeDialog", "Audit trail entries"),
    }


class MergeDialog(QDialog):
    """What merging ``other`` into ``ws`` would do; Merge or Close."""

    planned = Signal(object)  # the dry run's MergeReport, or None when it was refused
    merged = Signal(object)  # the MergeReport of the merge written

    def __init__(
        self, ws: Workspace, viewer: str, other: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ws, self.viewer = ws, viewer
        self.report: MergeReport | None = None  # the dry run shown
        self.outcome: MergeReport | None = None  # the merge written
        self._job: BackgroundJob | None = None
        self._secret: tuple[str, Passphrase] | None = None  # an encrypted file's, for it only
        self.setWindowTitle(self.tr("Merge workspace"))
        self.resize(720, 560)

        self.other = QLineEdit(other)
        self.other.setObjectName("mergeOther")
        self.other.editingFinished.connect(self._other_edited)
        self.renames = QLineEdit()
        self.renames.setObjectName("mergeRenames")
        self.renames.setPlaceholderText(self.tr("FAM-001=FAM-001-B, … (another family, same code)"))
        self.renames.editingFinished.connect(self.replan)
        self.same = QLineEdit()
        self.same.setObjectName("mergeSame")
        self.same.setPlaceholderText(self.tr("FAM-001, … (the same family filmed elsewhere)"))
        self.same.editingFinished.connect(self.replan)

        self.progress = QProgressBar()
        self.progress.setObjectName("mergeProgress")
        self.progress.setRange(0, 1000)
        self.progress.hide()
        self.stop = QPushButton(self.tr("S&top"))
        self.stop.setObjectName("mergeStop")
        self.stop.clicked.connect(self.cancel)
        self.stop.hide()
        busy = QHBoxLayout()
        busy.addWidget(self.progress, 1)
        busy.addWidget(self.stop)

        self.summary = QLabel(self.tr("Choose the workspace to merge into this one."))
        self.summary.setObjectName("mergeSummary")
        self.summary.setWordWrap(True)
        self.counts = QTableWidget(0, 4)
        self.counts.setObjectName("mergeCounts")
        self.counts.setAccessibleName(self.tr("What the merge brings"))
        self.counts.setHorizontalHeaderLabels(
            [self.tr("Added"), self.tr("Updated"), self.tr("Removed"), self.tr("Already here")]
        )
        self.counts.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.counts.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        rows = self.counts.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.counts.fontMetrics().height() + 8)  # compact
        self.counts.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.problems = QListWidget()
        self.problems.setObjectName("mergeProblems")
        self.problems.setAccessibleName(self.tr("Conflicts and notes"))
        self.problems.setWordWrap(True)

        self.buttons, self.merge_button = act_buttons(
            self,
            QDialogButtonBox.StandardButton.Close,
            self.tr("&Merge"),
            "mergeButton",
            self.do_merge,
        )

        form = QFormLayout()
        add_choose_row(form, self.tr("&Workspace to merge"), self.other, self.choose_other)
        form.addRow(labelled(self.tr("&Rename incoming cases"), self.renames), self.renames)
        form.addRow(labelled(self.tr("&Same family as here"), self.same), self.same)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(busy)
        layout.addWidget(self.summary)
        layout.addWidget(self.counts)  # as tall as its rows: every kind shows in full
        layout.addWidget(labelled(self.tr("Co&nflicts and notes"), self.problems))
        layout.addWidget(self.problems, 1)
        layout.addWidget(self.buttons)
        self._fit_counts()
        if other:
            self.replan()

    # -- choosing -------------------------------------------------------------------------
    def choose_other(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Merge workspace"),
            start_folder(self.ws, self.other.text()),
            self.tr("VFA workspace (*.vfa);;All files (*)"),
        )
        if path:
            self.other.setText(path)
            self.replan()

    def _other_edited(self) -> None:
        if self.report is None or self.other.text().strip() != self.report.source:
            self.replan()

    def _options(self) -> tuple[dict[str, str], set[str]] | None:
        """The renames and same cases typed, or None (said in the list) when unreadable."""
        pairs: list[tuple[str, str]] = []
        for part in filter(None, (p.strip() for p in self.renames.text().split(","))):
            old, sep, new = part.partition("=")
            if not sep or not old.strip() or not new.strip():
                self._refused(
                    self.tr("Rename incoming cases: “{0}” is not CODE=NEW-CODE").format(part)
                )
                return None
            pairs.append((old.strip(), new.strip()))
        try:
            renames = rename_map(pairs, self.tr("Rename incoming cases:"))
        except VfaError as exc:
            self._refused(str(exc))
            return None
        same = {p.strip() for p in self.same.text().split(",") if p.strip()}
        return renames, same

    # -- off the GUI thread -------------------------------------------------------------------
    def replan(self) -> None:
        """Read the other workspace and show what merging it would do (the dry run)."""
        path = self.other.text().strip()
        if not path:
            return
        options = self._options()
        if options is None:
            return
        self.cancel()
        ws, viewer, secret = self.ws, self.viewer, self._passphrase(path)
        renames, same = options

        def work(ctx: TaskContext) -> MergeReport | PassphraseError:
            try:
                return merge(ws, path, dry_run=True, progress=ctx.progress,
                             cancel=ctx.cancelled, renames=renames, same_cases=same,
                             viewer=viewer, passphrase=secret)  # fmt: skip
            except PassphraseError as exc:  # asked for on the GUI thread
                return exc

        self.report = None
        self.summary.setText(self.tr("Reading {0}…").format(path))
        self._start(work, lambda result: self._planned(result, path))

    def do_merge(self) -> None:
        """Write the merge shown (off the GUI thread)."""
        report, options = self.report, self._options()
        if report is None or report.conflicts or options is None or self._job is not None:
            return
        ws, viewer, path = self.ws, self.viewer, report.source
        secret = self._passphrase(path)
        renames, same = options

        def work(ctx: TaskContext) -> MergeReport:
            return merge(ws, path, progress=ctx.progress, cancel=ctx.cancelled,
                         renames=renames, same_cases=same, viewer=viewer,
                         passphrase=secret)  # fmt: skip

        self.summary.setText(self.tr("Merging {0}…").format(path))
        self._start(work, self._merged)

    def _passphrase(self, path: str) -> Passphrase | None:
        """The passphrase given here for the file at ``path``, if any."""
        return self._secret[1] if self._secret is not None and self._secret[0] == path else None

    def _ask_passphrase(self, path: str, problem: PassphraseError) -> None:
        """The file is encrypted: ask for its passphrase (saying so after a wrong one),
        then read it again; cancelled, say it was not merged."""

        def given(secret: Passphrase | None) -> None:
            if secret is None:
                self._secret = None
                self._refused(
                    self.tr(
                        "{0} was not merged: it is encrypted, and no passphrase was given."
                    ).format(path)
                )
                self.summary.setText(self.tr("This workspace cannot be merged:"))
                self.planned.emit(None)
                return
            self._secret = (path, secret)
            self.replan()

        self.summary.setText(self.tr("{0} is encrypted.").format(path))
        ask_passphrase(self, path, isinstance(problem, WrongPassphraseError), given)

    def _start(
        self,
        work: Callable[[TaskContext], MergeReport | PassphraseError],
        done: Callable[[MergeReport | PassphraseError | None], None],
    ) -> None:
        job = BackgroundJob(work, self)
        job.progress.connect(lambda f: self.progress.setValue(int(f * 1000)))
        job.finished.connect(done)
        job.failed.connect(self._failed)
        self._job = job
        self.merge_button.setEnabled(False)
        self.progress.setValue(0)
        self.progress.show()
        self.stop.show()
        job.start()

    def cancel(self) -> None:
        """Stop reading or merging; nothing is changed."""
        if self._job is not None:
            self._job.cancel()
            self._job = None
            self.summary.setText(self.tr("Stopped; nothing was changed."))
        self.progress.hide()
        self.stop.hide()

    def busy(self) -> bool:
        """Whether a dry run or a merge is running."""
        return self._job is not None

    def reject(self) -> None:
        """Close; a dry run or merge still running stops first (nothing is changed)."""
        self.cancel()
        super().reject()

    def _idle(self) -> None:
        self._job = None
        self.progress.hide()
        self.stop.hide()

    def _failed(self, message: str) -> None:
        self._idle()
        self.report = None
        self.counts.setRowCount(0)
        self._refused(message)
        self.summary.setText(self.tr("This workspace cannot be merged:"))
        self.planned.emit(None)

    def _refused(self, message: str) -> None:
        self.problems.clear()
        item = QListWidgetItem(message)
        item.setForeground(REFUSED)
        self.problems.addItem(item)
        self.merge_button.setEnabled(False)

    def _planned(self, report: MergeReport | PassphraseError | None, path: str = "") -> None:
        self._idle()
        if isinstance(report, PassphraseError):
            self._ask_passphrase(path, report)
            return
        if report is None:
            return
        self.report = report
        self._show(report)
        if len(report.conflicts) == 1:
            self.summary.setText(
                self.tr(
                    "A coding changed on both sides since the workspaces parted: the merge "
                    "would be refused. Decide with its coder which to keep."
                )
            )
        elif report.conflicts:
            self.summary.setText(
                self.tr(
                    "{0} codings changed on both sides since the workspaces parted: the merge "
                    "would be refused. Decide with their coders which to keep."
                ).format(len(report.conflicts))
            )
        else:
            self.summary.setText(self.tr("Merging {0} would do this:").format(report.source))
        changes = any(t.added or t.updated or t.removed for t in report.tallies.values())
        self.merge_button.setEnabled(not report.conflicts and (changes or report.hidden_runs > 0))
        self.planned.emit(report)

    def _merged(self, report: MergeReport | PassphraseError | None) -> None:
        self._idle()
        if not isinstance(report, MergeReport):
            return
        self.outcome = report
        self._show(report)
        if report.written:
            text = self.tr("Merged {0}.").format(report.source)
            if report.backup:
                text += " " + self.tr("The state before is kept as {0}.").format(report.backup)
        else:
            text = self.tr("Everything in {0} is already here.").format(report.source)
        self.summary.setText(text)
        self.merge_button.setEnabled(False)
        self.merged.emit(report)

    def _show(self, report: MergeReport) -> None:
        names = kind_names()
        shown = [(k, t) for k, t in report.tallies.items() if any(t.as_dict().values())]
        self.counts.setRowCount(len(shown))
        self.counts.setVerticalHeaderLabels([names[k] for k, _ in shown])
        for row, (_kind, tally) in enumerate(shown):
            for col, n in enumerate((tally.added, tally.updated, tally.removed, tally.skipped)):
                cell = QTableWidgetItem(str(n))
                cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.counts.setItem(row, col, cell)
        self._fit_counts()
        self.problems.clear()
        for conflict in report.conflicts:
            item = QListWidgetItem(self.tr("Changed on both sides — {0}").format(conflict.text()))
            item.setForeground(REFUSED)
            self.problems.addItem(item)
        if report.hidden_runs == 1:
            self.problems.addItem(
                self.tr("A coding is blind coding hidden from you: it is merged, not counted.")
            )
        elif report.hidden_runs:
            self.problems.addItem(
                self.tr(
                    "{0} codings are blind coding hidden from you: they are merged, not counted."
                ).format(report.hidden_runs)
            )
        for note in report.notes:
            self.problems.addItem(note)

    def _fit_counts(self) -> None:
        """The summary as tall as its rows, so that no kind is scrolled out of sight."""
        table = self.counts
        rows = sum(table.rowHeight(r) for r in range(table.rowCount()))
        table.setFixedHeight(
            table.horizontalHeader().sizeHint().height() + rows + 2 * table.frameWidth()
        )


def start_folder(ws: Workspace, chosen: str = "") -> str:
    """Where choosing the workspace to merge starts: the folder of the one chosen
    before, else of this workspace's file (a laptop's file is often put beside it), else
    the home folder (never the folder VFA was started in)."""
    for path in (Path(chosen).expanduser() if chosen.strip() else None, ws.path):
        if path is not None and path.parent.is_dir():
            return str(path.parent)
    return str(Path.home())


def merge_into(session: CodingSession) -> MergeReport | None:
    """File → Merge workspace…: choose the workspace, see the dry run, merge; what was
    merged (None when nothing was). The session shows the workspace as it now is."""
    ws = session.ws
    assert ws is not None  # (the window asks for a workspace first)
    host = session.shell.host
    path, _ = QFileDialog.getOpenFileName(
        host,
        QCoreApplication.translate("MergeDialog", "Merge workspace"),
        start_folder(ws),
        QCoreApplication.translate("MergeDialog", "VFA workspace (*.vfa);;All files (*)"),
    )
    if not path:
        return None
    dialog = MergeDialog(ws, session.coder(), path, host)
    dialog.exec()
    report = dialog.outcome
    if report is None or not report.written:
        return None
    session.undo.clear()  # the steps were made on coding the merge may have replaced
    session.reload()
    session.shell.messages.info(
        QCoreApplication.translate("MergeDialog", "Merged {0}.").format(report.source), "merge"
    )
    return report
