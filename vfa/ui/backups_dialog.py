"""File → Backups…: the workspace's backups, a backup now, restoring one; and
Help → Check workspace."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from html import escape
from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from vfa.services import backups as backup_service
from vfa.services.backups import Backup
from vfa.services.check import Finding
from vfa.services.schemes import SchemeLookup
from vfa.services.workspaces import Workspace
from vfa.ui.changes import Change, RunOpened
from vfa.ui.forms import close_button, labelled
from vfa.ui.session import CodingSession
from vfa.ui.tasks import BackgroundJob, TaskContext, run_task


def _reason(reason: str) -> str:
    """Why a backup was made, as the list says it."""
    said = {
        "open": QCoreApplication.translate("Backups", "when the workspace opened"),
        "daily": QCoreApplication.translate("Backups", "daily"),
        "manual": QCoreApplication.translate("Backups", "made by hand"),
        "before-restore": QCoreApplication.translate("Backups", "the state before a restore"),
        "before-encrypt": QCoreApplication.translate("Backups", "the state before encrypting"),
        "before-decrypt": QCoreApplication.translate("Backups", "the state before decrypting"),
        "before-merge": QCoreApplication.translate("Backups", "the state before a merge"),
    }
    return said.get(reason, reason)


def _size(n: int) -> str:
    """A file's size in the user's language (``12 bytes``, ``2.0 kB``)."""
    return QLocale().formattedDataSize(n, 1, QLocale.DataSizeFormat.DataSizeTraditionalFormat)


class BackupsDialog(QDialog):
    """The workspace's backups, newest first; back up now; restore the chosen one.

    ``restore`` is called with the chosen backup: the window closes the workspace (so
    that it is no longer held open), restores, and opens it again.
    """

    def __init__(
        self, ws: Workspace, restore: Callable[[Backup], None], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Backups of {0}").format(ws.name))
        self.ws = ws
        self._restore = restore
        intro = QLabel(
            self.tr(
                "VFA copies the workspace into the backups folder beside it when it opens "
                "(if it changed) and once a day while it is open. Restoring keeps the "
                "current state as a backup first."
            )
        )
        intro.setWordWrap(True)
        self.list = QTreeWidget()
        self.list.setObjectName("backupList")
        self.list.setAccessibleName(self.tr("Backups"))
        self.list.setHeaderLabels([self.tr("Made"), self.tr("Why"), self.tr("Size")])
        self.list.setRootIsDecorated(False)
        self.list.itemSelectionChanged.connect(self._selection_changed)
        self.keep = QSpinBox()
        self.keep.setRange(1, backup_service.MAX_KEEP)
        self.keep.setValue(backup_service.keep_count(ws))
        self.keep.valueChanged.connect(lambda n: backup_service.set_keep_count(ws, n))
        self.now = QPushButton(self.tr("Back up now"))
        self.now.clicked.connect(self.back_up_now)
        self.restore_button = QPushButton(self.tr("Restore…"))
        self.restore_button.setEnabled(False)
        self.restore_button.clicked.connect(self.restore_chosen)
        row = QHBoxLayout()
        row.addWidget(labelled(self.tr("Keep the newest"), self.keep))
        row.addWidget(self.keep)
        row.addStretch(1)
        row.addWidget(self.now)
        row.addWidget(self.restore_button)
        close = close_button(self)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addLayout(row)
        layout.addWidget(close)
        self.resize(620, 380)
        enabled = ws.path is not None and ws.read_only is None
        for widget in (self.now, self.keep):
            widget.setEnabled(enabled)
        if ws.path is None:
            intro.setText(self.tr("A team database is backed up by its server, not by VFA."))
        self.refresh()

    def refresh(self) -> None:
        self.list.clear()
        for backup in backup_service.backups_of(self.ws):
            item = QTreeWidgetItem(
                [
                    backup.made.strftime("%Y-%m-%d %H:%M:%S"),
                    _reason(backup.reason),
                    _size(backup.size),
                ]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, backup)
            item.setToolTip(0, str(backup.path))
            self.list.addTopLevelItem(item)
        for column in range(3):
            self.list.resizeColumnToContents(column)

    def chosen(self) -> Backup | None:
        items = self.list.selectedItems()
        return items[0].data(0, Qt.ItemDataRole.UserRole) if items else None

    def _selection_changed(self) -> None:
        self.restore_button.setEnabled(self.chosen() is not None and self.ws.path is not None)

    def back_up_now(self) -> None:
        run_task(
            self,
            self.tr("Backing up…"),
            lambda ctx: backup_service.backup_now(self.ws),
            lambda _path: self.refresh(),
            self._failed,
        )

    def _failed(self, message: str) -> None:
        QMessageBox.warning(self, self.tr("Backup"), message)

    def restore_chosen(self) -> None:
        backup = self.chosen()
        if backup is None:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Restore a backup"),
            self.tr(
                "Put the workspace back as it was on {0}? Its current state is kept as a "
                "backup first, so nothing is lost."
            ).format(backup.made.strftime("%Y-%m-%d %H:%M:%S")),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.accept()
            self._restore(backup)


class CheckDialog(QDialog):
    """What ``vfa check`` found, with what to do about each problem."""

    def __init__(self, label: str, findings: list[Finding], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Check workspace"))
        summary = QLabel(
            self.tr("{0}: all is well.").format(label)
            if not findings
            else self.tr("{0}: {1} problem(s) found.").format(label, len(findings))
        )
        summary.setObjectName("checkSummary")
        summary.setWordWrap(True)
        # every finding in full, wrapped: a path or a reason is never cut off
        self.list = QTextBrowser()
        self.list.setObjectName("checkFindings")
        self.list.setOpenLinks(False)
        self.list.setHtml(
            "".join(
                f"<p><b>{escape(f.place)}</b>: {escape(f.problem)}<br>"
                f"<i>{escape(self.tr('What to do'))}:</i> {escape(f.advice)}</p>"
                for f in findings
            )
        )
        self.list.setVisible(bool(findings))
        buttons = close_button(self)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.resize(760, 360 if findings else 120)


def check_in_background(
    parent: QWidget,
    ws: Workspace,
    done: Callable[[list[Finding]], None],
    failed: Callable[[str], Any],
    find_scheme: SchemeLookup,
) -> None:
    """Run the workspace check off the GUI thread (schemes looked up with ``find_scheme``:
    the window's library)."""
    from vfa.services.check import check_workspace
    from vfa.services.workspaces import open_workspace

    def work(ctx: TaskContext) -> list[Finding]:
        if ws.path is None:
            return check_workspace(ws, find_scheme)
        reader = open_workspace(ws.path, read_only=True)  # the check changes nothing
        try:
            return check_workspace(reader, find_scheme)
        finally:
            reader.close()

    label = QCoreApplication.translate("Backups", "Checking the workspace…")
    run_task(parent, label, work, done, failed)


class WorkspaceSafety(QObject):
    """Backups when a workspace opens and daily while it is open; File → Backups… and
    Help → Check workspace, for the session's workspace. Restoring a backup asks the
    window to close the workspace (``close``) and to open it again (``open_at``)."""

    busy_changed = Signal(bool)  # a backup began (True) or ended (False)

    def __init__(
        self, session: CodingSession, close: Callable[[], None], open_at: Callable[[str], None]
    ) -> None:
        super().__init__(session)
        self.session, self.shell = session, session.shell
        self._close, self._open_at = close, open_at
        self._opened: Workspace | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(60 * 60 * 1000)  # looks hourly; backs up when a day has passed
        self.timer.timeout.connect(lambda: self._backup("daily", backup_service.DAILY))
        session.changed.connect(self._changed)
        self.job: BackgroundJob | None = None

    def _changed(self, change: Change) -> None:
        """Another workspace: back it up now (and daily from now on)."""
        if isinstance(change, RunOpened) and self.session.ws is not self._opened:
            self._opened = self.session.ws
            self.timer.stop()
            if self._opened is not None:
                self._backup("open", dt.timedelta(0))
                self.timer.start()

    def _error(self, message: str) -> None:
        self.shell.messages.error(message)

    def _backup(self, reason: str, max_age: dt.timedelta) -> None:
        ws = self.session.ws
        if ws is None or ws.path is None or ws.read_only is not None:
            return
        job = BackgroundJob(lambda ctx: backup_service.backup_if_due(ws, reason, max_age), self)
        job.failed.connect(self._error)
        job.finished.connect(self._backed_up)
        job.failed.connect(lambda _text: self._over(job))
        job.finished.connect(lambda _path: self._over(job))
        self.job = job.start()
        self.busy_changed.emit(True)

    def busy(self) -> bool:
        """Whether a backup is being made."""
        return self.job is not None

    def _over(self, job: BackgroundJob) -> None:
        if self.job is job:  # (not an earlier one)
            self.job = None
            self.busy_changed.emit(False)

    def _backed_up(self, path: object) -> None:
        if path is not None:  # (short: a path is cut off beside the status bar's notes)
            self.shell.note(self.tr("Workspace backed up (File → Backups… lists the backups)"))

    def show_backups(self) -> None:
        if self.session.ws is not None:
            BackupsDialog(self.session.ws, self.restore, self.shell.host).exec()

    def restore(self, backup: Backup) -> None:
        """Close the workspace here, put the backup back, open it again."""
        ws = self.session.ws
        if ws is None or ws.path is None:
            return
        path = ws.path
        self._close()

        def reopen(message: str | None) -> None:
            if message:
                self._error(message)
            self._open_at(str(path))

        run_task(
            self.shell.host,
            self.tr("Restoring the backup…"),
            lambda ctx: backup_service.restore_backup(path, backup.path),
            lambda _result: reopen(None),
            reopen,
        )

    def _show_findings(self, label: str, findings: list[Finding]) -> None:
        CheckDialog(label, findings, self.shell.host).exec()

    def check(self) -> None:
        ws = self.session.ws
        if ws is not None:
            check_in_background(
                self.shell.host,
                ws,
                lambda findings: self._show_findings(ws.label, findings),
                self._error,
                self.session.schemes.get,
            )
