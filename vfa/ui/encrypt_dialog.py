"""File → Encrypt workspace… and Decrypt workspace…: the open workspace file at rest.

Encrypt asks for a new passphrase twice and says that it cannot be recovered; an empty,
short or mismatched one is refused under the fields. Decrypt asks for the current
passphrase, which is tried off the GUI thread first: a wrong one is said under the field
and the workspace stays open. Then the window lets go of the workspace, the file (and its
backups) is converted off the GUI thread (a bar, and Cancel: it stops while nothing has
changed, see services/encryption.py), and the window opens the same workspace again, at
the clip and frame it showed. Both are disabled, saying why, on a team database, on a
workspace open read-only, and while VFA still reads new clips or makes a backup.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, QTimer, Signal, SignalInstance
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from vfa.services.encryption import (
    MIN_NEW_LENGTH,
    Conversion,
    EncryptionCancelled,
    Passphrase,
    decrypt_workspace,
    encrypt_workspace,
    opens,
)
from vfa.services.workspaces import Workspace
from vfa.ui.backups_dialog import WorkspaceSafety
from vfa.ui.browser import ClipBrowser
from vfa.ui.changes import Change, RunOpened
from vfa.ui.clip_hashing import ContentHasher
from vfa.ui.forms import act_buttons, labelled
from vfa.ui.messages import Level, MessageBar, inline_label, set_inline_level
from vfa.ui.player_view import PlayerView
from vfa.ui.session import CodingSession
from vfa.ui.tasks import BackgroundJob, TaskContext

ENCRYPT, DECRYPT = "workspace.encrypt", "workspace.decrypt"


class CipherDialog(QDialog):
    """The passphrase to encrypt the workspace ``name`` with (twice), or to decrypt it
    with; then the conversion's progress, with Cancel stopping it."""

    submitted = Signal(object)  # the Passphrase entered (checked as far as it can be here)
    stop_requested = Signal()

    def __init__(self, name: str, encrypting: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.encrypting = encrypting
        self.setObjectName("encryptDialog" if encrypting else "decryptDialog")
        self.setMinimumWidth(460)
        if encrypting:
            self.setWindowTitle(self.tr("Encrypt workspace"))
            intro = self.tr(
                "Encrypt {0} and its backups with a passphrase. VFA asks for it whenever "
                "the workspace is opened."
            )
            warning = self.tr(
                "The passphrase cannot be recovered: if it is lost, nobody can open the "
                "workspace or its backups again. Keep it somewhere safe."
            )
        else:
            self.setWindowTitle(self.tr("Decrypt workspace"))
            intro = self.tr("Decrypt {0} and its backups: enter its passphrase.")
            warning = self.tr(
                "Once decrypted, the workspace and its backups are plain files: anyone who "
                "has a copy can read them."
            )
        self.intro = QLabel(intro.format(name))
        self.intro.setWordWrap(True)
        self.warning = inline_label(Level.WARNING, "cipherWarning")
        self.warning.setText(warning)
        self.field = self._secret_field("passphraseField", self.tr("Passphrase"))
        self.again = self._secret_field("passphraseAgain", self.tr("Passphrase again"))
        form = QFormLayout()
        form.addRow(labelled(self.tr("&Passphrase:"), self.field), self.field)
        if encrypting:
            form.addRow(labelled(self.tr("&Again:"), self.again), self.again)
        else:
            self.again.hide()
        self.problem = inline_label(Level.ERROR, "cipherProblem")
        self.problem.hide()
        self.progress = QProgressBar()
        self.progress.setObjectName("cipherProgress")
        self.progress.setRange(0, 1000)
        self.progress.setAccessibleName(self.tr("Progress"))
        self.progress.hide()
        self.buttons, self.act = act_buttons(
            self,
            QDialogButtonBox.StandardButton.Cancel,
            self.tr("&Encrypt") if encrypting else self.tr("&Decrypt"),
            "cipherButton",
            self._submit,
        )
        self.act.setEnabled(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.warning)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.progress)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.busy = False

    def _secret_field(self, name: str, accessible: str) -> QLineEdit:
        field = QLineEdit()
        field.setObjectName(name)
        field.setEchoMode(QLineEdit.EchoMode.Password)
        field.setAccessibleName(accessible)
        return field

    def _submit(self) -> None:
        """Check what was typed; a passphrase that will do goes to ``submitted``."""
        if self.busy:
            return
        text = self.field.text()
        if not text:
            self.say(self.tr("Enter a passphrase."), self.field)
            return
        if self.encrypting and len(text) < MIN_NEW_LENGTH:
            self.say(
                self.tr(
                    "The passphrase has {0} characters; give one of at least {1} (a few "
                    "unrelated words are easy to type and hard to guess)."
                ).format(len(text), MIN_NEW_LENGTH),
                self.field,
            )
            return
        if self.encrypting and text != self.again.text():
            self.say(self.tr("The two passphrases differ: type the same one twice."), self.again)
            return
        secret = Passphrase(text)
        self.field.clear()  # the fields keep no copy
        self.again.clear()
        self.working(
            self.tr("Encrypting…") if self.encrypting else self.tr("Checking the passphrase…")
        )
        self.submitted.emit(secret)

    def say(self, text: str, focus: QWidget | None = None, level: Level = Level.ERROR) -> None:
        """Show a problem (or a note) under the fields; the dialog takes input again."""
        self._idle()
        set_inline_level(self.problem, level)
        self.problem.setText(text)
        self.problem.show()
        (focus or self.field).setFocus()

    def working(self, text: str) -> None:
        """The work has begun: the fields wait, the bar shows, Cancel stops it."""
        self.busy = True
        for widget in (self.field, self.again, self.act):
            widget.setEnabled(False)
        set_inline_level(self.problem, Level.INFO)
        self.problem.setText(text)
        self.problem.show()
        self.progress.setValue(0)
        self.progress.show()

    def show_progress(self, fraction: float) -> None:
        self.progress.setValue(int(fraction * 1000))

    def _idle(self) -> None:
        self.busy = False
        for widget in (self.field, self.again, self.act):
            widget.setEnabled(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setEnabled(True)
        self.progress.hide()

    def reject(self) -> None:
        """Cancel: close, or while the work runs, stop it (the dialog closes once it has
        stopped; nothing is changed)."""
        if not self.busy:
            super().reject()
            return
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setEnabled(False)
        self.problem.setText(self.tr("Stopping…"))
        self.stop_requested.emit()


class Window(Protocol):
    """What the main window gives: its workspace (letting go of it and opening it again),
    what it shows, its actions, and the long work it may be doing."""

    session: CodingSession
    actions_by_id: dict[str, QAction]
    hasher: ContentHasher
    safety: WorkspaceSafety
    player_view: PlayerView
    browser: ClipBrowser
    messages: MessageBar
    workspace_opened: SignalInstance

    @property
    def ws(self) -> Workspace | None: ...
    @property
    def current_clip(self) -> int | None: ...
    def close_workspace(self) -> None: ...
    def open_workspace_at(self, target: str, passphrase: Passphrase | None = None) -> None: ...
    def open_clip(self, clip_id: int) -> None: ...
    def show_error(self, message: str, topic: str = "") -> None: ...


@dataclass(frozen=True)
class _Return:
    """Where the window was, to show it again once the workspace is open again."""

    path: Path
    clip: int | None
    frame: int | None
    said: str = ""
    level: Level = Level.INFO


class WorkspaceCipher(QObject):
    """File → Encrypt workspace… and Decrypt workspace… for the window's workspace."""

    def __init__(self, window: Window, host: QWidget) -> None:
        super().__init__(host)
        self.window, self.host = window, host  # (the window, as a widget: dialogs' parent)
        self.actions = {key: window.actions_by_id[key] for key in (ENCRYPT, DECRYPT)}
        self._tips = {
            ENCRYPT: self.tr("Encrypt the workspace file and its backups with a passphrase"),
            DECRYPT: self.tr("Store the workspace file and its backups unencrypted again"),
        }
        self.actions[ENCRYPT].triggered.connect(lambda _checked=False: self.encrypt())
        self.actions[DECRYPT].triggered.connect(lambda _checked=False: self.decrypt())
        for action in self.actions.values():
            for menu in action.associatedObjects():
                if isinstance(menu, QMenu):
                    menu.aboutToShow.connect(self.refresh)  # (long work may have ended)
        window.session.changed.connect(self._changed)
        window.hasher.hashed.connect(lambda _ids: self.refresh())
        window.hasher.failed.connect(lambda _text: self.refresh())
        window.safety.busy_changed.connect(lambda _busy: self.refresh())
        window.workspace_opened.connect(self._opened)
        self.dialog: CipherDialog | None = None
        self._stop = threading.Event()
        self._back: _Return | None = None
        self.refresh()

    # -- when they can be used -------------------------------------------------------
    def why_not(self, encrypting: bool) -> str | None:
        """Why the open workspace cannot be encrypted (or decrypted) now; None if it can."""
        ws = self.window.session.ws  # (let go of before the window's own)
        if ws is None:
            return self.tr("Open a workspace first.")
        if ws.path is None:
            return self.tr(
                "A team database is kept safe by its server (its disks and its "
                "connections), not encrypted by VFA."
            )
        if ws.read_only is not None:
            return self.tr("{0} is open read-only ({1}): it cannot be changed.").format(
                ws.label, ws.read_only
            )
        if encrypting and ws.passphrase is not None:
            return self.tr(
                "The workspace is encrypted already. To change its passphrase, decrypt it, "
                "then encrypt it again."
            )
        if not encrypting and ws.passphrase is None:
            return self.tr("The workspace is not encrypted.")
        if self.window.hasher.busy():
            return self.tr(
                "VFA is still reading the content of new clips; try again when it has finished."
            )
        if self.window.safety.busy():
            return self.tr("VFA is backing up the workspace; try again when it has finished.")
        return None

    def refresh(self) -> None:
        """Enable each action when it can be used, else disable it saying why."""
        for key, action in self.actions.items():
            why = self.why_not(key == ENCRYPT)
            action.setEnabled(why is None and self.dialog is None)
            action.setToolTip(why if why is not None else self._tips[key])

    def _changed(self, change: Change) -> None:
        if isinstance(change, RunOpened):  # (another workspace, or none)
            self.refresh()

    # -- the acts ----------------------------------------------------------------------
    def encrypt(self) -> None:
        """File → Encrypt workspace…"""
        self._ask(True)

    def decrypt(self) -> None:
        """File → Decrypt workspace…"""
        self._ask(False)

    def _ask(self, encrypting: bool) -> None:
        ws = self.window.session.ws
        why = self.why_not(encrypting)
        if why is not None or ws is None:
            self.window.show_error(why or "", "workspace.encrypt")
            return
        dialog = CipherDialog(ws.name, encrypting, self.host)
        dialog.submitted.connect(lambda secret: self._start(dialog, ws, secret))
        dialog.stop_requested.connect(self._stop.set)
        self.dialog = dialog
        self.refresh()
        try:
            dialog.exec()
        finally:
            self.dialog = None
            dialog.deleteLater()
            self.refresh()

    def _start(self, dialog: CipherDialog, ws: Workspace, secret: Passphrase) -> None:
        """Encrypt now; decrypt once the passphrase proves to open the file."""
        path = ws.path
        assert path is not None
        if dialog.encrypting:
            self._convert(dialog, path, secret)
            return

        def checked(right: bool) -> None:
            if self._stop.is_set():
                dialog.done(QDialog.DialogCode.Rejected)
            elif right:
                self._convert(dialog, path, secret)
            else:
                dialog.say(self.tr("Wrong passphrase. Try again, or cancel."))

        job = BackgroundJob(lambda ctx: opens(path, secret), self)
        job.finished.connect(checked)
        job.failed.connect(dialog.say)
        self._stop.clear()
        job.start()

    def _convert(self, dialog: CipherDialog, path: Path, secret: Passphrase) -> None:
        """Let go of the workspace, convert it off the GUI thread, open it again."""
        window = self.window
        frame = window.player_view.current_frame()[0] if window.player_view.info else None
        self._back = _Return(path, window.current_clip, frame)
        self._stop.clear()
        window.close_workspace()
        dialog.working(self.tr("Encrypting…") if dialog.encrypting else self.tr("Decrypting…"))
        convert = encrypt_workspace if dialog.encrypting else decrypt_workspace
        stop = self._stop

        def work(ctx: TaskContext) -> Conversion | None:
            try:
                return convert(path, secret, progress=ctx.progress, cancel=stop.is_set)
            except EncryptionCancelled:
                return None

        job = BackgroundJob(work, self)
        job.progress.connect(dialog.show_progress)
        job.finished.connect(lambda done: self._converted(dialog, secret, done))
        job.failed.connect(lambda text: self._failed(dialog, text))
        job.start()

    def _converted(self, dialog: CipherDialog, secret: Passphrase, done: Conversion | None) -> None:
        back = self._back
        assert back is not None
        if done is None:
            said = (
                self.tr("{0} was not encrypted: stopped; nothing was changed.")
                if dialog.encrypting
                else self.tr("{0} was not decrypted: stopped; nothing was changed.")
            )
            self._back = _Return(back.path, back.clip, back.frame, said.format(back.path))
            dialog.done(QDialog.DialogCode.Rejected)
            self.window.open_workspace_at(str(back.path))
            return
        if done.encrypted:
            said = self.tr(
                "Encrypted {0} and {1} backup(s). Keep the passphrase safe: without it "
                "nobody can open the workspace."
            )
        else:
            said = self.tr("Decrypted {0} and {1} backup(s): they are plain files again.")
        text = said.format(done.path, done.backups)
        level = Level.INFO
        if done.left:
            text += "\n" + self.tr("Left as they were: {0}").format("; ".join(done.left))
            level = Level.WARNING
        self._back = _Return(back.path, back.clip, back.frame, text, level)
        dialog.done(QDialog.DialogCode.Accepted)
        self.window.open_workspace_at(str(done.path), secret if done.encrypted else None)

    def _failed(self, dialog: CipherDialog, text: str) -> None:
        """Nothing was changed: the workspace opens again, and the window says why."""
        back = self._back
        assert back is not None
        self._back = _Return(back.path, back.clip, back.frame, text, Level.ERROR)
        dialog.done(QDialog.DialogCode.Rejected)
        self.window.open_workspace_at(str(back.path))

    def _opened(self, ws: Workspace) -> None:
        """The workspace is open again: show the clip and frame it showed (once the
        window has shown the clip it opens itself), and say what was done."""
        back, self._back = self._back, None
        if back is None or ws.path is None or ws.path != back.path:
            return
        QTimer.singleShot(0, self, lambda: self._return_to(ws, back))

    def _return_to(self, ws: Workspace, back: _Return) -> None:
        window = self.window
        if window.ws is not ws:
            return
        listed = window.browser.clip_ids()  # (still there, and shown to this person)
        if back.clip is not None and back.clip != window.current_clip and back.clip in listed:
            window.open_clip(back.clip)
        if back.frame is not None and window.current_clip == back.clip:
            window.player_view.show_frame(back.frame)
        if back.said:
            window.messages.show_message(back.said, back.level, "workspace.encrypt")
