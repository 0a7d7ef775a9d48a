"""Exclusive groups per subject, stop times at frame edges, and the lock of a submitted
run, from the rules in the architecture ("Coding"): a state key starts the state and stops
the running states of its exclusive group FOR THE SAME SUBJECT; pressing it again stops
it; times snap to the frame shown at the key press (the last frame whose pts <= t). A
submitted run is locked: every edit raises RunLockedError and changes nothing; reopening
needs a reason and a submitted run."""

from __future__ import annotations

import pytest

from tests.services.test_edges_blind import add_clip_row
from vfa.domain.frames import FrameTable
from vfa.domain.schemes import parse_scheme
from vfa.errors import InvalidInputError
from vfa.services import coding, events, moments
from vfa.services.coding import RunLockedError
from vfa.services.schemes import get_scheme, load_scheme_file
from vfa.storage.models import RunStatus

TABLE = FrameTable.from_pts([i * 40 for i in range(150)], 6_000)  # frame k at 40k ms

GAZE = """
id: gaze
name: Gaze states
version: "1"
description: a test scheme
source: the test
ethogram:
  subjects: [parent, infant]
  codes:
    - {id: look_partner, name: Looks at partner, hotkey: "A", kind: state, group: gaze,
       verified: false,
       modifiers: [{id: affect, name: Affect, options: [positive, neutral], verified: false}]}
    - {id: look_toy, name: Looks at toy, hotkey: "S", kind: state, group: gaze,
       verified: false}
    - {id: cry, name: Cries, hotkey: "D", kind: state, subjects: [infant], verified: false}
    - {id: touch, name: Touches, hotkey: "F", kind: point, verified: false}
"""


@pytest.fixture
def gaze(workspace, tmp_path):
    path = tmp_path / "gaze.yaml"
    path.write_text(GAZE)
    scheme = load_scheme_file(path)
    clip, _session = add_clip_row(workspace, TABLE)
    run = coding.open_run(workspace, clip, scheme, "Ann")
    return workspace, scheme, run.id, clip


def spans(ws, run_id):
    return sorted((e.code, e.subject, e.start_ms, e.end_ms) for e in events.run_events(ws, run_id))


def press(ws, scheme, run_id, code, subject, at):
    return events.code_event(ws, run_id, scheme, code, subject, at, TABLE)


# -- exclusive groups: per subject ---------------------------------------------------------


def test_the_infants_state_does_not_stop_the_parents_state_of_the_same_group(gaze):
    ws, scheme, run, _ = gaze
    parent = press(ws, scheme, run, "look_partner", "parent", 1_000)
    infant = press(ws, scheme, run, "look_toy", "infant", 2_000)
    assert infant.stopped == () and infant.closed == () and infant.created
    assert spans(ws, run) == [
        ("look_partner", "parent", 1_000, None),  # still running
        ("look_toy", "infant", 2_000, None),
    ]
    assert parent.event.subject == "parent"


def test_the_same_code_for_the_other_subject_starts_a_state_of_its_own(gaze):
    ws, scheme, run, _ = gaze
    press(ws, scheme, run, "look_toy", "parent", 1_000)
    second = press(ws, scheme, run, "look_toy", "infant", 2_000)
    assert second.created and second.stopped == ()
    assert spans(ws, run) == [
        ("look_toy", "infant", 2_000, None),
        ("look_toy", "parent", 1_000, None),
    ]


def test_another_state_of_the_group_for_the_same_subject_stops_the_running_one(gaze):
    ws, scheme, run, _ = gaze
    press(ws, scheme, run, "look_partner", "parent", 1_000)
    infant_first = press(ws, scheme, run, "look_partner", "infant", 1_200)
    made = press(ws, scheme, run, "look_toy", "infant", 3_000)
    assert [(e.id, e.end_ms) for e in made.stopped] == [(infant_first.event.id, None)]
    assert [(e.id, e.end_ms) for e in made.closed] == [(infant_first.event.id, 3_000)]
    assert spans(ws, run) == [
        ("look_partner", "infant", 1_200, 3_000),
        ("look_partner", "parent", 1_000, None),
        ("look_toy", "infant", 3_000, None),
    ]


def test_pressing_a_running_states_key_again_for_its_subject_stops_it(gaze):
    ws, scheme, run, _ = gaze
    press(ws, scheme, run, "look_toy", "parent", 1_000)
    press(ws, scheme, run, "look_toy", "infant", 1_000)
    again = press(ws, scheme, run, "look_toy", "infant", 2_000)
    assert not again.created and again.event.end_ms == 2_000
    assert spans(ws, run) == [
        ("look_toy", "infant", 1_000, 2_000),
        ("look_toy", "parent", 1_000, None),
    ]


def test_states_outside_the_group_and_points_stop_nothing(gaze):
    ws, scheme, run, _ = gaze
    press(ws, scheme, run, "look_partner", "infant", 1_000)
    cry = press(ws, scheme, run, "cry", "infant", 1_400)  # a state without a group
    touch = press(ws, scheme, run, "touch", "infant", 1_600)
    assert cry.stopped == () and touch.stopped == ()
    assert spans(ws, run) == [
        ("cry", "infant", 1_400, None),
        ("look_partner", "infant", 1_000, None),
        ("touch", "infant", 1_600, 1_600),
    ]


def test_a_code_given_no_subject_takes_its_first_and_refuses_one_it_does_not_have(gaze):
    ws, scheme, run, _ = gaze
    assert press(ws, scheme, run, "look_toy", None, 1_000).event.subject == "parent"
    assert press(ws, scheme, run, "cry", None, 1_000).event.subject == "infant"
    with pytest.raises(InvalidInputError, match="subject 'parent' is not one of infant"):
        press(ws, scheme, run, "cry", "parent", 2_000)
    assert len(spans(ws, run)) == 2


def subjectless():
    """A scheme whose group codes have no subject (as an imported coding may have)."""
    code = {"kind": "state", "group": "g", "subjects": [], "verified": False}
    return parse_scheme(
        {
            "id": "plain",
            "name": "Plain",
            "version": "1",
            "description": "",
            "source": "test",
            "ethogram": {
                "subjects": ["infant"],
                "codes": [
                    {"id": "a", "name": "A", **code},
                    {"id": "b", "name": "B", **code},
                    {"id": "c", "name": "C", "kind": "state", "group": "g", "verified": False},
                ],
            },
        },
        "plain.yaml",
    )


def test_states_without_a_subject_stop_each_other_and_nothing_with_a_subject(workspace):
    scheme = subjectless()
    assert scheme.code("a").subjects == () and scheme.code("c").subjects == ("infant",)
    clip, _ = add_clip_row(workspace, TABLE)
    run = coding.open_run(workspace, clip, scheme, "Ann").id
    press(workspace, scheme, run, "c", "infant", 400)
    first = press(workspace, scheme, run, "a", None, 1_000)
    assert first.event.subject is None and first.stopped == ()
    second = press(workspace, scheme, run, "b", None, 2_000)
    assert [e.id for e in second.stopped] == [first.event.id]
    assert spans(workspace, run) == [
        ("a", None, 1_000, 2_000),
        ("b", None, 2_000, None),
        ("c", "infant", 400, None),  # a subject's state: not stopped by subject-less ones
    ]
    third = press(workspace, scheme, run, "c", "infant", 3_000)  # toggles its own off only
    assert not third.created and [e.code for e in third.stopped] == ["c"]
    assert ("b", None, 2_000, None) in spans(workspace, run)


# -- times at frame edges --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("at", "start"),
    [(1_999, 1_960), (2_000, 2_000), (2_001, 2_000), (2_039, 2_000), (2_040, 2_040)],
)
def test_a_key_press_snaps_to_the_frame_shown(gaze, at, start):
    ws, scheme, run, _ = gaze
    made = press(ws, scheme, run, "touch", "parent", at)
    assert (made.event.start_ms, made.event.start_frame) == (start, start // 40)


@pytest.mark.parametrize(
    ("at", "end"),
    # the running state started at frame 50 (2000 ms); a stop before it never ends it
    # before its start
    [(1_000, 2_000), (1_999, 2_000), (2_000, 2_000), (2_039, 2_000), (2_040, 2_040)],
)
def test_a_stop_at_or_before_a_states_start_makes_it_a_point_there(gaze, at, end):
    ws, scheme, run, _ = gaze
    first = press(ws, scheme, run, "look_partner", "parent", 2_000)
    made = press(ws, scheme, run, "look_toy", "parent", at)
    (closed,) = made.closed
    assert closed.id == first.event.id
    assert (closed.end_ms, closed.end_frame) == (end, end // 40)


@pytest.mark.parametrize(("at", "frame"), [(0, 0), (5_960, 149), (5_999, 149), (10_000, 149)])
def test_key_presses_at_the_first_and_last_frame_and_past_the_end(gaze, at, frame):
    ws, scheme, run, _ = gaze
    made = press(ws, scheme, run, "touch", "parent", at)
    assert (made.event.start_frame, made.event.start_ms) == (frame, frame * 40)


# -- a submitted run is locked ---------------------------------------------------------------


@pytest.fixture
def locked(gaze):
    """Ann's gaze run with a state and a point, a KIPS run rated with a note and
    evidence, a CARE-Index run with a grid row, and a VIG moment: all submitted."""
    ws, scheme, run, clip = gaze
    state = press(ws, scheme, run, "look_partner", "parent", 1_000).event
    press(ws, scheme, run, "touch", "parent", 1_200)
    kips, care = get_scheme("kips"), get_scheme("care_index_infant")
    item = kips.ratings.items[0].id
    kips_run = coding.open_run(ws, clip, kips, "Ann").id
    coding.set_rating(ws, kips_run, kips, item, 4)
    coding.set_note(ws, kips_run, item, "a note")
    coding.link_evidence(ws, kips_run, item, state.id)
    care_run = coding.open_run(ws, clip, care, "Ann").id
    coding.set_grid_row(
        ws, care_run, care, "care_index", "facial_expression", "adult", {"sensitivity": 2}
    )
    moment = moments.add_moment(ws, clip, ["vig:waiting"], 1_000, 2_000, coder="Ann")
    runs = (run, kips_run, care_run, moment.run_id)
    for r in runs:
        coding.submit_run(ws, r, actor="Ann")
    return ws, scheme, run, kips_run, care_run, moment, state, clip


def stored(ws, runs):
    return [
        (events.run_events(ws, r, viewer="Ann"), coding.ratings(ws, r, viewer="Ann")) for r in runs
    ]


def test_every_edit_of_a_submitted_run_is_refused_and_changes_nothing(locked):
    ws, scheme, run, kips_run, care_run, moment, state, clip = locked
    kips, care = get_scheme("kips"), get_scheme("care_index_infant")
    item = kips.ratings.items[0].id
    runs = (run, kips_run, care_run, moment.run_id)
    before = stored(ws, runs)
    moment_before = moments.get_moment(ws, moment.id, viewer="Ann")
    edits = {
        "code a point": lambda: press(ws, scheme, run, "touch", "parent", 3_000),
        "stop a state": lambda: press(ws, scheme, run, "look_partner", "parent", 3_000),
        "delete": lambda: events.delete_event(ws, run, state.id),
        "move": lambda: events.move_event(ws, run, state.id, 800, 2_000, TABLE),
        "modifiers": lambda: events.set_modifiers(
            ws, run, scheme, state.id, {"affect": "positive"}
        ),
        "restore event": lambda: events.restore_event(ws, run, state),
        "rating": lambda: coding.set_rating(ws, kips_run, kips, item, 2),
        "clear rating": lambda: coding.set_rating(ws, kips_run, kips, item, None),
        "note": lambda: coding.set_note(ws, kips_run, item, "changed"),
        "evidence": lambda: coding.link_evidence(ws, kips_run, item, moment.id),
        "grid row": lambda: coding.set_grid_row(
            ws, care_run, care, "care_index", "facial_expression", "adult", {"control": 2}
        ),
        "clear grid row": lambda: coding.clear_grid_row(
            ws, care_run, care, "care_index", "facial_expression", "adult"
        ),
        "add moment": lambda: moments.add_moment(
            ws, clip, ["vig:waiting"], 3_000, 4_000, coder="Ann"
        ),
        "caption": lambda: moments.edit_moment(ws, moment.id, caption="changed"),
        "flag": lambda: moments.edit_moment(ws, moment.id, feedback=True),
        "still": lambda: moments.edit_moment(ws, moment.id, key_ms=1_000),
        "restore moment": lambda: moments.restore_moment(ws, moment_before),
    }
    for name, edit in edits.items():
        with pytest.raises(RunLockedError, match=r"coding run \d+ was submitted and is locked"):
            edit()
        assert stored(ws, runs) == before, name
    assert moments.get_moment(ws, moment.id, viewer="Ann") == moment_before
    for r in runs:
        with pytest.raises(RunLockedError):
            coding.check_editable(ws, r)
        assert coding.run_info(ws, r).status is RunStatus.SUBMITTED


@pytest.mark.parametrize("reason", ["", "   ", "\n"])
def test_reopening_needs_a_reason(locked, reason):
    ws, _scheme, run, *_ = locked
    with pytest.raises(InvalidInputError, match="needs a reason"):
        coding.reopen_run(ws, run, reason, actor="Ann")
    assert coding.run_info(ws, run).status is RunStatus.SUBMITTED


def test_only_a_submitted_run_is_reopened(gaze):
    ws, scheme, run, _ = gaze
    assert coding.run_info(ws, run).status is RunStatus.ASSIGNED
    with pytest.raises(InvalidInputError, match=f"coding run {run} is not submitted"):
        coding.reopen_run(ws, run, "why not", actor="Ann")
    press(ws, scheme, run, "touch", "parent", 1_000)
    assert coding.run_info(ws, run).status is RunStatus.IN_PROGRESS  # the first edit starts it
    with pytest.raises(InvalidInputError, match=f"coding run {run} is not submitted"):
        coding.reopen_run(ws, run, "why not", actor="Ann")


def test_a_reopened_run_takes_edits_again_and_locks_again_when_submitted(locked):
    ws, scheme, run, *_ = locked
    coding.reopen_run(ws, run, "missed a look", actor="Ann")
    assert coding.run_info(ws, run).status is RunStatus.IN_PROGRESS
    press(ws, scheme, run, "touch", "parent", 3_000)
    coding.submit_run(ws, run, actor="Ann")
    coding.submit_run(ws, run, actor="Ann")  # submitting twice changes nothing
    with pytest.raises(RunLockedError):
        press(ws, scheme, run, "touch", "parent", 4_000)
    assert [s[2] for s in spans(ws, run) if s[0] == "touch"] == [1_200, 3_000]
