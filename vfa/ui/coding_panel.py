"""The coding panel, generated from a scheme: ratings, grids, run status, event hotkeys.

Ratings and grid points are entered from the keyboard, the same way in both forms
(:mod:`vfa.ui.rating_tables`, :mod:`vfa.ui.grid_table`): a digit sets the value, N gives
"not observed" where the scheme has it, Delete clears, Enter or ↓ moves on; a key that
cannot be taken says why on the panel's message line. Items and scales show under their
full names; the current one is described beside the form (:mod:`vfa.ui.item_details`).
Unrated items are highlighted; the total and band update as you go.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QSizePolicy,
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
from vfa.ui.coding_form import CodingForm
from vfa.ui.grid_table import GridTable
from vfa.ui.memory import Memory
from vfa.ui.messages import MessageBar
from vfa.ui.session import CodingSession, WhenShown
from vfa.ui.undo import GridRowCommand, RateCommand, RatingStateCommand


class CodingPanel(QWidget):
    """Scheme chooser, run status, the generated form and the score."""

    def __init__(
        self,
        session: CodingSession,
        schemes: Callable[[], list[Scheme]],
        parent: QWidget | None = None,
        memory: Memory | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("codingPanel")
        self.session = session
        self._schemes = schemes
        self.memory = memory  # the scheme last used on each clip (None: nothing kept)

        self.chooser = QComboBox()
        self.chooser.setObjectName("scheme")
        self.chooser.setAccessibleName(self.tr("Coding scheme"))
        self.chooser.setToolTip(self.tr("The coding scheme: its form shows below"))
        # long names do not widen the panel: the list shows them in full
        self.chooser.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.chooser.setMinimumContentsLength(16)
        self.chooser.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.chooser.currentIndexChanged.connect(self._scheme_chosen)
        self.chooser.activated.connect(lambda _i: self._focus_form())
        self.status = QLabel()
        self.status.setObjectName("runStatus")
        self.status.setWordWrap(True)
        self.submit = QPushButton(self.tr("Submit"))
        self.submit.setObjectName("submit")
        self.submit.clicked.connect(self.submit_run)
        self.reopen_button = QPushButton(self.tr("Reopen…"))
        self.reopen_button.setObjectName("reopen")
        self.reopen_button.clicked.connect(self.ask_reopen)
        self.reopen_button.hide()
        self.message = MessageBar()  # refused edits and keys ("edit"), a changed scheme
        self.message.setObjectName("gridMessage")
        self.form = CodingForm(memory)
        self.form.rate.connect(self.rate)
        self.form.note.connect(self.set_note)
        self.form.grid_row.connect(self.enter_grid_row)
        self.form.refused.connect(self._key_refused)
        self.form.done.connect(self._focus_form)
        self.table, self.grids, self.details = self.form.table, self.form.grids, self.form.details
        self.hotkeys = self.form.hotkeys
        self.total = QLabel()
        self.total.setObjectName("total")
        self.total.setWordWrap(True)
        self.total.setStyleSheet("font-weight: 600")

        status_row = QHBoxLayout()
        status_row.addWidget(self.status, 1)
        status_row.addWidget(self.submit, 0, Qt.AlignmentFlag.AlignTop)
        status_row.addWidget(self.reopen_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.addWidget(self.chooser)  # (its first entry says what it is for)
        layout.addLayout(status_row)
        layout.addWidget(self.form, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.total)
        self.when_shown = WhenShown(self, self._run_opened)
        session.changed.connect(self._changed)
        self._refresh_chooser()
        self.refresh()

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
    def grid_tables(self) -> list[GridTable]:
        """The grid's tables, one a member."""
        return self.form.grid_tables

    @property
    def run(self) -> coding.RunInfo | None:
        return self.session.run

    # -- what is being coded -----------------------------------------------------
    def _refresh_chooser(self) -> None:
        self.chooser.blockSignals(True)
        self.chooser.clear()
        self.chooser.addItem(self.tr("Choose a scheme…"), None)
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
        self.form.build(scheme)
        self.session.choose_scheme(scheme)

    def scheme_for(self, clip_id: int) -> Scheme | None:
        """The scheme last used on a clip, when one was and it is still offered."""
        if self.memory is None or self.session.ws is None:
            return None
        scheme_id = self.memory.scheme_of(self.session.ws, clip_id)
        return self.session.schemes.get(scheme_id) if scheme_id else None

    def _focus_form(self) -> None:
        """A scheme chosen by the user: the keys go to the form, not the chooser (digits
        rate the first item; the ethogram keys are window shortcuts)."""
        if not self.form.focus():
            self.setFocus(Qt.FocusReason.OtherFocusReason)

    def _key_refused(self, why: str) -> None:
        """A key the form could not take: say why on the panel's message line."""
        self.message.warning(why, "edit")

    def _changed(self, change: Change) -> None:
        """Redraw for what changed in the open run (now, or when next shown); other runs
        are not shown here."""
        if isinstance(change, RunsChanged) and change.schemes:
            self._show_schemes()  # a scheme an import made can be chosen at once
        if isinstance(change, RunOpened):
            self._remember_scheme()
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

    def _remember_scheme(self) -> None:
        """The scheme shown on a clip is the one to show when the clip opens again."""
        ws, clip_id, scheme = self.session.ws, self.clip_id, self.scheme
        if self.memory is not None and ws is not None and clip_id is not None and scheme:
            self.memory.remember_scheme(ws, clip_id, scheme.id)

    def _run_opened(self) -> None:
        """Another clip, scheme or coder: show its run (in the form of its scheme, which
        opening a clip may have changed), and say if the scheme changed since the run was
        coded."""
        if self.scheme is not self.form.scheme:
            self._show_schemes()
            self.form.build(self.scheme)
        self.form.forget_typed()
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
            self._nothing_to_code()
            return
        command = RateCommand(
            self.session, self._act(self.tr('rating of "{0}"'), item_id), item_id, value
        )
        if not self._push(command):
            self.table.keep_row()

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
            self._nothing_to_code()
            return
        grid = next(g for g in self.scheme.grids if g.id == grid_id)
        row = next((r.name for r in grid.rows if r.id == row_id), row_id)
        member = next((m.name for m in grid.members if m.id == member_id), member_id)
        text = self.tr('grid row "{0}" of {1}').format(row, member)
        self._push(GridRowCommand(self.session, text, (grid_id, row_id, member_id), points))

    def _nothing_to_code(self) -> None:
        self.message.warning(
            self.tr("Open a clip to code it: choose one in the list of clips."), "edit"
        )

    def _act(self, template: str, item_id: str) -> str:
        """How Edit → Undo names an edit of an item: 'rating of "Sensitivity"'."""
        try:
            name = self.scheme.item(item_id).name if self.scheme else item_id
        except VfaError:
            name = item_id
        return template.format(name)

    def _push(self, command: RateCommand | GridRowCommand | RatingStateCommand) -> bool:
        """Check the edit first: a refused one shows why and changes nothing (not even a
        run is begun for it); whether it was stored."""
        self.when_shown.catch_up()  # (the edit is made on the run as the form shows it)
        try:
            command.check()
        except VfaError as exc:
            self.message.error(str(exc), "edit")
            if isinstance(command, RateCommand):
                self.refresh(keep_message=True)
            if isinstance(command, GridRowCommand):
                self.grids.mark_refused(command.grid_id, command.member_id, command.row_id)
            return False
        if not self.session.begin_run():
            return False
        self.message.clear("edit")
        return command.push(lambda text: self.message.error(text, "edit"))

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
            if self.clip_id is None:
                self.status.setText(
                    self.tr("Open a clip to code it: choose one in the list of clips.")
                )
            elif self.scheme is None:
                self.status.clear()  # (the form says to choose one)
            else:
                self.status.setText(
                    self.tr("Not started · the first rating or event begins the coding")
                )
            self.form.show_run({})
            self.total.clear()
            self.submit.setVisible(self.scheme is not None)
            self.submit.setEnabled(False)
            self.reopen_button.hide()
            self.form.lock(False)
            return
        self.submit.setEnabled(True)
        run = self.session.reread_run()
        assert run is not None
        states = coding.ratings(self.ws, run.id)
        self.form.show_run(states)
        versions = coding.rating_versions(states)  # what the form's edits are made on
        prefix = ("rating", run.id)
        self.session.held.load_under(prefix, {(*prefix, k): v for k, v in versions.items()})
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
            shown = ", ".join(f"{self._scale_name(grid_id, k)} {v}" for k, v in totals.items())
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
        self.form.lock(locked)

    def _scale_name(self, grid_id: str, scale_id: str) -> str:
        """A grid scale's name, for the totals line."""
        grid = self.scheme.grid(grid_id) if self.scheme is not None else None
        scales = [s for m in grid.members for s in m.scales] if grid is not None else []
        return next((s.name for s in scales if s.id == scale_id), scale_id)
