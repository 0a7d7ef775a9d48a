"""The passphrase of an encrypted workspace, asked for when the window opens one.

The field is masked; after a wrong passphrase the dialog comes back saying so, until the
right one opens the workspace or the user cancels. The passphrase goes no further than
the opening (kept in memory for the file: storage/passphrases.py).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from vfa.errors import InvalidInputError
from vfa.services.encryption import Passphrase
from vfa.ui.forms import labelled, ok_cancel
from vfa.ui.messages import Level, inline_label


class PassphraseDialog(QDialog):
    """Asks for the passphrase of the encrypted workspace at ``location``."""

    def __init__(self, location: str, wrong: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("passphraseDialog")
        self.setWindowTitle(self.tr("Encrypted workspace"))
        intro = QLabel(
            self.tr("{0} is encrypted. Enter its passphrase to open it.").format(location)
        )
        intro.setWordWrap(True)
        self.problem = inline_label(Level.ERROR, "passphraseProblem")
        self.problem.setText(
            self.tr("Wrong passphrase (or not a VFA workspace). Try again, or cancel.")
        )
        self.problem.setVisible(wrong)
        self.field = QLineEdit()
        self.field.setObjectName("passphraseField")
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.field.setAccessibleName(self.tr("Passphrase"))
        form = QFormLayout()
        form.addRow(labelled(self.tr("&Passphrase:"), self.field), self.field)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(ok_cancel(self, self._ok))
        self._secret: Passphrase | None = None
        # wide enough for a passphrase of a few words (and the window's title whole): it
        # opened as narrow as its buttons, the field showing only a dozen characters
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 64)

    def _ok(self) -> None:
        try:
            self._secret = Passphrase(self.field.text())
        except InvalidInputError:
            self.problem.setText(self.tr("Enter the passphrase, or cancel."))
            self.problem.setVisible(True)
            return
        self.field.clear()  # the text field keeps no copy
        self.accept()

    def passphrase(self) -> Passphrase | None:
        """What was entered (None when cancelled)."""
        return self._secret


def ask_passphrase(
    parent: QWidget, location: str, wrong: bool, then: Callable[[Passphrase | None], None]
) -> PassphraseDialog:
    """Show the dialog over ``parent`` without blocking; ``then`` gets the passphrase, or
    None when the user cancels."""
    dialog = PassphraseDialog(location, wrong, parent)

    def finished(_result: int) -> None:
        then(dialog.passphrase())
        dialog.deleteLater()

    dialog.finished.connect(finished)
    dialog.open()
    return dialog
