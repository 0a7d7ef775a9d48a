"""Dialogs of the feedback session: a clip's consent, a reel export's purpose and folder,
and a still's purpose and file."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from vfa.media.stills import STILL_SUFFIXES
from vfa.services.consent import PURPOSES, Consent, coverage
from vfa.services.workspaces import Workspace
from vfa.ui.forms import add_choose_row, labelled, ok_cancel
from vfa.ui.messages import MessageBar
from vfa.ui.save_dialogs import confirm_replace, with_suffix


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
        # the last day it holds, when the family gave it for a time
        self.ends = QCheckBox(self.tr("Holds until"))
        self.ends.setObjectName("consentEnds")
        self.until = QDateEdit()
        self.until.setObjectName("consentUntil")
        self.until.setAccessibleName(self.tr("The last day it holds"))
        self.until.setCalendarPopup(True)
        self.until.setDisplayFormat("yyyy-MM-dd")
        last = current.valid_until if current and current.valid_until else None
        start = max(given, dt.date.today())  # (a year from a past day may be over)
        shown = last or dt.date(start.year + 1, start.month, min(start.day, 28))
        self.until.setDate(QDate(shown.year, shown.month, shown.day))
        self.until.setEnabled(last is not None)
        self.ends.setChecked(last is not None)
        self.ends.toggled.connect(self.until.setEnabled)
        form.addRow(self.tr("Given on"), self.date)
        form.addRow(self.ends, self.until)
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
        layout.addWidget(ok_cancel(self))

    def purposes(self) -> list[str]:
        return [key for key, box in self.boxes.items() if box.isChecked()]

    def given_on(self) -> dt.date:
        d = self.date.date()
        return dt.date(d.year(), d.month(), d.day())

    def valid_until(self) -> dt.date | None:
        """The last day the consent holds, or None when it has no end date."""
        if not self.ends.isChecked():
            return None
        d = self.until.date()
        return dt.date(d.year(), d.month(), d.day())


class PurposeField(QWidget):
    """The purpose of an export: every purpose is listed; one the consent does not cover
    shows why below the list and cannot be confirmed (``allowed`` is False)."""

    def __init__(
        self, covered: dict[str, str | None], preferred: str | None, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.covered = covered
        self.combo = QComboBox()
        self.combo.setObjectName("purpose")
        for key, label in PURPOSES.items():
            reason = covered.get(key)
            shown = self.tr("{0} (not covered by the consent)").format(label) if reason else label
            self.combo.addItem(shown, key)
            if reason:
                index = self.combo.count() - 1
                self.combo.setItemData(index, reason, Qt.ItemDataRole.ToolTipRole)
        keys = list(PURPOSES)
        ok = [i for i, k in enumerate(keys) if covered.get(k) is None]
        wanted = keys.index(preferred) if preferred in keys else None
        self.combo.setCurrentIndex(wanted if wanted in ok else (ok[0] if ok else 0))
        self.reason = MessageBar()  # the refusal in full, however long the path in it
        self.reason.setObjectName("consentReason")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.combo)
        layout.addWidget(self.reason)
        self.combo.currentIndexChanged.connect(lambda _i: self._show_reason())
        self._show_reason()

    def chosen(self) -> str:
        return str(self.combo.currentData())

    def allowed(self) -> bool:
        """Whether the consent covers the chosen purpose."""
        return self.covered.get(self.chosen()) is None

    def _show_reason(self) -> None:
        reason = self.covered.get(self.chosen())
        if reason:
            self.reason.error(reason, "consent")
        else:
            self.reason.clear("consent")


class _PurposeDialog(QDialog):
    """Something that leaves VFA for a purpose (which the consent must cover) into a place
    (a folder or a file): OK only when the purpose is allowed and the place given."""

    def __init__(
        self, covered: dict[str, str | None], preferred: str | None, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.covered = covered
        self.purpose_field = PurposeField(covered, preferred, self)
        self.purpose = self.purpose_field.combo
        self.reason = self.purpose_field.reason

    def _lay_out(
        self, place_label: str, place: QLineEdit, extras: list[QWidget], explanation: str
    ) -> None:
        self._place = place
        form = QFormLayout()
        form.addRow(labelled(self.tr("Purpose"), self.purpose), self.purpose_field)
        add_choose_row(form, place_label, place, self._browse)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        for widget in extras:
            layout.addWidget(widget)
        explain = QLabel(explanation)
        explain.setWordWrap(True)
        layout.addWidget(explain)
        self.box = ok_cancel(self)
        layout.addWidget(self.box)
        self.purpose.currentIndexChanged.connect(lambda _i: self._update())
        place.textChanged.connect(lambda _t: self._update())
        self._update()

    def chosen_purpose(self) -> str:
        """The purpose chosen (its key)."""
        return self.purpose_field.chosen()

    def _update(self) -> None:
        ok = self.box.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(self.purpose_field.allowed() and bool(self._place.text().strip()))

    def _browse(self) -> None:
        raise NotImplementedError


class ExportDialog(_PurposeDialog):
    """Choose the purpose of a reel export, the folder, and what it holds."""

    def __init__(self, covered: dict[str, str | None], folder: str, parent: QWidget | None) -> None:
        """``covered`` maps each purpose to None when every reel clip's consent covers it,
        else to the reason it does not (shown, and the export will be refused)."""
        super().__init__(covered, None, parent)
        self.setWindowTitle(self.tr("Export the reel"))
        self.folder = QLineEdit(folder)
        self.folder.setObjectName("folder")
        self.burn = QCheckBox(self.tr("Burn the captions into the video"))
        self.handout = QCheckBox(self.tr("A handout of the stills and captions (PDF)"))
        self.handout.setChecked(True)
        self._lay_out(
            self.tr("Folder"),
            self.folder,
            [self.burn, self.handout],
            self.tr(
                "Each moment becomes NN.mp4 and its still NN.png; the captions go into "
                "reel.srt and, unless burned in, into each clip as subtitles."
            ),
        )

    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, self.tr("Export into"), self.folder.text())
        if chosen:
            self.folder.setText(chosen)


class StillDialog(_PurposeDialog):
    """Save the frame on screen: what the still is for (the clip's consent must cover
    it) and the file (PNG, or JPEG for a .jpg name)."""

    def __init__(self, covered: dict[str, str | None], path: str, parent: QWidget | None) -> None:
        """``covered`` maps each purpose to None when the clip's consent covers it, else
        to the reason it does not."""
        super().__init__(covered, "notes", parent)
        self.setWindowTitle(self.tr("Save still"))
        self.file = QLineEdit(path)
        self.file.setObjectName("file")
        self._lay_out(
            self.tr("File"),
            self.file,
            [],
            self.tr(
                "A still of a family's video leaves VFA like a reel: for a purpose their "
                "consent covers, recorded in the audit trail."
            ),
        )

    def chosen_path(self) -> str:
        """The file name given, with ``.png`` added when it names no image format."""
        return with_suffix(self.file.text().strip(), STILL_SUFFIXES)

    def _browse(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Save still"),
            self.file.text(),
            self.tr("PNG image (*.png);;JPEG image (*.jpg *.jpeg)"),
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if chosen:
            self.file.setText(chosen)


def ask_still(
    parent: QWidget | None,
    ws: Workspace,
    clip_id: int,
    suggested: str,
    path: str | None = None,
    purpose: str | None = None,
) -> tuple[str, str, bool] | None:
    """Ask for a still's purpose and file (unless both are given), then whether to
    replace a file already there: (file, purpose, replace) or None when cancelled."""
    if path is None or purpose is None:
        covered = coverage(ws, [clip_id], f"a still of clip {clip_id}")
        dialog = StillDialog(covered, path or suggested, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        path, purpose = dialog.chosen_path(), dialog.chosen_purpose()
    target = with_suffix(path, STILL_SUFFIXES)
    replace = confirm_replace(parent, target)
    if replace is None:
        return None
    return target, purpose, replace
