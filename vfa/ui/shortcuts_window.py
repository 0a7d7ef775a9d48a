"""Help → Keyboard shortcuts: every key the window and the chosen scheme give, with a
filter box; it follows the scheme chosen in the coding session and the keys set in
Settings."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QHeaderView,
    QLineEdit,
    QMenuBar,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from vfa.domain.schemes import Scheme
from vfa.ui.changes import Change, RunOpened
from vfa.ui.key_table import (
    KeyRow,
    KeySection,
    presenting_section,
    scheme_sections,
    taken_keys,
    window_sections,
)
from vfa.ui.session import CodingSession, WhenShown


class ShortcutsWindow(QWidget):
    """The keys, one section a menu, then the scheme's keys and presentation mode's."""

    def __init__(
        self,
        session: CodingSession,
        actions: Mapping[str, QAction],
        bar: QMenuBar,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("shortcutsWindow")
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self.session, self.registered, self.bar = session, dict(actions), bar
        self.filter = QLineEdit()
        self.filter.setObjectName("shortcutsFilter")
        self.filter.setAccessibleName(self.tr("Filter"))
        self.filter.setPlaceholderText(self.tr("Filter: a word or a key (Ctrl+E, F5, …)"))
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.apply_filter)
        self.tree = QTreeWidget()
        self.tree.setObjectName("shortcuts")
        self.tree.setAccessibleName(self.tr("Keys"))
        self.tree.setHeaderLabels([self.tr("What"), self.tr("Key"), self.tr("Note")])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.tree, 1)
        self.resize(720, 640)
        self.sections: list[KeySection] = []
        Shown = tuple[KeySection, QTreeWidgetItem, list[tuple[KeyRow, QTreeWidgetItem]]]
        self._items: list[Shown] = []
        self._scheme_shown: Scheme | tuple[()] | None = ()  # (nothing listed yet)
        self._view = WhenShown(self, self.refresh)
        session.changed.connect(self._changed)
        for action in self.registered.values():  # a key changed in Settings
            action.changed.connect(self._view.request)
        self.refresh()

    def _changed(self, change: Change) -> None:
        if isinstance(change, RunOpened) and self.session.scheme is not self._scheme_shown:
            self._view.request()

    def refresh(self) -> None:
        """List the keys as they are now, keeping the filter."""
        scheme = self._scheme_shown = self.session.scheme
        self.sections = [
            *window_sections(self.registered, self.bar),
            *scheme_sections(scheme, taken_keys(self.registered)),
            presenting_section(),
        ]
        self.tree.clear()
        self._items = []
        for section in self.sections:
            head = QTreeWidgetItem([section.title])
            font = head.font(0)
            font.setBold(True)
            head.setFont(0, font)
            head.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.tree.addTopLevelItem(head)
            rows = []
            for row in section.rows:
                item = QTreeWidgetItem([row.what, row.shown, row.note])
                if row.path:
                    item.setToolTip(0, row.path)
                head.addChild(item)
                rows.append((row, item))
            self._items.append((section, head, rows))
        self.tree.expandAll()
        self.apply_filter(self.filter.text())

    def apply_filter(self, text: str) -> None:
        """Show the rows whose words, key, note or section hold the text (any case)."""
        wanted = text.strip().casefold()
        for section, head, rows in self._items:
            in_title = wanted in section.title.casefold()
            shown = 0
            for row, item in rows:
                words = " ".join((row.what, row.shown, *row.keys, row.path, row.note))
                hide = not (in_title or wanted in words.casefold())
                item.setHidden(hide)
                shown += not hide
            head.setHidden(shown == 0)

    def shown_rows(self) -> list[tuple[str, KeyRow]]:
        """(section title, row) of every row the filter leaves shown."""
        return [
            (section.title, row)
            for section, head, rows in self._items
            if not head.isHidden()
            for row, item in rows
            if not item.isHidden()
        ]
