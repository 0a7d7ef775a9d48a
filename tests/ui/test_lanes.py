"""Overlapping events in a lane: drawn one above the other in sub-rows that stay put as
events come and go, labelled by their code's name, and the selected one is the one an
edge drag moves."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QPainter

from vfa.domain.frames import FrameTable
from vfa.ui.lanes import MAX_SUBROWS, LaneEvents, code_color
from vfa.ui.timeline import Timeline


@pytest.fixture
def timeline(qtbot):
    widget = Timeline()
    qtbot.addWidget(widget)
    widget.resize(884, widget.height())  # 800 px of track: 75 ms a pixel over 60 s
    widget.show()
    widget.set_clip(FrameTable.from_pts([i * 40 for i in range(1500)], 60_000))
    return widget


def colour_at(widget, x, y):
    return widget.grab().toImage().pixelColor(x, y).name()


def middle_of(timeline, lane, row):
    """The y of a sub-row's middle, as drawn: the lane's box split in equal rows."""
    top = timeline.lane_top(lane) + 2
    depth = timeline._lane_events[lane].depth
    height = timeline.lane_height(lane) - 4
    return round(top + (row + 0.5) * height / depth)


def test_overlapping_events_are_drawn_one_above_the_other(timeline):
    timeline.set_events(
        [(1, "parent", 10_000, 30_000, "smile"), (2, "parent", 20_000, 40_000, "touch")]
    )
    assert timeline.lane_height("parent") > timeline.lane_height("infant")
    x = round(timeline.x_of(25_000))  # where both run
    top = colour_at(timeline, x, middle_of(timeline, "parent", 0))
    below = colour_at(timeline, x, middle_of(timeline, "parent", 1))
    assert (top, below) == (code_color("smile").name(), code_color("touch").name())
    # the lanes below moved down to make room
    assert timeline.lane_top("infant") == timeline.lane_top("parent") + timeline.lane_height(
        "parent"
    )


def test_events_are_labelled_by_their_codes_name(timeline, monkeypatch):
    drawn = []
    real = QPainter.drawText

    def record(painter, *args):
        drawn.append(args[-1])
        return real(painter, *args)

    monkeypatch.setattr(QPainter, "drawText", record)
    timeline.set_code_names({"smile": "Smiling back", "touch": "Gentle touch"})
    timeline.set_events(
        [(1, "parent", 10_000, 30_000, "smile"), (2, "parent", 20_000, 40_000, "touch")]
    )
    timeline.grab()
    assert {"Smiling back", "Gentle touch"} <= set(drawn)
    assert not {"smile", "touch"} & set(drawn)


def test_sub_rows_stay_put_as_events_come_go_and_change(timeline):
    timeline.set_events([(1, "parent", 10_000, 30_000, "a"), (2, "parent", 20_000, 40_000, "b")])
    lane = timeline._lane_events["parent"]
    assert (lane.row_of(1), lane.row_of(2)) == (0, 1)
    # a new event that starts earlier and overlaps both goes below; none moves
    timeline.update_events([], [(3, "parent", 5_000, 50_000, "c")])
    assert (lane.row_of(1), lane.row_of(2), lane.row_of(3)) == (0, 1, 2)
    # the first one goes: the others stay where they are
    timeline.update_events([1], [])
    assert (lane.row_of(2), lane.row_of(3)) == (1, 2)
    # an edited event keeps its row while it is free
    timeline.update_events([2], [(2, "parent", 21_000, 45_000, "b")])
    assert lane.row_of(2) == 1
    # and one that overlaps nothing goes to the top
    timeline.update_events([], [(4, "parent", 55_000, 57_000, "d")])
    assert lane.row_of(4) == 0


def test_dragging_an_edge_two_events_share_moves_the_selected_one(timeline, qtbot):
    moved = []
    timeline.edge_moved.connect(lambda *args: moved.append(args))
    timeline.set_events([(1, "parent", 10_000, 30_000, "a"), (2, "parent", 20_000, 30_000, "b")])
    grab_x, drop_x = round(timeline.x_of(30_000)), round(timeline.x_of(36_000))
    for selected, row in ((2, 0), (1, 1), (2, 1)):
        timeline.set_selected(selected)
        y = middle_of(timeline, "parent", row)  # even where the other one is drawn
        qtbot.mousePress(timeline, Qt.MouseButton.LeftButton, pos=QPoint(grab_x, y))
        qtbot.mouseMove(timeline, QPoint(drop_x, y))
        qtbot.mouseRelease(timeline, Qt.MouseButton.LeftButton, pos=QPoint(drop_x, y))
        assert moved[-1][0] == selected
    # nothing selected: the one in the sub-row under the pointer
    timeline.set_selected(None)
    y = middle_of(timeline, "parent", 1)
    qtbot.mousePress(timeline, Qt.MouseButton.LeftButton, pos=QPoint(grab_x, y))
    qtbot.mouseRelease(timeline, Qt.MouseButton.LeftButton, pos=QPoint(drop_x, y))
    assert moved[-1][0] == 2


def test_a_click_on_an_event_selects_it(timeline, qtbot):
    chosen = []
    timeline.event_selected.connect(chosen.append)
    timeline.set_events([(1, "parent", 10_000, 30_000, "a"), (2, "parent", 20_000, 40_000, "b")])
    x = round(timeline.x_of(25_000))
    qtbot.mouseClick(
        timeline,
        Qt.MouseButton.LeftButton,
        pos=QPoint(x, middle_of(timeline, "parent", 1)),
    )
    assert chosen == [2] and timeline.selected == 2


spans = st.lists(
    st.tuples(
        st.integers(0, 10_000),
        st.one_of(st.none(), st.integers(0, 3_000)),  # None: a state still running
    ),
    max_size=40,
)


def overlaps(a, b):
    def reach(start, end):
        return float("inf") if end is None else max(end, start + 1)

    return a[0] < reach(*b) and b[0] < reach(*a)


@settings(max_examples=200, deadline=None)
@given(spans, spans)
def test_sub_rows_never_put_overlapping_events_together(first, later):
    """Built at once or inserted one by one: two events in one sub-row never overlap
    unless every sub-row is taken."""
    made = [
        (n, "parent", start, None if length is None else start + length, "c")
        for n, (start, length) in enumerate(first + later)
    ]
    lane = LaneEvents.build(made[: len(first)])
    assert lane.depth == (int(lane.rows.max()) + 1 if len(lane) else 1)  # found before rows
    for span in made[len(first) :]:
        lane.insert(span)
    rows = {int(i): int(r) for i, r in zip(lane.ids, lane.rows, strict=True)}
    assert all(0 <= r < MAX_SUBROWS for r in rows.values())
    by_id = {span[0]: (span[2], span[3]) for span in made}
    for a in by_id:
        for b in by_id:
            if a < b and rows[a] == rows[b] and rows[a] < MAX_SUBROWS - 1:
                assert not overlaps(by_id[a], by_id[b]), (by_id[a], by_id[b])
    assert lane.depth == (max(rows.values()) + 1 if rows else 1)


def test_in_the_window_trimming_where_two_moments_overlap_moves_the_chosen_one(
    qtbot, tmp_path, clips
):
    from vfa.app import build_window
    from vfa.services import clips as clip_service
    from vfa.services import events, moments
    from vfa.storage.workspace import open_workspace
    from vfa.ui.timeline import FILM_H, RULER_H, WAVE_H

    window = build_window("qt")
    qtbot.addWidget(window)
    window.resize(1300, 850)
    window.show()
    ws = open_workspace(tmp_path / "trim.vfa", create=True)
    clip_id = clip_service.add_clip(ws, clips["cfr25"], "FAM-1", "Visit 1").clip_id
    # two moments ending on the same frame: the second starts inside the first
    me = window.coder_name()  # the coder whose run the lanes show
    first = moments.add_moment(ws, clip_id, ["vig:waiting"], 400, 4_000, coder=me)
    second = moments.add_moment(ws, clip_id, ["vig:giving_time_and_space"], 2_000, 4_000, coder=me)
    assert first.end_frame == second.end_frame
    window.set_workspace(ws)
    window.open_clip(clip_id)
    window.coding.choose("vig")
    panel, timeline = window.feedback.moments, window.player_view.timeline
    window.side.setCurrentWidget(panel)
    panel.list.setCurrentRow([m.id for m in panel.moments()].index(second.id))
    assert timeline.selected == second.id
    edge = round(timeline.x_of(first.end_ms))
    drop = round(timeline.x_of(5_000))
    subject = events.get_event(ws, first.run_id, first.id).subject
    assert timeline.lanes[0].key == subject == events.get_event(ws, first.run_id, second.id).subject
    y = RULER_H + FILM_H + WAVE_H + 6  # the lane's top, where the first one is drawn
    qtbot.mousePress(timeline, Qt.MouseButton.LeftButton, pos=QPoint(edge, y))
    qtbot.mouseMove(timeline, QPoint(drop, y))
    qtbot.mouseRelease(timeline, Qt.MouseButton.LeftButton, pos=QPoint(drop, y))
    assert moments.get_moment(ws, first.id).end_frame == first.end_frame  # untouched
    assert moments.get_moment(ws, second.id).end_frame > second.end_frame
    window.close()


def test_a_state_never_stopped_runs_to_the_clips_end_wherever_the_playhead_is(timeline):
    """As in the agreement statistics and the exports: an open state counts until the end
    of the clip; it is not a tick because the playhead is before it (a reopened run)."""
    timeline.set_events([(1, "parent", 20_000, None, "smile")])
    timeline.set_playhead(0)
    y = middle_of(timeline, "parent", 0)
    colour = code_color("smile").name()
    for t in (21_000, 40_000, 59_500):
        assert colour_at(timeline, round(timeline.x_of(t)), y) == colour, t
    assert colour_at(timeline, round(timeline.x_of(19_000)), y) != colour
