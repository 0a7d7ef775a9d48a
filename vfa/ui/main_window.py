"""The main window: assembles the browser, the player and (later) annotation panes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QLabel,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

import vfa
from vfa.errors import VfaError
from vfa.player.base import Player
from vfa.services import clips as clip_service
from vfa.services.audit import current_actor
from vfa.services.schemes import SchemeLibrary
from vfa.services.stills import save_still, still_name
from vfa.services.workspaces import Workspace
from vfa.ui.actions import apply_shortcuts, build_actions
from vfa.ui.audit_window import AuditTrail
from vfa.ui.backups_dialog import WorkspaceSafety
from vfa.ui.browser import ClipBrowser, ClipsPane
from vfa.ui.clip_hashing import ContentHasher
from vfa.ui.coding_panel import CodingPanel
from vfa.ui.dialogs import GoToDialog, SettingsDialog
from vfa.ui.encrypt_dialog import WorkspaceCipher
from vfa.ui.event_coding import EventCoding
from vfa.ui.feedback import FeedbackSession
from vfa.ui.feedback_dialogs import ask_still
from vfa.ui.file_actions import FileActions
from vfa.ui.memory import Memory
from vfa.ui.menus import build_menus, navigation_handlers
from vfa.ui.messages import MessageBar
from vfa.ui.person import PersonGate
from vfa.ui.player_view import PlayerView
from vfa.ui.quick_start import HelpWindows
from vfa.ui.session import CodingSession, Shell
from vfa.ui.settings import Settings
from vfa.ui.welcome import WelcomeView

# the topics of messages about the open clip: they go when another clip opens
CLIP_TOPICS = ("clip", "player", "coding", "events", "moments", "reel", "reel.export",
               "reel.script", "present", "consent", "still", "progress")  # fmt: skip


@dataclass
class AppContext:
    """What the composition root hands to the window."""

    settings: Settings
    player: Player
    player_note: str
    # the scheme folders, read once by the composition root (a window of its own reads them)
    schemes: SchemeLibrary = field(default_factory=SchemeLibrary)


def first_panes(width: int) -> list[int]:
    """The clips, player and side panes the first time: room for a rating form beside
    the player, the clips narrow."""
    clips, side = min(240, width // 5), max(340, width * 3 // 10)
    return [clips, width - clips - side, side]


# the actions that need an open workspace
_WORKSPACE_ACTIONS = (
    *("clip.add", "clip.relink", "clip.check", "reliability.open", "tools.audit"),
    *("workspace.backups", "workspace.check", "coding.import", "coding.export"),
    *("person.choose", "people.manage", "workspace.merge"),
)


class MainWindow(FileActions):
    """Welcome page or workspace page; every action a line or two over a service."""

    workspace_opened = Signal(object)
    clip_opened = Signal(int)

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.ws: Workspace | None = None
        self.current_clip: int | None = None
        self.reliability: QWidget | None = None
        self.setObjectName("mainWindow")
        self.setAcceptDrops(True)
        self.resize(1200, 760)

        self.welcome = WelcomeView()
        self.welcome.demo_requested.connect(self.open_demo)
        self.welcome.new_requested.connect(self.new_workspace)
        self.welcome.open_requested.connect(self.choose_workspace)

        self.browser = ClipBrowser()
        self.browser.clip_activated.connect(self.open_clip)
        self.clips = ClipsPane(self.browser)  # the browser, or "Add clips…" when empty
        self.clips.add_requested.connect(self.choose_clips)
        self.memory = Memory(ctx.settings, self)  # panes, last clip, each clip's scheme
        self.messages = MessageBar()
        self.player_view = PlayerView(ctx.player)
        self.player_view.problem.connect(lambda text: self.show_error(text, "player"))
        # what is being coded, and its one undo history: every panel is made from it
        self.session = CodingSession(
            self.coder_name, Shell(self.messages, self, self.note), self, ctx.schemes
        )
        self.session.playhead = self.player_view.current_frame
        self.session.watch()  # others' changes to what is shown, within seconds
        self.undo_stack = self.session.undo
        self.events = EventCoding(self.session, self.player_view.timeline)
        self.coding = CodingPanel(self.session, ctx.schemes, memory=self.memory)
        self.feedback = FeedbackSession(
            self.session, self.player_view, lambda: str(ctx.settings.get("player/backend"))
        )
        self.feedback.moments.scheme_wanted.connect(self._show_scheme)
        self.side = QTabWidget()
        self.side.setObjectName("sidePanes")
        self.side.addTab(self.coding, self.tr("Coding"))
        self.side.addTab(self.feedback.moments, self.tr("Moments"))
        self.side.addTab(self.feedback.reel, self.tr("Reel"))
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("panes")
        self.splitter.addWidget(self.clips)
        self.splitter.addWidget(self.player_view)
        self.splitter.addWidget(self.side)
        self.splitter.setStretchFactor(1, 2)  # a wider window widens the player most
        self.splitter.setStretchFactor(2, 1)
        self.splitter.setChildrenCollapsible(False)  # no pane can be dragged out of sight
        self.memory.keep(self.splitter, "window/panes", first_panes)

        page = QWidget()
        page_layout = QVBoxLayout(page)
        page_layout.setContentsMargins(0, 0, 0, 0)
        page_layout.addWidget(self.splitter, 1)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.welcome)
        self.pages.addWidget(page)
        central = QWidget()
        central_layout = QVBoxLayout(central)
        central_layout.setContentsMargins(0, 0, 0, 0)
        central_layout.setSpacing(0)
        central_layout.addWidget(self.messages)
        central_layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)

        # backups, restore, check
        self.safety = WorkspaceSafety(self.session, self.close_workspace, self.open_workspace_at)
        self.help = HelpWindows(self.session, self)  # Help → Quick start, Keyboard shortcuts
        self.audit = AuditTrail(self.session, self)  # Tools → Audit trail…
        self.actions_by_id = build_actions(
            self,
            {
                "workspace.new": self.new_workspace,
                "workspace.open": self.choose_workspace,
                "workspace.demo": self.open_demo,
                "clip.add": self.choose_clips,
                "clip.relink": self.choose_relink_folder,
                "clip.check": self.check_clips,
                "workspace.backups": self.safety.show_backups,
                "workspace.check": self.safety.check,
                "coding.import": self.import_coding,
                "coding.export": self.export_coding,
                "workspace.merge": self.merge_workspace,
                "app.settings": self.edit_settings,
                "app.quit": self.close,
                "still.save": self.save_still,
                "case.progress": self.show_progress,
                "edit.undo": self.undo_stack.undo,
                "edit.redo": self.undo_stack.redo,
                "event.delete": self.events.delete_at_playhead,
                "event.modifiers": self.events.edit_modifiers,
                "evidence.link": self.link_evidence,
                "moment.still": self.feedback.moments.set_still_here,
                "clip.consent": self.feedback.edit_consent,
                "reel.present": self.feedback.present,
                "reel.export": self.feedback.export,
                "reel.script": self.feedback.script,
                "reliability.open": self.show_reliability,
                "tools.audit": self.audit.show,
                "help.quick_start": self.help.quick_start,
                "help.shortcuts": self.help.shortcuts,
                "help.about": self.about,
                **navigation_handlers(self.player_view, self.go_to),
            },
            ctx.settings.shortcuts(),
        )
        build_menus(self.menuBar(), self.actions_by_id)
        # who works in the workspace, and what their role lets them do (File → Who are you…,
        # People…); another person: the actions their role allows
        self.people = PersonGate(self.session, self.actions_by_id, ctx.settings, self.memory)
        self.people.person_changed.connect(lambda _name: self._set_workspace_actions(bool(self.ws)))
        self._edit_verbs = {k: self.actions_by_id[k].text() for k in ("edit.undo", "edit.redo")}
        self.undo_stack.undoTextChanged.connect(self._name_undo)
        self.undo_stack.redoTextChanged.connect(self._name_undo)
        self._name_undo()
        self.player_note = QLabel(ctx.player_note)
        self.player_note.setObjectName("playerNote")
        self.statusBar().addPermanentWidget(self.player_note)
        self.hasher = ContentHasher(self)  # new clips' content hashes, in the background
        self.hasher.failed.connect(lambda text: self.show_error(text, "clips.hash"))
        self.statusBar().addPermanentWidget(self.hasher.indicator)
        self.cipher = WorkspaceCipher(self, self)  # File → Encrypt workspace…, Decrypt workspace…
        self._set_workspace_actions(False)
        self.setWindowTitle(self.tr("VFA"))
        geometry = ctx.settings.get("window/geometry")
        if not geometry.isEmpty():
            self.restoreGeometry(geometry)

    def show_reliability(self) -> None:
        """The supervisor's window: agreement, disagreements, coders over time, assigning."""
        from vfa.ui.reliability import ReliabilityWindow

        if self.ws is None:
            self.show_error(self.tr("Open a workspace first."), "workspace")
            return
        if self.reliability is not None and self.reliability.isVisible():
            self.reliability.raise_()  # one window: a second would outlive the workspace
            self.reliability.activateWindow()
            return
        window = ReliabilityWindow(self.session, self, self.memory)
        window.play_requested.connect(self.play_clip_from)
        window.show()
        self.reliability = window

    def play_clip_from(self, clip_id: int, t_ms: int) -> None:
        """Open the clip (if another is open) and play it from ``t_ms``."""
        if self.current_clip != clip_id:
            self.open_clip(clip_id)
        if self.current_clip != clip_id or self.player_view.info is None:
            return
        table = self.player_view.info.frame_table
        self.player_view.show_frame(table.index_at(t_ms))
        self.player_view.player.play()
        self.raise_()  # in front of the Reliability window that asked, to be seen
        self.activateWindow()

    def import_coding(self) -> None:
        """File → Import…: another tool's coding into a clip, undoable as a whole."""
        from vfa.ui.import_dialog import import_into

        if self.ws is None:
            self.show_error(self.tr("Open a workspace first."), "workspace")
            return
        import_into(self.session)

    def export_coding(self) -> None:
        """File → Export…: coding out as CSV, JSON, ELAN, BORIS, SDIS or SRT."""
        from vfa.ui.export_dialog import export_from

        if self.ws is None:
            self.show_error(self.tr("Open a workspace first."), "workspace")
            return
        export_from(self.session)

    def _name_undo(self, _text: str = "") -> None:
        """Edit → Undo and Redo name the act they would undo or redo."""
        for key, text in (
            ("edit.undo", self.undo_stack.undoText()),
            ("edit.redo", self.undo_stack.redoText()),
        ):
            verb = self._edit_verbs[key]
            self.actions_by_id[key].setText(f"{verb} {text}" if text else verb)

    def link_evidence(self) -> None:
        """Link the moment under the playhead to the current rating item (undoable)."""
        target = self.events.at_playhead()
        if target is not None:
            self.coding.link_evidence(target.id)

    def _show_scheme(self, scheme_id: str) -> None:
        """Code with this scheme (its events in the lanes) unless it is already chosen."""
        if self.coding.scheme is None or self.coding.scheme.id != scheme_id:
            self.coding.choose(scheme_id)

    def _set_workspace_actions(self, enabled: bool) -> None:
        for key in _WORKSPACE_ACTIONS:
            self.actions_by_id[key].setEnabled(enabled)
        self._set_clip_actions(enabled and self.current_clip is not None)

    def _set_clip_actions(self, enabled: bool) -> None:
        """Playback and still actions need an open clip."""
        for spec_id, action in self.actions_by_id.items():
            if spec_id.split(".")[0] in {"player", "nav", "shuttle", "rate", "loop", "timeline"}:
                action.setEnabled(enabled)
        for key in (*("still.save", "case.progress", "moment.still", "clip.consent"),
                    *("reel.present", "reel.export", "reel.script")):  # fmt: skip
            self.actions_by_id[key].setEnabled(enabled)
        self.people.apply()  # what the person's role does not allow stays disabled

    # -- workspaces -------------------------------------------------------
    def show_welcome(self) -> None:
        self.pages.setCurrentWidget(self.welcome)

    def close_workspace(self) -> None:
        """Let go of the open workspace (to restore it from a backup, or to show another):
        its clip, its coding, its undo steps and its reliability window go with it."""
        if self.ws is not None:
            self.player_view.clear()
            self.hasher.cancel()
            self.session.set_workspace(None)  # (its undo history goes with it)
            if self.reliability is not None:
                self.reliability.close()
                self.reliability = None
            self.ws.close()
            self.ws, self.current_clip = None, None
            self.people.leave()
            self._set_workspace_actions(False)

    def set_workspace(self, ws: Workspace) -> None:
        """Show an open workspace (in place of the one open), as the person working in it
        (asked on a managed workspace the first time; not opened when that is cancelled)."""
        person = self.people.who_in(ws)
        if person is None:  # (closed, and the window says why)
            return
        self.close_workspace()
        self.ws = ws
        self.people.enter(ws, person)
        self.session.set_workspace(ws)
        self.current_clip = None
        self.ctx.settings.set("workspace/last", ws.url if ws.path is None else str(ws.path))
        self.messages.clear_all()  # what was said was about the workspace closed
        self.statusBar().clearMessage()
        self.refresh_browser()
        self.pages.setCurrentIndex(1)
        self._set_workspace_actions(True)
        if ws.read_only is not None:
            self.show_warning(
                self.tr(
                    "{0}: open read-only ({1}). You can look, but nothing can be changed."
                ).format(ws.label, ws.read_only),
                "workspace",
            )
        if ws.backup_path is not None:
            self.show_info(
                self.tr("Workspace upgraded; the previous version was kept as {0}").format(
                    ws.backup_path
                ),
                "workspace.upgrade",
            )
        self.workspace_opened.emit(ws)
        last = self.memory.last_clip(ws)  # where the user was last time
        if last is not None and last in self.browser.clip_ids():
            self.open_clip(last)

    def refresh_browser(self) -> None:
        if self.ws is not None:
            try:
                catalog = clip_service.catalog(self.ws)
            except VfaError as exc:  # e.g. a damaged workspace: say so, show what there is
                self.show_error(str(exc), "workspace.catalog")
                return
            self.messages.clear("workspace.catalog")
            self.browser.populate(catalog)
            if self.current_clip is not None:
                self.browser.select_clip(self.current_clip)

    # -- clips --------------------------------------------------------------
    def open_clip(self, clip_id: int) -> None:
        """Check the clip's file and show it in the player, paused on its first frame."""
        if self.ws is None:
            return
        try:
            check = clip_service.check_clip(self.ws, clip_id)
            if check.state is not clip_service.ClipState.OK:
                self.show_error(check.message, "clip")
                return
            info = clip_service.clip_info(self.ws, clip_id)
        except VfaError as exc:
            self.show_error(str(exc), "clip")
            return
        for topic in CLIP_TOPICS:  # said about the clip shown before (or this one's failing)
            self.messages.clear(topic)
        self.player_view.set_clip(info)
        self.current_clip = clip_id
        self._set_clip_actions(True)
        self.session.open_clip(info, self.coding.scheme_for(clip_id))
        self.memory.remember_clip(self.ws, clip_id)
        self.browser.select_clip(clip_id)
        where = f"{info.case_code} · {info.session_label} · {info.name}"
        shown = (
            self.tr("{0} — {1}×{2} VFR, {3:g} fps")
            if info.vfr
            else self.tr("{0} — {1}×{2}, {3:g} fps")
        )
        self.note(shown.format(where, info.width, info.height, info.fps))
        self.clip_opened.emit(clip_id)

    # -- misc -----------------------------------------------------------------
    def edit_settings(self) -> None:
        dialog = SettingsDialog(
            self.ctx.settings.get("player/backend"),
            self.ctx.player_note,
            self.ctx.settings.shortcuts(),
            self,
            coder=str(self.ctx.settings.get("coder/name")),
            language=str(self.ctx.settings.get("app/language")),
        )
        if dialog.exec() == SettingsDialog.DialogCode.Accepted:
            self.ctx.settings.set("player/backend", dialog.chosen_backend())
            self.ctx.settings.set("app/language", dialog.chosen_language())  # (at restart)
            named_before = str(self.ctx.settings.get("coder/name"))
            self.ctx.settings.set("coder/name", dialog.coder.text().strip())
            if named_before != dialog.coder.text().strip():
                self.people.settings_coder_changed()  # another person codes now
            overrides = dialog.chosen_overrides()
            self.ctx.settings.set_shortcuts(overrides)
            apply_shortcuts(self.actions_by_id, overrides)
            self.events.install_hotkeys()  # a scheme's key the window now has (or not)

    def coder_name(self) -> str:
        """Who works in the window: the person a team workspace logged in as, else its
        person in the workspace, else Settings → Coder, else the login name
        (``viewer.current_viewer``, as every service asks)."""
        if self.ws is not None and self.ws.person is not None:
            return self.ws.person
        return current_actor()

    def show_progress(self) -> None:
        """A chart of a scheme's total across this case's sessions (PNG / SVG export)."""
        info = self.player_view.info
        if self.ws is None or info is None:
            return
        from vfa.ui.progress_chart import ProgressDialog

        try:
            dialog = ProgressDialog(self.ws, info.case_code, self.ctx.schemes, self)
        except VfaError as exc:
            self.show_error(str(exc), "progress")
            return
        self.messages.clear("progress")
        dialog.exec()

    def go_to(self) -> None:
        """Ask for a time or frame and show it."""
        if self.player_view.info is not None:
            GoToDialog(self.player_view.go_to, self).exec()

    def save_still(self, path: str | None = None, purpose: str | None = None) -> None:
        """Save the frame the readout names at full resolution, for a purpose the clip's
        consent covers (asked, with the file, unless given)."""
        view = self.player_view
        info, server, ws = view.info, view.server, self.ws
        if info is None or server is None or ws is None:
            return
        index, _pts = view.current_frame()
        # beside the video, named for the case and visit (the video's own name may name the family)
        suggested = Path(info.path).with_name(still_name(info.case_code, info.session_label, index))
        chosen = ask_still(self, ws, info.id, str(suggested), path, purpose)
        if chosen is None:
            return
        target, why, replace = chosen
        self._run(
            self.tr("Saving still…"),
            lambda ctx: save_still(ws, info.id, server, index, target, why, force=replace),
            lambda saved: self.show_info(
                self.tr("Saved frame {0} as {1}").format(index, saved), "still"
            ),
            "still",
        )

    def about(self) -> None:
        QMessageBox.about(
            self,
            self.tr("About VFA"),
            self.tr(
                "VFA {0} — Video Feedback Annotator\nGPL-3.0-or-later. Makes no network "
                "connections."
            ).format(vfa.__version__),
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        self.ctx.settings.set("window/geometry", self.saveGeometry())
        self.hasher.cancel()
        self.player_view.shutdown()
        self.session.stop_watching()
        if self.ws is not None:
            self.ws.close()
        super().closeEvent(event)
