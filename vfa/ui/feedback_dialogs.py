"""Dialogs of the feedback session: a clip's consent, and a reel export's purpose and
folder."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from vfa.services.consent import PURPOSES, Consent


def _buttons(dialog: QDialog) -> QDialogButtonBox:
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


class ConsentDialog(QDialog):
    """Record what the family agreed this clip may be used for."""

    def __init__(
        self, clip_name: str, current: Consent | None, recorder: str, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Consent for {0}").format(clip_name))
        self.boxes: dict[str, QCheckBox] = {}
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("The family agreed that this film may be used for:"))
        layout.addWidget(intro)
        for key, label in PURPOSES.items():
            box = QCheckBox(label)
            box.setObjectName(f"purpose_{key}")
            box.setChecked(current is not None and current.covers(key))
            self.boxes[key] = box
            layout.addWidget(box)
        form = QFormLayout()
        self.date = QDateEdit()
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        given = current.given_on if current and current.given_on else dt.date.today()
        self.date.setDate(QDate(given.year, given.month, given.day))
        self.by = QLineEdit(recorder)
        form.addRow(self.tr("Given on"), self.date)
        form.addRow(self.tr("Recorded by"), self.by)
        layout.addLayout(form)
        if current is not None:
            note = QLabel(
                self.tr("Last recorded by {0}. A change is recorded; the history is kept.").format(
                    current.recorded_by
                )
            )
            note.setWordWrap(True)
            layout.addWidget(note)
        layout.addWidget(_buttons(self))

    def purposes(self) -> list[str]:
        return [key for key, box in self.boxes.items() if box.isChecked()]

    def given_on(self) -> dt.date:
        d = self.date.date()
        return dt.date(d.year(), d.month(), d.day())


class ExportDialog(QDialog):
    """Choose the purpose of a reel export, the folder, and what it holds."""

    def __init__(self, covered: dict[str, str | None], folder: str, parent: QWidget | None) -> None:
        """``covered`` maps each purpose to None when every reel clip's consent covers it,
        else to the reason it does not (shown, and the export will be refused)."""
        super().__init__(parent)
        self.setWindowTitle(self.tr("Export the reel"))
        self.covered = covered
        self.purpose = QComboBox()
        self.purpose.setObjectName("purpose")
        for key, label in PURPOSES.items():
            self.purpose.addItem(label, key)
        first_ok = next((i for i, k in enumerate(PURPOSES) if covered.get(k) is None), 0)
        self.purpose.setCurrentIndex(first_ok)
        self.reason = QLabel()
        self.reason.setObjectName("consentReason")
        self.reason.setWordWrap(True)
        self.reason.setStyleSheet("color: #b00020;")
        self.folder = QLineEdit(folder)
        self.folder.setObjectName("folder")
        browse = QPushButton(self.tr("Choose…"))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        self.burn = QCheckBox(self.tr("Burn the captions into the video"))
        self.handout = QCheckBox(self.tr("A handout of the stills and captions (PDF)"))
        self.handout.setChecked(True)
        form = QFormLayout()
        form.addRow(self.tr("Purpose"), self.purpose)
        form.addRow("", self.reason)
        form.addRow(self.tr("Folder"), row)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.burn)
        layout.addWidget(self.handout)
        explain = QLabel(
            self.tr(
                "Each moment becomes NN.mp4 and its still NN.png; the captions go into "
                "reel.srt and, unless burned in, into each clip as subtitles."
            )
        )
        explain.setWordWrap(True)
        layout.addWidget(explain)
        self.box = _buttons(self)
        layout.addWidget(self.box)
        self.purpose.currentIndexChanged.connect(lambda _i: self._show_reason())
        self.folder.textChanged.connect(lambda _t: self._show_reason())
        self._show_reason()

    def chosen_purpose(self) -> str:
        return str(self.purpose.currentData())

    def _show_reason(self) -> None:
        reason = self.covered.get(self.chosen_purpose())
        self.reason.setText(reason or "")
        self.reason.setVisible(bool(reason))
        ok = self.box.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(reason is None and bool(self.folder.text().strip()))

    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, self.tr("Export into"), self.folder.text())
        if chosen:
            self.folder.setText(chosen)
