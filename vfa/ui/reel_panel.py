"""The session's reel: its moments for feedback in the order they will be shown (drag
to reorder), the practice guidance as a gentle note, the session's theme (VIPP-SD), and
the way to present and export it."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from vfa.errors import VfaError
from vfa.services import moments
from vfa.services.moments import MomentInfo
from vfa.services.people import Act
from vfa.services.schemes import SchemeLibrary
from vfa.services.workspaces import Workspace
from vfa.ui.changes import Change, RunOpened, touches_reel
from vfa.ui.messages import Level, inline_label
from vfa.ui.moments_panel import code_name
from vfa.ui.session import CodingSession, WhenShown, allow
from vfa.ui.undo import ReelCommand


def vipp_themes(schemes: SchemeLibrary) -> list[str]:
    """The VIPP-SD themes offered for a session (any text may be typed instead)."""
    try:
        scheme = schemes.get("vipp_sd")
    except VfaError:
        return []
    codes = scheme.ethogram.codes if scheme.ethogram else ()
    return [c.name for c in codes if c.id != "positive_moment"]


class ReelList(QListWidget):
    """The reel's moments; dropping one in a new place emits the new order."""

    reordered = Signal(list)

    def __init__(self) -> None:
        super().__init__()
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        # a caption is read in full: rows wrap instead of scrolling sideways
        self.setWordWrap(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.model().rowsMoved.connect(lambda *_args: self.reordered.emit(self.order()))

    def order(self) -> list[int]:
        return [int(self.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(self.count())]


class ReelPanel(QWidget):
    """One session's reel."""

    present_requested = Signal()
    export_requested = Signal()
    script_requested = Signal()
    consent_requested = Signal()

    def __init__(self, session: CodingSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reelPanel")
        self.session = session
        self.ws: Workspace | None = None
        self.session_id: int | None = None
        self.items: list[MomentInfo] = []
        self.when_shown = WhenShown(self, self.refresh)
        session.changed.connect(self._session_changed)
        session.roles_changed.connect(self._show_role)

        self.title = QLabel()
        self.title.setObjectName("reelTitle")
        self.theme = QComboBox()
        self.theme.setObjectName("theme")
        self.theme.setEditable(True)
        self.theme.addItem("")  # the themes are read when a session first shows (not at start-up)
        edit = self.theme.lineEdit()
        assert edit is not None  # an editable combo box has one
        edit.setPlaceholderText(self.tr("The visit's theme (VIPP-SD)"))
        self.theme.activated.connect(lambda _i: self._theme_entered())
        edit.editingFinished.connect(self._theme_entered)
        self.list = ReelList()
        self.list.setObjectName("reelList")
        self.list.setAccessibleName(self.tr("The reel's moments"))
        self.list.reordered.connect(self.reorder)
        self.list.currentRowChanged.connect(lambda _row: self._update_moves())
        self.empty = QLabel(
            self.tr("Mark moments 'For feedback' in Moments to build this session's reel.")
        )
        self.empty.setWordWrap(True)
        self.guidance = inline_label(Level.WARNING, "reelGuidance")
        self.up = QPushButton(self.tr("Earlier"))
        self.down = QPushButton(self.tr("Later"))
        self.up.clicked.connect(lambda: self.move_current(-1))
        self.down.clicked.connect(lambda: self.move_current(+1))
        self.present = QPushButton(self.tr("Present…"))
        self.present.setObjectName("present")
        self.export = QPushButton(self.tr("Export…"))
        self.export.setObjectName("exportReel")
        self.script = QPushButton(self.tr("Feedback script…"))
        self.consent = QPushButton(self.tr("Consent…"))
        self.present.clicked.connect(self.present_requested)
        self.export.clicked.connect(self.export_requested)
        self.script.clicked.connect(self.script_requested)
        self.consent.clicked.connect(self.consent_requested)

        form = QFormLayout()
        form.addRow(self.tr("Theme"), self.theme)
        order = QHBoxLayout()
        order.addWidget(self.up)
        order.addWidget(self.down)
        order.addStretch(1)
        actions = QGridLayout()
        for n, button in enumerate((self.present, self.export, self.script, self.consent)):
            actions.addWidget(button, n // 2, n % 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(form)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty)
        layout.addLayout(order)
        layout.addWidget(self.guidance)
        layout.addLayout(actions)
        self._show_session()

    def _session_changed(self, change: Change) -> None:
        """Another visit: show its reel; a change to this reel, to a moment of this
        visit or to an event that is (or becomes) a moment for feedback: redraw it (now,
        or when next shown)."""
        if isinstance(change, RunOpened):
            if (self.session.ws, self.session.session_id) != (self.ws, self.session_id):
                self._show_session()
            else:
                self.when_shown.request()
        elif touches_reel(change, self.session_id, set(self.order())):
            self.when_shown.request()

    def _show_session(self) -> None:
        clip = self.session.clip
        self.ws, self.session_id = self.session.ws, self.session.session_id
        if self.session_id is not None and self.theme.count() == 1:
            with QSignalBlocker(self.theme):
                self.theme.addItems(vipp_themes(self.session.schemes))
        title = f"{clip.case_code} · {clip.session_label}" if clip is not None else ""
        self.title.setText(self.tr("Reel · {0}").format(title) if title else "")
        self.refresh()

    def refresh(self) -> None:
        self.when_shown.stale = False
        ws, session_id = self.ws, self.session_id
        self.items = moments.reel(ws, session_id) if ws and session_id is not None else []
        if ws is not None and session_id is not None:  # what its edits are made on
            self.session.held.load({("reel", session_id): moments.reel_version(ws, session_id)})
        current = self.list.currentItem()
        chosen = current.data(Qt.ItemDataRole.UserRole) if current is not None else None
        # only the list's own signals are held back: its model must still tell the view
        # (a view whose model was silenced keeps the old rows on screen, or none)
        with QSignalBlocker(self.list):
            self.list.clear()
            for n, m in enumerate(self.items, start=1):
                seconds = m.span_ms / 1000
                text = (
                    m.caption
                    or m.child_line
                    or code_name(self.session.schemes, m.scheme_id, m.code)
                )
                item = QListWidgetItem(self.tr("{0}. {1}  ({2:.1f} s)").format(n, text, seconds))
                item.setData(Qt.ItemDataRole.UserRole, m.id)
                self.list.addItem(item)
            ids = [m.id for m in self.items]
            if chosen in ids:  # the same moment stays chosen (after a move, an undo)
                self.list.setCurrentRow(ids.index(chosen))
            elif ids:
                self.list.setCurrentRow(0)  # Earlier/Later always have a moment to move
        notes = (
            moments.reel_guidance(ws, session_id, find=self.session.schemes.get)
            if ws and session_id is not None
            else []
        )
        self.guidance.setText("\n".join(notes))
        self.guidance.setVisible(bool(notes))
        self.empty.setVisible(not self.items)
        theme = moments.session_theme(ws, session_id) if ws and session_id is not None else None
        with QSignalBlocker(self.theme):
            self.theme.setCurrentText(theme or "")
        self._show_role()

    def _show_role(self) -> None:
        """What the reel's state and the person's role allow: exporting for the family,
        recording consent, ordering the reel and setting its theme (presenting it is
        for everyone)."""
        why = self.session.why_not
        present = self.session_id is not None
        self.present.setEnabled(bool(self.items))
        for button in (self.export, self.script):
            allow(button, bool(self.items), why(Act.EXPORT_FEEDBACK, ""))
        allow(self.consent, present, why(Act.MANAGE_CONSENT, ""))
        allow(self.theme, present, why(Act.TAG_MOMENTS, ""))
        building = why(Act.TAG_MOMENTS, "") is None
        self.list.setDragDropMode(
            QAbstractItemView.DragDropMode.InternalMove
            if building
            else QAbstractItemView.DragDropMode.NoDragDrop
        )
        self._update_moves()

    def _update_moves(self) -> None:
        """Earlier and Later only where the chosen moment can go (and the role may)."""
        row = self.list.currentRow()
        why = self.session.why_not(Act.TAG_MOMENTS, "")
        allow(self.up, 0 < row < len(self.items), why)
        allow(self.down, 0 <= row < len(self.items) - 1, why)

    def order(self) -> list[int]:
        return [m.id for m in self.items]

    def reorder(self, order: list[int]) -> None:
        """Store a new order (undoable)."""
        ws, session_id = self.ws, self.session_id
        if ws is None or session_id is None or order == self.order():
            return

        def set_order(value: list[int], version: int | None) -> list[int]:
            return moments.reorder_reel(ws, session_id, value, expected_version=version)

        self._push(ReelCommand(self.session, self.tr("reel order"), session_id, set_order, order))

    def move_current(self, delta: int) -> None:
        row = self.list.currentRow()
        target = row + delta
        if not (0 <= row < len(self.items) and 0 <= target < len(self.items)):
            return
        order = self.order()
        order.insert(target, order.pop(row))
        self.reorder(order)  # the moved moment stays chosen

    def _theme_entered(self) -> None:
        ws, session_id = self.ws, self.session_id
        if ws is None or session_id is None:
            return
        text = self.theme.currentText().strip() or None
        if text == moments.session_theme(ws, session_id):
            return

        def set_theme(value: str | None, version: int | None) -> str | None:
            return moments.set_theme(ws, session_id, value, expected_version=version)

        self._push(ReelCommand(self.session, self.tr("visit theme"), session_id, set_theme, text))

    def _push(self, command: ReelCommand) -> None:
        command.where = self.title.text()
        if not command.push(lambda text: self.session.shell.messages.error(text, "reel")):
            self.refresh()
