"""Small dialogs: where a new clip goes, and settings."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QWidget,
)

from vfa.errors import InvalidInputError
from vfa.services.clips import CaseNode, validate_case_code

CONTEXTS = ["play", "mealtime", "book sharing", "bath", "nappy change", "other"]


def _placeholder(combo: QComboBox, text: str) -> None:
    edit = combo.lineEdit()
    if edit is not None:
        edit.setPlaceholderText(text)


class AddClipDialog(QDialog):
    """Ask which case and session the dropped or chosen files belong to."""

    def __init__(
        self,
        files: list[Path],
        cases: list[CaseNode],
        case: str = "",
        session: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Add clips"))
        self.setMinimumWidth(460)
        self._cases = {c.code: c for c in cases}
        names = ", ".join(f.name for f in files[:3]) + (" …" if len(files) > 3 else "")
        self.case = QComboBox()
        self.case.setEditable(True)
        self.case.addItems(sorted(self._cases))
        self.case.setEditText(case)
        _placeholder(self.case, self.tr("pseudonymous code, e.g. FAM-017"))
        self.session = QComboBox()
        self.session.setEditable(True)
        _placeholder(self.session, self.tr("e.g. Visit 1"))
        self.context = QComboBox()
        self.context.addItems(CONTEXTS)
        self.cycle = QSpinBox()
        self.cycle.setRange(0, 99)
        self.cycle.setSpecialValueText(self.tr("—"))
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setStyleSheet("color: #b00020")
        self.message.setWordWrap(True)
        self.case.currentTextChanged.connect(self._refresh_sessions)
        self._refresh_sessions(case)
        self.session.setEditText(session)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(self.tr("Files"), QLabel(names))
        form.addRow(self.tr("Case code"), self.case)
        form.addRow(self.tr("Session"), self.session)
        form.addRow(self.tr("Context"), self.context)
        form.addRow(self.tr("Cycle"), self.cycle)
        form.addRow(self.message)
        form.addRow(buttons)

    def _refresh_sessions(self, code: str) -> None:
        current = self.session.currentText()
        self.session.clear()
        node = self._cases.get(code.strip())
        if node is not None:
            self.session.addItems([s.label for s in node.sessions])
        self.session.setEditText(current)

    def values(self) -> tuple[str, str, str, int | None]:
        """(case code, session label, context, cycle or None)."""
        cycle = self.cycle.value() or None
        return (
            self.case.currentText().strip(),
            self.session.currentText().strip(),
            self.context.currentText(),
            cycle,
        )

    def _accept(self) -> None:
        code, session, _context, _cycle = self.values()
        try:
            validate_case_code(code)
        except InvalidInputError as exc:
            self.message.setText(str(exc))
            return
        if not session:
            self.message.setText(self.tr("Give the session a label, such as 'Visit 1'."))
            return
        self.accept()


class SettingsDialog(QDialog):
    """Preferences: which video player backend to use."""

    def __init__(self, backend: str, active_note: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self.backend = QComboBox()
        self.backend.setObjectName("backend")
        self.backend.addItem(self.tr("Automatic (VLC when available)"), "auto")
        self.backend.addItem(self.tr("VLC"), "vlc")
        self.backend.addItem(self.tr("Qt Multimedia"), "qt")
        self.backend.setCurrentIndex(max(0, self.backend.findData(backend)))
        note = QLabel(active_note + "\n" + self.tr("A change takes effect when VFA restarts."))
        note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(self.tr("Video player"), self.backend)
        form.addRow(note)
        form.addRow(buttons)

    def chosen_backend(self) -> str:
        return str(self.backend.currentData())
