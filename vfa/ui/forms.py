"""The parts many dialogs share: OK and Cancel, a Close button, and a file or folder
field with its Choose… button."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)


def ok_cancel(dialog: QDialog, ok: Callable[[], object] | None = None) -> QDialogButtonBox:
    """OK (``ok``, else accepting the dialog) and Cancel (rejecting it)."""
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    box.accepted.connect(ok or dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


def close_button(dialog: QDialog) -> QDialogButtonBox:
    """A Close button that closes the dialog."""
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    box.rejected.connect(dialog.reject)
    return box


def act_buttons(
    dialog: QDialog,
    leave: QDialogButtonBox.StandardButton,
    text: str,
    name: str,
    act: Callable[[], object],
) -> tuple[QDialogButtonBox, QPushButton]:
    """A dialog's own act (``text``, off until the dialog enables it) beside Cancel or
    Close (``leave``, rejecting the dialog): the box and the act's button."""
    box = QDialogButtonBox(leave)
    button = box.addButton(text, QDialogButtonBox.ButtonRole.AcceptRole)
    button.setObjectName(name)
    button.setEnabled(False)
    box.accepted.connect(act)
    box.rejected.connect(dialog.reject)
    return box, button


def labelled(text: str, field: QWidget) -> QLabel:
    """A label naming ``field``: its buddy, so a screen reader reads it as the field's name
    and its underlined key takes the focus to the field."""
    label = QLabel(text)
    label.setBuddy(field)
    return label


def add_choose_row(
    form: QFormLayout, text: str, field: QLineEdit, choose: Callable[[], object]
) -> None:
    """A form row: ``text``, naming ``field``, then the field with its Choose… button."""
    form.addRow(labelled(text, field), choose_row(field, choose))


def choose_row(field: QLineEdit, choose: Callable[[], object]) -> QHBoxLayout:
    """``field`` with a Choose… button after it that calls ``choose``."""
    browse = QPushButton(QCoreApplication.translate("Forms", "C&hoose…"))
    browse.clicked.connect(choose)
    row = QHBoxLayout()
    row.addWidget(field, 1)
    row.addWidget(browse)
    return row
