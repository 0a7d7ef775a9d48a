"""Coding runs through the services: ratings, grids, events, lock and reopen, undo data."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from vfa.domain.frames import FrameTable
from vfa.errors import InvalidInputError
from vfa.services import clips as clip_service
from vfa.services import coding, events
from vfa.services.schemes import get_scheme
from vfa.storage.models import AuditEntry, RunStatus

TABLE = FrameTable.from_pts([i * 40 for i in range(150)], 6000)  # the cfr25 clip: 6 s


@pytest.fixture
def kips_run(workspace, clips):
    clip_id = clip_service.add_clip(workspace, clips["cfr25"], "FAM-1", "Visit 1").clip_id
    scheme = get_scheme("kips")
    return workspace, scheme, coding.open_run(workspace, clip_id, scheme, "Ann")


def test_a_run_is_one_per_clip_scheme_and_coder(workspace, kips_run):
    ws, scheme, run = kips_run
    again = coding.open_run(ws, run.clip_id, scheme, "Ann")
    other = coding.open_run(ws, run.clip_id, scheme, "Ben")
    assert again.id == run.id and other.id != run.id
    assert (run.scheme_id, run.coder, run.status) == ("kips", "Ann", RunStatus.ASSIGNED)


def test_ratings_score_live_with_nob_excluded(kips_run):
    ws, scheme, run = kips_run
    items = [i.id for i in scheme.ratings.items]
    for item, value in zip(items, [5, 4, 3, "NOB"], strict=False):
        coding.set_rating(ws, run.id, scheme, item, value)
    result = coding.run_score(ws, run.id, scheme)
    assert result.total == pytest.approx((5 + 4 + 3) / 3)  # NOB is not a zero
    assert result.band == "high"  # 4.0 is the high band's floor
    assert set(result.missing) == set(items[4:])
    assert coding.run_info(ws, run.id).status is RunStatus.IN_PROGRESS


def test_a_rating_returns_what_it_replaced_for_undo(kips_run):
    ws, scheme, run = kips_run
    item = scheme.ratings.items[0].id
    coding.set_note(ws, run.id, item, "turned to the toy first")
    first = coding.set_rating(ws, run.id, scheme, item, 2)
    assert first.value is None and first.note == "turned to the toy first"
    second = coding.set_rating(ws, run.id, scheme, item, 4)
    assert second.value == 2
    coding.set_rating_state(ws, run.id, item, second)  # undo
    assert coding.rating_state(ws, run.id, item).value == 2
    coding.set_rating_state(ws, run.id, item, first)  # undo again: the note stays
    assert coding.rating_state(ws, run.id, item) == first


@pytest.mark.parametrize("value", [0, 6, "XYZ", 3.5])
def test_out_of_range_ratings_are_refused_and_change_nothing(kips_run, value):
    ws, scheme, run = kips_run
    item = scheme.ratings.items[0].id
    with pytest.raises(InvalidInputError):
        coding.set_rating(ws, run.id, scheme, item, value)
    assert coding.ratings(ws, run.id) == {}


def test_a_submitted_run_is_locked_until_reopened_with_a_reason(kips_run):
    ws, scheme, run = kips_run
    item = scheme.ratings.items[0].id
    coding.set_rating(ws, run.id, scheme, item, 3)
    coding.submit_run(ws, run.id, actor="Ann")
    with pytest.raises(coding.RunLockedError, match="reopen"):
        coding.set_rating(ws, run.id, scheme, item, 4)
    with pytest.raises(coding.RunLockedError):
        events.code_event(
            ws, run.id, get_scheme("vig"), get_scheme("vig").ethogram.codes[0].id, None, 0, TABLE
        )
    with pytest.raises(InvalidInputError, match="reason"):
        coding.reopen_run(ws, run.id, "   ")
    coding.reopen_run(ws, run.id, "second look at item 1", actor="Sue")
    coding.set_rating(ws, run.id, scheme, item, 4)
    with ws.sessions() as db:
        reopen = db.scalar(select(AuditEntry).where(AuditEntry.action == "reopen"))
    assert reopen.detail == {"reason": "second look at item 1"} and reopen.actor == "Sue"


def test_a_run_submitted_later_keeps_the_time_its_coding_was_finished(kips_run):
    from vfa.services.assignments import assignments

    ws, scheme, run = kips_run
    coding.set_rating(ws, run.id, scheme, scheme.ratings.items[0].id, 3)
    finished = dt.datetime(2024, 3, 6, 15, 0, tzinfo=dt.UTC)
    coding.submit_run(ws, run.id, actor="Ann", at=finished)
    (listed,) = assignments(ws)
    assert listed.status is RunStatus.SUBMITTED
    assert listed.submitted_at.replace(tzinfo=dt.UTC) == finished


def test_care_grid_rows_must_add_up(workspace, clips):
    clip_id = clip_service.add_clip(workspace, clips["cfr25"], "FAM-2", "Visit 1").clip_id
    scheme = get_scheme("care_index_infant")
    run = coding.open_run(workspace, clip_id, scheme, "Ann")
    grid = scheme.grids[0]
    adult = grid.members[0]
    row = grid.rows[0].id
    first, second, third = (s.id for s in adult.scales[:3])
    with pytest.raises(InvalidInputError):
        coding.set_grid_row(
            workspace, run.id, scheme, grid.id, row, adult.id, {first: 2, second: 1, third: 0}
        )  # 3 points, not 2
    assert coding.ratings(workspace, run.id) == {}
    coding.set_grid_row(
        workspace, run.id, scheme, grid.id, row, adult.id, {first: 1, second: 1, third: 0}
    )
    points = coding.grid_points(coding.ratings(workspace, run.id))
    assert points[grid.id][row][adult.id] == {first: 1, second: 1, third: 0}


def test_a_moment_tag_marks_a_span_around_the_key_press(workspace, clips):
    clip_id = clip_service.add_clip(workspace, clips["cfr25"], "FAM-3", "Visit 1").clip_id
    scheme = get_scheme("vig")
    run = coding.open_run(workspace, clip_id, scheme, "Ann")
    code = next(c for c in scheme.ethogram.codes if c.moment)
    before, after = scheme.moments.before_ms, scheme.moments.after_ms
    made = events.code_event(workspace, run.id, scheme, code.id, None, 2_010, TABLE)
    # pressed on frame 50 (pts 2000); the span runs from the frame shown at
    # 2000 - before to the one shown at 2000 + after, clamped to the 6 s clip
    expected_start = max(0, 2_000 - before) // 40 * 40
    expected_end = min(2_000 + after, 5_960) // 40 * 40
    assert (made.event.start_ms, made.event.end_ms) == (expected_start, expected_end)


def test_delete_restore_and_move_snap_to_frames(workspace, clips):
    clip_id = clip_service.add_clip(workspace, clips["cfr25"], "FAM-3", "Visit 1").clip_id
    scheme = get_scheme("vig")
    run = coding.open_run(workspace, clip_id, scheme, "Ann")
    code = scheme.ethogram.codes[0]
    made = events.code_event(workspace, run.id, scheme, code.id, None, 1_010, TABLE)
    found = events.run_events(workspace, run.id)
    assert [e.id for e in found] == [made.event.id]
    gone = events.delete_event(workspace, run.id, made.event.id)
    assert events.run_events(workspace, run.id) == []
    events.restore_event(workspace, run.id, gone)
    assert [e.id for e in events.run_events(workspace, run.id)] == [gone.id]
    assert events.get_event(workspace, run.id, gone.id) == gone  # moment details included
    before = events.move_event(workspace, run.id, gone.id, 2_030, 2_990, TABLE)
    moved = events.run_events(workspace, run.id)[0]
    assert before == gone
    assert (moved.start_ms, moved.end_ms, moved.start_frame, moved.end_frame) == (
        2_000,
        2_960,
        50,
        74,
    )  # snapped to the frames shown at 2030 and 2990 ms


STATES_SCHEME = """
id: gaze
name: Gaze states
version: "1"
description: a test scheme
source: the test
ethogram:
  subjects: [parent, child]
  codes:
    - {id: look_parent, name: Looks at parent, hotkey: "A", kind: state, subjects: [child],
       group: gaze, verified: false,
       modifiers: [{id: affect, name: Affect, options: [positive, neutral], verified: false}]}
    - {id: look_toy, name: Looks at toy, hotkey: "S", kind: state, subjects: [child],
       group: gaze, verified: false}
    - {id: touch, name: Touches, hotkey: "D", kind: point, subjects: [parent], verified: false}
"""


@pytest.fixture
def states_run(workspace, clips, tmp_path):
    from vfa.services.schemes import load_scheme_file

    path = tmp_path / "gaze.yaml"
    path.write_text(STATES_SCHEME)
    scheme = load_scheme_file(path)
    clip_id = clip_service.add_clip(workspace, clips["cfr25"], "FAM-4", "Visit 1").clip_id
    return workspace, scheme, coding.open_run(workspace, clip_id, scheme, "Ann")


def test_states_run_until_stopped_and_exclusive_ones_stop_each_other(states_run):
    ws, scheme, run = states_run
    first = events.code_event(ws, run.id, scheme, "look_parent", None, 1_000, TABLE)
    assert first.event.end_ms is None and first.event.subject == "child"
    second = events.code_event(ws, run.id, scheme, "look_toy", None, 2_500, TABLE)
    assert [(e.id, e.end_ms) for e in second.stopped] == [(first.event.id, None)]
    assert [(e.id, e.end_ms) for e in second.closed] == [(first.event.id, 2_480)]
    events.code_event(ws, run.id, scheme, "touch", None, 2_600, TABLE)  # other subject
    again = events.code_event(ws, run.id, scheme, "look_toy", None, 4_000, TABLE)
    assert not again.created and again.event.end_ms == 4_000  # its own key stops it
    spans = {(e.code, e.start_ms, e.end_ms) for e in events.run_events(ws, run.id)}
    assert spans == {
        ("look_parent", 1_000, 2_480),
        ("look_toy", 2_480, 4_000),
        ("touch", 2_600, 2_600),
    }
    # undo data: putting the stopped state back as it was reopens it
    events.restore_event(ws, run.id, second.stopped[0])
    assert events.get_event(ws, run.id, first.event.id).end_ms is None


def test_modifiers_come_from_the_codes_options(states_run):
    ws, scheme, run = states_run
    made = events.code_event(ws, run.id, scheme, "look_parent", None, 1_000, TABLE)
    before = events.set_modifiers(ws, run.id, scheme, made.event.id, {"affect": "positive"})
    assert before.modifiers == {}
    assert events.get_event(ws, run.id, made.event.id).modifiers == {"affect": "positive"}
    with pytest.raises(InvalidInputError, match="affect"):
        events.set_modifiers(ws, run.id, scheme, made.event.id, {"affect": "furious"})
    with pytest.raises(InvalidInputError):
        events.code_event(ws, run.id, scheme, "look_parent", "parent", 1_000, TABLE)
