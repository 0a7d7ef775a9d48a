"""The rating form's tables: items with their rating, note and evidence, driven from the
keyboard (digits, N, Delete; Enter or ↓ moves on; unrated rows highlighted), and one
member's part of a point-distribution grid (a row is entered once it is complete)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from vfa.domain.schemes import Grid, Scheme
from vfa.services import coding

UNRATED = QColor("#fff4ce")
REFUSED = QColor("#fde2e1")


class RatingTable(QTableWidget):
    """Items down, their rating and note across; driven from the keyboard."""

    rate = Signal(str, object)  # item id, value (int, special code or None)
    note = Signal(str, str)  # item id, note text

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 4, parent)
        self.setObjectName("ratings")
        self.setHorizontalHeaderLabels(
            [self.tr("Item"), self.tr("Rating"), self.tr("Note"), self.tr("Evidence")]
        )
        self.verticalHeader().setVisible(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # only the note is typed into; ratings come from single keys
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self._loading = False
        self.itemChanged.connect(self._note_edited)
        self.scheme: Scheme | None = None
        self._rows: list[str] = []

    def set_scheme(self, scheme: Scheme | None) -> None:
        self.scheme = scheme
        items = scheme.ratings.items if scheme and scheme.ratings else ()
        self._rows = [item.id for item in items]
        self._loading = True  # filling the cells is no note being typed
        self.setRowCount(len(items))
        for row, item in enumerate(items):
            name = QTableWidgetItem(item.name)
            tip = f"{item.scale_min}–{item.scale_max}"
            if item.special:
                tip += " or " + ", ".join(s.code for s in item.special)
            name.setToolTip(tip)
            fixed = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
            name.setFlags(fixed)
            self.setItem(row, 0, name)
            rating = QTableWidgetItem("")
            rating.setFlags(fixed)
            self.setItem(row, 1, rating)
            self.setItem(row, 2, QTableWidgetItem(""))
            evidence = QTableWidgetItem("")
            evidence.setFlags(fixed)
            self.setItem(row, 3, evidence)
        self._loading = False
        if items:
            self.setCurrentCell(0, 1)

    def show_states(self, states: dict[str, coding.RatingState]) -> None:
        self._loading = True
        for row, item_id in enumerate(self._rows):
            state = states.get(item_id, coding.RatingState(None, None, ()))
            text = "" if state.value is None else str(state.value)
            cell(self, row, 1).setText(text)
            brush = QBrush(UNRATED) if state.value is None else QBrush()
            for col in range(4):
                cell(self, row, col).setBackground(brush)
            cell(self, row, 2).setText(state.note or "")
            links = len(state.evidence)
            cell(self, row, 3).setText(self.tr("{0} linked").format(links) if links else "")
        self._loading = False

    def _note_edited(self, cell: QTableWidgetItem) -> None:
        if self._loading or cell.column() != 2:
            return
        self.note.emit(self._rows[cell.row()], cell.text())

    def current_item_id(self) -> str | None:
        row = self.currentRow()
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def event(self, event: QEvent) -> bool:
        """Keep digits, N and Delete for rating instead of the window's event hotkeys."""
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and self._value_for(event) is not _NO_KEY
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        value = self._value_for(event)
        item_id = self.current_item_id()
        if value is not _NO_KEY and item_id is not None:
            self.rate.emit(item_id, value)
            if value is not None and self.currentRow() < self.rowCount() - 1:
                self.setCurrentCell(self.currentRow() + 1, 1)
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.setCurrentCell(min(self.currentRow() + 1, self.rowCount() - 1), 1)
            return
        super().keyPressEvent(event)

    def _value_for(self, event: QKeyEvent) -> object:
        if self.scheme is None or self.scheme.ratings is None:
            return _NO_KEY
        item_id = self.current_item_id()
        if item_id is None or event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return _NO_KEY
        item = self.scheme.item(item_id)
        text = event.text()
        if text.isdigit() and item.scale_min <= int(text) <= item.scale_max:
            return int(text)
        if text and item.special:
            for special in item.special:
                if special.code[0].lower() == text.lower():
                    return special.code
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            return None
        return _NO_KEY


_NO_KEY = object()


def cell(table: QTableWidget, row: int, column: int) -> QTableWidgetItem:
    """A cell the table was filled with (never None once built)."""
    item = table.item(row, column)
    assert item is not None
    return item


class GridTable(QTableWidget):
    """One member's part of a point-distribution grid: aspects down, scales across."""

    row_entered = Signal(str, str, str, dict)  # grid, row, member, points

    def __init__(self, grid: Grid, member_index: int, parent: QWidget | None = None) -> None:
        member = grid.members[member_index]
        super().__init__(len(grid.rows), len(member.scales), parent)
        self.grid, self.member = grid, member
        self.setObjectName(f"grid-{grid.id}-{member.id}")
        # short headers, full names on hover: seven aspects by up to four scales fit the panel
        self.setHorizontalHeaderLabels([s.name[:6] for s in member.scales])
        for c, scale in enumerate(member.scales):
            header = self.horizontalHeaderItem(c)
            if header is not None:
                header.setToolTip(scale.name)
        self.setVerticalHeaderLabels([r.name for r in grid.rows])
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        for r in range(len(grid.rows)):
            for c in range(len(member.scales)):
                self.setItem(r, c, QTableWidgetItem(""))
        self._loading = False
        self.itemChanged.connect(self._changed)

    def show_points(self, points: dict[str, dict[str, dict[str, int]]]) -> None:
        self._loading = True
        for r, row in enumerate(self.grid.rows):
            cells = points.get(row.id, {}).get(self.member.id, {})
            for c, scale in enumerate(self.member.scales):
                item = cell(self, r, c)
                item.setText(str(cells[scale.id]) if scale.id in cells else "")
                item.setBackground(QBrush(UNRATED) if not cells else QBrush())
        self._loading = False

    def mark_refused(self, row_id: str) -> None:
        """Keep what was typed, in red, until the row adds up."""
        r = next(i for i, row in enumerate(self.grid.rows) if row.id == row_id)
        self._loading = True
        for c in range(self.columnCount()):
            cell(self, r, c).setBackground(QBrush(REFUSED))
        self._loading = False

    def _changed(self, item: QTableWidgetItem) -> None:
        if self._loading:
            return
        r = item.row()
        texts = [cell(self, r, c).text().strip() for c in range(self.columnCount())]
        if any(not t for t in texts):
            return  # the row is not complete yet
        try:
            points = {s.id: int(t) for s, t in zip(self.member.scales, texts, strict=True)}
        except ValueError:
            self.mark_refused(self.grid.rows[r].id)
            return
        self.row_entered.emit(self.grid.id, self.grid.rows[r].id, self.member.id, points)
