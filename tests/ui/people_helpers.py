"""What the window tests of people and roles share: a managed copy of the barcode
workspace, answers to the who-are-you dialog, and the window opened on a workspace."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from tests.ui.test_actions_surface import answering
from vfa.services.people import add_person
from vfa.storage.workspace import open_workspace
from vfa.ui.people_dialogs import WhoAreYouDialog

PEOPLE = {"Ada": "admin", "Sue": "supervisor", "Cal": "coder", "Tia": "therapist"}


def make_managed(path: Path) -> None:
    """Ada the admin, Sue, Cal and Tia on the workspace file (an admin: managed)."""
    ws = open_workspace(path)
    try:
        for name, role in PEOPLE.items():
            if role != "admin":
                add_person(ws, name, role)
        add_person(ws, "Ada", "admin")
    finally:
        ws.close()


def pick(name: str, seen: dict | None = None) -> Callable[[WhoAreYouDialog], None]:
    """Answer the who-are-you dialog: note what it offered, choose ``name``, press OK."""

    def answer(dialog: WhoAreYouDialog) -> None:
        if seen is not None:
            seen["offered"] = [dialog.people.item(i).text() for i in range(dialog.people.count())]
            seen["first"] = dialog.chosen()
            seen["title"] = dialog.windowTitle()
        for i in range(dialog.people.count()):
            item = dialog.people.item(i)
            if item.data(Qt.ItemDataRole.UserRole) == name:
                dialog.people.setCurrentItem(item)
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()

    return answer


def open_as(window, qtbot, path: Path, name: str | None, seen: dict | None = None) -> None:
    """Open the workspace in the window, answering the who-are-you dialog with ``name``
    (None: no dialog may come)."""
    steps = [(WhoAreYouDialog, pick(name, seen))] if name is not None else []
    with answering(qtbot, *steps):
        window.set_workspace(open_workspace(path))
