"""The window's file operations: opening, making and merging workspaces, adding clips (by
the dialog or by a drop), relinking moved clips and checking clip files, each off the GUI
thread. :class:`MainWindow` is made from this base; it supplies the workspace shown and
the methods listed below."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QFileDialog, QMainWindow

from vfa.errors import PassphraseError, VfaError, WrongPassphraseError
from vfa.services import clips as clip_service
from vfa.services import workspaces
from vfa.services.encryption import Passphrase
from vfa.services.workspaces import Workspace
from vfa.ui.browser import ClipBrowser
from vfa.ui.clip_hashing import ContentHasher
from vfa.ui.dialogs import AddClipDialog
from vfa.ui.messages import Level, MessageBar, note
from vfa.ui.passphrase_dialog import ask_passphrase
from vfa.ui.person import PersonGate
from vfa.ui.session import CodingSession
from vfa.ui.tasks import TaskContext, run_task


class FileActions(QMainWindow):
    """Workspaces and clip files, for the main window."""

    clips_added = Signal(list)

    # what the window supplies
    ws: Workspace | None
    session: CodingSession
    current_clip: int | None
    browser: ClipBrowser
    hasher: ContentHasher
    messages: MessageBar
    people: PersonGate

    def set_workspace(self, ws: Workspace) -> None:
        """Show an open workspace (the window's)."""
        raise NotImplementedError

    def open_clip(self, clip_id: int) -> None:
        """Show a clip (the window's)."""
        raise NotImplementedError

    def refresh_browser(self) -> None:
        """List the workspace's clips again (the window's)."""
        raise NotImplementedError

    # -- messages -------------------------------------------------------------------
    def show_error(self, message: str, topic: str = "") -> None:
        """Show a problem in the window's message bar (never a crash); it stays until the
        topic's next message (its success) replaces it, or it is dismissed."""
        self.messages.error(message, topic)

    def show_warning(self, message: str, topic: str = "") -> None:
        """A warning in the message bar, in place of the topic's last message."""
        self.messages.warning(message, topic)

    def show_info(self, message: str, topic: str = "") -> None:
        """A success: shown (not in red) in place of the topic's problem; goes by itself."""
        self.messages.info(message, topic)

    def note(self, text: str) -> None:
        """A passing note in the status bar (it times out)."""
        note(self.statusBar(), text)

    def _run(
        self,
        label: str,
        fn: Callable[[TaskContext], Any],
        on_done: Callable[[Any], None],
        topic: str,
    ) -> None:
        """Run ``fn`` in the background; its failure is shown under ``topic`` and its
        success (``on_done``) clears that."""

        def done(result: Any) -> None:
            if self.messages.level(topic) in (Level.ERROR, Level.WARNING):
                self.messages.clear(topic)  # it worked this time
            on_done(result)

        run_task(self, label, fn, done, lambda text: self.show_error(text, topic))

    def open_workspace_at(self, target: str, passphrase: Passphrase | None = None) -> None:
        """Open a workspace (migrating it if needed) off the GUI thread; an encrypted one
        asks for its passphrase (again after a wrong one) and opens with it."""

        def work(ctx: TaskContext) -> Workspace | PassphraseError:
            try:
                return workspaces.open_workspace(target, passphrase=passphrase)
            except PassphraseError as exc:  # asked for on the GUI thread
                return exc

        def done(result: Workspace | PassphraseError) -> None:
            if isinstance(result, PassphraseError):
                wrong = isinstance(result, WrongPassphraseError)
                ask_passphrase(self, target, wrong, lambda p: self._with_passphrase(target, p))
            else:
                self.set_workspace(result)

        self._run(self.tr("Opening workspace…"), work, done, "workspace")

    def _with_passphrase(self, target: str, passphrase: Passphrase | None) -> None:
        if passphrase is None:
            self.show_info(
                self.tr("{0} was not opened: it is encrypted, and no passphrase was given.").format(
                    target
                ),
                "workspace",
            )
        else:
            self.open_workspace_at(target, passphrase)

    def open_demo(self, target: str | None = None) -> None:
        """Open the demo workspace, generating its clip on first use."""

        def work(ctx: TaskContext) -> Workspace:
            return workspaces.open_demo(target, progress=ctx.progress)

        self._run(self.tr("Preparing the demo workspace…"), work, self._demo_ready, "workspace")

    def _demo_ready(self, ws: Workspace) -> None:
        self.set_workspace(ws)
        first = next(
            (k.id for c in clip_service.catalog(ws) for s in c.sessions for k in s.clips), None
        )
        if first is not None and self.current_clip is None:  # (else: the clip last open)
            self.open_clip(first)

    def new_workspace(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("New workspace"),
            str(Path.home() / "workspace.vfa"),
            self.tr("VFA workspace (*.vfa)"),
        )
        if path:
            if not path.endswith(".vfa"):
                path += ".vfa"
            self._run(
                self.tr("Creating workspace…"),
                lambda ctx: workspaces.new_workspace(path),
                self._new_workspace_made,
                "workspace",
            )

    def _new_workspace_made(self, ws: Workspace) -> None:
        self.people.name_new(ws)  # who signs the coding in it, when nobody has said
        self.set_workspace(ws)

    def choose_workspace(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Open workspace"),
            str(Path.home()),
            self.tr("VFA workspace (*.vfa);;All files (*)"),
        )
        if path:
            self.open_workspace_at(path)

    def merge_workspace(self) -> None:
        """File → Merge workspace…: another workspace's work (a laptop's) brought in."""
        from vfa.ui.merge_dialog import merge_into

        if self.ws is None:
            self.show_error(self.tr("Open a workspace first."), "workspace")
            return
        if merge_into(self.session) is not None:
            self.refresh_browser()

    def choose_clips(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self,
            self.tr("Add clips"),
            str(Path.home()),
            self.tr(
                "Video files (*.mp4 *.mov *.m4v *.mkv *.avi *.mts *.m2ts *.webm *.3gp *.mpg);;"
                "All files (*)"
            ),
        )
        if files:
            self.add_files([Path(f) for f in files])

    def add_files(
        self, files: list[Path], case: str | None = None, session: str | None = None
    ) -> None:
        """Ask for case and session (unless given), then probe and add in the background."""
        if self.ws is None:
            self.show_error(self.tr("Open or create a workspace before adding clips."), "clips.add")
            return
        ws = self.ws
        if case is None or session is None:
            sel_case, sel_session = self.browser.selected_case_session()
            dialog = AddClipDialog(files, clip_service.catalog(ws), sel_case, sel_session, self)
            if dialog.exec() != AddClipDialog.DialogCode.Accepted:
                return
            case, session, context, cycle = dialog.values()
        else:
            context, cycle = None, None

        def work(ctx: TaskContext) -> tuple[list[int], list[str]]:
            added: list[int] = []
            problems: list[str] = []
            for n, f in enumerate(files):
                if ctx.cancelled():
                    break
                try:
                    result = clip_service.add_clip(
                        ws, f, case, session, context=context, cycle=cycle
                    )
                    added.append(result.clip_id)
                except VfaError as exc:
                    problems.append(str(exc))
                ctx.progress((n + 1) / len(files))
            return added, problems

        self._run(self.tr("Adding clips…"), work, self._clips_added, "clips.add")

    def _clips_added(self, result: tuple[list[int], list[str]]) -> None:
        added, problems = result
        self.refresh_browser()
        if problems:
            self.show_error("\n".join(problems), "clips.add")
        elif added:
            self.show_info(self.tr("{0} clip(s) added.").format(len(added)), "clips.add")
        if added:
            self.open_clip(added[-1])
            if self.ws is not None:
                self.hasher.hash(self.ws, added)
        self.clips_added.emit(added)

    def choose_relink_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Folder the clips were moved to"))
        if folder and self.ws is not None:
            ws = self.ws
            self._run(
                self.tr("Looking for moved clips…"),
                lambda ctx: clip_service.relink(ws, folder, cancelled=ctx.cancelled),
                self._relinked,
                "clips.relink",
            )

    def _relinked(self, found: list[clip_service.ClipCheck]) -> None:
        self.refresh_browser()
        self.show_info(self.tr("Relinked {0} clip(s).").format(len(found)), "clips.relink")

    def check_clips(self) -> None:
        if self.ws is None:
            return
        ws = self.ws
        self._run(
            self.tr("Checking clip files…"),
            lambda ctx: clip_service.check_all(ws, progress=ctx.progress, cancelled=ctx.cancelled),
            self._checked,
            "clips.check",
        )

    def _checked(self, checks: list[clip_service.ClipCheck]) -> None:
        bad = [c.message for c in checks if c.state is not clip_service.ClipState.OK]
        if bad:
            self.show_error("\n".join(bad), "clips.check")
        else:
            self.show_info(
                self.tr("All {0} clip files are in place and unchanged.").format(len(checks)),
                "clips.check",
            )

    # -- drag and drop ------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        files = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if files:
            event.acceptProposedAction()
            self.add_files(files)
