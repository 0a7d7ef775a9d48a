"""The coding panel, generated from a scheme: ratings, grids, run status, event hotkeys.

Ratings are entered from the keyboard: the current row takes a scale point (digits),
N for "not observed" (or the scheme's first special code), Delete to clear; Enter or ↓
moves on. Unrated items are highlighted; the total and band update as you go. A grid row
whose points do not add up is refused with a message beside the grid.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from vfa.domain.schemes import Scheme
from vfa.errors import VfaError
from vfa.services import coding
from vfa.services.coding import RunStatus
from vfa.services.schemes import scheme_changes
from vfa.services.workspaces import Workspace
from vfa.ui.changes import (
    Change,
    EventsChanged,
    RatingsChanged,
    RunOpened,
    RunsChanged,
    RunStatusChanged,
)
from vfa.ui.messages import MessageBar
from vfa.ui.rating_tables import GridTable, RatingTable
from vfa.ui.session import CodingSession, WhenShown
from vfa.ui.undo import GridRowCommand, RateCommand, RatingStateCommand


class CodingPanel(QWidget):
    """Scheme chooser, run status, the generated form and the score."""

    def __init__(
        self,
        session: CodingSession,
        schemes: Callable[[], list[Scheme]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("codingPanel")
        self.session = session
        self._schemes = schemes

        self.chooser = QComboBox()
        self.chooser.setObjectName("scheme")
        self.chooser.currentIndexChanged.connect(self._scheme_chosen)
        self.chooser.activated.connect(lambda _i: self._focus_form())
        self.status = QLabel()
        self.status.setObjectName("runStatus")
        self.submit = QPushButton(self.tr("Submit"))
        self.submit.setObjectName("submit")
        self.submit.clicked.connect(self.submit_run)
        self.reopen_button = QPushButton(self.tr("Reopen…"))
        self.reopen_button.setObjectName("reopen")
        self.reopen_button.clicked.connect(self.ask_reopen)
        self.reopen_button.hide()
        self.table = RatingTable()
        self.table.rate.connect(self.rate)
        self.table.note.connect(self.set_note)
        self.grids = QWidget()
        self.grids_layout = QVBoxLayout(self.grids)
        self.grids_layout.setContentsMargins(0, 0, 0, 0)
        self.grid_tables: list[GridTable] = []
        self.message = MessageBar()  # refused edits ("edit"), a changed scheme ("scheme")
        self.message.setObjectName("gridMessage")
        self.total = QLabel()
        self.total.setObjectName("total")
        self.total.setWordWrap(True)
        self.hotkeys = QListWidget()
        self.hotkeys.setObjectName("hotkeys")
        self.hotkeys.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.total.setStyleSheet("font-weight: 600")

        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Scheme")))
        top.addWidget(self.chooser, 1)
        status_row = QHBoxLayout()
        status_row.addWidget(self.status, 1)
        status_row.addWidget(self.submit)
        status_row.addWidget(self.reopen_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(status_row)
        layout.addWidget(self.table, 2)
        layout.addWidget(self.grids, 2)
        layout.addWidget(self.hotkeys, 2)
        layout.addWidget(self.message)
        layout.addWidget(self.total)
        self.setMinimumWidth(300)
        self.when_shown = WhenShown(self, self._run_opened)
        session.changed.connect(self._changed)
        self._refresh_chooser()

    # the session's state, read here as the panel shows it
    @property
    def ws(self) -> Workspace | None:
        """The workspace of the clip shown (None while no clip is)."""
        return self.session.ws if self.session.clip is not None else None

    @property
    def clip_id(self) -> int | None:
        return self.session.clip_id

    @property
    def scheme(self) -> Scheme | None:
        return self.session.scheme

    @property
    def run(self) -> coding.RunInfo | None:
        return self.session.run

    # -- what is being coded -----------------------------------------------------
    def _refresh_chooser(self) -> None:
        self.chooser.blockSignals(True)
        self.chooser.clear()
        self.chooser.addItem(self.tr("(no scheme)"), None)
        for scheme in self._schemes():
            self.chooser.addItem(f"{scheme.name} {scheme.version}", scheme)
        self.chooser.blockSignals(False)

    def refresh_schemes(self) -> None:
        """Read the scheme folders again (the session's library: after an import made a
        scheme, or a file was added), keeping the scheme chosen."""
        self.session.schemes.reload()
        self._show_schemes()

    def _show_schemes(self) -> None:
        """Offer the schemes of the library as it is now, keeping the scheme chosen."""
        chosen = self.scheme.id if self.scheme is not None else None
        self._refresh_chooser()
        if chosen is not None:
            self.chooser.blockSignals(True)
            for i in range(self.chooser.count()):
                data = self.chooser.itemData(i)
                if data is not None and data.id == chosen:
                    self.chooser.setCurrentIndex(i)
            self.chooser.blockSignals(False)

    def choose(self, scheme_id: str) -> None:
        """Pick a scheme by id (as the chooser does)."""
        for i in range(self.chooser.count()):
            scheme = self.chooser.itemData(i)
            if scheme is not None and scheme.id == scheme_id:
                self.chooser.setCurrentIndex(i)
                return
        raise KeyError(scheme_id)

    def _scheme_chosen(self, _index: int) -> None:
        scheme = self.chooser.currentData()
        self.table.set_scheme(scheme)
        self._build_grids(scheme)
        self.session.choose_scheme(scheme)

    def _build_grids(self, scheme: Scheme | None) -> None:
        for table in self.grid_tables:
            table.deleteLater()
        self.grid_tables = []
        for grid in scheme.grids if scheme else ():
            for m in range(len(grid.members)):
                table = GridTable(grid, m)
                table.row_entered.connect(self.enter_grid_row)
                self.grids_layout.addWidget(QLabel(f"{grid.name} — {grid.members[m].name}"))
                self.grids_layout.addWidget(table)
                self.grid_tables.append(table)
        self.table.setVisible(bool(scheme and scheme.ratings))
        self.grids.setVisible(bool(self.grid_tables))
        self.hotkeys.clear()
        ethogram = scheme.ethogram if scheme else None
        for code in ethogram.codes if ethogram else ():
            if code.hotkey:
                kind = self.tr("state") if code.kind == "state" else ""
                self.hotkeys.addItem(f"{code.hotkey:>8}   {code.name}  {kind}".rstrip())
        self.hotkeys.setVisible(self.hotkeys.count() > 0)

    def _focus_form(self) -> None:
        """A scheme chosen by the user: the keys go to the form, not the chooser (digits
        rate the first item; the ethogram keys are window shortcuts)."""
        if self.table.isVisible() and self.table.rowCount():
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        elif self.grid_tables:
            self.grid_tables[0].setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.setFocus(Qt.FocusReason.OtherFocusReason)

    def _changed(self, change: Change) -> None:
        """Redraw for what changed in the open run (now, or when next shown); other runs
        are not shown here."""
        if isinstance(change, RunsChanged) and change.schemes:
            self._show_schemes()  # a scheme an import made can be chosen at once
        if isinstance(change, RunOpened):
            self.when_shown.request()
        elif not self.session.shows(change):
            return
        elif isinstance(change, RatingsChanged):
            self.when_shown.request(self.refresh)
        elif isinstance(change, RunStatusChanged) or (
            isinstance(change, EventsChanged) and self._assigned()
        ):  # (the first event puts the run in progress)
            self.when_shown.request(lambda: self.refresh(keep_message=True))

    def _assigned(self) -> bool:
        return self.run is not None and self.run.status is RunStatus.ASSIGNED

    def _run_opened(self) -> None:
        """Another clip, scheme or coder: show its run, and say if the scheme changed
        since the run was coded."""
        self.refresh()
        self.message.clear("scheme")
        if self.ws is None or self.clip_id is None or self.scheme is None:
            return
        changed = scheme_changes(self.ws, self.scheme)
        if changed:
            self.message.warning(changed, "scheme")

    # -- edits ------------------------------------------------------------------------
    def rate(self, item_id: str, value: object) -> None:
        if self.ws is None or self.scheme is None:
            return
        self._push(
            RateCommand(
                self.session, self._act(self.tr('rating of "{0}"'), item_id), item_id, value
            )
        )

    def set_note(self, item_id: str, text: str) -> None:
        if self.ws is None or self.scheme is None:
            return
        note = text.strip() or None
        self._push(
            RatingStateCommand(
                self.session,
                self._act(self.tr('note on "{0}"'), item_id),
                item_id,
                lambda s: coding.RatingState(s.value, note, s.evidence),
            )
        )

    def link_evidence(self, event_id: int) -> None:
        """Link an event (a moment on the timeline) to the current rating item."""
        item_id = self.table.current_item_id()
        if self.ws is None or item_id is None:
            self.message.warning(self.tr("Select the item to link the moment to."), "edit")
            return
        self._push(
            RatingStateCommand(
                self.session,
                self._act(self.tr('evidence for "{0}"'), item_id),
                item_id,
                lambda s: coding.RatingState(
                    s.value, s.note, tuple(dict.fromkeys((*s.evidence, event_id)))
                ),
            )
        )

    def enter_grid_row(
        self, grid_id: str, row_id: str, member_id: str, points: dict[str, int]
    ) -> None:
        if self.ws is None or self.scheme is None:
            return
        grid = next(g for g in self.scheme.grids if g.id == grid_id)
        row = next((r.name for r in grid.rows if r.id == row_id), row_id)
        member = next((m.name for m in grid.members if m.id == member_id), member_id)
        text = self.tr('grid row "{0}" of {1}').format(row, member)
        self._push(GridRowCommand(self.session, text, (grid_id, row_id, member_id), points))

    def _act(self, template: str, item_id: str) -> str:
        """How Edit → Undo names an edit of an item: 'rating of "Sensitivity"'."""
        try:
            name = self.scheme.item(item_id).name if self.scheme else item_id
        except VfaError:
            name = item_id
        return template.format(name)

    def _push(self, command: RateCommand | GridRowCommand | RatingStateCommand) -> None:
        """Check the edit first: a refused one shows why and changes nothing (not even a
        run is begun for it)."""
        try:
            command.check()
        except VfaError as exc:
            self.message.error(str(exc), "edit")
            if isinstance(command, RateCommand):
                self.refresh(keep_message=True)
            if isinstance(command, GridRowCommand):
                for table in self.grid_tables:
                    if (table.grid.id, table.member.id) == (command.grid_id, command.member_id):
                        table.mark_refused(command.row_id)
            return
        if not self.session.begin_run():
            return
        self.message.clear("edit")
        command.push(lambda text: self.message.error(text, "edit"))

    def submit_run(self) -> None:
        if self.run is None or self.ws is None:
            return
        if self.run.status is RunStatus.SUBMITTED:
            return
        coding.submit_run(self.ws, self.run.id, actor=self.session.coder())
        self.session.undo.clear()  # a submitted run cannot be edited, so neither undone
        self.message.clear("edit")
        self.session.tell(RunStatusChanged(self.run.id))

    def ask_reopen(self) -> None:
        reason, ok = QInputDialog.getText(
            self,
            self.tr("Reopen a submitted coding"),
            self.tr("Why does this coding need to change? (kept in the audit trail)"),
        )
        if ok:
            self.reopen(reason)

    def reopen(self, reason: str) -> None:
        if self.run is None or self.ws is None:
            return
        try:
            coding.reopen_run(self.ws, self.run.id, reason, actor=self.session.coder())
        except VfaError as exc:
            self.message.error(str(exc), "edit")
            return
        self.message.clear("edit")
        self.session.tell(RunStatusChanged(self.run.id))

    # -- display ----------------------------------------------------------------------
    def refresh(self, keep_message: bool = False) -> None:
        """Show the run as stored: ratings, grid points, status, total and band."""
        self.when_shown.stale = False
        if not keep_message:
            self.message.clear("edit")
        if self.run is None or self.ws is None or self.scheme is None:
            if self.scheme is None or self.clip_id is None:
                self.status.setText(self.tr("Choose a scheme to code this clip."))
            else:
                self.status.setText(
                    self.tr("Not started · the first rating or event begins the coding")
                )
            self.table.show_states({})
            for table in self.grid_tables:
                table.show_points({})
            self.total.clear()
            self.submit.setVisible(True)
            self.submit.setEnabled(False)
            self.reopen_button.hide()
            self.table.setEnabled(True)
            for table in self.grid_tables:
                table.setEnabled(True)
            return
        self.submit.setEnabled(True)
        run = self.session.reread_run()
        assert run is not None
        states = coding.ratings(self.ws, run.id)
        self.table.show_states(states)
        points = coding.grid_points(states)
        for table in self.grid_tables:
            table.show_points(points.get(table.grid.id, {}))
        result = coding.run_score(self.ws, run.id, self.scheme)
        parts = []
        if self.scheme.ratings is not None:
            total = "—" if result.total is None else f"{result.total:.2f}"
            parts.append(
                self.tr("Total {0}").format(total) + (f" · {result.band}" if result.band else "")
            )
            if result.missing:
                parts.append(self.tr("{0} unrated").format(len(result.missing)))
        for grid_id, totals in result.grid_totals.items():
            band = result.grid_bands.get(grid_id)
            shown = ", ".join(f"{k} {v}" for k, v in totals.items())
            parts.append(shown + (f" · {band}" if band else ""))
        self.total.setText("  ·  ".join(parts))
        locked = run.status is RunStatus.SUBMITTED
        label = {
            RunStatus.ASSIGNED: self.tr("Assigned"),
            RunStatus.IN_PROGRESS: self.tr("In progress"),
            RunStatus.SUBMITTED: self.tr("Submitted (locked)"),
        }[run.status]
        self.status.setText(self.tr("{0} · coder {1}").format(label, run.coder))
        self.submit.setVisible(not locked)
        self.reopen_button.setVisible(locked)
        self.table.setEnabled(not locked)
        for table in self.grid_tables:
            table.setEnabled(not locked)
