"""What a coding run stores, returns and audits, pinned at the service: the run named by
its scheme row and version; refusals naming the run, clip, grid or missing reason; a
cleared rating leaves no row; a new value keeps the item's note and evidence; a grid row
returns the points it replaced and gives a scale left out 0 points; every edit leaves an
entry naming the run, as the person who made it; a submission stamped in UTC; a coder
met again is not one an import made."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from tests.services.test_audit_places import entries, last_id
from tests.services.test_audit_trail import in_auckland  # noqa: F401 - fixture
from tests.services.test_coding_rules import ADULT, ADULT_VOICE, FACE, GRID
from tests.services.test_edges_blind import add_clip_row, blind_pair  # noqa: F401 - fixture
from tests.services.test_imports import EVENTS, document, plan, ws  # noqa: F401 - fixture
from vfa.errors import InvalidInputError, NotFoundError
from vfa.services import coding
from vfa.services.blind import BlindError
from vfa.services.imports import run_import, undo_import
from vfa.services.schemes import get_scheme, register_scheme
from vfa.services.viewer import viewing_as
from vfa.storage.models import Coder, CodingRun

EMPTY = {"value": None, "note": None, "evidence": []}
NOTHING = coding.RatingState(None, None, ())


@pytest.fixture
def kips_run(workspace):
    clip, _ = add_clip_row(workspace)
    kips = get_scheme("kips")
    run = coding.open_run(workspace, clip, kips, "Ann")
    return workspace, kips, run, [item.id for item in kips.ratings.items]


@pytest.fixture
def care(workspace):
    clip, _ = add_clip_row(workspace)
    scheme = get_scheme("care_index_infant")
    return workspace, scheme, coding.open_run(workspace, clip, scheme, "Ann").id


def coder_id(space, name: str) -> int | None:
    with space.sessions() as db:
        return db.scalar(select(Coder.id).where(Coder.name == name))


def what(entry) -> tuple:
    return entry.action, entry.entity, entry.entity_id, entry.detail, entry.actor


# -- opening a run ------------------------------------------------------------------------


def test_a_run_opened_names_its_scheme_row_and_version_and_is_audited_as_its_coders(workspace):
    clip, _ = add_clip_row(workspace)
    kips = get_scheme("kips")
    start = last_id(workspace)
    with viewing_as("Kim"):  # someone else at the keyboard opens Ann's run
        run = coding.open_run(workspace, clip, kips, "Ann")
    assert (run.clip_id, run.scheme_id, run.coder) == (clip, "kips", "Ann")
    assert run.scheme_row == register_scheme(workspace, kips)
    assert run.scheme_version == kips.version
    coder, made = [e for e in entries(workspace, start) if e.entity != "scheme"]
    ann = coder_id(workspace, "Ann")
    assert what(coder)[:4] == ("create", "coder", ann, {"name": "Ann", "role": "coder"})
    said = {"clip": clip, "scheme": "kips", "version": kips.version}
    assert what(made) == ("create", "coding_run", run.id, said, "Ann")
    start = last_id(workspace)
    assert coding.open_run(workspace, clip, kips, "Ann") == run  # found again, not made
    assert entries(workspace, start) == []


# -- refusals in their words ---------------------------------------------------------------


def test_each_refusal_names_what_is_missing(kips_run):
    space, kips, run, _ = kips_run
    with pytest.raises(NotFoundError) as missing_run:
        coding.run_info(space, 9_999)
    assert str(missing_run.value) == "coding run 9999: no such run"
    with pytest.raises(NotFoundError) as missing_clip:
        coding.open_run(space, 9_999, kips, "Ann")
    assert str(missing_clip.value) == f"clip 9999: no such clip in {space.label}"
    with pytest.raises(InvalidInputError) as nameless:
        coding.ensure_coder(space, "   ")
    assert str(nameless.value) == "coder: give a name (the Coder in File → Settings…)"
    care = get_scheme("care_index_infant")
    with pytest.raises(InvalidInputError) as no_grid:
        coding.set_grid_row(space, run.id, care, "nope", FACE, "adult", ADULT)
    assert str(no_grid.value) == "grid 'nope' is not in scheme care_index_infant"
    coding.submit_run(space, run.id)
    with pytest.raises(InvalidInputError) as no_reason:
        coding.reopen_run(space, run.id, "  ")
    assert str(no_reason.value) == "reopening a submitted run needs a reason"


# -- ratings ------------------------------------------------------------------------------


def test_a_rating_cleared_leaves_no_row_and_evidence_is_read_back(kips_run):
    space, kips, run, (first, second, *_) = kips_run
    coding.set_rating_state(space, run.id, first, coding.RatingState(3, None, (5, 9)), kips)
    assert coding.rating_state(space, run.id, first) == coding.RatingState(3, None, (5, 9))
    assert coding.set_rating(space, run.id, kips, second, None) == NOTHING
    assert list(coding.ratings(space, run.id)) == [first]  # clearing nothing stores nothing
    coding.set_rating_state(space, run.id, first, NOTHING)
    assert coding.ratings(space, run.id) == {}
    assert coding.rating_state(space, run.id, first).version == 0  # no row left


def test_a_new_value_keeps_the_items_note_and_evidence(kips_run):
    space, kips, run, (item, *_) = kips_run
    coding.set_note(space, run.id, item, "warm")
    coding.link_evidence(space, run.id, item, 12)
    before = coding.set_rating(space, run.id, kips, item, 4)
    assert before == coding.RatingState(None, "warm", (12,))
    assert coding.rating_state(space, run.id, item) == coding.RatingState(4, "warm", (12,))


def test_a_coder_reads_their_own_blind_rating_whoever_is_at_the_keyboard(blind_pair):  # noqa: F811
    space, _, _, ann, _, _ = blind_pair
    kips = get_scheme("kips")
    item = kips.ratings.items[0].id
    coding.set_rating(space, ann, kips, item, 5)
    with viewing_as("Ben"):
        assert coding.rating_state(space, ann, item, viewer="Ann").value == 5
    with viewing_as("Ann"), pytest.raises(BlindError):
        coding.rating_state(space, ann, item, viewer="Ben")


# -- grid rows ----------------------------------------------------------------------------


def test_a_grid_row_returns_the_points_it_replaced_and_a_scale_left_out_has_none(care):
    space, scheme, run = care
    assert coding.set_grid_row(space, run, scheme, GRID, FACE, "adult", {"sensitivity": 2}) == {}
    stored = {"sensitivity": 2, "control": 0, "unresponsiveness": 0}
    assert coding.grid_points(coding.ratings(space, run)) == {GRID: {FACE: {"adult": stored}}}
    assert coding.set_grid_row(space, run, scheme, GRID, FACE, "adult", ADULT_VOICE) == stored
    assert coding.grid_points(coding.ratings(space, run)) == {GRID: {FACE: {"adult": ADULT_VOICE}}}


# -- the audit trail ----------------------------------------------------------------------


def test_a_grid_row_is_audited_as_the_runs_with_its_place_and_points(care):
    space, scheme, run = care
    start = last_id(space)
    with viewing_as("Ann"):
        coding.set_grid_row(space, run, scheme, GRID, FACE, "adult", ADULT)
        coding.set_grid_row(space, run, scheme, GRID, FACE, "adult", ADULT_VOICE)
    place = {"grid": GRID, "row": FACE, "member": "adult"}
    assert [what(e) for e in entries(space, start)] == [
        ("grid", "coding_run", run, {**place, "before": {}, "after": ADULT}, "Ann"),
        ("grid", "coding_run", run, {**place, "before": ADULT, "after": ADULT_VOICE}, "Ann"),
    ]


def test_rating_submitting_and_reopening_are_audited_as_the_run_by_whom_did_them(kips_run):
    space, kips, run, (item, *_) = kips_run
    start = last_id(space)
    with viewing_as("Kim"):
        coding.set_rating(space, run.id, kips, item, 3)
        coding.submit_run(space, run.id, actor="Ann")  # Ann's submission, typed in by Kim
        coding.reopen_run(space, run.id, "  a late correction ", actor="Sue")
    assert [what(e) for e in entries(space, start)] == [
        ("rate", "coding_run", run.id,
         {"item": item, "before": EMPTY, "after": dict(EMPTY, value=3)}, "Kim"),
        ("submit", "coding_run", run.id, {}, "Ann"),
        ("reopen", "coding_run", run.id, {"reason": "a late correction"}, "Sue"),
    ]  # fmt: skip


def test_a_run_is_submitted_at_the_time_in_utc_whatever_the_local_clock(
    kips_run,
    in_auckland,  # noqa: F811
):
    space, _, run, _ = kips_run
    before = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    coding.submit_run(space, run.id)
    after = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    with space.sessions() as db:
        stamped = db.get_one(CodingRun, run.id).submitted_at
    assert stamped is not None
    if stamped.tzinfo is not None:  # (PostgreSQL gives it with its zone)
        stamped = stamped.astimezone(dt.UTC).replace(tzinfo=None)
    assert before <= stamped <= after


# -- coders -------------------------------------------------------------------------------


def test_undoing_an_import_keeps_a_coder_who_was_there_before_it(ws):  # noqa: F811
    known = coding.ensure_coder(ws, "Lab coder")  # known to the workspace, no run yet
    result = run_import(ws, plan(ws, document(*EVENTS)))
    assert result.runs[0].coder == "Lab coder"
    undo_import(ws, result.batch)
    assert coder_id(ws, "Lab coder") == known
