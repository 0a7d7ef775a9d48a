"""The team's dialogs as people meet them: only a person shown chosen is chosen (Who are
you?, People), every field and button has its own underlined key, and what each says is
in a clinician's words."""

from __future__ import annotations

import datetime as dt
import pickle
import re
import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QWidget,
)

from tests.services.merge_world import build_team, code_on, only_clip
from tests.services.test_edges_blind import add_clip_row
from tests.services.test_edges_events import TABLE
from tests.ui.people_helpers import PEOPLE, make_managed, open_as
from vfa.errors import StaleEditError
from vfa.services import clips as clip_service
from vfa.services import coding, consent
from vfa.services.checkout import checkout
from vfa.services.people import Person
from vfa.services.permissions import Roster
from vfa.services.schemes import available_schemes, get_scheme
from vfa.services.viewer import viewing_as
from vfa.storage.models import Role
from vfa.storage.workspace import open_workspace
from vfa.ui.audit_window import AuditWindow
from vfa.ui.coding_panel import CodingPanel
from vfa.ui.encrypt_dialog import CipherDialog
from vfa.ui.merge_dialog import MergeDialog
from vfa.ui.people_dialogs import PeopleDialog, WhoAreYouDialog
from vfa.ui.session import CodingSession
from vfa.ui.stale_text import clock, thing

WAIT = 20_000


def shown_and_focused(qtbot, dialog: QWidget, field: QWidget) -> None:
    """Show ``dialog`` as the window shows it, active, the focus in ``field``."""
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=5_000)
    field.setFocus()
    qtbot.waitUntil(lambda: field.hasFocus(), timeout=5_000)


def keys(window: QWidget) -> dict[str, list[str]]:
    """Each underlined key of the window's visible labels (of a field) and buttons, with
    the texts that underline it."""
    found: dict[str, list[str]] = {}
    texts = [label.text() for label in window.findChildren(QLabel) if label.buddy()]
    texts += [b.text() for b in window.findChildren(QAbstractButton) if b.isVisibleTo(window)]
    for text in texts:
        for key in re.findall(r"&([^&\s])", text):
            found.setdefault(key.lower(), []).append(text)
    return found


def without_key(window: QWidget) -> list[str]:
    """The visible field labels and text buttons of the window with no underlined key."""
    texts = [
        label.text()
        for label in window.findChildren(QLabel)
        if label.buddy() is not None and label.buddy().isVisibleTo(window)
    ]
    texts += [
        b.text()
        for b in window.findChildren(QPushButton)
        if b.isVisibleTo(window) and b.text() and not standard(b)
    ]
    return [t for t in texts if not re.search(r"&[^&\s]", t)]


def standard(button: QAbstractButton) -> bool:
    """A dialog's standard button (OK, Cancel, Close: Enter and Escape press them, and the
    platform names them)."""
    box = button.parent()
    none = QDialogButtonBox.StandardButton.NoButton
    return isinstance(box, QDialogButtonBox) and box.standardButton(button) != none


def assert_keys_of(window: QWidget) -> None:
    """Every field's label and button has an underlined key, none used twice."""
    assert without_key(window) == []
    assert {k: t for k, t in keys(window).items() if len(t) > 1} == {}


# -- Who are you? and People: only what is shown chosen is chosen ---------------------------


def test_the_focus_alone_chooses_nobody_in_who_are_you(qtbot):
    found = Roster((Person(1, "Ada", Role.ADMIN, None), Person(2, "Cal", Role.CODER, None)), True)
    dialog = WhoAreYouDialog("team.vfa", found, "root")  # not one of them: none chosen
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    shown_and_focused(qtbot, dialog, dialog.people)
    # the focus puts the list's current row on Ada (the admin), drawn unchosen: it is not
    # an answer, so OK waits for one
    assert dialog.people.selectedItems() == []
    assert dialog.chosen() == "" and not ok.isEnabled()
    dialog.people.setCurrentRow(1)  # chosen as a user does (a click, the arrow keys)
    assert dialog.chosen() == "Cal" and ok.isEnabled()
    dialog.close()


def test_set_role_waits_for_a_person_shown_chosen(qtbot, workspace):
    make_managed(workspace.path)
    dialog = PeopleDialog(workspace)
    shown_and_focused(qtbot, dialog, dialog.table)
    assert dialog.table.selectionModel().selectedRows() == []
    assert dialog.chosen() is None
    assert not dialog.set_role.isEnabled() and not dialog.role.isEnabled()
    cal = [p.name for p in dialog.people].index("Cal")
    dialog.table.selectRow(cal)
    assert dialog.chosen().name == "Cal" and dialog.set_role.isEnabled()
    assert dialog.role.currentData() == PEOPLE["Cal"]
    dialog.close()


# -- Tools → Audit trail…: in the reader's words -------------------------------------------


@pytest.fixture
def audit(qtbot, workspace):
    """The Audit trail window, as Sue, on Cal's rating (twice, with a note) and Sue's
    consent, named as a service names its clips and people."""
    clip, _ = add_clip_row(workspace, TABLE, case="DEMO-001", label="visit-1")
    kips = get_scheme("kips")
    item = kips.ratings.items[0].id
    with viewing_as("Cal Jones"):
        run = coding.open_run(workspace, clip, kips, "Cal Jones").id
        coding.set_rating(workspace, run, kips, item, 3)
        coding.set_note(workspace, run, item, "Warm and quick to follow her lead throughout")
        coding.set_rating(workspace, run, kips, item, 4)
    with viewing_as("Sue"):
        consent.set_consent(workspace, clip, ["feedback"])
    window = AuditWindow(CodingSession.bare(workspace, coder="Sue"))
    window.show()
    qtbot.waitUntil(lambda: not window.busy(), timeout=WAIT)
    yield window, run
    window.close()


def cells(window: AuditWindow, column: int) -> list[str]:
    return [window.model.cell(row, column) for row in window.model.rows]


def reread(qtbot, window: AuditWindow) -> None:
    window.reload()
    qtbot.waitUntil(lambda: not window.busy(), timeout=WAIT)


def test_the_trail_names_codings_events_and_people_not_their_tables(audit):
    window, run = audit
    stored = ("coding_run", "annotation", "coder", "reliability_criterion")
    shown = [text for c in range(window.model.columnCount()) for text in cells(window, c)]
    assert [t for t in shown if t.split(" ")[0] in stored] == []
    rated = [n for n, r in enumerate(window.model.rows) if r.entity == "coding_run"]
    assert rated
    assert {cells(window, 3)[n] for n in rated} == {f"coding {run}"}
    # the coding an entry is about: its scheme and coder, as the assignment list says
    assert {cells(window, 6)[n] for n in rated} == {"kips · Cal Jones"}
    assert window.model.headerData(6, Qt.Orientation.Horizontal) != "Run"


def test_a_kind_is_offered_and_chosen_by_its_name(audit, qtbot):
    window, _run = audit
    offered = {window.kind.itemText(i): window.kind.itemData(i) for i in range(window.kind.count())}
    assert "coding_run" not in offered and offered["coding"] == "coding_run"
    window.kind.setCurrentText("Coding")  # in any capitals, as the other filters
    reread(qtbot, window)
    assert {r.entity for r in window.model.rows} == {"coding_run"}
    window.kind.setCurrentText("coding_run")  # the stored word, typed, still filters
    reread(qtbot, window)
    assert {r.entity for r in window.model.rows} == {"coding_run"}


def test_no_entry_shown_says_why_and_keeps_the_columns_readable(audit, qtbot, tmp_path):
    window, _run = audit
    when = window.table.columnWidth(0)
    window.since.set_day(dt.date.today() + dt.timedelta(days=1))  # nothing written yet
    qtbot.waitUntil(lambda: not window.busy() and window.model.rowCount() == 0, timeout=WAIT)
    filtered = window.table.empty_text
    assert filtered  # said in the table's middle
    assert window.table.columnWidth(0) == when  # the times' column not squeezed to "When"
    fresh = open_workspace(tmp_path / "new.vfa", create=True)
    empty = AuditWindow(CodingSession.bare(fresh, coder="Sue"))
    empty.show()
    try:
        qtbot.waitUntil(lambda: not empty.busy(), timeout=WAIT)
        assert empty.model.rowCount() == 0
        assert empty.table.empty_text and empty.table.empty_text != filtered
    finally:
        empty.close()
        fresh.close()


def test_the_audit_window_has_a_key_for_each_filter_and_button(audit):
    window, _run = audit
    assert_keys_of(window)


def test_before_and_after_show_in_full_beside_what_changed_at_1024(audit, qtbot):
    window, _run = audit
    window.resize(980, 560)  # as it opens on a 1024×700 screen
    qtbot.waitUntil(lambda: window.table.viewport().width() < 980, timeout=WAIT)
    header, room = window.table.horizontalHeader(), window.table.viewport().width()
    for column in (7, 8):  # before, after
        left = header.sectionViewportPosition(column)
        assert left >= 0 and left + header.sectionSize(column) <= room, column


def test_a_recorded_value_names_its_fields_in_words(audit):
    window, _run = audit
    (consented,) = [n for n, r in enumerate(window.model.rows) if r.action == "consent"]
    after = cells(window, 8)[consented]
    assert "given on: " in after and "valid until: " in after and "_" not in after


# -- File → Merge workspace…: every kind in sight, keys ------------------------------------


@pytest.fixture
def merging(qtbot, tmp_path, clips):
    """The merge dialog's dry run of Ann's laptop (her coding on the train) into the team's
    workspace, at the size it opens."""
    ws = open_workspace(tmp_path / "team.vfa", create=True)
    build_team(ws, clips)
    laptop = tmp_path / "laptop.vfa"
    checkout(ws, "Ann", laptop, viewer="Ann")
    away = open_workspace(laptop)
    with viewing_as("Ann"):
        code_on(away, only_clip(away, "cfr25.mp4"), "Ann", "on the train")
    away.close()
    dialog = MergeDialog(ws, "Ann")
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.planned, timeout=30_000):
        dialog.other.setText(str(laptop))
        dialog.replan()
    yield dialog
    dialog.reject()
    ws.close()


def test_every_kind_the_merge_counts_shows_without_scrolling(merging, qtbot):
    table = merging.counts
    assert table.rowCount() >= 8  # (people, schemes, cases, … a laptop brings most kinds)
    qtbot.waitUntil(lambda: table.viewport().height() > 0, timeout=WAIT)
    for row in range(table.rowCount()):
        top = table.rowViewportPosition(row)
        assert top >= 0 and top + table.rowHeight(row) <= table.viewport().height(), row
    assert merging.height() <= 680  # (and the dialog still fits a 1024×700 screen)


def test_the_merge_dialog_has_a_key_for_each_field_and_button(merging):
    assert_keys_of(merging)


# -- a stale edit, said in the window's words ------------------------------------------------


@pytest.fixture
def rating_form(qtbot, tmp_path):
    """Ann's coding form on KIPS (her first item rated 3) and Ben's workspace handle on the
    same file."""
    ann = open_workspace(tmp_path / "team.vfa", create=True)
    ben = open_workspace(tmp_path / "team.vfa")
    clip, _ = add_clip_row(ann, TABLE, case="DEMO-001")
    session = CodingSession.bare(ann, coder="Ann")
    panel = CodingPanel(session, available_schemes)
    qtbot.addWidget(panel)
    panel.show()
    session.open_clip(clip_service.clip_info(ann, clip))
    panel.choose("kips")
    item = session.scheme.ratings.items[0]
    with viewing_as("Ann"):
        panel.rate(item.id, 3)
    yield session, panel, item, ben
    session.undo.clear()
    ben.close()
    ann.close()


def test_a_stale_rating_is_said_with_the_item_as_the_form_names_it(rating_form):
    session, panel, item, ben = rating_form
    run = session.run.id
    with viewing_as("Ben"):
        seen = coding.rating_state(ben, run, item.id)
        coding.set_rating(ben, run, session.scheme, item.id, 5, seen.version)
    panel.rate(item.id, 2)
    said = session.shell.messages.text("stale")
    assert said.startswith(f"Ben changed the rating of “{item.name}” at ")
    # no coding's id, no item's key, and the time on the reader's clock
    assert f"run {run}" not in said and item.id not in said and "UTC" not in said
    assert panel.table.item(0, 1).text() == "5"  # theirs, shown


def test_a_stale_rating_changed_by_you_elsewhere_says_so(rating_form):
    session, panel, item, ben = rating_form
    run = session.run.id
    with viewing_as("Ann"):  # Ann again, in another window or with a command
        seen = coding.rating_state(ben, run, item.id)
        coding.set_rating(ben, run, session.scheme, item.id, 5, seen.version)
        panel.rate(item.id, 2)  # (the window works as Ann, as it does once she is chosen)
    said = session.shell.messages.text("stale")
    assert said.startswith(f"You changed the rating of “{item.name}” at ")
    assert "Ann" not in said


def test_a_stale_time_is_on_the_readers_clock(monkeypatch):
    monkeypatch.setenv("TZ", "Pacific/Auckland")
    time.tzset()
    try:
        at = dt.datetime(2026, 7, 1, 22, 30, 5)  # as SQLite keeps it: UTC, no zone
        now = dt.datetime(2026, 7, 2, 12, 0, tzinfo=dt.UTC)  # the next day there
        assert clock(at, now) == "10:30:05"  # NZST is UTC+12: 10:30 the next morning
        assert clock(at, now + dt.timedelta(days=2)) == "2026-07-02 10:30:05"
    finally:
        monkeypatch.undo()
        time.tzset()


def test_a_stale_grid_row_is_named_by_its_row_member_and_grid():
    care = get_scheme("care_index_infant")
    grid = care.grids[0]
    key = ("rating", 1, "/".join((grid.id, grid.rows[0].id, grid.members[0].id)))
    named = thing(key, care)
    assert grid.rows[0].name in named and grid.members[0].name in named
    assert grid.name in named and grid.id not in named.replace(grid.name, "")


def test_a_stale_edit_keeps_who_and_when_across_processes():
    at = dt.datetime(2026, 7, 1, 22, 30, 5, tzinfo=dt.UTC)
    error = StaleEditError("event 3: changed by Ben", ("event", 3), "Ben", at, False, True)
    again = pickle.loads(pickle.dumps(error))
    assert (again.key, again.by, again.at, again.yours, again.gone) == (
        ("event", 3),
        "Ben",
        at,
        False,
        True,
    )
    assert str(again) == str(error)


# -- the status bar of a managed workspace ---------------------------------------------------


def test_the_backup_note_fits_beside_the_roles_note_at_1024(bare_window, barcode_copy, qtbot):
    named = barcode_copy.with_name("Parent-infant service, north site, 2026.vfa")
    barcode_copy.rename(named)  # (a workspace named as a service names it)
    make_managed(named)
    bare_window.resize(1024, 700)
    open_as(bare_window, qtbot, named, "Ada")  # the backup made on opening
    bar = bare_window.statusBar()
    qtbot.waitUntil(lambda: "backed up" in bar.currentMessage(), timeout=WAIT)
    roles = bare_window.findChild(QLabel, "rolesNote")
    assert roles.isVisible()
    room = roles.geometry().left()  # the note is drawn left of the permanent notes
    assert bar.fontMetrics().horizontalAdvance(bar.currentMessage()) < room


@pytest.mark.parametrize("encrypting", [True, False])
def test_the_encryption_dialogs_have_a_key_for_each_field_and_button(qtbot, encrypting):
    dialog = CipherDialog("clinic", encrypting)
    shown_and_focused(qtbot, dialog, dialog.field)
    assert_keys_of(dialog)
    dialog.close()
