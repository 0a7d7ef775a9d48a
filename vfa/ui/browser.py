"""The case / session / clip browser."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QWidget

from vfa.domain.frames import format_timestamp
from vfa.services.clips import CaseNode
from vfa.ui.actions import NAVIGATION_KEYS

KIND = Qt.ItemDataRole.UserRole
ID = Qt.ItemDataRole.UserRole + 1


class ClipBrowser(QTreeWidget):
    """Cases, their sessions and clips; activating a clip opens it."""

    clip_activated = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("browser")
        self.setHeaderLabels([self.tr("Case / session / clip"), self.tr("Length")])
        self.setColumnWidth(0, 200)
        self.itemActivated.connect(self._on_activated)
        self.itemClicked.connect(self._on_activated)

    def event(self, event: QEvent) -> bool:
        """Leave the player's keys (Space, arrows, J/K/L, …) to the window's shortcuts."""
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.key() in NAVIGATION_KEYS
        ):
            event.ignore()
            return False
        return super().event(event)

    def populate(self, cases: list[CaseNode]) -> None:
        """Show the catalogue, keeping which items were expanded."""
        self.clear()
        for case in cases:
            case_item = QTreeWidgetItem([case.code, ""])
            case_item.setData(0, KIND, "case")
            case_item.setData(0, ID, case.id)
            self.addTopLevelItem(case_item)
            for session in case.sessions:
                label = session.label + (f" ({session.context})" if session.context else "")
                s_item = QTreeWidgetItem([label, ""])
                s_item.setData(0, KIND, "session")
                s_item.setData(0, ID, session.id)
                case_item.addChild(s_item)
                for clip in session.clips:
                    c_item = QTreeWidgetItem([clip.name, format_timestamp(clip.duration_ms)[:8]])
                    c_item.setData(0, KIND, "clip")
                    c_item.setData(0, ID, clip.id)
                    c_item.setToolTip(0, clip.name)
                    s_item.addChild(c_item)
        self.expandAll()

    def select_clip(self, clip_id: int) -> None:
        """Highlight a clip's row."""
        for item in self._items():
            if item.data(0, KIND) == "clip" and item.data(0, ID) == clip_id:
                self.setCurrentItem(item)
                return

    def selected_case_session(self) -> tuple[str, str]:
        """Case code and session label of the current selection ('' when none)."""
        item = self.currentItem()
        case = session = ""
        while item is not None:
            kind = item.data(0, KIND)
            if kind == "session":
                session = item.text(0).split(" (", 1)[0]
            elif kind == "case":
                case = item.text(0)
            item = item.parent()
        return case, session

    def _items(self) -> list[QTreeWidgetItem]:
        out: list[QTreeWidgetItem] = []
        stack = [self.topLevelItem(i) for i in range(self.topLevelItemCount())]
        while stack:
            item = stack.pop()
            if item is None:
                continue
            out.append(item)
            stack.extend(item.child(i) for i in range(item.childCount()))
        return out

    def _on_activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        if item.data(0, KIND) == "clip":
            self.clip_activated.emit(int(item.data(0, ID)))
