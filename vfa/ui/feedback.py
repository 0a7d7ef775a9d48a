"""The feedback session in the window: the moments and reel panels, presentation mode,
consent and the reel's exports (off the GUI thread, cancellable)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QInputDialog

if TYPE_CHECKING:  # loaded when first used: exports and presentation are not start-up work
    from vfa.services.reel_export import ReelExport
    from vfa.ui.presentation import PresentationWindow

from vfa.errors import VfaError
from vfa.player.factory import create_player
from vfa.services import consent, moments
from vfa.services.audit import current_actor
from vfa.ui.changes import ConsentChanged
from vfa.ui.feedback_dialogs import ConsentDialog, ExportDialog
from vfa.ui.moments_panel import MomentsPanel
from vfa.ui.player_view import PlayerView
from vfa.ui.reel_panel import ReelPanel
from vfa.ui.save_dialogs import ask_save_file, confirm_replace_in
from vfa.ui.session import CodingSession
from vfa.ui.tasks import TaskContext, run_task


class FeedbackSession(QObject):
    """Owns the moments and reel panels and the feedback actions of the window."""

    def __init__(
        self, session: CodingSession, view: PlayerView, player_backend: Callable[[], str]
    ) -> None:
        super().__init__(session)
        self.session, self.view = session, view
        self.messages = session.shell.messages
        self.host = session.shell.host  # (the parent of dialogs and background work)
        self._backend = player_backend
        self.presentation: PresentationWindow | None = None
        self.last_export: ReelExport | None = None
        self.moments = MomentsPanel(session)
        self.reel = ReelPanel(session)
        self.moments.play_requested.connect(view.play_span)
        # the moment chosen in the list is the one its lane outlines (and a drag of an
        # edge it shares with another moment moves it), and a click in a lane chooses
        self.moments.chosen.connect(view.timeline.set_selected)
        view.timeline.event_selected.connect(self.moments.select_moment)
        self.reel.present_requested.connect(self.present)
        self.reel.export_requested.connect(self.export)
        self.reel.script_requested.connect(self.script)
        self.reel.consent_requested.connect(self.edit_consent)

    # -- consent --------------------------------------------------------------------
    def edit_consent(self) -> None:
        ws, clip = self.session.ws, self.session.clip
        if ws is None or clip is None:
            self.messages.error(self.tr("Open a clip first."), "consent")
            return
        dialog = ConsentDialog(
            clip.name, consent.consent_for(ws, clip.id), current_actor(), self.host
        )
        if dialog.exec() != ConsentDialog.DialogCode.Accepted:
            return
        try:
            recorded = consent.set_consent(
                ws,
                clip.id,
                dialog.purposes(),
                given_on=dialog.given_on(),
                by=dialog.by.text(),
                valid_until=dialog.valid_until(),
            )
        except VfaError as exc:
            self.messages.error(str(exc), "consent")
            return
        agreed = ", ".join(recorded.purposes) or self.tr("none")
        shown = (
            self.tr("Consent recorded: {0}, until {1}").format(agreed, recorded.valid_until)
            if recorded.valid_until
            else self.tr("Consent recorded: {0}").format(agreed)
        )
        self.messages.info(shown, "consent")
        self.session.tell(ConsentChanged(clip.id))

    def covered(self) -> dict[str, str | None]:
        """Per purpose: None when the consent of every reel clip covers it, else why not."""
        ws, clip = self.session.ws, self.session.clip
        if ws is None or clip is None:
            return {}
        clip_ids = [m.clip_id for m in moments.reel(ws, clip.session_id)]
        return consent.coverage(ws, clip_ids, "the export")

    # -- exports --------------------------------------------------------------------
    def export(self) -> None:
        ws, clip = self.session.ws, self.session.clip
        if ws is None or clip is None:
            return
        folder = str(Path.home() / f"{clip.case_code} {clip.session_label} reel")
        dialog = ExportDialog(self.covered(), folder, self.host)
        if dialog.exec() != ExportDialog.DialogCode.Accepted:
            return
        from vfa.services.reel_export import export_reel, file_names

        purpose, out = dialog.chosen_purpose(), dialog.folder.text().strip()
        burn, handout = dialog.burn.isChecked(), dialog.handout.isChecked()
        session_id = clip.session_id
        count = len(moments.reel(ws, session_id))
        replace = confirm_replace_in(self.host, out, file_names(count, sidecars=True))
        if replace is None:
            return

        def work(ctx: TaskContext) -> ReelExport:
            return export_reel(
                ws,
                session_id,
                purpose,
                out,
                burn_captions=burn,
                handout=handout,
                progress=ctx.progress,
                cancelled=ctx.cancelled,
                force=replace,
            )

        run_task(
            self.host,
            self.tr("Exporting the reel…"),
            work,
            self._exported,
            lambda text: self.messages.error(text, "reel.export"),
        )

    def _exported(self, result: ReelExport) -> None:
        self.last_export = result
        self.messages.info(  # (in place of an earlier refusal)
            self.tr("Reel exported for {0}: {1} files in {2}").format(
                result.purpose, len(result.files), os.fspath(result.folder)
            ),
            "reel.export",
        )

    def script(self) -> None:
        ws, clip = self.session.ws, self.session.clip
        if ws is None or clip is None:
            return
        suggested = Path.home() / f"{clip.case_code} {clip.session_label} script.pdf"
        chosen = ask_save_file(
            self.host, self.tr("Feedback script"), suggested, self.tr("PDF (*.pdf)"), [".pdf"]
        )
        if chosen is None:
            return
        out, replace = chosen
        session_id = clip.session_id
        from vfa.services.reel_export import export_script

        find = self.session.schemes.get

        def work(_ctx: TaskContext) -> Path:
            return export_script(ws, session_id, out, force=replace, find_scheme=find)

        run_task(
            self.host,
            self.tr("Writing the feedback script…"),
            work,
            lambda path: self.messages.info(
                self.tr("Feedback script written: {0}").format(os.fspath(path)), "reel.script"
            ),
            lambda text: self.messages.error(text, "reel.script"),
        )

    # -- presentation -----------------------------------------------------------------
    def present(self) -> None:
        """The reel full screen, on the screen the user picks when there are several."""
        from vfa.ui.presentation import PresentationWindow

        try:
            window = PresentationWindow(self.session, lambda: create_player(self._backend())[0])
        except VfaError as exc:
            self.messages.error(str(exc), "present")
            return
        self.messages.clear("present")
        screens = QGuiApplication.screens()
        screen = self.session.shell.screen()
        if len(screens) > 1:
            names = [f"{n + 1}: {s.name()} ({s.size().width()}×{s.size().height()})"
                     for n, s in enumerate(screens)]  # fmt: skip
            chosen, ok = QInputDialog.getItem(
                self.host, self.tr("Present on"), self.tr("Screen"), names, 0, False
            )
            if not ok:
                window.close()  # (its player released)
                return
            screen = screens[names.index(chosen)]
        if self.view.player.state().name == "PLAYING":
            self.view.player.pause()
        self.presentation = window
        window.closed.connect(self._presentation_closed)
        window.show_on(screen)

    def _presentation_closed(self) -> None:
        self.presentation = None
        self.session.shell.activate()
