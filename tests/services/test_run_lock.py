"""The one locked-run check (``coding.refuse_locked``): a run assigned, in progress or
reopened takes edits (an assigned one begins: in progress), a submitted one refuses
them with one message, whichever path the edit takes (an ORM edit, a coding hotkey on
Core, the undo's pre-check)."""

from __future__ import annotations

import pytest

from tests.services.test_edges_blind import add_clip_row
from tests.services.test_edges_events import GAZE, TABLE
from vfa.errors import NotFoundError
from vfa.services import coding, events
from vfa.services.coding import RunLockedError, refuse_locked
from vfa.services.schemes import load_scheme_file
from vfa.storage.models import RunStatus

STATES = ("assigned", "in progress", "submitted", "reopened")


def run_in(state: str, workspace, tmp_path):
    """A run of the gaze scheme brought to ``state`` the way a user brings it there."""
    path = tmp_path / "gaze.yaml"
    path.write_text(GAZE)
    scheme = load_scheme_file(path)
    clip, _session = add_clip_row(workspace, TABLE)
    run = coding.open_run(workspace, clip, scheme, "Ann").id
    if state != "assigned":
        events.code_event(workspace, run, scheme, "touch", "parent", 400, TABLE)
    if state in ("submitted", "reopened"):
        coding.submit_run(workspace, run, actor="Ann")
    if state == "reopened":
        coding.reopen_run(workspace, run, "a missed touch", actor="Ann")
    return scheme, run


def locked_text(run: int) -> str:
    return f"coding run {run} was submitted and is locked; reopen it (with a reason) to change it"


@pytest.mark.parametrize("status", list(RunStatus))
def test_the_check_refuses_only_a_submitted_status(status):
    if status is RunStatus.SUBMITTED:
        with pytest.raises(RunLockedError) as refused:
            refuse_locked(7, status)
        assert str(refused.value) == locked_text(7)
    else:
        assert refuse_locked(7, status) is status
        assert refuse_locked(7, status.value) is status  # a Core row gives the plain text


def test_the_check_names_a_missing_run():
    with pytest.raises(NotFoundError, match="coding run 9: no such run"):
        refuse_locked(9, None)


@pytest.mark.parametrize("state", STATES)
def test_every_edit_path_agrees_on_each_state(state, workspace, tmp_path):
    scheme, run = run_in(state, workspace, tmp_path)
    edits = {
        "undo's pre-check": lambda: coding.check_editable(workspace, run),
        "note (ORM)": lambda: coding.set_note(workspace, run, "play", "seen"),
        "hotkey (Core)": lambda: events.code_event(
            workspace, run, scheme, "touch", "infant", 800, TABLE
        ),
    }
    before = events.run_events(workspace, run, viewer="Ann")
    for name, edit in edits.items():
        if state == "submitted":
            with pytest.raises(RunLockedError) as refused:
                edit()
            assert str(refused.value) == locked_text(run), name
            assert coding.run_info(workspace, run).status is RunStatus.SUBMITTED, name
        else:
            edit()
    if state == "submitted":
        assert events.run_events(workspace, run, viewer="Ann") == before
        assert coding.rating_state(workspace, run, "play", viewer="Ann").note is None
    else:
        assert coding.run_info(workspace, run).status is RunStatus.IN_PROGRESS
        assert len(events.run_events(workspace, run, viewer="Ann")) == len(before) + 1
        assert coding.rating_state(workspace, run, "play", viewer="Ann").note == "seen"


def test_the_undo_check_alone_does_not_begin_an_assigned_run(workspace, tmp_path):
    _scheme, run = run_in("assigned", workspace, tmp_path)
    coding.check_editable(workspace, run)
    assert coding.run_info(workspace, run).status is RunStatus.ASSIGNED
