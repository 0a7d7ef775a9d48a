"""What a key press stores and returns, pinned from the rules (docs/architecture.md,
"Coding"; vfa/services/events.py): a point ends where it starts, frame and time alike, and
a running state has neither end; a state stops the running states of its own exclusive
group only, and the key press returns them as they were and as they are now; a moment
tag marks a span around the press (never before the clip's first frame) and keeps its
still with it, while the scheme's other codes stay plain points and states. The run's
events come in time order; an event of another run is not found, and each refusal names
what was wrong and what is allowed."""

from __future__ import annotations

import pytest

from tests.services.test_edges_blind import add_clip_row, blind_pair  # noqa: F401 - fixture
from tests.services.test_edges_events import TABLE, gaze, press  # noqa: F401 - fixture
from vfa.domain.frames import FrameTable
from vfa.errors import InvalidInputError, NotFoundError
from vfa.services import coding, events
from vfa.services.blind import BlindError
from vfa.services.events import Event
from vfa.services.moment_fields import MomentDetail
from vfa.services.schemes import load_scheme_file

PLAY = """
id: play
name: Play
version: "1"
description: a test scheme with two exclusive groups and a moment tag
source: the test
moments:
  before_ms: 1000
  after_ms: 400
  verified: false
ethogram:
  subjects: [parent, infant]
  codes:
    - {id: look_partner, name: Looks at partner, hotkey: "A", kind: state, group: gaze,
       verified: false,
       modifiers: [{id: affect, name: Affect, options: [positive, neutral], verified: false},
                   {id: pace, name: Pace, options: [slow, quick], verified: false}]}
    - {id: look_toy, name: Looks at toy, hotkey: "S", kind: state, group: gaze,
       verified: false}
    - {id: hold, name: Holds, hotkey: "D", kind: state, group: contact, verified: false}
    - {id: touch, name: Touches, hotkey: "F", kind: point, verified: false}
    - {id: praise, name: Praises, hotkey: "G", kind: point, moment: true,
       subjects: [parent], verified: false}
"""


@pytest.fixture
def play(gaze, tmp_path):  # noqa: F811 - the fixture imported
    """Ann's run of the play scheme on the gaze fixture's clip (frame k at 40k ms)."""
    ws, _gaze, _run, clip = gaze
    (tmp_path / "play.yaml").write_text(PLAY)
    scheme = load_scheme_file(tmp_path / "play.yaml")
    return ws, scheme, coding.open_run(ws, clip, scheme, "Ann").id, clip


def stored(ws, run_id, event_id):
    return next(e for e in events.run_events(ws, run_id) if e.id == event_id)


def test_a_point_ends_on_its_frame_and_a_running_state_has_no_end_frame(play):
    ws, scheme, run, _ = play
    point = press(ws, scheme, run, "touch", "parent", 1_010).event  # the frame shown: 25
    state = press(ws, scheme, run, "hold", "infant", 2_000).event
    assert (point.start_ms, point.end_ms, point.start_frame, point.end_frame) == (
        1_000, 1_000, 25, 25
    )  # fmt: skip
    assert (state.start_ms, state.end_ms, state.start_frame, state.end_frame) == (
        2_000, None, 50, None
    )  # fmt: skip
    assert stored(ws, run, point.id) == point and stored(ws, run, state.id) == state
    assert point.modifiers == {} and stored(ws, run, point.id).modifiers == {}


def test_a_state_stops_its_own_groups_state_and_returns_it_as_it_was_and_as_it_is(play):
    ws, scheme, run, _ = play
    held = press(ws, scheme, run, "hold", "parent", 400).event  # another group
    looked = press(ws, scheme, run, "look_partner", "parent", 1_000).event
    events.set_modifiers(ws, run, scheme, looked.id, {"affect": "positive"})
    made = press(ws, scheme, run, "look_toy", "parent", 2_010)  # the frame shown: 50
    was = Event(looked.id, "look_partner", "parent", 1_000, None, 25, None, {"affect": "positive"})
    now = Event(looked.id, "look_partner", "parent", 1_000, 2_000, 25, 50, {"affect": "positive"})
    assert made.created is True and made.stopped == (was,) and made.closed == (now,)
    assert stored(ws, run, looked.id) == now  # the stop is stored to the frame
    assert stored(ws, run, held.id) == held  # the other group's state runs on


def test_pressing_a_running_states_key_returns_it_stopped_and_makes_nothing(play):
    ws, scheme, run, _ = play
    looked = press(ws, scheme, run, "look_partner", "infant", 1_000).event
    again = press(ws, scheme, run, "look_partner", "infant", 3_000)
    now = Event(looked.id, "look_partner", "infant", 1_000, 3_000, 25, 75, {})
    assert again.created is False
    assert again.event == now and again.stopped == (looked,) and again.closed == (now,)
    assert events.run_events(ws, run) == [now]


def test_a_moment_tag_marks_its_span_and_keeps_its_still_while_a_point_stays_a_point(play):
    ws, scheme, run, _ = play
    touch = press(ws, scheme, run, "touch", "parent", 2_000).event  # made first: id before
    praise = press(ws, scheme, run, "praise", None, 2_000).event
    # the span runs from 1000 ms before the press to 400 ms after it
    assert (touch.start_ms, touch.end_ms, touch.start_frame, touch.end_frame) == (
        2_000, 2_000, 50, 50
    )  # fmt: skip
    assert (praise.subject, praise.start_ms, praise.end_ms) == ("parent", 1_000, 2_400)
    assert (praise.start_frame, praise.end_frame) == (25, 60)
    assert praise.moment == MomentDetail(2_000, 50)  # the frame on screen is its still
    assert events.get_event(ws, run, praise.id).moment == MomentDetail(2_000, 50)
    assert events.get_event(ws, run, touch.id).moment is None


def test_a_moment_tag_near_the_start_begins_at_the_clips_first_frame(workspace, play):
    _ws, scheme, _run, _ = play
    fine = FrameTable.from_pts(list(range(3_000)), 3_000)  # a frame every millisecond
    clip, _session = add_clip_row(workspace, fine, label="V2")
    run = coding.open_run(workspace, clip, scheme, "Ann").id
    made = events.code_event(workspace, run, scheme, "praise", None, 500, fine).event
    assert (made.start_ms, made.start_frame, made.end_ms, made.end_frame) == (0, 0, 900, 900)


def test_the_runs_events_come_in_time_order_and_ties_in_the_order_they_were_made(play):
    ws, scheme, run, _ = play
    later = press(ws, scheme, run, "touch", "parent", 3_000).event
    earlier = press(ws, scheme, run, "hold", "infant", 1_000).event
    tie = press(ws, scheme, run, "touch", "infant", 3_000).event
    assert [e.id for e in events.run_events(ws, run)] == [earlier.id, later.id, tie.id]


def test_an_event_of_another_run_is_not_found_there(play):
    ws, scheme, run, clip = play
    other = coding.open_run(ws, clip, scheme, "Bea").id
    theirs = press(ws, scheme, other, "touch", "parent", 1_000).event
    for read in (
        lambda: events.get_event(ws, run, theirs.id),
        lambda: events.set_modifiers(ws, run, scheme, theirs.id, {}),
    ):
        with pytest.raises(NotFoundError) as refused:
            read()
        assert str(refused.value) == f"event {theirs.id}: not in coding run {run}"
    with pytest.raises(NotFoundError) as refused:
        events.get_event(ws, run, theirs.id + 100)
    assert str(refused.value) == f"event {theirs.id + 100}: not in coding run {run}"


def test_a_subject_the_code_does_not_have_is_refused_naming_each_it_has(play):
    ws, scheme, run, _ = play
    with pytest.raises(InvalidInputError) as refused:
        press(ws, scheme, run, "touch", "sibling", 1_000)
    assert str(refused.value) == "code touch: subject 'sibling' is not one of parent, infant"


def test_a_modifier_not_allowed_is_refused_naming_each_modifier_and_its_options(play):
    ws, scheme, run, _ = play
    looked = press(ws, scheme, run, "look_partner", "parent", 1_000).event
    with pytest.raises(InvalidInputError) as refused:
        events.set_modifiers(ws, run, scheme, looked.id, {"affect": "angry"})
    assert str(refused.value) == (
        f"event {looked.id} (look_partner): modifier affect='angry' is not one of "
        "affect: positive, neutral; pace: slow, quick"
    )
    assert stored(ws, run, looked.id).modifiers == {}


def test_the_versions_a_view_holds_are_the_runs_own_events_each_counting_its_edits(play):
    ws, scheme, run, clip = play
    first = press(ws, scheme, run, "touch", "parent", 1_000).event
    second = press(ws, scheme, run, "touch", "infant", 2_000).event
    other = coding.open_run(ws, clip, scheme, "Bea").id
    press(ws, scheme, other, "touch", "parent", 3_000)  # another run's: not listed
    assert events.event_versions(ws, run) == {first.id: 1, second.id: 1}  # made: version 1
    events.move_event(ws, run, first.id, 1_200, None, TABLE)
    events.move_event(ws, run, first.id, 1_400, None, TABLE)
    assert events.event_versions(ws, run) == {first.id: 3, second.id: 1}  # one a change
    assert events.event_versions(ws, other, viewer="Bea") == {
        e.id: e.version for e in events.run_events(ws, other)
    }


def test_the_versions_of_a_hidden_blind_run_are_refused_to_the_viewer_named(blind_pair):  # noqa: F811
    ws, clip, _session, _ann, ben, _tess = blind_pair
    assert events.event_versions(ws, ben, viewer="Ben") == {}  # his own, empty yet
    with pytest.raises(BlindError, match=f"clip {clip}"):
        events.event_versions(ws, ben, viewer="Ann")
