"""The rating form's list of items, and the keyboard both rating forms share.

A list and a grid take the same keys while they have focus (:class:`KeyedTable`): a
digit sets the value of the current row or cell, Enter (or ↓) moves on, N gives the
scheme's "not observed" code where it has one, Delete clears. A key that cannot be taken
says why (``refused``) instead of doing nothing. The grid is :mod:`vfa.ui.grid_table`.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from vfa.domain.schemes import RatingItem, Scheme
from vfa.domain.scoring import check_item
from vfa.errors import VfaError
from vfa.services import coding

UNRATED = QColor("#fff4ce")
REFUSED = QColor("#fde2e1")
FIXED = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
CLEAR = (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)


def numbered(scheme: Scheme, item: RatingItem) -> str:
    """An item as the instrument publishes it: its number, then its name."""
    items = scheme.ratings.items if scheme.ratings else ()
    return f"{items.index(item) + 1} {item.name}" if item in items else item.name


def rating_keys(item: RatingItem) -> str:
    """The keys that rate an item, as a person reads them: '1–5, or N for Not observed
    (NOB)'."""
    text = f"{item.scale_min}–{item.scale_max}"
    for special in item.special:
        text += QCoreApplication.translate("RatingTable", ", or {0} for {1} ({2})").format(
            special.code[0].upper(), special.label, special.code
        )
    return text


def cell(table: QTableWidget, row: int, column: int) -> QTableWidgetItem:
    """A cell the table was filled with (never None once built)."""
    item = table.item(row, column)
    assert item is not None
    return item


class KeyedTable(QTableWidget):
    """A table rated from the keyboard: digits, N, Delete and Enter are its own while it
    has focus (before the window's shortcuts), the arrows and Space stay the player's."""

    refused = Signal(str)  # why a key could not be taken
    past_end = Signal()  # Enter (or a completed entry) on the last row: the next form

    def __init__(self, rows: int, columns: int, parent: QWidget | None = None) -> None:
        super().__init__(rows, columns, parent)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setWordWrap(True)

    def event(self, event: QEvent) -> bool:
        """Keep the rating keys from the window's shortcuts (event hotkeys on digits)."""
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and self._ours(event)
        ):
            event.accept()
            return True
        return super().event(event)

    def _ours(self, event: QKeyEvent) -> bool:
        if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        text = event.text()
        return (
            text.isdigit()
            or event.key() in CLEAR + ENTER
            or (len(text) == 1 and self.takes_letter(text))
        )

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self._ours(event) or self.currentRow() < 0:
            super().keyPressEvent(event)
            return
        text = event.text()
        if text.isdigit():
            self.digit(int(text))
        elif event.key() in CLEAR:
            self.clear_current()
        elif event.key() in ENTER:
            self.move_on()
        else:
            self.letter(text)

    def move_on(self) -> None:
        """The next row (Enter, or an entry completed); past the last one, the next form."""
        if self.currentRow() < self.rowCount() - 1:
            self.setCurrentCell(self.currentRow() + 1, self.first_column())
        else:
            self.past_end.emit()

    def first_column(self) -> int:
        """The column a row is entered from."""
        return 0

    # what each form does with its keys
    def takes_letter(self, text: str) -> bool:
        """Whether a letter key is the form's (N, a special code's letter)."""
        return text.lower() == "n"

    def digit(self, value: int) -> None:
        """A digit typed on the current row or cell."""
        raise NotImplementedError

    def letter(self, text: str) -> None:
        """A letter the form takes (``takes_letter``) typed on the current row or cell."""
        raise NotImplementedError

    def clear_current(self) -> None:
        """Delete (or Backspace) on the current row or cell."""
        raise NotImplementedError


class RatingTable(KeyedTable):
    """The scheme's items down, each with its rating: the full name (with its number),
    wrapped, and the value; the current item's description, note and evidence are in
    the panel's details (:mod:`vfa.ui.item_details`)."""

    rate = Signal(str, object)  # item id, value (int, special code or None)
    note_wanted = Signal()  # F2: type a note on the current item

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 2, parent)
        self._kept = False  # the rating just typed was refused: its row stays current
        self.setObjectName("ratings")
        self.setAccessibleName(self.tr("Ratings"))
        self.setTabKeyNavigation(False)  # Enter and ↓ go down the list; Tab leaves it
        self.setHorizontalHeaderLabels([self.tr("Item"), self.tr("Rating")])
        self.verticalHeader().setVisible(False)
        # rows as tall as their wrapped names, at whatever width the panel has
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scheme: Scheme | None = None
        self._rows: list[str] = []

    def set_scheme(self, scheme: Scheme | None) -> None:
        """A row an item of the scheme's rating list (none without one)."""
        self.scheme = scheme
        items = scheme.ratings.items if scheme and scheme.ratings else ()
        self._rows = [item.id for item in items]
        self.setRowCount(len(items))
        for row, item in enumerate(items):
            assert scheme is not None
            name = QTableWidgetItem(numbered(scheme, item))
            name.setToolTip(rating_keys(item))
            name.setFlags(FIXED)
            self.setItem(row, 0, name)
            rating = QTableWidgetItem("")
            rating.setFlags(FIXED)
            rating.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            self.setItem(row, 1, rating)
        if items:
            self.setCurrentCell(0, 1)

    def show_states(self, states: dict[str, coding.RatingState]) -> None:
        """Each item's rating as stored; the unrated ones highlighted."""
        for row, item_id in enumerate(self._rows):
            state = states.get(item_id, coding.RatingState(None, None, ()))
            cell(self, row, 1).setText("" if state.value is None else str(state.value))
            brush = QBrush(UNRATED) if state.value is None else QBrush()
            for col in range(2):
                cell(self, row, col).setBackground(brush)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_F2 and self.current_item_id() is not None:
            self.note_wanted.emit()
            return
        super().keyPressEvent(event)

    def current_item_id(self) -> str | None:
        """The id of the item the keys go to."""
        row = self.currentRow()
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def first_column(self) -> int:
        return 1

    def _item(self) -> RatingItem | None:
        item_id = self.current_item_id()
        if self.scheme is None or item_id is None:
            return None
        return self.scheme.item(item_id)

    def takes_letter(self, text: str) -> bool:
        item = self._item()
        specials = item.special if item is not None else ()
        return text.lower() == "n" or any(s.code[0].lower() == text.lower() for s in specials)

    def digit(self, value: int) -> None:
        item = self._item()
        if item is None or self.scheme is None:
            return
        try:
            check_item(item, value)
        except VfaError:
            self.refused.emit(
                self.tr('{0} is not a rating of "{1}": press {2}.').format(
                    value, numbered(self.scheme, item), rating_keys(item)
                )
            )
            return
        self._rate(item, value)

    def letter(self, text: str) -> None:
        item = self._item()
        if item is None or self.scheme is None:
            return
        special = next((s for s in item.special if s.code[0].lower() == text.lower()), None)
        if special is None:
            self.refused.emit(
                self.tr('"{0}" has no "not observed" code: press {1}.').format(
                    numbered(self.scheme, item), rating_keys(item)
                )
            )
            return
        self._rate(item, special.code)

    def clear_current(self) -> None:
        item_id = self.current_item_id()
        if item_id is not None:
            self.rate.emit(item_id, None)

    def _rate(self, item: RatingItem, value: object) -> None:
        self._kept = False
        self.rate.emit(item.id, value)  # (the panel stores it now, or says why not)
        if not self._kept:
            self.move_on()

    def keep_row(self) -> None:
        """The rating just typed was not stored (someone changed it first, say): the
        row stays current, to look and type again, instead of moving on."""
        self._kept = True
