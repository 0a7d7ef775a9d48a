"""The team's dialogs as people meet them: only a person shown chosen is chosen (Who are
you?, People), every field and button has its own underlined key, and what each says is
in a clinician's words."""

from __future__ import annotations

import re

from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QWidget,
)

from tests.ui.people_helpers import PEOPLE, make_managed
from vfa.services.people import Person
from vfa.services.permissions import Roster
from vfa.storage.models import Role
from vfa.ui.people_dialogs import PeopleDialog, WhoAreYouDialog


def shown_and_focused(qtbot, dialog: QWidget, field: QWidget) -> None:
    """Show ``dialog`` as the window shows it, active, the focus in ``field``."""
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=5_000)
    field.setFocus()
    qtbot.waitUntil(lambda: field.hasFocus(), timeout=5_000)


def keys(window: QWidget) -> dict[str, list[str]]:
    """Each underlined key of the window's visible labels (of a field) and buttons, with
    the texts that underline it."""
    found: dict[str, list[str]] = {}
    texts = [label.text() for label in window.findChildren(QLabel) if label.buddy()]
    texts += [b.text() for b in window.findChildren(QAbstractButton) if b.isVisibleTo(window)]
    for text in texts:
        for key in re.findall(r"&([^&\s])", text):
            found.setdefault(key.lower(), []).append(text)
    return found


def without_key(window: QWidget) -> list[str]:
    """The visible field labels and text buttons of the window with no underlined key."""
    texts = [
        label.text()
        for label in window.findChildren(QLabel)
        if label.buddy() is not None and label.buddy().isVisibleTo(window)
    ]
    texts += [
        b.text()
        for b in window.findChildren(QPushButton)
        if b.isVisibleTo(window) and b.text() and not standard(b)
    ]
    return [t for t in texts if not re.search(r"&[^&\s]", t)]


def standard(button: QAbstractButton) -> bool:
    """A dialog's standard button (OK, Cancel, Close: Enter and Escape press them, and the
    platform names them)."""
    box = button.parent()
    none = QDialogButtonBox.StandardButton.NoButton
    return isinstance(box, QDialogButtonBox) and box.standardButton(button) != none


def assert_keys_of(window: QWidget) -> None:
    """Every field's label and button has an underlined key, none used twice."""
    assert without_key(window) == []
    assert {k: t for k, t in keys(window).items() if len(t) > 1} == {}


# -- Who are you? and People: only what is shown chosen is chosen ---------------------------


def test_the_focus_alone_chooses_nobody_in_who_are_you(qtbot):
    found = Roster((Person(1, "Ada", Role.ADMIN, None), Person(2, "Cal", Role.CODER, None)), True)
    dialog = WhoAreYouDialog("team.vfa", found, "root")  # not one of them: none chosen
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    shown_and_focused(qtbot, dialog, dialog.people)
    # the focus puts the list's current row on Ada (the admin), drawn unchosen: it is not
    # an answer, so OK waits for one
    assert dialog.people.selectedItems() == []
    assert dialog.chosen() == "" and not ok.isEnabled()
    dialog.people.setCurrentRow(1)  # chosen as a user does (a click, the arrow keys)
    assert dialog.chosen() == "Cal" and ok.isEnabled()
    dialog.close()


def test_set_role_waits_for_a_person_shown_chosen(qtbot, workspace):
    make_managed(workspace.path)
    dialog = PeopleDialog(workspace)
    shown_and_focused(qtbot, dialog, dialog.table)
    assert dialog.table.selectionModel().selectedRows() == []
    assert dialog.chosen() is None
    assert not dialog.set_role.isEnabled() and not dialog.role.isEnabled()
    cal = [p.name for p in dialog.people].index("Cal")
    dialog.table.selectRow(cal)
    assert dialog.chosen().name == "Cal" and dialog.set_role.isEnabled()
    assert dialog.role.currentData() == PEOPLE["Cal"]
    dialog.close()
