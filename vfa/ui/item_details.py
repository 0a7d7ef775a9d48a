"""The details beside the coding form: the current item (or grid row and scale) in full,
the keys it takes, the scheme's description of it (shipped, or filled in in a local
copy of a licensed scheme), and for a rating item its note and evidence."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QLineEdit, QTextBrowser, QVBoxLayout, QWidget

from vfa.domain.schemes import Grid, GridMember, GridRow, GridScale, RatingItem, Scheme
from vfa.services import coding
from vfa.ui.grid_table import grid_text
from vfa.ui.rating_tables import numbered, rating_keys
from vfa.ui.settings import config_dir


class ItemDetails(QWidget):
    """What the current item is and how it is rated; a rating item's note is typed here."""

    note_committed = Signal(str, str)  # item id, note text
    note_done = Signal()  # Enter in the note: back to the form

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("itemDetails")
        self.title = QLabel()
        self.title.setObjectName("detailsTitle")
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-weight: 600")
        self.keys = QLabel()
        self.keys.setObjectName("detailsKeys")
        self.keys.setWordWrap(True)
        self.description = QTextBrowser()
        self.description.setObjectName("description")
        self.description.setAccessibleName(self.tr("Description of the item"))
        self.description.setFrameShape(QFrame.Shape.NoFrame)
        self.description.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # a click leaves the form's
        self.description.setMinimumHeight(self.fontMetrics().lineSpacing() * 2 + 8)
        self.note = QLineEdit()
        self.note.setObjectName("note")
        self.note.setAccessibleName(self.tr("Note on the item"))
        self.note.setPlaceholderText(self.tr("A note on this item (F2 from the list)"))
        self.note.editingFinished.connect(self._commit)
        self.note.returnPressed.connect(self.note_done)
        self.evidence = QLabel()
        self.evidence.setObjectName("evidence")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        for widget in (self.title, self.keys, self.description, self.note, self.evidence):
            layout.addWidget(widget, 1 if widget is self.description else 0)
        self._item_id: str | None = None
        self._stored_note = ""
        self.show_nothing()

    def show_item(self, scheme: Scheme, item: RatingItem, state: coding.RatingState) -> None:
        """A rating item: number and name, its group, keys, description, note, evidence."""
        if item.id != self._item_id:
            self._commit()
        self._item_id = item.id
        groups = dict(scheme.ratings.groups) if scheme.ratings else {}
        title = numbered(scheme, item)
        if item.group in groups:
            title += " · " + groups[item.group]
        self.title.setText(title)
        self.keys.setText(
            self.tr("Keys: {0}; Delete clears, Enter moves on.").format(rating_keys(item))
        )
        self._describe([(item.name, item.description, item.requires_license)])
        self._stored_note = state.note or ""
        if not self.note.hasFocus():
            self.note.setText(self._stored_note)
        links = len(state.evidence)
        self.evidence.setText(self.tr("{0} linked").format(links) if links else "")
        self.note.show()
        self.evidence.setVisible(bool(links))

    def show_cell(
        self, scheme: Scheme, grid: Grid, member: GridMember, row: GridRow, scale: GridScale
    ) -> None:
        """A grid cell: the row and the scale in full, the points it takes, both described."""
        self._commit()
        self._item_id = None
        self.title.setText(f"{row.name} · {member.name}: {scale.name}")
        self.keys.setText(
            self.tr("Keys: 0–{0} points; Delete clears, Enter moves to the next row.").format(
                grid.points_per_row
            )
        )
        self._describe(
            [
                (row.name, *grid_text(scheme, grid.id, "rows", row.id)),
                (scale.name, *grid_text(scheme, grid.id, "scales", scale.id)),
            ]
        )
        self.note.hide()
        self.evidence.hide()

    def show_nothing(self) -> None:
        """No item: nothing to say."""
        self._commit()
        self._item_id = None
        for label in (self.title, self.keys, self.evidence):
            label.clear()
        self.description.clear()
        self.note.clear()
        self.note.hide()
        self.evidence.hide()

    def focus_note(self) -> None:
        """The keys to the current item's note."""
        if self._item_id is not None:
            self.note.setFocus(Qt.FocusReason.ShortcutFocusReason)
            self.note.selectAll()

    def _describe(self, parts: list[tuple[str, str, bool]]) -> None:
        """Each part's description, or where it is when the licensed manual holds it."""
        said = []
        for name, description, licensed in parts:
            if description.strip():
                text = description.strip()
            elif licensed:
                text = self.tr(
                    "In the licensed manual; your licensed copy of the scheme, put in "
                    "VFA's schemes folder, can hold it."
                )
            else:
                text = self.tr("The scheme gives no description.")
            said.append(f"{name}: {text}" if len(parts) > 1 else text)
        self.description.setPlainText("\n\n".join(said))
        self.description.setToolTip(
            self.tr("VFA's schemes folder: {0}").format(config_dir() / "schemes")
        )

    def _commit(self) -> None:
        """Keep the note typed for the item it was typed for."""
        if self._item_id is not None and self.note.text().strip() != self._stored_note.strip():
            self._stored_note = self.note.text()
            self.note_committed.emit(self._item_id, self.note.text())
