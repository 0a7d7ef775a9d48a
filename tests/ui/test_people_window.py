"""The window and people: on a managed workspace file it asks who you are the first time
and remembers it, names you and your role in the title bar, says in the status bar that
roles in a file are advisory, and disables what your role does not allow with a tooltip
saying why. A personal workspace is opened as before: nothing disabled, your name in the
title bar; one made new asks your name when Settings has none."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QPushButton

from tests.ui.people_helpers import make_managed, open_as
from tests.ui.test_actions_surface import answering
from vfa.services.viewer import current_viewer
from vfa.ui.people_dialogs import WhoAreYouDialog
from vfa.ui.person import GATED
from vfa.ui.settings import Settings

ADVISORY = (
    "Roles are advisory in a workspace file: anyone can say who they are; a team workspace "
    "on PostgreSQL enforces them"
)


def note(window) -> QLabel:
    return window.findChild(QLabel, "rolesNote")


def test_a_personal_workspace_is_opened_as_before(window):
    assert window.windowTitle() == f"VFA — demo — {current_viewer()}"  # no role
    assert not note(window).isVisible()
    for key in GATED:
        assert window.actions_by_id[key].isEnabled(), key
    assert window.coder_name() == current_viewer()


def test_a_managed_file_asks_who_you_are_once_and_shows_you_and_your_role(
    bare_window, barcode_copy, qtbot
):
    make_managed(barcode_copy)
    Settings().set("coder/name", "Cal")  # chosen first: the name Settings gives
    seen: dict = {}
    open_as(bare_window, qtbot, barcode_copy, "Tia", seen)
    assert seen == {
        "offered": [
            "Ada — admin",
            "Cal — coder",
            "Demo therapist — therapist",  # (who tagged the moments, made on first use)
            "Sue — supervisor",
            "Tia — therapist",
        ],
        "first": "Cal",
        "title": "Who are you?",
    }
    assert bare_window.windowTitle() == "VFA — demo — Tia (therapist)"
    assert note(bare_window).isVisible()
    assert note(bare_window).text() == "Roles are advisory in a workspace file"
    assert note(bare_window).toolTip() == ADVISORY  # the whole of it on hover
    assert current_viewer() == "Tia" and bare_window.session.coder() == "Tia"
    bare_window.close_workspace()
    assert bare_window.windowTitle() == "VFA" and not note(bare_window).isVisible()
    assert current_viewer() == "Cal"  # nobody in particular: Settings → Coder
    open_as(bare_window, qtbot, barcode_copy, None)  # remembered: not asked again
    assert bare_window.windowTitle() == "VFA — demo — Tia (therapist)"


def test_cancelling_the_question_leaves_the_workspace_unopened(bare_window, barcode_copy, qtbot):
    make_managed(barcode_copy)

    def cancel(dialog: WhoAreYouDialog) -> None:
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Cancel).click()

    from vfa.storage.workspace import open_workspace

    ws = open_workspace(barcode_copy)
    with answering(qtbot, (WhoAreYouDialog, cancel)):
        bare_window.set_workspace(ws)
    assert bare_window.ws is None and bare_window.pages.currentWidget() is bare_window.welcome
    assert bare_window.messages.text("workspace") == (
        f"{ws.label} was not opened: choose who you are to work in it."
    )
    assert bare_window.windowTitle() == "VFA"


def test_what_the_role_does_not_allow_is_disabled_saying_why(bare_window, barcode_copy, qtbot):
    make_managed(barcode_copy)
    open_as(bare_window, qtbot, barcode_copy, "Cal")
    bare_window.open_clip(1)
    actions = bare_window.actions_by_id
    allowed = {"coding.import", "coding.export"}  # a coder's: their coding in and out
    for key in GATED:
        assert actions[key].isEnabled() is (key in allowed), key
    assert actions["reel.export"].toolTip() == (
        "Cal (coder) may not export for feedback to the family. Roles that may: therapist, "
        "supervisor, admin."
    )
    assert actions["people.manage"].isEnabled()  # (a list anyone reads; greyed inside)
    add = bare_window.findChild(QPushButton, "addClips")  # the clip list's own button
    assert not add.isEnabled() and add.toolTip() == (
        "Cal (coder) may not add clips. Roles that may: therapist, supervisor, admin."
    )
    assert actions["player.toggle"].isEnabled() and actions["person.choose"].isEnabled()
    file_menu = actions["clip.add"].associatedObjects()
    assert any(getattr(m, "toolTipsVisible", lambda: False)() for m in file_menu)


def test_the_dialog_for_a_personal_workspace_takes_a_typed_name(qtbot):
    from vfa.services.permissions import Roster

    dialog = WhoAreYouDialog("home.vfa", Roster((), False), "root")
    qtbot.addWidget(dialog)
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    assert dialog.name.isVisibleTo(dialog) and not dialog.people.isVisibleTo(dialog)
    assert dialog.chosen() == "root" and ok.isEnabled()
    qtbot.keyClicks(dialog.name, "Sam")  # what is typed replaces the name offered
    assert dialog.chosen() == "Sam"
    dialog.name.clear()
    assert not ok.isEnabled()
    qtbot.keyClicks(dialog.name, "  Ann  ")
    assert dialog.chosen() == "Ann" and ok.isEnabled()


def test_the_dialog_for_a_managed_workspace_needs_a_person_chosen(qtbot):
    from vfa.services.people import Person
    from vfa.services.permissions import Roster
    from vfa.storage.models import Role

    found = Roster((Person(1, "Ada", Role.ADMIN, None), Person(2, "Cal", Role.CODER, None)), True)
    dialog = WhoAreYouDialog("team.vfa", found, "root")  # not one of them: none chosen
    qtbot.addWidget(dialog)
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    assert dialog.chosen() == "" and not ok.isEnabled()
    dialog.people.setCurrentRow(1)
    assert dialog.chosen() == "Cal" and ok.isEnabled()
    assert dialog.people.item(1).data(Qt.ItemDataRole.UserRole) == "Cal"


def test_settings_coder_on_a_personal_workspace_is_who_works_in_it(window):
    Settings().set("coder/name", "Ann")
    window.people.settings_coder_changed()
    assert current_viewer() == "Ann" and window.memory.person_of(window.ws) == "Ann"
    assert window.windowTitle() == "VFA — demo — Ann"  # (a personal workspace: no role)


def test_every_role_and_act_has_its_name_marked_for_translation():
    from vfa.services.people import Act, role_names
    from vfa.ui.people_dialogs import ACTS, ROLES

    assert set(ACTS) == set(Act)
    assert {a: ACTS[a] for a in Act} == {a: a.value for a in Act}  # the words the services say
    assert list(ROLES) == list(role_names())
