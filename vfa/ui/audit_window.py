"""Tools → Audit trail…: who did what, when, to which case, clip and run, and what it was
before and after, newest first; filtered by person, case, kind and dates, and exported as
CSV. The trail is read off the GUI thread (it grows with every key press); the services
decide what the reader may see (``vfa.services.audit_trail``)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QDate,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSignalBlocker,
    Qt,
    QTimer,
)
from PySide6.QtGui import QBrush, QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from vfa.services.assignments import assignments
from vfa.services.audit_trail import AuditChoices, AuditRow, audit_choices, read_audit
from vfa.services.audit_trail import write_audit_csv as write_csv
from vfa.services.workspaces import Workspace
from vfa.ui.audit_names import action_name, kind_name, record_name
from vfa.ui.changes import Change, RunOpened
from vfa.ui.forms import labelled
from vfa.ui.messages import INLINE, Level, MessageBar
from vfa.ui.save_dialogs import ask_save_file
from vfa.ui.session import CodingSession
from vfa.ui.tasks import BackgroundJob, TaskContext, run_task

VALUE_PX = 200  # the widest a before, after or detail column opens (a tooltip has it all)
SHOWN = 2_000  # the newest entries the table shows; narrower filters reach older ones
RELOAD_AFTER_MS = 300  # a filter typed into: read again when typing pauses
Filters = dict[str, Any]
Runs = dict[int, str]  # a coding's id: its scheme and coder, as the table names it


def value_text(value: Any) -> str:
    """A recorded value on one line, as a person reads it: ``value: 3; given on: —``."""
    if value is None:
        return "—"
    if isinstance(value, dict):
        pairs = (f"{str(k).replace('_', ' ')}: {value_text(v)}" for k, v in value.items())
        return "; ".join(pairs) or "—"
    if isinstance(value, list):
        return ", ".join(value_text(v) for v in value) or "—"
    if isinstance(value, bool):
        yes = QCoreApplication.translate("AuditWindow", "yes")
        return yes if value else QCoreApplication.translate("AuditWindow", "no")
    return " ".join(str(value).split())


class AuditModel(QAbstractTableModel):
    """The entries read, one a row."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[AuditRow] = []
        self.runs: Runs = {}
        self.headers = (
            self.tr("When"),
            self.tr("Who"),
            self.tr("Action"),
            self.tr("Record"),
            self.tr("Case"),
            self.tr("Clip"),
            self.tr("Coding"),
            self.tr("Before"),
            self.tr("After"),
            self.tr("Details"),
        )
        self.hidden_text = self.tr("hidden: blind coding")

    def show_rows(self, rows: list[AuditRow], runs: Runs | None = None) -> None:
        """Show these entries; ``runs`` names the codings they are about."""
        self.beginResetModel()
        self.rows = rows
        self.runs = runs or {}
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        row, column = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell(row, column)
        if role == Qt.ItemDataRole.ToolTipRole and column >= 7 and not row.hidden:
            value = (row.before, row.after, row.detail)[column - 7]
            return json.dumps(value, ensure_ascii=False, indent=1) if value else None
        if role == Qt.ItemDataRole.ForegroundRole and row.hidden and column >= 7:
            return QBrush(QColor(INLINE[Level.WARNING]))
        return None

    def cell(self, row: AuditRow, column: int) -> str:
        """The text of one cell."""
        if column == 0:
            return f"{row.when.astimezone():%Y-%m-%d %H:%M:%S}"
        if column == 1:
            return row.who or ""
        if column == 2:
            return action_name(row.action)
        if column == 3:
            what = record_name(row.entity, row.action)
            if row.entity == "coder" and (named := person_named(row)):
                return f"{what} {named}"  # a person by their name, not a number
            return f"{what} {row.entity_id}" if row.entity_id is not None else what
        if column == 4:
            return row.case or ""
        if column == 5:
            if row.clip_id is None:
                return ""
            return f"{row.clip} ({row.clip_id})" if row.clip else str(row.clip_id)
        if column == 6:
            if row.run_id is None:
                return ""
            return self.runs.get(row.run_id) or f"{record_name('coding_run')} {row.run_id}"
        if row.hidden:
            return self.hidden_text
        if column == 7:
            return value_text(row.before) if row.before is not None else ""
        if column == 8:
            return value_text(row.after) if row.after is not None else ""
        return value_text(row.detail) if row.detail else ""


def person_named(row: AuditRow) -> str:
    """The name an entry about a person keeps (adding them keeps it), else ''."""
    for kept in (row.detail, row.after, row.before):
        name = kept.get("name") if isinstance(kept, dict) else None
        if isinstance(name, str) and name.strip():
            return name.strip()
    return ""


class LogTable(QTableView):
    """The entries' table; with none, it says why in its middle (``empty_text``)."""

    empty_text = ""

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        model = self.model()
        if model is None or model.rowCount() or not self.empty_text:
            return
        painter = QPainter(self.viewport())
        painter.setPen(self.palette().placeholderText().color())
        flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
        painter.drawText(self.viewport().rect().adjusted(12, 12, -12, -12), flags, self.empty_text)
        painter.end()


class DateFilter(QWidget):
    """A day to filter by, or none (its box unticked)."""

    def __init__(self, text: str, name: str, date_name: str) -> None:
        super().__init__()
        self.box = QCheckBox(text)
        self.box.setObjectName(f"{name}On")
        self.date = QDateEdit(QDate.currentDate())
        self.date.setObjectName(name)
        self.date.setAccessibleName(date_name)
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.date.setEnabled(False)
        self.box.toggled.connect(self.date.setEnabled)
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.box, 0, 0)
        layout.addWidget(self.date, 0, 1)

    def day(self) -> dt.date | None:
        if not self.box.isChecked():
            return None
        d = self.date.date()
        return dt.date(d.year(), d.month(), d.day())

    def set_day(self, day: dt.date | None) -> None:
        if day is not None:
            self.date.setDate(QDate(day.year, day.month, day.day))
        self.box.setChecked(day is not None)


class AuditWindow(QDialog):
    """The trail of the workspace open when it was made, as its reader may see it."""

    def __init__(self, session: CodingSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        assert session.ws is not None
        self.ws: Workspace = session.ws
        self.viewer = session.coder()
        self.setObjectName("auditWindow")
        self.setWindowTitle(self.tr("Audit trail"))
        self.setWindowFlag(Qt.WindowType.Window)  # a window of its own, beside the main one
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._asked = 0  # the latest read asked for; an older one's answer is dropped
        self._choices_read = False
        self.messages = MessageBar()

        self.person = self._combo("person", self.tr("Everyone"))
        self.case = self._combo("case", self.tr("Every case"))
        self.kind = self._combo("kind", self.tr("Every kind"))
        self.since = DateFilter(self.tr("&From"), "since", self.tr("From the day"))
        self.until = DateFilter(self.tr("&To"), "until", self.tr("To the day"))
        who_what = QHBoxLayout()
        for text, field in (
            (self.tr("&Person"), self.person),
            (self.tr("C&ase"), self.case),
            (self.tr("&Kind"), self.kind),
        ):
            who_what.addWidget(labelled(text, field))
            who_what.addWidget(field, 1)
        days = QHBoxLayout()
        days.addWidget(self.since)
        days.addWidget(self.until)
        days.addStretch(1)

        self.model = AuditModel(self)
        self.table = LogTable()
        self.table.setObjectName("auditTable")
        self.table.setAccessibleName(self.tr("Audit entries"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        rows = self.table.verticalHeader()
        rows.setDefaultSectionSize(self.table.fontMetrics().height() + 8)  # a log: compact
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        # before and after beside what changed, the place after them: a 1024 px screen
        # shows who changed what from what to what without scrolling sideways
        for logical, shown in ((7, 4), (8, 5)):
            header.moveSection(header.visualIndex(logical), shown)
        self.count = QLabel()
        self.count.setObjectName("auditCount")
        self.export_button = QPushButton(self.tr("&Export CSV…"))
        self.export_button.setObjectName("exportCsv")
        self.export_button.clicked.connect(self.export_csv)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.close)
        # Enter in a filter reads the trail with it, never presses a button (it closed
        # the window): no button is the default (Escape still closes)
        for button in buttons.buttons():
            if isinstance(button, QPushButton):
                button.setAutoDefault(False)
                button.setDefault(False)

        layout = QVBoxLayout(self)
        layout.addWidget(self.messages)
        layout.addLayout(who_what)
        layout.addLayout(days)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        layout.addWidget(buttons)

        self._typing = QTimer(self, singleShot=True, interval=RELOAD_AFTER_MS)
        self._typing.timeout.connect(self.reload)
        for combo in (self.person, self.case, self.kind):
            combo.currentTextChanged.connect(lambda _t: self._typing.start())
            line = combo.lineEdit()
            assert line is not None  # (editable)
            line.returnPressed.connect(self.reload)
        for day in (self.since, self.until):
            day.box.toggled.connect(lambda _on: self.reload())
            day.date.dateChanged.connect(lambda _d: self._typing.start())
        room = (parent or self).screen().availableGeometry()
        self.resize(min(max(980, room.width() * 3 // 4), 1500, room.width() - 40), 560)
        self.reload()

    def _combo(self, name: str, everyone: str) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        combo.setEditable(True)  # a name or code may be typed, in any capitals
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        combo.addItem("")
        line = combo.lineEdit()
        assert line is not None
        line.setPlaceholderText(everyone)
        combo.setMinimumContentsLength(12)
        return combo

    # -- reading ------------------------------------------------------------------------
    def filters(self) -> Filters:
        """The filters as ``read_audit`` takes them (a kind chosen by its shown name: the
        stored kind it names; one typed otherwise: as typed)."""
        kind = self.kind.currentText().strip()
        found = self.kind.findText(kind, Qt.MatchFlag.MatchFixedString) if kind else -1
        return {
            "person": self.person.currentText().strip() or None,
            "case": self.case.currentText().strip() or None,
            "kind": (self.kind.itemData(found) if found > 0 else kind) or None,
            "since": self.since.day(),
            "until": self.until.day(),
        }

    def reload(self) -> None:
        """Read the trail again with the filters as they are (off the GUI thread)."""
        self._typing.stop()
        self._asked += 1
        asked, ws, viewer, wanted = self._asked, self.ws, self.viewer, self.filters()
        with_choices = not self._choices_read

        def work(_ctx: TaskContext) -> tuple[list[AuditRow], AuditChoices | None, Runs]:
            rows = read_audit(ws, **wanted, limit=SHOWN + 1, viewer=viewer)
            choices = audit_choices(ws, viewer) if with_choices else None
            return rows, choices, coding_names(ws, rows)

        job = BackgroundJob(work, self)
        job.finished.connect(lambda result: self._read(asked, result))
        job.failed.connect(lambda text: self._refused(asked, text))
        self.count.setText(self.tr("Reading the audit trail…"))
        job.start()

    def busy(self) -> bool:
        """Whether a read is still on its way."""
        return self.count.text() == self.tr("Reading the audit trail…")

    def _read(self, asked: int, result: tuple[list[AuditRow], AuditChoices | None, Runs]) -> None:
        if asked != self._asked:
            return  # the filters changed meanwhile: a newer read is on its way
        rows, choices, runs = result
        if choices is not None:
            self._choices_read = True
            self._offer(choices)
        self.messages.clear("audit")
        self.table.empty_text = self._empty_text()
        self.model.show_rows(rows[:SHOWN], runs)
        if rows:  # (with none, the columns keep their widths: no headers squeezed)
            self.table.resizeColumnsToContents()
            for column in (7, 8, 9):  # values can be long: their tooltips hold them whole
                self.table.setColumnWidth(column, min(self.table.columnWidth(column), VALUE_PX))
        if len(rows) > SHOWN:
            self.count.setText(
                self.tr("The newest {0} entries; narrow the filters to see older ones.").format(
                    SHOWN
                )
            )
        else:
            self.count.setText(self.tr("Entries: {0}").format(len(rows)))

    def _empty_text(self) -> str:
        """What the table says when no entry is shown."""
        if any(value is not None for value in self.filters().values()):
            return self.tr(
                "No entries match these filters. Widen them: Everyone, Every case, Every "
                "kind, no days."
            )
        return self.tr("No entries yet: the trail grows as people work in the workspace.")

    def _refused(self, asked: int, text: str) -> None:
        if asked != self._asked:
            return
        self.table.empty_text = self.tr("Nothing to show: see the message above.")
        self.model.show_rows([])
        self.count.setText("")
        self.messages.error(text, "audit")

    def _offer(self, choices: AuditChoices) -> None:
        """Fill the filters' lists, keeping what is typed in them."""
        kinds = sorted(((kind_name(k), k) for k in choices.kinds), key=lambda n: n[0].lower())
        for combo, items in (
            (self.person, [(p, p) for p in choices.people]),
            (self.case, [(c, c) for c in choices.cases]),
            (self.kind, kinds),
        ):
            with QSignalBlocker(combo):
                typed = combo.currentText()
                combo.clear()
                combo.addItem("")
                for shown, stored in items:
                    combo.addItem(shown, stored)
                combo.setCurrentText(typed)

    # -- export ---------------------------------------------------------------------------
    def export_csv(self) -> None:
        """Every entry the filters select (not only those shown) as a CSV file."""
        chosen = ask_save_file(
            self,
            self.tr("Export the audit trail"),
            Path.home() / "audit trail.csv",
            self.tr("CSV (*.csv)"),
            [".csv"],
        )
        if chosen is None:
            return
        path, replace = chosen
        ws, viewer, wanted = self.ws, self.viewer, self.filters()

        def work(_ctx: TaskContext) -> tuple[Path, int]:
            rows = read_audit(ws, **wanted, viewer=viewer)
            return write_csv(rows, path, force=replace), len(rows)

        run_task(
            self,
            self.tr("Exporting the audit trail…"),
            work,
            lambda done: self.messages.info(
                self.tr("Written to {0} (entries: {1})").format(*done), "audit.export"
            ),
            lambda text: self.messages.error(text, "audit.export"),
        )


def coding_names(ws: Workspace, rows: list[AuditRow]) -> Runs:
    """The codings the entries are about, each as its scheme and coder (what the
    assignment list shows anyone)."""
    wanted = {row.run_id for row in rows if row.run_id is not None}
    if not wanted:
        return {}
    return {a.run_id: f"{a.scheme_id} · {a.coder}" for a in assignments(ws) if a.run_id in wanted}


class AuditTrail(QObject):
    """Tools → Audit trail…: one window, on the workspace open; it closes when another
    workspace (or none) is opened."""

    def __init__(self, session: CodingSession, parent: QWidget) -> None:
        super().__init__(parent)
        self.session, self.parent_widget = session, parent
        self.window: AuditWindow | None = None
        session.changed.connect(self._session_changed)

    def show(self) -> AuditWindow | None:
        """Show the window (raised when it is open already)."""
        if self.session.ws is None:
            self.session.shell.messages.error(self.tr("Open a workspace first."), "workspace")
            return None
        if self.window is not None:
            self.window.raise_()
            self.window.activateWindow()
            return self.window
        window = AuditWindow(self.session, self.parent_widget)
        window.destroyed.connect(self._gone)
        window.show()
        self.window = window
        return window

    def _gone(self) -> None:
        self.window = None

    def _session_changed(self, change: Change) -> None:
        if (
            isinstance(change, RunOpened)
            and self.window is not None
            and self.window.ws is not self.session.ws
        ):
            self.window.close()
