"""Point-distribution grids (the CARE-Index): one table a member, rows down, that member's
scales across under their full names, and each row's points against what it needs
("1 of 2").

Keys as in the rating list (:class:`vfa.ui.rating_tables.KeyedTable`): a digit puts
points in the current cell and moves on (across while the row needs more, to the next
row once it adds up), Tab moves across, Enter or ↓ to the next row, Delete clears a
cell. A row is entered once its points add up, a blank cell counting as 0; until then
what was typed waits in the table (a row over its points is refused, in red, and says
why).
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QFocusEvent, QFont, QPainter, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QScrollArea,
    QStyle,
    QStyleOptionHeader,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from vfa.domain.schemes import Grid, GridMember, GridRow, GridScale, Scheme
from vfa.ui.messages import Level, inline_brush, inline_label
from vfa.ui.rating_tables import FIXED, REFUSED, UNRATED, KeyedTable, cell

Points = dict[str, dict[str, dict[str, int]]]  # row -> member -> scale -> points


def grid_text(scheme: Scheme, grid_id: str, kind: str, part_id: str) -> tuple[str, bool]:
    """A grid row's or scale's description in the scheme file (``kind``: "rows" or
    "scales"), and whether the licensed manual holds it."""
    for grid in scheme.raw.get("grids", []):
        if grid.get("id") == grid_id:
            scales = [s for m in grid.get("members", []) for s in m.get("scales", [])]
            for part in grid.get("rows", []) if kind == "rows" else scales:
                if part.get("id") == part_id:
                    return part.get("description", ""), part.get("requires_license", False)
    return "", False


class ScaleHeader(QHeaderView):
    """Column heads in full: across while the names fit side by side, else turned to
    read upwards (seven aspects by four scales fit a narrow panel)."""

    PAD = 12

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.upright = True
        self.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.setStretchLastSection(False)

    def set_upright(self, upright: bool) -> None:
        """Across (True) or turned (False)."""
        if upright != self.upright:
            self.upright = upright
            self.resizeSections()
            self.updateGeometry()
            self.viewport().update()

    def text(self, logical: int) -> str:
        """A column's head."""
        model = self.model()
        value = model.headerData(logical, self.orientation()) if model is not None else None
        return str(value or "")

    def size_of(self, logical: int, upright: bool) -> QSize:
        """What a head needs, across or turned."""
        metrics = self.fontMetrics()
        long, short = metrics.horizontalAdvance(self.text(logical)), metrics.height()
        if upright:
            return QSize(long + self.PAD, short + self.PAD // 2)
        return QSize(short + self.PAD // 2, long + self.PAD)

    def sectionSizeFromContents(self, logical: int) -> QSize:
        return self.size_of(logical, self.upright)

    def paintSection(self, painter: QPainter, rect: QRect, logical: int) -> None:
        if self.upright:
            super().paintSection(painter, rect, logical)
            return
        option = QStyleOptionHeader()
        self.initStyleOption(option)
        option.rect = rect
        option.section = logical
        option.text = ""
        self.style().drawControl(QStyle.ControlElement.CE_Header, option, painter, self)
        metrics = self.fontMetrics()
        painter.save()
        painter.translate(
            rect.left() + (rect.width() + metrics.ascent() - metrics.descent()) / 2,
            rect.bottom() - self.PAD // 2,
        )
        painter.rotate(-90)
        painter.drawText(QPoint(0, 0), self.text(logical))
        painter.restore()


class RowHeader(QHeaderView):
    """Row names in full: on one line, or wrapped within ``limit`` pixels when the panel
    is narrow."""

    PAD = 12

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Vertical, parent)
        self.limit: int | None = None
        self.setDefaultAlignment(
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap
        )
        self.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)

    def set_limit(self, limit: int | None) -> None:
        """Wrap the names within ``limit`` pixels (None: one line each)."""
        if limit != self.limit:
            self.limit = limit
            self.resizeSections()
            self.updateGeometry()

    def sectionSizeFromContents(self, logical: int) -> QSize:
        model = self.model()
        text = str(model.headerData(logical, self.orientation()) or "") if model else ""
        metrics = self.fontMetrics()
        wrap = int(Qt.TextFlag.TextWordWrap)
        room = QRect(0, 0, self.limit or 10_000, 10_000)
        needed = metrics.boundingRect(room, wrap, text)
        return QSize(needed.width() + self.PAD, max(needed.height(), metrics.height()) + self.PAD)


class GridTable(KeyedTable):
    """One member's part of a point-distribution grid: rows down, scales across, and the
    row's points against what it needs."""

    row_entered = Signal(str, str, str, dict)  # grid, row, member, points (blank = 0)
    focused = Signal()  # the keys came to this table

    def __init__(self, grid: Grid, member_index: int, parent: QWidget | None = None) -> None:
        member = grid.members[member_index]
        super().__init__(len(grid.rows), len(member.scales) + 1, parent)
        self.grid, self.member = grid, member
        self.setObjectName(f"grid-{grid.id}-{member.id}")
        self.setAccessibleName(f"{grid.name} · {member.name}")
        self.header = ScaleHeader(self)
        self.setHorizontalHeader(self.header)
        self.setHorizontalHeaderLabels([s.name for s in member.scales] + [self.tr("Points")])
        self.rows_header = RowHeader(self)
        self.setVerticalHeader(self.rows_header)
        self.setVerticalHeaderLabels([r.name for r in grid.rows])
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        # the form scrolls as a whole: a table is as big as its cells
        for policy in (self.setVerticalScrollBarPolicy, self.setHorizontalScrollBarPolicy):
            policy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        bold = QFont(self.font())
        bold.setBold(True)
        for r in range(len(grid.rows)):
            for c in range(len(member.scales)):
                item = QTableWidgetItem("")
                item.setFlags(FIXED)
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.setItem(r, c, item)
            points = QTableWidgetItem("")
            points.setFlags(Qt.ItemFlag.ItemIsEnabled)
            points.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            points.setFont(bold)
            self.setItem(r, self.points_column, points)
        self._stored: dict[int, dict[int, int]] = {}  # row -> column -> points, as stored
        self._typed: dict[int, dict[int, int]] = {}  # rows typed that are not stored yet
        self._refused: set[int] = set()
        self.setCurrentCell(0, 0)
        self.show_points({})

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        index = self.currentIndex()
        if index.isValid():  # one cell marked in the whole form: the one keys go to
            self.setCurrentCell(index.row(), index.column())
        self.focused.emit()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if event.reason() != Qt.FocusReason.PopupFocusReason:
            self.clearSelection()

    @property
    def points_column(self) -> int:
        """The column of the row's points against what it needs."""
        return len(self.member.scales)

    def scale_at(self, column: int) -> GridScale | None:
        """The scale of a column (None for the points column)."""
        return self.member.scales[column] if 0 <= column < self.points_column else None

    def row_at(self, row: int) -> GridRow | None:
        """The grid row of a table row."""
        return self.grid.rows[row] if 0 <= row < len(self.grid.rows) else None

    # -- size ---------------------------------------------------------------------------
    def width_needed(self, upright: bool) -> int:
        """The width that shows every head in full: across with the rows' names on one
        line, or turned with them wrapped."""
        columns = sum(
            max(self.header.size_of(c, upright).width(), self.sizeHintForColumn(c))
            for c in range(self.columnCount())
        )
        limit = self.rows_header.limit
        self.rows_header.limit = None if upright else self.row_limit()
        rows = max(
            (self.rows_header.sectionSizeFromContents(r).width() for r in range(self.rowCount())),
            default=0,
        )
        self.rows_header.limit = limit
        return rows + columns + 2 * self.frameWidth() + 2

    def row_limit(self) -> int:
        """How wide a row's name may be when the panel is narrow: its longest word, or
        about a dozen characters."""
        metrics = self.fontMetrics()
        words = [w for row in self.grid.rows for w in row.name.split()]
        longest = max((metrics.horizontalAdvance(w) for w in words), default=0)
        return max(longest, metrics.horizontalAdvance("0") * 14)

    def set_upright(self, upright: bool) -> None:
        """Heads across and names on one line, or heads turned and names wrapped."""
        self.header.set_upright(upright)
        self.rows_header.set_limit(None if upright else self.row_limit())
        self.fit()

    def fit(self) -> None:
        """As tall as its rows and heads: nothing in it scrolls."""
        height = self.header.sizeHint().height() + self.verticalHeader().length()
        self.setFixedHeight(height + 2 * self.frameWidth() + 2)

    def minimumSizeHint(self) -> QSize:
        return QSize(self.width_needed(False), self.height())

    def sizeHint(self) -> QSize:
        return QSize(self.width_needed(self.header.upright), self.height())

    # -- showing ------------------------------------------------------------------------
    def show_points(self, points: Points) -> None:
        """Show the rows as stored; a row typed and not stored yet stays as typed."""
        self._stored = {}
        for r, row in enumerate(self.grid.rows):
            cells = points.get(row.id, {}).get(self.member.id, {})
            if cells:
                self._stored[r] = {
                    c: cells.get(scale.id, 0) for c, scale in enumerate(self.member.scales)
                }
        for r in list(self._typed):
            if self._complete(self._typed[r]) == self._stored.get(r):
                self._forget(r)
        for r in range(self.rowCount()):
            self._draw_row(r)

    def forget_typed(self) -> None:
        """Drop what was typed and not stored (another run is shown)."""
        for r in list(self._typed):
            self._forget(r)
        self._refused.clear()

    def mark_refused(self, row_id: str) -> None:
        """Keep what was typed, in red, until the row adds up."""
        r = next(i for i, row in enumerate(self.grid.rows) if row.id == row_id)
        self._refused.add(r)
        self._draw_row(r)

    def waiting(self) -> set[int]:
        """The rows typed that are not stored (short of their points, or refused)."""
        return set(self._typed)

    def _forget(self, r: int) -> None:
        self._typed.pop(r, None)
        self._refused.discard(r)

    def _values(self, r: int) -> dict[int, int]:
        return dict(self._typed[r] if r in self._typed else self._stored.get(r, {}))

    def _complete(self, values: dict[int, int]) -> dict[int, int]:
        """A row's points with its blank cells counted as 0."""
        return {c: values.get(c, 0) for c in range(self.points_column)}

    def _draw_row(self, r: int) -> None:
        values = self._values(r)
        total, need = sum(values.values()), self.grid.points_per_row
        typed = r in self._typed
        refused = r in self._refused or total > need
        if refused:
            brush = QBrush(REFUSED)
        elif typed or r not in self._stored:
            brush = QBrush(UNRATED)
        else:
            brush = QBrush()
        for c in range(self.points_column):
            item = cell(self, r, c)
            item.setText(str(values[c]) if c in values else "")
            item.setBackground(brush)
        points = cell(self, r, self.points_column)
        points.setText(self.tr("{0} of {1}").format(total, need))
        points.setBackground(brush)
        if refused:
            points.setForeground(inline_brush(Level.ERROR))
        elif total < need or typed:
            points.setForeground(inline_brush(Level.WARNING))
        else:
            points.setForeground(QBrush())

    # -- keys ---------------------------------------------------------------------------
    def digit(self, value: int) -> None:
        r, c = self.currentRow(), min(self.currentColumn(), self.points_column - 1)
        need = self.grid.points_per_row
        if value > need:
            self.refused.emit(
                self.tr(
                    "{0} points is more than a row gives: each row gives {1} points in all "
                    "to the {2} scales."
                ).format(value, need, self.member.name)
            )
            return
        values = self._values(r)
        values[c] = value
        self._type(r, values)
        total = sum(values.values())
        if total == need:
            self.move_on()
        elif total < need and c < self.points_column - 1:
            self.setCurrentCell(r, c + 1)

    def letter(self, text: str) -> None:
        self.refused.emit(
            self.tr(
                'This grid has no "not observed": each row gives its {0} points to the {1} '
                "scales (a blank cell counts as 0)."
            ).format(self.grid.points_per_row, self.member.name)
        )

    def clear_current(self) -> None:
        r, c = self.currentRow(), self.currentColumn()
        values = self._values(r)
        if values.pop(c, None) is not None:
            self._type(r, values)

    def _type(self, r: int, values: dict[int, int]) -> None:
        """A row as typed: entered once it adds up (unless it is what is stored)."""
        self._refused.discard(r)
        if self._complete(values) == self._stored.get(r):
            self._forget(r)
            self._draw_row(r)
            return
        self._typed[r] = values
        self._draw_row(r)
        if sum(values.values()) >= self.grid.points_per_row:
            points = {self.member.scales[c].id: v for c, v in sorted(values.items())}
            self.row_entered.emit(self.grid.id, self.grid.rows[r].id, self.member.id, points)

    def moveCursor(
        self, action: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier
    ) -> QModelIndex:
        """Tab and the arrows stay on the scale cells (the points column is a sum); Tab on
        the last row's last scale, or Shift+Tab on the first cell, leaves the table."""
        current = self.currentIndex()
        if action == QAbstractItemView.CursorAction.MovePrevious and (
            current.row() <= 0 and current.column() <= 0
        ):
            return QModelIndex()
        index = super().moveCursor(action, modifiers)
        if index.isValid() and index.column() >= self.points_column:
            if action == QAbstractItemView.CursorAction.MoveNext:
                if current.row() + 1 >= self.rowCount():
                    return QModelIndex()
                return self.model().index(current.row() + 1, 0)
            return self.model().index(index.row(), self.points_column - 1)
        return index


class GridForm(QScrollArea):
    """Every grid of a scheme, one table a member under what a row needs; the form
    scrolls as a whole and turns the heads when the names do not fit across."""

    row_entered = Signal(str, str, str, dict)  # grid, row, member, points
    refused = Signal(str)
    current_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("grids")
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.body = QWidget()
        self.column = QVBoxLayout(self.body)
        self.column.setContentsMargins(0, 0, 0, 0)
        self.setWidget(self.body)
        self.tables: list[GridTable] = []

    def set_scheme(self, scheme: Scheme | None) -> None:
        """One table a member of each of the scheme's grids."""
        while self.column.count():
            item = self.column.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.tables = []
        for grid in scheme.grids if scheme is not None else ():
            for m, member in enumerate(grid.members):
                assert scheme is not None
                self._add(scheme, grid, m, member)
        self.column.addStretch(1)
        self._turn_heads()

    def _add(self, scheme: Scheme, grid: Grid, m: int, member: GridMember) -> None:
        title = QLabel(f"{grid.name} — {member.name}")
        title.setWordWrap(True)
        title.setStyleSheet("font-weight: 600")
        need = inline_label(Level.INFO, f"need-{grid.id}-{member.id}")
        need.setText(
            self.tr(
                "Each row gives {0} points in all to the {1} scales: type them in (Tab "
                "moves across); a blank cell counts as 0 once the row adds up."
            ).format(grid.points_per_row, member.name)
        )
        table = GridTable(grid, m)
        for c, scale in enumerate(member.scales):  # a scale's description on its head
            head = table.horizontalHeaderItem(c)
            if head is not None:
                head.setToolTip(grid_text(scheme, grid.id, "scales", scale.id)[0] or scale.name)
        table.row_entered.connect(self.row_entered)
        table.refused.connect(self.refused)
        table.past_end.connect(lambda t=table: self._next_table(t))
        table.currentCellChanged.connect(lambda *_a, t=table: self._follow(t))
        table.focused.connect(lambda t=table: self._follow(t))
        for widget in (title, need, table):
            self.column.addWidget(widget)
        self.tables.append(table)

    def focus_first(self) -> None:
        """The keys to the first table."""
        if self.tables:
            self.tables[0].setFocus(Qt.FocusReason.OtherFocusReason)

    def current(self) -> GridTable | None:
        """The table with the keyboard's focus (else the first)."""
        for table in self.tables:
            if table.hasFocus():
                return table
        return self.tables[0] if self.tables else None

    def _next_table(self, table: GridTable) -> None:
        i = self.tables.index(table)
        if i + 1 < len(self.tables):
            following = self.tables[i + 1]
            following.setCurrentCell(0, 0)
            following.setFocus(Qt.FocusReason.OtherFocusReason)

    def _follow(self, table: GridTable) -> None:
        """Keep the current cell in view; the details follow it."""
        index = table.currentIndex()
        if index.isValid():
            rect = table.visualRect(index)
            centre = table.viewport().mapTo(self.body, rect.center())
            self.ensureVisible(centre.x(), centre.y(), rect.width(), rect.height() * 2)
        self.current_changed.emit()

    def show_points(self, points: dict[str, Points]) -> None:
        """The run's stored points (grid -> row -> member -> scale)."""
        for table in self.tables:
            table.show_points(points.get(table.grid.id, {}))

    def forget_typed(self) -> None:
        """Drop every row typed and not stored (another run is shown)."""
        for table in self.tables:
            table.forget_typed()

    def mark_refused(self, grid_id: str, member_id: str, row_id: str) -> None:
        """A member's row was refused: it stays as typed, in red."""
        for table in self.tables:
            if (table.grid.id, table.member.id) == (grid_id, member_id):
                table.mark_refused(row_id)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._turn_heads()

    def _turn_heads(self) -> None:
        """Heads across when every table's names fit the width, else all turned."""
        room = self.viewport().width()
        upright = all(t.width_needed(True) <= room for t in self.tables)
        for table in self.tables:
            table.set_upright(upright)

    def minimumSizeHint(self) -> QSize:
        widest = max((t.width_needed(False) for t in self.tables), default=0)
        return QSize(widest + self.verticalScrollBar().sizeHint().width(), 120)
