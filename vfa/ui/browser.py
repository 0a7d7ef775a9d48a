"""The case / session / clip browser, and the pane that says what to do while it is
empty."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from vfa.domain.frames import format_timestamp
from vfa.services.clips import CaseNode
from vfa.ui.actions import NAVIGATION_KEYS

KIND = Qt.ItemDataRole.UserRole
ID = Qt.ItemDataRole.UserRole + 1


class ClipBrowser(QTreeWidget):
    """Cases, their sessions and clips; activating a clip opens it."""

    clip_activated = Signal(int)
    populated = Signal(int)  # how many clips are listed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("browser")
        self.setAccessibleName(self.tr("Cases, sessions and clips"))
        self.setHeaderLabels([self.tr("Case / session / clip"), self.tr("Length")])
        header = self.header()  # the names take the room; the lengths keep theirs
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
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
        self.populated.emit(len(self.clip_ids()))

    def clip_ids(self) -> list[int]:
        """The clips listed."""
        return [int(i.data(0, ID)) for i in self._items() if i.data(0, KIND) == "clip"]

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


class ClipsPane(QStackedWidget):
    """The clip browser, or, while the workspace has no clips, what to do: add some."""

    add_requested = Signal()

    def __init__(self, browser: ClipBrowser, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("clipsPane")
        self.browser = browser
        self.empty = QWidget()
        self.empty.setObjectName("noClips")
        text = QLabel(
            self.tr(
                "No clips in this workspace yet. Add the video files of a case: they stay "
                "where they are, VFA keeps only your coding."
            )
        )
        text.setWordWrap(True)
        self.add = QPushButton(self.tr("Add clips…"))
        self.add.setObjectName("addClips")
        self.add.clicked.connect(self.add_requested)
        column = QVBoxLayout(self.empty)
        column.setContentsMargins(4, 4, 4, 4)
        column.addWidget(text)
        column.addWidget(self.add)
        column.addStretch(1)
        self.addWidget(browser)
        self.addWidget(self.empty)
        browser.populated.connect(lambda n: self.setCurrentWidget(browser if n else self.empty))
