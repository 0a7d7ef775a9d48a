"""File → Merge workspace… driven as a user would, offscreen: the dry run's summary off the
GUI thread, Merge, a conflict that keeps Merge off, a clashing case code renamed in the
dialog, Stop, and the session shown again afterwards."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QDialog, QFileDialog

from tests.services.merge_world import build_team, code_on, dump, only_clip, run_of
from vfa.services import clips as clip_service
from vfa.services import events
from vfa.services.checkout import checkout
from vfa.services.schemes import get_scheme
from vfa.services.viewer import viewing_as
from vfa.storage.workspace import open_workspace
from vfa.ui import merge_dialog
from vfa.ui.merge_dialog import MergeDialog
from vfa.ui.messages import Level, inline_brush
from vfa.ui.session import CodingSession


@pytest.fixture
def team(tmp_path, clips):
    ws = open_workspace(tmp_path / "team.vfa", create=True)
    world = build_team(ws, clips)
    yield world
    ws.close()


@pytest.fixture
def laptop(team, tmp_path):
    """Ann's checkout with coding of hers done on it (closed)."""
    path = tmp_path / "laptop.vfa"
    checkout(team.ws, "Ann", path, viewer="Ann")
    ws = open_workspace(path)
    with viewing_as("Ann"):
        code_on(ws, only_clip(ws, "cfr25.mp4"), "Ann", "on the train")
    ws.close()
    return path


def shown(dialog: MergeDialog) -> dict[str, list[str]]:
    """The summary table as the user reads it: each kind's row of counts."""
    table = dialog.counts
    return {
        table.verticalHeaderItem(r).text(): [table.item(r, c).text() for c in range(4)]
        for r in range(table.rowCount())
    }


def listed(dialog: MergeDialog) -> list[str]:
    return [dialog.problems.item(n).text() for n in range(dialog.problems.count())]


def opened(qtbot, team, other, viewer="Ann") -> MergeDialog:
    dialog = MergeDialog(team.ws, viewer)
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.planned, timeout=30_000) as planned:
        dialog.other.setText(str(other))
        dialog.replan()
    assert planned.args[0] is dialog.report
    return dialog


def test_the_dry_run_is_summed_up_and_merge_writes_it(qtbot, team, laptop):
    dialog = opened(qtbot, team, laptop)
    assert dialog.summary.text() == f"Merging {laptop} would do this:"
    table = shown(dialog)
    assert table["Codings"] == ["0", "2", "0", "0"]  # added, updated, removed, here
    assert table["Events"] == ["2", "0", "0", "0"]
    assert table["Clips"] == ["0", "0", "0", "1"]
    assert dialog.merge_button.isEnabled()
    with qtbot.waitSignal(dialog.merged, timeout=30_000):
        qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    assert dialog.outcome is not None and dialog.outcome.written
    assert dialog.summary.text().startswith(f"Merged {laptop}. The state before is kept as ")
    assert not dialog.merge_button.isEnabled()
    here = [e.code for e in events.run_events(team.ws, team.ann_vig, "Ann")]
    assert here.count("being_attentive") == 1 and "waiting" in here
    dialog.reject()


def test_a_conflict_is_listed_in_red_and_merge_stays_off(qtbot, team, laptop, tmp_path):
    table = clip_service.clip_info(team.ws, team.x).frame_table
    with viewing_as("Ann"):
        events.code_event(team.ws, team.ann_vig, get_scheme("vig"), "waiting", None, 3_000, table)
    before = dump(tmp_path / "team.vfa")
    dialog = opened(qtbot, team, laptop)
    assert not dialog.merge_button.isEnabled()
    assert dialog.summary.text().startswith("A coding changed on both sides")
    first = dialog.problems.item(0)
    assert first.text().startswith("Changed on both sides — FAM-1 / Visit 1 / cfr25.mp4")
    assert first.foreground() == inline_brush(Level.ERROR)
    dialog.do_merge()  # (refused: the button is off, and so is the call)
    assert not dialog.busy() and dump(tmp_path / "team.vfa") == before
    dialog.reject()


def test_a_clashing_case_code_is_refused_until_renamed_in_the_dialog(qtbot, team, tmp_path, clips):
    other = open_workspace(tmp_path / "other.vfa", create=True)
    clip_service.add_clip(other, clips["ntsc"], "fam-1", "Visit 1")
    other.close()
    dialog = MergeDialog(team.ws, "Sue")
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.planned, timeout=30_000) as planned:
        dialog.other.setText(str(tmp_path / "other.vfa"))
        dialog.replan()
    assert planned.args[0] is None and not dialog.merge_button.isEnabled()
    assert dialog.summary.text() == "This workspace cannot be merged:"
    assert "case fam-1 is in both workspaces" in listed(dialog)[0]
    dialog.renames.setText("fam-1")
    dialog.replan()
    assert listed(dialog) == ["Rename incoming cases: “fam-1” is not CODE=NEW-CODE"]
    dialog.renames.setText("fam-1=FAM-8, FAM-1=FAM-9")  # one of the two would be lost
    dialog.replan()
    assert listed(dialog) == [
        "Rename incoming cases: FAM-1: given twice; give each incoming case one new code"
    ]
    assert not dialog.merge_button.isEnabled()
    with qtbot.waitSignal(dialog.planned, timeout=30_000) as planned:
        dialog.renames.setText("fam-1=FAM-9")
        dialog.replan()
    assert planned.args[0] is not None and shown(dialog)["Cases"] == ["1", "0", "0", "0"]
    assert dialog.merge_button.isEnabled()
    dialog.reject()


def test_stop_leaves_nothing_shown_and_nothing_changed(qtbot, team, laptop, tmp_path):
    dialog = MergeDialog(team.ws, "Ann")
    qtbot.addWidget(dialog)
    seen = []
    dialog.planned.connect(seen.append)
    dialog.other.setText(str(laptop))
    dialog.replan()
    assert dialog.busy() and dialog.progress.isVisibleTo(dialog)
    dialog.cancel()
    assert dialog.summary.text() == "Stopped; nothing was changed."
    assert not dialog.busy() and not dialog.progress.isVisibleTo(dialog)
    QThreadPool.globalInstance().waitForDone(30_000)
    qtbot.wait(0)  # (what the work sent, delivered)
    assert seen == [] and dialog.report is None and not dialog.merge_button.isEnabled()
    dialog.reject()


def test_merge_into_chooses_the_file_then_shows_the_session_again(qtbot, team, laptop, monkeypatch):
    session = CodingSession.bare(team.ws, coder="Ann")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(laptop), ""))

    def run_dialog(dialog: MergeDialog) -> int:
        if dialog.report is None:
            with qtbot.waitSignal(dialog.planned, timeout=30_000):
                pass
        with qtbot.waitSignal(dialog.merged, timeout=30_000):
            qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
        dialog.reject()
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(MergeDialog, "exec", run_dialog)
    seen = []
    session.changed.connect(seen.append)
    session.undo.push(QUndoCommand("a step from before the merge"))
    report = merge_dialog.merge_into(session)
    assert report is not None and report.written
    assert session.undo.count() == 0  # the coding it was made on may have been replaced
    assert seen and type(seen[-1]).__name__ == "RunOpened"
    assert session.shell.messages.text("merge") == f"Merged {laptop}."
    assert run_of(team.ws, team.x, "vig", "Ann") == team.ann_vig


def test_choosing_the_file_starts_beside_this_workspace_then_beside_the_last_chosen(
    qtbot, team, tmp_path, monkeypatch
):
    """Never in the folder VFA happened to be started in."""
    elsewhere = tmp_path / "started-here"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    asked: list[str] = []

    def choose(_parent, _title, folder, _filter):
        asked.append(folder)
        return "", ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", choose)
    session = CodingSession.bare(team.ws, coder="Ann")
    assert merge_dialog.merge_into(session) is None  # (nothing chosen)
    assert asked == [str(team.ws.path.parent)]
    away = tmp_path / "usb"
    away.mkdir()
    dialog = MergeDialog(team.ws, "Ann", str(away / "laptop.vfa"))
    qtbot.addWidget(dialog)
    dialog.choose_other()
    assert asked[-1] == str(away)
