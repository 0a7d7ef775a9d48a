"""The timeline: zoom, scroll, scrub with exact frames, loop selection, filmstrip progress."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent

from tests.conftest import source_indices
from tests.ui.test_main_window import barcode_on_screen
from vfa.app import build_window
from vfa.domain.frames import FrameTable
from vfa.services import clips as clip_service
from vfa.storage.workspace import open_workspace
from vfa.ui.timeline import MIN_SPAN_MS, Timeline
from vfa.ui.timeline_paint import LABEL_W, TimeAxis


@pytest.fixture
def timeline(qtbot):
    widget = Timeline()
    qtbot.addWidget(widget)
    widget.resize(884, widget.height())  # 800 px of track after the 84 px labels
    widget.show()
    widget.set_clip(FrameTable.from_pts([i * 40 for i in range(1500)], 60_000))  # 60 s
    return widget


def test_starts_on_the_whole_clip_and_zooms_down_to_two_seconds(timeline):
    assert (timeline.view_start, timeline.view_span) == (0, 60_000)
    for _ in range(20):
        timeline.zoom(0.5)
    assert timeline.view_span == MIN_SPAN_MS
    timeline.fit()
    assert (timeline.view_start, timeline.view_span) == (0, 60_000)
    timeline.zoom(4.0)
    assert timeline.view_span == 60_000  # never wider than the clip


def test_zoom_keeps_the_anchor_under_the_pointer(timeline):
    anchor = 30_000
    x_before = timeline.x_of(anchor)
    timeline.zoom(0.25, anchor)
    assert timeline.view_span == 15_000
    assert abs(timeline.x_of(anchor) - x_before) < 1


def test_ctrl_wheel_zooms_and_wheel_scrolls(timeline, qtbot):
    def wheel(delta, modifiers):
        pos = QPointF(484, 60)
        event = QWheelEvent(
            pos,
            timeline.mapToGlobal(pos),
            QPoint(0, 0),
            QPoint(0, delta),
            Qt.MouseButton.NoButton,
            modifiers,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        )
        timeline.wheelEvent(event)

    wheel(120 * 3, Qt.KeyboardModifier.ControlModifier)
    assert timeline.view_span == round(60_000 * 0.8**3)
    start = timeline.view_start
    wheel(-120, Qt.KeyboardModifier.NoModifier)
    assert timeline.view_start > start


def test_pixels_and_times_round_trip(timeline):
    timeline.set_view(10_000, 8_000)
    for t in (10_000, 12_345, 17_999):
        assert abs(timeline.ms_at(timeline.x_of(t)) - t) <= 10  # 10 ms a pixel here


def test_the_view_pages_along_with_the_playhead(timeline):
    timeline.set_view(0, 5_000)
    timeline.set_playhead(7_000)
    assert timeline.view_start <= 7_000 < timeline.view_start + timeline.view_span


def test_dragging_scrubs_and_shift_dragging_selects(timeline, qtbot):
    seen, selected = [], []
    timeline.scrubbed.connect(seen.append)
    timeline.loop_selected.connect(lambda a, b: selected.append((a, b)))
    qtbot.mousePress(timeline, Qt.MouseButton.LeftButton, pos=QPoint(84 + 400, 70))
    qtbot.mouseMove(timeline, QPoint(84 + 600, 70))
    qtbot.mouseRelease(timeline, Qt.MouseButton.LeftButton, pos=QPoint(84 + 600, 70))
    assert seen[0] == 30_000 and seen[-1] == 45_000
    qtbot.mousePress(
        timeline, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ShiftModifier, QPoint(84 + 100, 70)
    )
    qtbot.mouseRelease(
        timeline, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ShiftModifier, QPoint(84 + 200, 70)
    )
    assert selected[-1] == (7_500, 15_000)


def test_in_the_window_scrubbing_shows_exact_frames_and_the_filmstrip_arrives(
    qtbot, tmp_path, clips
):
    window = build_window("qt")
    qtbot.addWidget(window)
    window.resize(1200, 800)
    window.show()
    ws = open_workspace(tmp_path / "t.vfa", create=True)
    clip_id = clip_service.add_clip(ws, clips["cfr25"], "FAM-1", "Visit 1").clip_id
    window.set_workspace(ws)
    view = window.player_view
    window.open_clip(clip_id)
    # the filmstrip and waveform are built in the background with a progress bar
    assert view.media_building() and view.media_progress.isVisible()
    qtbot.waitUntil(lambda: not view.media_building(), timeout=20_000)
    assert view.timeline.has_filmstrip() and view.timeline.has_waveform()
    assert not view.media_progress.isVisible()
    timeline = view.timeline
    for t in (1_234, 4_321, 250):
        x = round(timeline.x_of(t))
        expected = timeline.ms_at(x) // 40
        with qtbot.waitSignal(
            view.frame_shown, timeout=10_000, check_params_cb=lambda i, e=expected: i == e
        ):
            qtbot.mousePress(timeline, Qt.MouseButton.LeftButton, pos=QPoint(x, 70))
            qtbot.mouseRelease(timeline, Qt.MouseButton.LeftButton, pos=QPoint(x, 70))
        assert barcode_on_screen(window) == source_indices("cfr25")[expected]
    # a second opening comes from the cache at once
    window.open_clip(clip_id)
    qtbot.waitUntil(lambda: not view.media_building(), timeout=5_000)
    assert timeline.has_filmstrip()


def test_cancelling_the_filmstrip_keeps_the_clip_usable(qtbot, tmp_path, clips, monkeypatch):
    import threading

    from vfa.media import filmstrip

    gate = threading.Event()
    real = filmstrip.build_filmstrip

    def slow(*args, cancelled=lambda: False, **kwargs):
        while not cancelled():
            gate.wait(0.01)
        return real(*args, cancelled=cancelled, **kwargs)

    monkeypatch.setattr(filmstrip, "build_filmstrip", slow)
    window = build_window("qt")
    qtbot.addWidget(window)
    window.show()
    ws = open_workspace(tmp_path / "c.vfa", create=True)
    clip_id = clip_service.add_clip(ws, clips["ntsc"], "FAM-1", "Visit 1").clip_id
    window.set_workspace(ws)
    window.open_clip(clip_id)
    assert view_building(window)
    qtbot.mouseClick(window.player_view.media_cancel, Qt.MouseButton.LeftButton)
    assert not view_building(window)
    assert not window.player_view.timeline.has_filmstrip()
    with qtbot.waitSignal(window.player_view.frame_shown, timeout=10_000):
        window.player_view.step(1)
    assert not window.messages.isVisible()


def view_building(window) -> bool:
    return window.player_view.media_building()


@settings(max_examples=200, deadline=None)
@given(
    start=st.integers(0, 3_600_000),
    span=st.integers(MIN_SPAN_MS, 3_600_000),
    width=st.integers(LABEL_W + 1, 4000),
    t=st.floats(0, 1),
)
def test_the_time_at_a_times_x_is_that_time_to_within_a_pixel(start, span, width, t):
    axis = TimeAxis(start, span, width, start + span + 1)
    t_ms = start + t * span
    back = axis.ms_at(axis.x_of(t_ms))
    assert abs(back - t_ms) <= span / axis.track_width + 1
    assert LABEL_W <= axis.x_of(t_ms) <= width + 1e-6


def test_the_widget_maps_times_as_its_axis_does(timeline):
    timeline.set_view(10_000, 20_000)
    axis = timeline.axis()
    assert (axis.start_ms, axis.span_ms, axis.width) == (10_000, 20_000, 884)
    assert timeline.x_of(15_000) == axis.x_of(15_000) == LABEL_W + 200
    assert timeline.ms_at(LABEL_W + 200) == 15_000
    assert timeline.ms_at(0) == 10_000 - 84 * 20_000 // 800  # left of the track: before the view
