"""Help → Quick start: the steps of a day in VFA, one page a role (therapist, coder,
supervisor), shipped as Markdown in ``vfa/data/help`` and shown in a text browser whose
links lead from page to page; and the one window of each kind Help opens."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QTextBrowser,
    QWidget,
)

from vfa.ui.session import CodingSession

ROLES = ("therapist", "coder", "supervisor")  # each a page: vfa/data/help/ROLE.md


def help_folder() -> Path:
    """The folder of the shipped help pages."""
    return Path(str(resources.files("vfa.data.help")))


def page_file(role: str) -> Path:
    """The Markdown file of a role's page."""
    return help_folder() / f"{role}.md"


class QuickStartWindow(QWidget):
    """The roles in a list beside their page; a link to another role's page shows it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("quickStart")
        self.setWindowTitle(self.tr("Quick start"))
        names = {
            "therapist": self.tr("Therapist"),
            "coder": self.tr("Coder"),
            "supervisor": self.tr("Supervisor"),
        }
        self.roles = QListWidget()
        self.roles.setObjectName("quickStartRoles")
        self.roles.setAccessibleName(self.tr("Roles"))
        for role in ROLES:
            item = QListWidgetItem(names[role])
            item.setData(Qt.ItemDataRole.UserRole, role)
            self.roles.addItem(item)
        self.roles.setFixedWidth(self.roles.sizeHintForColumn(0) + 40)
        self.page = QTextBrowser()
        self.page.setObjectName("quickStartPage")
        self.page.setAccessibleName(self.tr("Page"))
        self.page.setSearchPaths([str(help_folder())])
        self.page.setOpenExternalLinks(True)  # (web links open in the browser; pages here)
        self.page.sourceChanged.connect(self._page_shown)
        self.roles.currentRowChanged.connect(lambda row: self.show_role(ROLES[row]))
        layout = QHBoxLayout(self)
        layout.addWidget(self.roles)
        layout.addWidget(self.page, 1)
        self.resize(860, 640)
        self.roles.setCurrentRow(0)

    def show_role(self, role: str) -> None:
        """Show a role's page (and select the role)."""
        if self.role() != role or self.page.source().isEmpty():
            self.page.setSource(QUrl(f"{role}.md"))

    def role(self) -> str:
        """The role whose page is shown ('' before any)."""
        name = Path(self.page.source().path()).stem
        return name if name in ROLES else ""

    def _page_shown(self, url: QUrl) -> None:
        role = Path(url.path()).stem  # (source() still names the page before it)
        if role in ROLES:
            self.roles.blockSignals(True)  # (the page is shown already)
            self.roles.setCurrentRow(ROLES.index(role))
            self.roles.blockSignals(False)


class HelpWindows:
    """The Help menu's windows, one of each: shown again (raised) rather than doubled."""

    def __init__(self, session: CodingSession, host: QMainWindow) -> None:
        self.session, self.host = session, host
        self.guide: QuickStartWindow | None = None
        self.keys: QWidget | None = None

    def quick_start(self) -> QuickStartWindow:
        """Help → Quick start."""
        if self.guide is None:
            self.guide = QuickStartWindow(self.host)
        _show(self.guide)
        return self.guide

    def shortcuts(self) -> QWidget:
        """Help → Keyboard shortcuts, following the session's scheme."""
        from vfa.ui.actions import SPEC_BY_ID
        from vfa.ui.shortcuts_window import ShortcutsWindow

        if self.keys is None:
            actions = {a.objectName(): a for a in self.host.actions()}
            registered = {k: a for k, a in actions.items() if k in SPEC_BY_ID}
            self.keys = ShortcutsWindow(self.session, registered, self.host.menuBar(), self.host)
        _show(self.keys)
        return self.keys


def _show(window: QWidget) -> None:
    window.show()
    window.raise_()
    window.activateWindow()
