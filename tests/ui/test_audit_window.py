"""Tools → Audit trail…: the trail in a table, newest first, read off the GUI thread;
filters by person, case, kind and days; Export CSV… through the outputs' rules; a reader
the roles do not allow is told why; one window, gone with its workspace."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.services.test_edges_blind import add_clip_row
from tests.services.test_edges_events import TABLE
from vfa.services import assignments as asg
from vfa.services import coding, consent, people
from vfa.services.audit_trail import read_audit
from vfa.services.schemes import get_scheme
from vfa.services.viewer import viewing_as
from vfa.storage.models import Role
from vfa.ui import audit_window
from vfa.ui.audit_window import AuditTrail, AuditWindow
from vfa.ui.messages import Level
from vfa.ui.session import CodingSession

WAIT = 20_000


@pytest.fixture
def trail(workspace):
    """FAM-1: Ann rates twice; FAM-2: Sue records consent."""
    first, _ = add_clip_row(workspace, TABLE, case="FAM-1")
    second, _ = add_clip_row(workspace, TABLE, case="FAM-2")
    kips = get_scheme("kips")
    with viewing_as("Ann"):
        run = coding.open_run(workspace, first, kips, "Ann").id
        coding.set_rating(workspace, run, kips, kips.ratings.items[0].id, 3)
        coding.set_rating(workspace, run, kips, kips.ratings.items[0].id, 4)
    with viewing_as("Sue"):
        consent.set_consent(workspace, second, ["feedback"])
    return workspace, first, second, run


@pytest.fixture
def opened(qtbot, trail):
    """The window on the trail, as Sue, its first read done."""
    ws = trail[0]
    session = CodingSession.bare(ws, coder="Sue")
    window = AuditWindow(session)  # (closed here: it is deleted when it closes)
    window.show()
    try:
        qtbot.waitUntil(lambda: not window.busy(), timeout=WAIT)
        yield window, trail
    finally:
        window.close()


def cells(window: AuditWindow, column: int) -> list[str]:
    model = window.model
    return [model.cell(row, column) for row in model.rows]


def settle(qtbot, window: AuditWindow) -> None:
    """Read again now (not after the typing pause) and wait for the rows."""
    window.reload()
    qtbot.waitUntil(lambda: not window.busy(), timeout=WAIT)


def test_the_table_lists_the_trail_newest_first(opened):
    window, (ws, _first, second, _run) = opened
    entries = read_audit(ws)
    assert window.model.rowCount() == len(entries)
    assert [r.id for r in window.model.rows] == [e.id for e in entries]
    assert window.model.columnCount() == 10
    newest = entries[0]
    assert cells(window, 1)[0] == "Sue" and cells(window, 2)[0] == "record consent"
    assert cells(window, 3)[0] == f"clip {second}" and cells(window, 4)[0] == "FAM-2"
    assert cells(window, 0)[0] == f"{newest.when.astimezone():%Y-%m-%d %H:%M:%S}"
    rated = next(n for n, r in enumerate(window.model.rows) if r.action == "rate")
    assert cells(window, 6)[rated] == "kips · Ann"  # the coding: its scheme and coder
    assert cells(window, 7)[rated] == "value: 3; note: —; evidence: —"
    assert cells(window, 8)[rated] == "value: 4; note: —; evidence: —"
    assert window.count.text() == f"Entries: {len(entries)}"
    offered = {window.person.itemText(i) for i in range(window.person.count())}
    assert {"", "Ann", "Sue"} <= offered  # (blank: everyone)
    assert [window.case.itemText(i) for i in range(window.case.count())] == ["", "FAM-1", "FAM-2"]
    assert {"rate", "consent", "coding_run"} <= {
        window.kind.itemData(i) for i in range(window.kind.count())
    }


def test_the_filters_narrow_the_table(opened, qtbot):
    window, (ws, *_rest) = opened
    window.person.setCurrentText("ann")
    settle(qtbot, window)
    assert set(cells(window, 1)) == {"Ann"}
    window.person.setCurrentText("")
    window.case.setCurrentText("fam-1")
    settle(qtbot, window)
    assert set(cells(window, 4)) == {"FAM-1"}
    window.kind.setCurrentText("rate")
    settle(qtbot, window)
    assert cells(window, 2) == ["rate", "rate"]
    window.case.setCurrentText("")
    window.kind.setCurrentText("")
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    window.since.set_day(tomorrow)
    qtbot.waitUntil(lambda: not window.busy() and window.model.rowCount() == 0, timeout=WAIT)
    window.since.set_day(None)
    window.until.set_day(dt.date.today())
    qtbot.waitUntil(lambda: window.model.rowCount() == len(read_audit(ws)), timeout=WAIT)


def test_typing_a_filter_reads_again_when_typing_pauses(opened, qtbot):
    window, _ = opened
    window.person.setCurrentText("Sue")
    qtbot.waitUntil(lambda: set(cells(window, 1)) == {"Sue"}, timeout=WAIT)


def test_a_case_that_is_not_there_is_said_in_the_window(opened, qtbot):
    window, _ = opened
    window.case.setCurrentText("FAM-9")
    settle(qtbot, window)
    assert window.model.rowCount() == 0
    assert window.messages.level("audit") is Level.ERROR
    assert window.messages.text("audit").startswith("case FAM-9: no such case in ")


def test_only_the_newest_are_shown_when_there_are_more(opened, qtbot, monkeypatch):
    window, (ws, *_rest) = opened
    monkeypatch.setattr(audit_window, "SHOWN", 2)
    settle(qtbot, window)
    assert [r.id for r in window.model.rows] == [e.id for e in read_audit(ws, limit=2)]
    assert window.count.text() == ("The newest 2 entries; narrow the filters to see older ones.")


def test_export_csv_writes_every_entry_the_filters_select(opened, qtbot, monkeypatch, tmp_path):
    window, _ = opened
    target = tmp_path / "trail.csv"
    monkeypatch.setattr(audit_window, "SHOWN", 1)  # the file holds more than the table shows
    window.kind.setCurrentText("rate")
    settle(qtbot, window)
    monkeypatch.setattr(audit_window, "ask_save_file", lambda *_a: (str(target), False))
    window.export_button.click()
    qtbot.waitUntil(lambda: window.messages.level("audit.export") is not None, timeout=WAIT)
    assert window.messages.level("audit.export") is Level.INFO
    rows = list(csv.DictReader(io.StringIO(target.read_text("utf-8"))))
    assert [r["action"] for r in rows] == ["rate", "rate"]
    assert window.messages.text("audit.export") == f"Written to {target} (entries: 2)"


def test_export_csv_onto_a_link_is_refused_and_the_file_kept(opened, qtbot, monkeypatch, tmp_path):
    window, _ = opened
    kept = tmp_path / "kept.csv"
    kept.write_text("mine")
    link = tmp_path / "link.csv"
    os.symlink(kept, link)
    monkeypatch.setattr(audit_window, "ask_save_file", lambda *_a: (str(link), True))
    window.export_button.click()
    qtbot.waitUntil(lambda: window.messages.level("audit.export") is not None, timeout=WAIT)
    assert window.messages.level("audit.export") is Level.ERROR
    assert window.messages.text("audit.export").startswith(f"{link}: ")
    assert kept.read_text() == "mine" and link.is_symlink()


def test_a_coder_on_a_managed_workspace_is_told_who_may_read_it(qtbot, trail):
    ws = trail[0]
    people.add_person(ws, "Ada", Role.ADMIN, who="Ada")
    people.add_person(ws, "Ann", Role.CODER, who="Ada")
    window = AuditWindow(CodingSession.bare(ws, coder="Ann"))
    window.show()
    qtbot.waitUntil(lambda: window.messages.level("audit") is not None, timeout=WAIT)
    assert window.model.rowCount() == 0
    assert window.messages.text("audit").startswith(
        "Ann is a coder: only a supervisor or admin may read the audit trail"
    )
    window.close()


def test_what_a_blind_run_recorded_is_hidden_from_the_supervisor(qtbot, workspace):
    clip, _ = add_clip_row(workspace, TABLE)
    kips = get_scheme("kips")
    ann, _ben = asg.assign(workspace, [clip], kips, ["Ann", "Ben"], by="Sue")
    coding.set_rating(workspace, ann.id, kips, kips.ratings.items[0].id, 5)
    window = AuditWindow(CodingSession.bare(workspace, coder="Sue"))
    window.show()
    qtbot.waitUntil(lambda: not window.busy(), timeout=WAIT)
    rated = [n for n, r in enumerate(window.model.rows) if r.action == "rate"]
    assert rated and all(cells(window, 7)[n] == "hidden: blind coding" for n in rated)
    assert all(cells(window, 6)[n] == "kips · Ann" for n in rated)
    window.close()


# -- one window, on the workspace open ----------------------------------------------------------


def test_one_window_shown_again_and_closed_with_its_workspace(qtbot, trail):
    ws = trail[0]
    session = CodingSession.bare(ws, coder="Sue")
    host = session.shell.host
    qtbot.addWidget(host)
    trail_windows = AuditTrail(session, host)
    shown = trail_windows.show()
    assert shown is not None and shown.isVisible()
    assert trail_windows.show() is shown
    session.set_workspace(None)  # another workspace (or none): the window goes
    qtbot.waitUntil(lambda: trail_windows.window is None, timeout=WAIT)
    assert not [
        w for w in QApplication.topLevelWidgets() if isinstance(w, AuditWindow) and w.isVisible()
    ]
    assert trail_windows.show() is None
    assert session.shell.messages.level("workspace") is Level.ERROR


def test_enter_in_a_filter_reads_with_it_and_leaves_the_window_open(opened, qtbot):
    window, _ = opened
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5_000)
    field = window.kind.lineEdit()
    field.setFocus()
    qtbot.waitUntil(field.hasFocus, timeout=5_000)
    qtbot.keyClicks(field, "rate")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert window.isVisible()
    assert window.busy()  # read at once, not after the typing pause
    qtbot.waitUntil(lambda: not window.busy(), timeout=WAIT)
    assert cells(window, 2) == ["rate", "rate"]
    qtbot.keyClick(window.case.lineEdit(), Qt.Key.Key_Enter)
    assert window.isVisible()


def test_a_person_added_is_named_in_the_record_column(qtbot, trail):
    """Not "person 3": the name the entry keeps."""
    ws = trail[0]
    people.add_person(ws, "Rae", "coder")
    window = AuditWindow(CodingSession.bare(ws, coder="Sue"))
    window.show()
    try:
        qtbot.waitUntil(lambda: not window.busy(), timeout=WAIT)
        added = [r for r in window.model.rows if r.entity == "coder" and r.action == "create"]
        # (Ann was added as she first coded)
        assert [window.model.cell(r, 3) for r in added] == ["person Rae", "person Ann"]
    finally:
        window.close()
