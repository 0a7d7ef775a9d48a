"""The lock and the grid's undo through the services: a submitted run refuses an edit
before it is tried and nothing else does; clearing a CARE-Index grid row takes away that
row's points for that member only (the instrument gives each aspect 2 points per member)."""

from __future__ import annotations

import pytest

from tests.services.test_edges_blind import add_clip_row
from vfa.domain.schemes import parse_scheme
from vfa.services import clips as clip_service
from vfa.services import coding
from vfa.services.schemes import get_scheme
from vfa.storage.models import RunStatus

GRID = "care_index"
FACE, VOICE = "facial_expression", "vocal_expression"
ADULT = {"sensitivity": 2, "control": 0, "unresponsiveness": 0}
ADULT_VOICE = {"sensitivity": 1, "control": 1, "unresponsiveness": 0}
INFANT = {"cooperativeness": 1, "compulsivity": 0, "difficultness": 1, "passivity": 0}


@pytest.fixture
def care_run(workspace, clips):
    clip_id = clip_service.add_clip(workspace, clips["cfr25"], "FAM-1", "Visit 1").clip_id
    scheme = get_scheme("care_index_infant")
    return workspace, scheme, coding.open_run(workspace, clip_id, scheme, "Ann")


def test_only_a_submitted_run_is_refused_before_an_edit(care_run):
    ws, scheme, run = care_run
    coding.check_editable(ws, run.id)  # assigned, not started
    assert coding.run_info(ws, run.id).status is RunStatus.ASSIGNED  # the check changes nothing
    coding.set_grid_row(ws, run.id, scheme, GRID, FACE, "adult", ADULT)
    coding.check_editable(ws, run.id)  # in progress
    coding.submit_run(ws, run.id)
    with pytest.raises(coding.RunLockedError, match=rf"coding run {run.id} was submitted"):
        coding.check_editable(ws, run.id)
    coding.reopen_run(ws, run.id, "second look")
    coding.check_editable(ws, run.id)


def test_clearing_a_grid_row_takes_only_that_rows_points_for_that_member(care_run):
    ws, scheme, run = care_run
    coding.set_grid_row(ws, run.id, scheme, GRID, FACE, "adult", ADULT)
    coding.set_grid_row(ws, run.id, scheme, GRID, VOICE, "adult", ADULT_VOICE)
    coding.set_grid_row(ws, run.id, scheme, GRID, FACE, "infant", INFANT)
    coding.clear_grid_row(ws, run.id, scheme, GRID, FACE, "adult")
    assert coding.grid_points(coding.ratings(ws, run.id)) == {
        GRID: {VOICE: {"adult": ADULT_VOICE}, FACE: {"infant": INFANT}}
    }


def test_a_submitted_run_keeps_its_grid_row(care_run):
    ws, scheme, run = care_run
    coding.set_grid_row(ws, run.id, scheme, GRID, FACE, "adult", ADULT)
    coding.submit_run(ws, run.id)
    with pytest.raises(coding.RunLockedError):
        coding.clear_grid_row(ws, run.id, scheme, GRID, FACE, "adult")
    assert coding.grid_points(coding.ratings(ws, run.id)) == {GRID: {FACE: {"adult": ADULT}}}


def test_clearing_starts_an_assigned_run(care_run):
    ws, scheme, run = care_run
    coding.clear_grid_row(ws, run.id, scheme, GRID, FACE, "adult")
    assert coding.run_info(ws, run.id).status is RunStatus.IN_PROGRESS
    assert coding.ratings(ws, run.id) == {}


def test_clearing_a_grid_row_leaves_another_coders_row_of_the_clip(care_run):
    ws, scheme, run = care_run
    other = coding.open_run(ws, run.clip_id, scheme, "Ben")
    coding.set_grid_row(ws, run.id, scheme, GRID, FACE, "adult", ADULT)
    coding.set_grid_row(ws, other.id, scheme, GRID, FACE, "adult", ADULT_VOICE)
    coding.clear_grid_row(ws, run.id, scheme, GRID, FACE, "adult")
    assert coding.ratings(ws, run.id) == {}
    assert coding.grid_points(coding.ratings(ws, other.id)) == {
        GRID: {FACE: {"adult": ADULT_VOICE}}
    }


# -- looking for a run: this clip, this scheme content, this coder ----------------------


def test_looking_finds_only_the_coders_run_of_that_clip_and_that_scheme_content(care_run):
    ws, scheme, run = care_run
    other_clip, _ = add_clip_row(ws, case="FAM-2")
    assert coding.find_run(ws, run.clip_id, scheme, "Ann") == run
    assert coding.find_run(ws, other_clip, scheme, "Ann") is None  # another clip
    # the same id and version with other content (an edited file) is another scheme row
    edited = parse_scheme({**scheme.raw, "description": "edited"}, "edited.yaml")
    assert (edited.id, edited.version) == (scheme.id, scheme.version)
    assert coding.find_run(ws, run.clip_id, edited, "Ann") is None
    mine = coding.open_run(ws, run.clip_id, edited, "Ann")
    assert mine.id != run.id
    assert coding.find_run(ws, run.clip_id, edited, "Ann") == mine
    assert coding.find_run(ws, run.clip_id, scheme, "Ann") == run
