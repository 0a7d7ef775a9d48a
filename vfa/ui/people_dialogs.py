"""Who are you? (one of a managed workspace's people, or your name on a personal one) and
File → People… (the people, adding one, changing a role). The names of the roles and
acts the window shows are marked here for translation."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from vfa.errors import VfaError
from vfa.services.people import Act, Person, add_person, role_names, set_role
from vfa.services.permissions import Roster, roster
from vfa.services.workspaces import Workspace
from vfa.ui.forms import close_button, labelled, ok_cancel
from vfa.ui.messages import MessageBar
from vfa.ui.names import QT_TRANSLATE_NOOP

ROLES = {
    "therapist": QT_TRANSLATE_NOOP("People", "therapist"),
    "coder": QT_TRANSLATE_NOOP("People", "coder"),
    "supervisor": QT_TRANSLATE_NOOP("People", "supervisor"),
    "admin": QT_TRANSLATE_NOOP("People", "admin"),
}
ACTS = {
    Act.MANAGE_PEOPLE: QT_TRANSLATE_NOOP("People", "manage people"),
    Act.ADD_CLIPS: QT_TRANSLATE_NOOP("People", "add and change clips and cases"),
    Act.CODE: QT_TRANSLATE_NOOP("People", "code clips"),
    Act.ASSIGN: QT_TRANSLATE_NOOP("People", "assign clips and set reliability criteria"),
    Act.SEE_AGREEMENT: QT_TRANSLATE_NOOP("People", "see agreement across coders"),
    Act.TAG_MOMENTS: QT_TRANSLATE_NOOP("People", "tag moments and build reels"),
    Act.MANAGE_CONSENT: QT_TRANSLATE_NOOP("People", "record consent"),
    Act.EXPORT_FEEDBACK: QT_TRANSLATE_NOOP("People", "export for feedback to the family"),
    Act.EXPORT_DATA: QT_TRANSLATE_NOOP("People", "export and import coding"),
    Act.READ_AUDIT: QT_TRANSLATE_NOOP("People", "read the audit trail"),
}


def role_name(role: str) -> str:
    """A role's name in the user's language."""
    return QCoreApplication.translate("People", ROLES.get(role, role))


def act_name(act: Act) -> str:
    """An act's name in the user's language."""
    return QCoreApplication.translate("People", ACTS[act])


class WhoAreYouDialog(QDialog):
    """Who is working: one of the people of a managed workspace (a list), or a name typed
    for a personal one; ``default`` is chosen (or typed) first."""

    def __init__(
        self, label: str, found: Roster, default: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("whoAreYou")
        self.setWindowTitle(self.tr("Who are you?"))
        self.managed = found.managed
        layout = QVBoxLayout(self)
        self.people = QListWidget()
        self.people.setObjectName("people")
        self.name = QLineEdit(default)
        self.name.setObjectName("name")
        if self.managed:
            intro = self.tr(
                "The workspace “{0}” has people with roles. Choose yourself: what you may "
                "do in it follows your role."
            ).format(label)
            for person in found.people:
                item = QListWidgetItem(f"{person.name} — {role_name(person.role.value)}")
                item.setData(Qt.ItemDataRole.UserRole, person.name)
                self.people.addItem(item)
                if person.name == default:
                    self.people.setCurrentItem(item)
            self.people.itemDoubleClicked.connect(lambda _item: self.accept())
            self.name.hide()
        else:
            intro = self.tr(
                "Your name, as your coding in the workspace “{0}” is signed. It is "
                "remembered for this workspace."
            ).format(label)
            self.people.hide()
            self.name.selectAll()  # a name typed replaces the one offered
        text = QLabel(intro)
        text.setWordWrap(True)
        layout.addWidget(text)
        layout.addWidget(labelled(self.tr("&Name"), self.people if self.managed else self.name))
        layout.addWidget(self.people)
        layout.addWidget(self.name)
        self.buttons = ok_cancel(self)
        layout.addWidget(self.buttons)
        self._update()
        self.people.itemSelectionChanged.connect(self._update)
        self.name.textChanged.connect(lambda _t: self._update())

    def chosen(self) -> str:
        """The person chosen, or the name typed ('' when none). Only a person shown chosen
        counts: the list's focus alone lands on its first row (an admin, maybe) unchosen."""
        if self.managed:
            items = self.people.selectedItems()
            return str(items[0].data(Qt.ItemDataRole.UserRole)) if items else ""
        return self.name.text().strip()

    def _update(self) -> None:
        ok = self.buttons.button(self.buttons.StandardButton.Ok)
        ok.setEnabled(bool(self.chosen()))


AskFn = Callable[[QWidget, str, Roster, str], "str | None"]


def ask_person(parent: QWidget, label: str, found: Roster, default: str) -> str | None:
    """Ask who is working in the workspace; the name, or None when cancelled."""
    dialog = WhoAreYouDialog(label, found, default, parent)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.chosen() or None
    finally:
        dialog.deleteLater()


class PeopleDialog(QDialog):
    """File → People…: the workspace's people and their roles, for anyone to read; an
    admin adds people and changes roles (the first admin added makes a personal workspace
    managed). ``refused``: why the person reading may not (their fields stay greyed)."""

    def __init__(
        self, ws: Workspace, parent: QWidget | None = None, refused: str | None = None
    ) -> None:
        super().__init__(parent)
        self.ws = ws
        self.refused = refused  # why the person may not manage people: a list to read
        self.changed = False  # whether a person or a role changed
        self.setObjectName("peopleDialog")
        self.setWindowTitle(self.tr("People"))
        self.setMinimumSize(600, 460)
        self.table = QTableWidget(0, 2)
        self.table.setObjectName("peopleTable")
        self.table.setHorizontalHeaderLabels([self.tr("Name"), self.tr("Role")])
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab goes on to the fields below
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.note = QLabel()
        self.note.setObjectName("peopleNote")
        self.note.setWordWrap(True)
        self.message = MessageBar()
        self.message.setObjectName("message")

        self.new_name = QLineEdit()
        self.new_name.setObjectName("newName")
        self.new_name.setPlaceholderText(self.tr("their name"))
        self.new_role = self._roles("newRole")
        self.new_role.setAccessibleName(self.tr("Role of the new person"))
        add = QPushButton(self.tr("&Add person"))
        add.setObjectName("addPerson")
        add.clicked.connect(self.add)
        adding = QHBoxLayout()
        adding.addWidget(self.new_name, 1)
        adding.addWidget(self.new_role)
        adding.addWidget(add)

        self.role = self._roles("role")
        self.set_role = QPushButton(self.tr("&Set role"))
        self.set_role.setObjectName("setRole")
        self.set_role.clicked.connect(self.change_role)
        changing = QHBoxLayout()
        changing.addWidget(self.role)
        changing.addWidget(self.set_role)
        changing.addStretch(1)
        self.table.itemSelectionChanged.connect(self._show_role)

        form = QFormLayout()
        form.addRow(labelled(self.tr("New &person"), self.new_name), adding)
        form.addRow(labelled(self.tr("&Role of the chosen person"), self.role), changing)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(labelled(self.tr("P&eople"), self.table))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note)
        layout.addLayout(form)
        layout.addWidget(close_button(self))
        if refused is not None:
            for field in (self.new_name, self.new_role, add, self.role, self.set_role):
                field.setEnabled(False)
                field.setToolTip(refused)
        self.refresh()

    def _roles(self, name: str) -> QComboBox:
        box = QComboBox()
        box.setObjectName(name)
        for role in role_names():
            box.addItem(role_name(role), role)
        return box

    def refresh(self, select: str | None = None) -> None:
        """List the people again (choosing ``select``)."""
        found = roster(self.ws)
        self.people: list[Person] = list(found.people)
        self.table.clearSelection()
        self.table.setRowCount(len(self.people))
        for row, person in enumerate(self.people):
            self.table.setItem(row, 0, QTableWidgetItem(person.name))
            self.table.setItem(row, 1, QTableWidgetItem(role_name(person.role.value)))
            if person.name == select:
                self.table.selectRow(row)
        self.table.resizeColumnToContents(0)
        self._show_role()
        if found.managed:
            self.note.setText(
                self.tr("Roles are checked: only an admin adds people and changes roles.")
                + (" " + self.refused if self.refused is not None else "")
            )
        else:
            self.note.setText(
                self.tr(
                    "A personal workspace: everyone may do everything. Add an admin to "
                    "make roles count (then only an admin manages people)."
                )
            )

    def chosen(self) -> Person | None:
        """The person chosen (shown selected) in the list, if any."""
        rows = self.table.selectionModel().selectedRows()
        row = rows[0].row() if rows else -1
        return self.people[row] if 0 <= row < len(self.people) else None

    def _show_role(self) -> None:
        """The chosen person's role in the field; with nobody chosen, no role to set."""
        person = self.chosen()
        if person is not None:
            self.role.setCurrentIndex(max(0, self.role.findData(person.role.value)))
        self.role.setEnabled(person is not None and self.refused is None)
        self.set_role.setEnabled(person is not None and self.refused is None)

    def add(self) -> None:
        """Add the person typed, with the role chosen."""
        name = self.new_name.text().strip()
        try:
            person = add_person(self.ws, name, str(self.new_role.currentData()))
        except VfaError as exc:
            self.message.error(str(exc), "people")
            return
        self.message.info(
            self.tr("{0} is one of the people now ({1}).").format(
                person.name, role_name(person.role.value)
            ),
            "people",
        )
        self.new_name.clear()
        self.changed = True
        self.refresh(person.name)

    def change_role(self) -> None:
        """Give the chosen person the role chosen."""
        person = self.chosen()
        if person is None:
            self.message.error(self.tr("Choose a person in the list first."), "people")
            return
        try:
            done = set_role(self.ws, person.name, str(self.role.currentData()))
        except VfaError as exc:
            self.message.error(str(exc), "people")
            return
        self.message.info(
            self.tr("{0}'s role is {1} now.").format(done.name, role_name(done.role.value)),
            "people",
        )
        self.changed = True
        self.refresh(done.name)
