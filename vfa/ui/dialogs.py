"""Small dialogs: where a new clip goes, and settings."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QKeySequenceEdit,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from vfa.errors import InvalidInputError
from vfa.i18n import languages
from vfa.services.clips import CaseNode, validate_case_code, validate_session_fields
from vfa.ui.actions import SPECS, conflicts, default_shortcut, effective_shortcuts
from vfa.ui.forms import labelled, ok_cancel
from vfa.ui.key_table import action_name
from vfa.ui.messages import MessageBar

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
        self._by_key = {c.code.lower(): c for c in cases}  # FAM-001 is fam-001
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
        self.message = MessageBar()
        self.message.setObjectName("message")
        self.case.currentTextChanged.connect(self._refresh_sessions)
        self.case.currentTextChanged.connect(lambda _t: self._recheck())
        self.session.currentTextChanged.connect(lambda _t: self._recheck())
        self._refresh_sessions(case)
        self.session.setEditText(session)
        buttons = ok_cancel(self, self._accept)
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
        node = self._by_key.get(code.strip().lower())
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

    def _problems(self) -> dict[str, str]:
        """What is wrong with the fields, by field (the service's own checks, so the
        dialog refuses what adding would)."""
        code, session, context, cycle = self.values()
        problems = {}
        try:
            validate_case_code(code)
        except InvalidInputError as exc:
            problems["case"] = str(exc)
        try:
            validate_session_fields(session, context, None, cycle)
        except InvalidInputError as exc:
            problems["session"] = str(exc)
        return problems

    def _recheck(self) -> None:
        """A field was edited: a message about it goes once it is right."""
        problems = self._problems()
        for topic in self.message.topics():
            if topic not in problems:
                self.message.clear(topic)

    def _accept(self) -> None:
        problems = self._problems()
        for topic, text in problems.items():
            self.message.error(text, topic)
        if not problems:
            self.accept()


class SettingsDialog(QDialog):
    """Preferences: the coder, the video player backend, the window's language and the
    keyboard shortcuts."""

    def __init__(
        self,
        backend: str,
        active_note: str,
        shortcuts: dict[str, str] | None = None,
        parent: QWidget | None = None,
        coder: str = "",
        language: str = "",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self.setMinimumSize(560, 560)
        self.backend = QComboBox()
        self.backend.setObjectName("backend")
        self.backend.addItem(self.tr("Automatic (VLC when available)"), "auto")
        self.backend.addItem(self.tr("VLC"), "vlc")
        self.backend.addItem(self.tr("Qt Multimedia"), "qt")
        self.backend.setCurrentIndex(max(0, self.backend.findData(backend)))
        self.language = QComboBox()
        self.language.setObjectName("language")
        self.language.addItem(self.tr("The system's"), "")
        self.language.addItem("English", "en")
        for code in languages():  # each in its own words: who needs it can read it
            self.language.addItem(QLocale(code).nativeLanguageName().capitalize(), code)
        self.language.setCurrentIndex(max(0, self.language.findData(language)))
        self.coder = QLineEdit(coder)
        self.coder.setObjectName("coder")
        self.coder.setPlaceholderText(self.tr("your name, as it appears on codings"))
        note = QLabel(active_note + "\n" + self.tr("A change takes effect when VFA restarts."))
        note.setWordWrap(True)

        self.keys = QTableWidget(len(SPECS), 2)
        self.keys.setObjectName("shortcuts")
        self.keys.setHorizontalHeaderLabels([self.tr("Action"), self.tr("Shortcut")])
        self.keys.verticalHeader().setVisible(False)
        self.keys.horizontalHeader().setStretchLastSection(True)
        self.keys.setTabKeyNavigation(False)  # Tab goes on to the keys' fields, then the buttons
        self.editors: dict[str, QKeySequenceEdit] = {}
        current = effective_shortcuts(shortcuts or {})
        for row, spec in enumerate(SPECS):
            name = QTableWidgetItem(action_name(spec.id))
            name.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.keys.setItem(row, 0, name)
            editor = QKeySequenceEdit(QKeySequence.fromString(current[spec.id]))
            editor.setClearButtonEnabled(True)
            editor.setAccessibleName(self.tr("Shortcut for {0}").format(action_name(spec.id)))
            self.keys.setCellWidget(row, 1, editor)
            self.editors[spec.id] = editor
        self.keys.resizeColumnToContents(0)
        reset = QPushButton(self.tr("Reset shortcuts to defaults"))
        reset.clicked.connect(self.reset_shortcuts)
        self.message = MessageBar()
        self.message.setObjectName("message")
        for editor in self.editors.values():
            editor.keySequenceChanged.connect(lambda _k: self._recheck())

        buttons = ok_cancel(self, self._accept)
        form = QFormLayout(self)
        form.addRow(self.tr("Coder"), self.coder)
        form.addRow(self.tr("Video player"), self.backend)
        form.addRow(self.tr("Language"), self.language)
        form.addRow(note)
        form.addRow(labelled(self.tr("Keyboard shortcuts"), self.keys))
        form.addRow(self.keys)
        form.addRow(reset)
        form.addRow(self.message)
        form.addRow(buttons)

    def chosen_backend(self) -> str:
        return str(self.backend.currentData())

    def chosen_language(self) -> str:
        """The language chosen for the window ('' the system's)."""
        return str(self.language.currentData())

    def shortcut_texts(self) -> dict[str, str]:
        """Every action's shortcut as edited (portable text)."""
        return {
            action_id: editor.keySequence().toString(QKeySequence.SequenceFormat.PortableText)
            for action_id, editor in self.editors.items()
        }

    def chosen_overrides(self) -> dict[str, str]:
        """Only the shortcuts that differ from the shipped ones."""
        return {
            action_id: key
            for action_id, key in self.shortcut_texts().items()
            if key != default_shortcut(action_id)
        }

    def reset_shortcuts(self) -> None:
        for action_id, editor in self.editors.items():
            editor.setKeySequence(QKeySequence.fromString(default_shortcut(action_id)))

    def _recheck(self) -> None:
        if self.message.topics() and not conflicts(self.shortcut_texts()):
            self.message.clear("shortcuts")  # the clash was resolved

    def _accept(self) -> None:
        clashes = conflicts(self.shortcut_texts())
        if clashes:
            key, first, second = clashes[0]
            self.message.error(
                self.tr("{0} is given to both “{1}” and “{2}”; change one of them.").format(
                    key,
                    action_name(first),
                    action_name(second),
                ),
                "shortcuts",
            )
            return
        self.accept()


class GoToDialog(QDialog):
    """Type a time (1:02.5, 62.5 s, 62500 ms) or a frame (f1500) to go to."""

    def __init__(self, go: Callable[[str], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Go to"))
        self._go = go
        self.field = QLineEdit()
        self.field.setObjectName("position")
        self.field.setPlaceholderText(self.tr("1:02.5 · 62.5 s · 62500 ms · f1500"))
        self.message = MessageBar()
        self.message.setObjectName("message")
        self.field.textChanged.connect(lambda _t: self.message.clear("position"))
        buttons = ok_cancel(self, self._accept)
        form = QFormLayout(self)
        form.addRow(self.tr("Time or frame"), self.field)
        form.addRow(self.message)
        form.addRow(buttons)

    def _accept(self) -> None:
        try:
            self._go(self.field.text())
        except ValueError as exc:
            self.message.error(str(exc), "position")
            return
        self.accept()


class ModifiersDialog(QDialog):
    """One choice per modifier of an event's code (blank: not set)."""

    def __init__(self, event: Any, modifiers: Sequence[Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Modifiers of {0}").format(event.code))
        self.boxes: dict[str, QComboBox] = {}
        form = QFormLayout(self)
        for modifier in modifiers:
            box = QComboBox()
            box.addItem("", None)
            for option in modifier.options:
                box.addItem(option, option)
            current = event.modifiers.get(modifier.id)
            if current is not None:
                box.setCurrentIndex(max(0, box.findData(current)))
            form.addRow(modifier.name, box)
            self.boxes[modifier.id] = box
        buttons = ok_cancel(self)
        form.addRow(buttons)

    def values(self) -> dict[str, str]:
        return {key: box.currentData() for key, box in self.boxes.items() if box.currentData()}
