"""The form a scheme generates in the coding panel: its rating list, its grids or its
event keys above, and the current item's details below (a split the user sets and the
window remembers). The form says what was typed; the panel makes the edits."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QSplitter, QVBoxLayout, QWidget

from vfa.domain.schemes import Scheme
from vfa.services import coding
from vfa.ui.grid_table import GridForm, GridTable
from vfa.ui.item_details import ItemDetails
from vfa.ui.memory import Memory
from vfa.ui.rating_tables import RatingTable

_NONE = coding.RatingState(None, None, ())


class CodingForm(QSplitter):
    """A scheme's form above, the current item's details below."""

    rate = Signal(str, object)  # item id, value (a scale point, special code, None)
    note = Signal(str, str)  # item id, note
    grid_row = Signal(str, str, str, dict)  # grid, row, member, points
    refused = Signal(str)  # why a key could not be taken
    done = Signal()  # a note typed: the keys go back to the form

    def __init__(self, memory: Memory | None = None, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Vertical, parent)
        self.setObjectName("codingSplit")
        self.setChildrenCollapsible(False)
        self.scheme: Scheme | None = None  # the scheme the form is built for
        self._states: dict[str, coding.RatingState] = {}  # the run's, as last shown
        self.details = ItemDetails()
        self.details.note_committed.connect(self.note)
        self.details.note_done.connect(self.done)
        self.table = RatingTable()
        self.table.rate.connect(self.rate)
        self.table.refused.connect(self.refused)
        self.table.note_wanted.connect(self.details.focus_note)
        self.table.currentCellChanged.connect(lambda *_a: self.show_details())
        self.grids = GridForm()
        self.grids.row_entered.connect(self.grid_row)
        self.grids.refused.connect(self.refused)
        self.grids.current_changed.connect(self.show_details)
        self.hotkeys = QListWidget()
        self.hotkeys.setObjectName("hotkeys")
        self.hotkeys.setAccessibleName(self.tr("Event keys"))
        # Tab reaches it to read; a click leaves the focus where it was, and the keys it
        # lists are the window's wherever the focus is
        self.hotkeys.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.hotkeys.setWordWrap(True)  # a code's full name, however narrow the panel
        self.hotkeys.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.empty = QLabel(
            self.tr("Choose a scheme to start coding: its items, grid or event keys show here.")
        )
        self.empty.setObjectName("noScheme")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        form = QWidget()
        column = QVBoxLayout(form)
        column.setContentsMargins(0, 0, 0, 0)
        for widget in (self.table, self.grids, self.hotkeys, self.empty):
            column.addWidget(widget, 1)
        self.addWidget(form)
        self.addWidget(self.details)
        # three fifths to the form, two to the details: at 1024×700 the whole KIPS list,
        # and a CARE-Index row and scale described whole with the keys and note
        self.setStretchFactor(0, 3)
        self.setStretchFactor(1, 2)
        self.setSizes([300, 200])
        if memory is not None:
            memory.keep(self, "coding/panes")
        self.build(None)

    @property
    def grid_tables(self) -> list[GridTable]:
        """The grids' tables, one a member."""
        return self.grids.tables

    def build(self, scheme: Scheme | None) -> None:
        """The form of a scheme: its rating list, grids or event keys (what it has)."""
        self.scheme = scheme
        self.table.set_scheme(scheme)
        self.grids.set_scheme(scheme)
        self.table.setVisible(bool(scheme and scheme.ratings))
        self.grids.setVisible(bool(self.grid_tables))
        self.details.setVisible(bool(scheme and (scheme.ratings or scheme.grids)))
        self.hotkeys.clear()
        ethogram = scheme.ethogram if scheme else None
        for code in ethogram.codes if ethogram else ():
            if code.hotkey:
                kind = self.tr("state") if code.kind == "state" else ""
                self.hotkeys.addItem(f"{code.hotkey:>8}   {code.name}  {kind}".rstrip())
        self.hotkeys.setVisible(self.hotkeys.count() > 0)
        self.empty.setVisible(scheme is None)

    def show_run(self, states: dict[str, coding.RatingState]) -> None:
        """A run's ratings and grid points as stored (none: an empty form)."""
        self._states = states
        self.table.show_states(states)
        self.grids.show_points(coding.grid_points(states))
        self.show_details()

    def forget_typed(self) -> None:
        """Drop grid rows typed and not stored (another run is shown)."""
        self.grids.forget_typed()

    def lock(self, locked: bool) -> None:
        """A submitted run's form takes no keys (and its note none either)."""
        self.table.setEnabled(not locked)
        for table in self.grid_tables:
            table.setEnabled(not locked)
        self.details.note.setEnabled(not locked)

    def focus(self) -> bool:
        """The keys to the form (the list, else the first grid); False when it has
        neither (an ethogram's keys are the window's)."""
        if self.table.isVisibleTo(self) and self.table.rowCount():
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        elif self.grid_tables:
            self.grids.focus_first()
        else:
            return False
        return True

    def show_details(self) -> None:
        """The current item (or grid cell) in full, in the details."""
        scheme = self.scheme
        grid = self.grids.current()
        item_id = self.table.current_item_id()
        if scheme is not None and grid is not None and (grid.hasFocus() or item_id is None):
            row, scale = grid.row_at(grid.currentRow()), grid.scale_at(grid.currentColumn())
            if row is not None and scale is not None:
                self.details.show_cell(scheme, grid.grid, grid.member, row, scale)
                return
        if scheme is None or item_id is None:
            self.details.show_nothing()
            return
        self.details.show_item(scheme, scheme.item(item_id), self._states.get(item_id, _NONE))
