"""An import on the session's undo history, from a bare session: undone and redone
whatever clip or scheme is open by then, redrawing only what shows its runs."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from vfa.io.vfa_csv import EVENT_COLUMNS
from vfa.services import clips as clip_service
from vfa.services import coding
from vfa.services.assignments import assignments
from vfa.services.imports import plan_import, run_import
from vfa.ui.changes import RunOpened, RunsChanged
from vfa.ui.event_coding import EventCoding
from vfa.ui.import_dialog import ImportCommand
from vfa.ui.session import CodingSession
from vfa.ui.timeline import Timeline


def coding_file(path: Path, coder: str) -> Path:
    """A VFA CSV of two looks at the child on cfr25.mp4, in a scheme "lab" of its own."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, EVENT_COLUMNS)
        writer.writeheader()
        for start, end in ((1000, 2000), (3000, 3500)):
            row = dict.fromkeys(EVENT_COLUMNS, "")
            row.update(clip_file="cfr25.mp4", coder=coder, scheme="lab", subject="child",
                       code="look", start_ms=str(start), end_ms=str(end))  # fmt: skip
            writer.writerow(row)
    return path


@pytest.fixture
def opened(qtbot, workspace, clips):
    """A bare session of coder Ann with cfr25 open (and ntsc in another visit)."""
    first = clip_service.add_clip(workspace, clips["cfr25"], "FAM-1", "Visit 1").clip_id
    second = clip_service.add_clip(workspace, clips["ntsc"], "FAM-1", "Visit 2").clip_id
    session = CodingSession.bare(workspace, coder="Ann")
    session.open_clip(clip_service.clip_info(workspace, first))
    seen: list[object] = []
    session.changed.connect(seen.append)
    yield session, first, second, seen
    session.undo.clear()


def imported(session: CodingSession, file: Path) -> ImportCommand:
    """Plan and write the file as the dialog does, then push its command."""
    assert session.ws is not None
    plan = plan_import(session.ws, file)
    command = ImportCommand(session, plan, run_import(session.ws, plan))
    refused: list[str] = []
    assert command.push(refused.append) and refused == []
    return command


def ann_runs(ws) -> list[int]:
    return [r.run_id for r in assignments(ws) if r.coder == "Ann"]


def test_an_import_into_the_open_run_is_drawn_and_its_undo_and_redo_redraw(qtbot, opened, tmp_path):
    session, first, _second, seen = opened
    timeline = Timeline()
    qtbot.addWidget(timeline)
    EventCoding(session, timeline)  # (kept by the session)
    timeline.set_clip(session.frame_table)
    command = imported(session, coding_file(tmp_path / "lab.csv", "Ann"))
    (made,) = command.result.runs
    assert seen == [RunsChanged((made,), True)]  # one value for the import
    assert session.undo.undoText() == "import lab.csv" and session.undo.count() == 1
    # the scheme the import made is in the session's library at once
    session.choose_scheme(session.schemes.get(made.scheme))
    assert session.run is not None and session.run.id == made.run_id
    assert timeline.event_count("child") == 2
    seen.clear()
    session.undo.undo()  # the open run goes: looked for again, none, and redrawn
    assert ann_runs(session.ws) == []
    assert session.run is None and timeline.event_count("child") == 0
    assert seen == [RunsChanged((made,), True), RunOpened(first, None)]
    assert session.shell.last_note == ""  # it was on screen: nothing to say
    session.undo.redo()
    (again,) = ann_runs(session.ws)
    assert session.run is not None and session.run.id == again
    assert timeline.event_count("child") == 2


def test_an_undo_of_an_import_into_another_run_opens_nothing_and_says_what_it_undid(
    qtbot, opened, tmp_path
):
    session, first, second, seen = opened
    file = coding_file(tmp_path / "lab.csv", "Ann")
    session.coder = lambda: "Sue"  # the file's coding is Ann's, not the coder's here
    command = imported(session, file)
    (made,) = command.result.runs
    # another clip and scheme are open by the time it is undone
    session.open_clip(clip_service.clip_info(session.ws, second))
    session.choose_scheme(session.schemes.get("kips"))
    run_before, seen[:] = session.run, []
    session.undo.undo()
    assert ann_runs(session.ws) == []
    assert seen == [RunsChanged((made,), True)]  # nothing was opened
    assert session.clip_id == second and session.run == run_before
    name = clip_service.clip_info(session.ws, first).name
    assert session.shell.last_note == f"Undid import lab.csv ({command.plan.scheme.name} · {name})"
    session.undo.redo()
    assert len(ann_runs(session.ws)) == 1
    assert session.shell.last_note.startswith("Redid import lab.csv")


def test_a_redo_refused_by_a_run_made_meanwhile_changes_nothing_and_leaves_the_history(
    opened, tmp_path
):
    session, first, _second, _seen = opened
    command = imported(session, coding_file(tmp_path / "lab.csv", "Ann"))
    session.undo.undo()
    # meanwhile (say, from the command line) Ann begins a run of that scheme on the clip
    taken = coding.open_run(session.ws, first, command.plan.scheme, "Ann").id
    session.undo.redo()
    assert ann_runs(session.ws) == [taken]  # nothing imported
    assert "already has run" in session.shell.messages.text("undo")
    assert session.undo.count() == 0  # the refused step left the history
