"""Who the window works as in its workspace, and what that person's role lets them do.

On a managed workspace file (one with an admin) the window asks who you are the first
time it opens it (one of its people) and remembers the answer for that workspace; the
title bar names the person and their role, a permanent status-bar note says that roles
in a file are advisory, and the menu actions the role does not allow are disabled with a
tooltip saying why. On a personal workspace nothing is asked and nothing is disabled:
you work under the name File → Who are you… gave for it, else Settings → Coder, else
your login name. On a team workspace (PostgreSQL) the server's login says who you are,
so nothing is asked there either. The person chosen is the viewer of every service the
window calls (``vfa.services.viewer.set_person``).
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu, QWidget

from vfa.errors import VfaError
from vfa.services.people import ALLOWED, Act, Person
from vfa.services.permissions import Roster, allowed_acts, roster
from vfa.services.viewer import current_viewer, login_name, set_person
from vfa.services.workspaces import Workspace
from vfa.ui.memory import Memory
from vfa.ui.names import QT_TRANSLATE_NOOP
from vfa.ui.people_dialogs import AskFn, PeopleDialog, act_name, ask_person, role_name
from vfa.ui.session import CodingSession, allow
from vfa.ui.settings import Settings

# the window's actions a role may not be allowed, and the act each one is
GATED: dict[str, Act] = {
    "clip.add": Act.ADD_CLIPS,
    "clip.relink": Act.ADD_CLIPS,
    "coding.import": Act.EXPORT_DATA,
    "coding.export": Act.EXPORT_DATA,
    "still.save": Act.EXPORT_FEEDBACK,
    "reel.export": Act.EXPORT_FEEDBACK,
    "reel.script": Act.EXPORT_FEEDBACK,
    "clip.consent": Act.MANAGE_CONSENT,
    "moment.still": Act.TAG_MOMENTS,
    "reliability.open": Act.SEE_AGREEMENT,
    "tools.audit": Act.READ_AUDIT,
}
# the window's buttons (by object name) a role may not be allowed: the act, and what the
# button does as its tooltip says it
GATED_BUTTONS: dict[str, tuple[Act, str]] = {
    "reopen": (Act.ASSIGN, QT_TRANSLATE_NOOP("People", "reopen a submitted coding")),
    "addClips": (Act.ADD_CLIPS, QT_TRANSLATE_NOOP("People", "add clips")),  # (the list's)
}


class PersonGate(QObject):
    """The window's person in its open workspace: asked, remembered, shown, checked."""

    person_changed = Signal(str)

    def __init__(
        self,
        session: CodingSession,
        actions: Mapping[str, QAction],
        settings: Settings,
        memory: Memory,
    ) -> None:
        window = session.shell.host
        assert isinstance(window, QMainWindow)
        super().__init__(window)
        self.window = window
        self.session = session
        self.actions = actions
        self.settings = settings
        self.memory = memory
        self.ask: AskFn = ask_person  # (tests answer in its place)
        self.ws: Workspace | None = None
        self.roster = Roster((), False)
        self.person: Person | None = None
        self.allowed: frozenset[Act] = frozenset(Act)  # (people.may, read once a change)
        session.why_not = self.why_not  # (the panels ask it for their own controls)
        self._tips = {key: actions[key].toolTip() for key in GATED if key in actions}
        # panels' buttons (GATED_BUTTONS; their panels show and hide them, never enable
        # them): (the button, its act, what it does, its own tooltip)
        self._buttons = [
            (button, act, doing, button.toolTip())
            for name, (act, doing) in GATED_BUTTONS.items()
            for button in window.findChildren(QWidget, name)
        ]
        # short beside the clip's note and the player's; the whole of it on hover
        self.note = QLabel(self.tr("Roles are advisory in a workspace file"))
        self.note.setObjectName("rolesNote")
        self.note.setToolTip(
            self.tr(
                "Roles are advisory in a workspace file: anyone can say who they are; a team "
                "workspace on PostgreSQL enforces them"
            )
        )
        self.note.setAccessibleDescription(self.note.toolTip())
        window.statusBar().addPermanentWidget(self.note)
        self.note.hide()
        for action in window.menuBar().actions():
            menu = action.menu()
            if isinstance(menu, QMenu):
                menu.setToolTipsVisible(True)  # a disabled entry says why
        actions["person.choose"].triggered.connect(lambda _checked=False: self.choose())
        actions["people.manage"].triggered.connect(lambda _checked=False: self.manage())

    # -- the workspace and its person ---------------------------------------------------
    def who_in(self, ws: Workspace) -> str | None:
        """Who works in ``ws``: the person remembered for it, else (on a managed workspace
        file) the one chosen now; '' for nobody in particular (Settings → Coder, else the
        login name); None when the choice was cancelled."""
        try:
            found = roster(ws)
        except VfaError:
            return ""  # a damaged workspace: the window says so when it lists its clips
        remembered = self.memory.person_of(ws)
        if not found.managed or ws.path is None or found.find(remembered) is not None:
            return remembered
        name = self.ask(self.window, ws.name, found, self._default_name())
        if name is None:
            ws.close()
            self.session.shell.messages.error(
                self.tr("{0} was not opened: choose who you are to work in it.").format(ws.label),
                "workspace",
            )
            return None
        self.memory.remember_person(ws, name)
        return name

    def name_new(self, ws: Workspace) -> None:
        """A workspace file just made, by someone who has not said who they are (no
        Settings → Coder): ask for the name their coding in it is signed with, and
        remember it for it (cancelled: the login name, asked again next time)."""
        if str(self.settings.get("coder/name")).strip() or self.memory.person_of(ws):
            return
        name = self.ask(self.window, ws.name, Roster((), False), login_name())
        if name:
            self.memory.remember_person(ws, name)

    def enter(self, ws: Workspace, name: str) -> None:
        """Work in ``ws`` as ``name`` ('' nobody in particular): the viewer of every
        service, the title, the note and the actions allowed."""
        try:
            self.roster = roster(ws)
        except VfaError:
            self.roster = Roster((), False)
        self.ws = ws
        set_person(name)
        self._show()

    def leave(self) -> None:
        """The workspace closed: nobody in particular (Settings → Coder, else the login)."""
        self.ws, self.roster, self.person = None, Roster((), False), None
        set_person(None)
        self._show()

    def choose(self) -> None:
        """File → Who are you…: choose (or type) who works in the open workspace."""
        if self.ws is None:
            return
        self.roster = roster(self.ws)
        name = self.ask(self.window, self.ws.name, self.roster, current_viewer())
        if name is not None:
            self.become(name)

    def become(self, name: str) -> None:
        """Work as ``name`` in the open workspace from now on (and next time)."""
        if self.ws is None:
            return
        self.memory.remember_person(self.ws, name)
        set_person(name)
        self.session.undo.clear()  # their own runs and history, never the last person's
        self.session.reload()
        self._show()
        self.person_changed.emit(name)

    def manage(self) -> None:
        """File → People…: the people and their roles (changing them if an admin)."""
        if self.ws is None:
            return
        dialog = PeopleDialog(self.ws, self.window, self.why_not(Act.MANAGE_PEOPLE))
        try:
            dialog.exec()
            changed = dialog.changed
        finally:
            dialog.deleteLater()
        if changed:
            self.refresh()

    def settings_coder_changed(self) -> None:
        """Settings → Coder changed: on a personal workspace that is who works in it now
        (on a managed one, who you are is File → Who are you…)."""
        if self.ws is not None and not self.roster.managed:
            self.become(str(self.settings.get("coder/name")).strip())

    def refresh(self) -> None:
        """Read the people again (a role changed; the workspace may be managed now): on
        a managed file someone who is not one of its people is asked who they are."""
        if self.ws is None:
            return
        self.roster = roster(self.ws)
        if (
            self.roster.managed
            and self.ws.path is not None
            and self.roster.find(current_viewer()) is None
        ):
            self.choose()
        self._show()
        self.person_changed.emit(current_viewer())  # (a role may allow more now)

    def _default_name(self) -> str:
        """Settings → Coder, else the login name: who is chosen or typed first."""
        return str(self.settings.get("coder/name")).strip() or login_name()

    # -- what the window shows ------------------------------------------------------------
    def _show(self) -> None:
        self.person = self.roster.find(current_viewer()) if self.ws is not None else None
        try:
            self.allowed = allowed_acts(self.ws) if self.ws is not None else frozenset(Act)
        except VfaError:
            self.allowed = frozenset(Act)  # a damaged workspace: its refusals say so
        self.note.setVisible(
            self.ws is not None and self.roster.managed and self.ws.path is not None
        )
        self.window.setWindowTitle(self.title())
        self.apply()
        self.session.roles_changed.emit()  # (the panels' controls the role allows)

    def title(self) -> str:
        """The window's title: the workspace and who works in it (with their role on a
        managed one)."""
        if self.ws is None:
            return self.tr("VFA")
        name = current_viewer()
        if not self.roster.managed:
            return self.tr("VFA — {0} — {1}").format(self.ws.name, name)
        if self.person is None:
            return self.tr("VFA — {0} — {1} (not one of its people)").format(self.ws.name, name)
        return self.tr("VFA — {0} — {1} ({2})").format(
            self.ws.name, name, role_name(self.person.role.value)
        )

    def why_not(self, act: Act, doing: str = "") -> str | None:
        """Why the person may not do ``act`` (said as ``doing``, else the act's name)
        here, or None when they may."""
        if self.ws is None or act in self.allowed:
            return None
        name = current_viewer()
        if self.person is None:
            return self.tr(
                "{0} is not one of this workspace's people: an admin adds people (File → "
                "People…); File → Who are you… says who you are"
            ).format(name)
        return self.tr("{0} ({1}) may not {2}. Roles that may: {3}.").format(
            name, role_name(self.person.role.value), doing or act_name(act), self._who_may(act)
        )

    def _who_may(self, act: Act) -> str:
        roles = ("therapist", "coder", "supervisor", "admin")
        return ", ".join(role_name(r) for r in roles if any(r == a.value for a in ALLOWED[act]))

    def apply(self) -> None:
        """Disable the actions the person may not do, each saying why in its tooltip (the
        window enables its actions for its own reasons first, then asks this)."""
        for key, act in GATED.items():
            action = self.actions.get(key)
            if action is None:
                continue
            why = self.why_not(act)
            action.setToolTip(why if why is not None else self._tips.get(key, ""))
            if why is not None:
                action.setEnabled(False)
        for button, act, doing, tip in self._buttons:
            allow(button, True, self.why_not(act, QCoreApplication.translate("People", doing)), tip)
