"""The parts dialogs share (vfa/ui/forms.py): OK and Cancel, Close, a field with Choose…;
and the reel export and still dialogs built on one purpose-and-place dialog."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLineEdit, QPushButton, QWidget

from vfa.ui.feedback_dialogs import ExportDialog, StillDialog
from vfa.ui.forms import choose_row, close_button, ok_cancel


def _dialog(qtbot) -> QDialog:
    dialog = QDialog()
    qtbot.addWidget(dialog)
    return dialog


def test_ok_accepts_and_cancel_rejects(qtbot):
    dialog = _dialog(qtbot)
    box = ok_cancel(dialog)
    results: list[int] = []
    dialog.finished.connect(results.append)
    box.button(QDialogButtonBox.StandardButton.Ok).click()
    box.button(QDialogButtonBox.StandardButton.Cancel).click()
    assert results == [QDialog.DialogCode.Accepted.value, QDialog.DialogCode.Rejected.value]


def test_ok_may_check_first(qtbot):
    dialog = _dialog(qtbot)
    asked: list[str] = []
    box = ok_cancel(dialog, lambda: asked.append("check"))
    box.button(QDialogButtonBox.StandardButton.Ok).click()
    assert asked == ["check"]
    assert dialog.result() != QDialog.DialogCode.Accepted.value  # the check decides


def test_close_rejects(qtbot):
    dialog = _dialog(qtbot)
    box = close_button(dialog)
    assert box.standardButtons() == QDialogButtonBox.StandardButton.Close
    results: list[int] = []
    dialog.finished.connect(results.append)
    box.button(QDialogButtonBox.StandardButton.Close).click()
    assert results == [QDialog.DialogCode.Rejected.value]


def test_choose_sits_after_the_field_and_calls_back(qtbot):
    holder = QWidget()
    qtbot.addWidget(holder)
    field = QLineEdit()
    chosen: list[str] = []
    row = choose_row(field, lambda: chosen.append("chosen"))
    holder.setLayout(row)
    assert row.itemAt(0).widget() is field and row.stretch(0) == 1
    button = row.itemAt(1).widget()
    assert isinstance(button, QPushButton) and button.text() == "C&hoose…"
    button.click()
    assert chosen == ["chosen"]


def test_choose_has_a_key_of_its_own(qtbot):
    """Alt+H presses Choose… (its underlined letter), unlike a dialog's standard
    buttons (OK, Cancel, Close: Enter and Escape press them)."""
    holder = QWidget()
    qtbot.addWidget(holder)
    holder.setLayout(choose_row(QLineEdit(), lambda: None))
    button = holder.findChild(QPushButton)
    assert button.shortcut() == QKeySequence("Alt+H")


def _ok(dialog: QDialog) -> QPushButton:
    return dialog.box.button(QDialogButtonBox.StandardButton.Ok)  # type: ignore[attr-defined]


def test_reel_and_still_dialogs_allow_ok_on_a_covered_purpose_and_a_place(qtbot, tmp_path):
    covered = {"feedback": None, "notes": None, "training": "no consent for training"}
    for dialog, place in (
        (ExportDialog(covered, str(tmp_path), None), "folder"),
        (StillDialog(covered, str(tmp_path / "s.png"), None), "file"),
    ):
        qtbot.addWidget(dialog)
        field: QLineEdit = getattr(dialog, place)
        assert _ok(dialog).isEnabled()
        field.setText("  ")
        assert not _ok(dialog).isEnabled()
        field.setText(str(tmp_path / "x"))
        dialog.purpose.setCurrentIndex(dialog.purpose.findData("training"))
        assert not _ok(dialog).isEnabled()
        assert dialog.reason.text("consent") == "no consent for training"
        dialog.purpose.setCurrentIndex(dialog.purpose.findData("feedback"))
        assert _ok(dialog).isEnabled() and dialog.chosen_purpose() == "feedback"
