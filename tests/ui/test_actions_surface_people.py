"""File → Who are you… and File → People…, chosen from the menu as a user does."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QPushButton, QWidget

from tests.ui.people_helpers import make_managed, open_as, pick
from tests.ui.test_actions_surface import answering, covers
from vfa.services.permissions import roster
from vfa.services.viewer import current_viewer
from vfa.ui.people_dialogs import PeopleDialog, WhoAreYouDialog


@covers("person.choose")
def test_who_are_you_changes_who_works_and_what_they_may_do(
    bare_window, barcode_copy, surface, qtbot
):
    make_managed(barcode_copy)
    open_as(bare_window, qtbot, barcode_copy, "Ada")
    assert bare_window.actions_by_id["people.manage"].isEnabled()
    with answering(qtbot, (WhoAreYouDialog, pick("Tia"))):
        surface.fire(bare_window, "person.choose")
    assert current_viewer() == "Tia"
    assert bare_window.windowTitle() == "VFA — demo — Tia (therapist)"
    assert bare_window.memory.person_of(bare_window.ws) == "Tia"

    def read_only(dialog: PeopleDialog) -> None:  # Tia reads who is who, changes nothing
        assert dialog.table.rowCount() == len(roster(bare_window.ws).people)
        fields = ("newName", "newRole", "addPerson", "role", "setRole")
        why = "Tia (therapist) may not manage people. Roles that may: admin."
        for name in fields:
            field = dialog.findChild(QWidget, name)
            assert not field.isEnabled() and field.toolTip() == why, name
        dialog.table.selectRow(0)  # choosing someone offers no role to set
        assert not dialog.findChild(QWidget, "setRole").isEnabled()
        assert why in dialog.note.text()
        dialog.reject()

    assert bare_window.actions_by_id["people.manage"].isEnabled()
    with answering(qtbot, (PeopleDialog, read_only)):
        surface.fire(bare_window, "people.manage")


@covers("people.manage")
def test_people_lists_adds_and_changes_roles(bare_window, barcode_copy, surface, qtbot):
    make_managed(barcode_copy)
    open_as(bare_window, qtbot, barcode_copy, "Ada")
    shown: dict = {}

    def work(dialog: PeopleDialog) -> None:
        table = dialog.table
        shown["rows"] = [
            (table.item(r, 0).text(), table.item(r, 1).text()) for r in range(table.rowCount())
        ]
        dialog.findChild(QLineEdit, "newName").setText("Ben")
        role = dialog.findChild(QComboBox, "newRole")
        role.setCurrentIndex(role.findData("coder"))
        qtbot.mouseClick(dialog.findChild(QPushButton, "addPerson"), Qt.MouseButton.LeftButton)
        shown["added"] = dialog.message.text("people")
        qtbot.mouseClick(dialog.findChild(QPushButton, "addPerson"), Qt.MouseButton.LeftButton)
        shown["blank"] = dialog.message.text("people")  # no name typed: refused, said why
        dialog.table.selectRow([p.name for p in dialog.people].index("Cal"))
        change = dialog.findChild(QComboBox, "role")
        change.setCurrentIndex(change.findData("supervisor"))
        qtbot.mouseClick(dialog.findChild(QPushButton, "setRole"), Qt.MouseButton.LeftButton)
        shown["changed"] = dialog.message.text("people")
        dialog.reject()

    with answering(qtbot, (PeopleDialog, work)):
        surface.fire(bare_window, "people.manage")
    assert shown == {
        "rows": [
            ("Ada", "admin"),
            ("Cal", "coder"),
            ("Demo therapist", "therapist"),
            ("Sue", "supervisor"),
            ("Tia", "therapist"),
        ],
        "added": "Ben is one of the people now (coder).",
        "blank": "person: give a name",
        "changed": "Cal's role is supervisor now.",
    }
    found = roster(bare_window.ws)
    assert {p.name: p.role.value for p in found.people}["Ben"] == "coder"
    assert found.find("Cal").role.value == "supervisor"


def test_the_first_admin_makes_the_open_workspace_managed_and_asks_who_you_are(
    window, surface, qtbot
):
    def add_admin(dialog: PeopleDialog) -> None:
        dialog.findChild(QLineEdit, "newName").setText("Ada")
        role = dialog.findChild(QComboBox, "newRole")
        role.setCurrentIndex(role.findData("admin"))
        qtbot.mouseClick(dialog.findChild(QPushButton, "addPerson"), Qt.MouseButton.LeftButton)
        dialog.reject()

    assert window.windowTitle() == f"VFA — demo — {current_viewer()}"
    with answering(qtbot, (PeopleDialog, add_admin), (WhoAreYouDialog, pick("Ada"))):
        surface.choose(window, "people.manage")
    assert window.windowTitle() == "VFA — demo — Ada (admin)"
    assert current_viewer() == "Ada"
