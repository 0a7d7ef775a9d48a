"""Scenarios run inside a real X server (Xvfb) with the libVLC backend embedded.

Not collected by the main run (no ``test_`` prefix): ``test_vlc_e2e.py`` starts Xvfb
and runs this file in a child pytest with ``QT_QPA_PLATFORM=xcb``.
"""

from __future__ import annotations

import json
import os
import statistics
import time

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QGuiApplication, QImage

from vfa.app import build_window
from vfa.media.synth import make_clip, read_barcode
from vfa.player.base import PlayerState
from vfa.player.canvas import fit_rect
from vfa.services import clips as clip_service
from vfa.services.viewer import current_viewer
from vfa.storage.workspace import open_workspace

RESULT = os.environ.get("VFA_E2E_RESULT", "")


def grab_video(widget, video_w: int, video_h: int) -> np.ndarray:
    """The pixels really on the X screen where ``widget`` shows the video, letterbox cut."""
    from PySide6.QtCore import QSize

    rect = fit_rect(QSize(video_w, video_h), widget.size()).toRect()
    top_left = widget.mapToGlobal(rect.topLeft())
    screen = QGuiApplication.primaryScreen()
    pixmap = screen.grabWindow(0, top_left.x(), top_left.y(), rect.width(), rect.height())
    image = pixmap.toImage().convertToFormat(QImage.Format.Format_RGB888)
    w, h, bpl = image.width(), image.height(), image.bytesPerLine()
    data = np.frombuffer(image.constBits(), np.uint8, bpl * h).reshape(h, bpl)
    return data[:, : w * 3].reshape(h, w, 3).copy()


@pytest.fixture
def vlc_window(qtbot, tmp_path):
    assert QGuiApplication.platformName() == "xcb"
    clip = make_clip(tmp_path / "barcode.mp4", seconds=8, width=640, height=360, rate=25, gop=50)
    ws = open_workspace(tmp_path / "e2e.vfa", create=True)
    clip_id = clip_service.add_clip(ws, clip, "E2E-1", "Visit 1").clip_id
    window = build_window("vlc")
    qtbot.addWidget(window)
    window.resize(1100, 700)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()  # no window manager under Xvfb: shortcuts need an active window
    qtbot.waitActive(window)
    assert window.ctx.player.name == "vlc", window.player_note.text()
    window.set_workspace(ws)
    with qtbot.waitSignal(window.player_view.frame_shown, timeout=20_000):
        window.open_clip(clip_id)
    yield window
    window.close()
    window.ctx.player.release()


def test_vlc_plays_in_the_window_and_the_screen_shows_the_frame_the_readout_names(
    vlc_window, qtbot
):
    view = vlc_window.player_view
    player = view.player
    results: dict[str, object] = {"backend": player.name, "note": vlc_window.player_note.text()}

    # paused on open: the exact first frame is on screen
    qtbot.waitUntil(lambda: read_barcode(grab_video(view.exact, 640, 360)) == 0, timeout=5000)

    qtbot.keyClick(vlc_window, Qt.Key.Key_Space)
    assert player.state() is PlayerState.PLAYING
    surface = player.widget()
    qtbot.waitUntil(lambda: player.position() > 1500, timeout=15_000)
    diffs = []
    for _ in range(12):
        index = view.current_frame()[0]
        shown = read_barcode(grab_video(surface, 640, 360))
        diffs.append(shown - index)
        # the next sample once the playhead has moved on by 3 frames (120 ms at 25 fps)
        qtbot.waitUntil(lambda i=index: view.current_frame()[0] >= i + 3, timeout=5000)
    results["playing_diffs_frames"] = diffs
    assert player.position() > 2000  # it kept playing

    with qtbot.waitSignal(view.frame_shown, timeout=10_000):
        qtbot.keyClick(vlc_window, Qt.Key.Key_Space)
    assert player.state() is PlayerState.PAUSED
    index, _pts = view.current_frame()
    assert view.readout.text().endswith(f"· frame {index}")
    qtbot.waitUntil(lambda: read_barcode(grab_video(view.exact, 640, 360)) == index, timeout=15_000)
    results["paused_index"] = index
    results["paused_on_screen"] = read_barcode(grab_video(view.exact, 640, 360))

    # seek while paused, then play on from there
    target = 5000
    with qtbot.waitSignal(view.frame_shown, timeout=10_000):
        player.seek(target)
    index = view.current_frame()[0]
    assert index == 125
    # frame_shown fires when the frame is handed to the canvas; the repaint follows
    qtbot.waitUntil(lambda: read_barcode(grab_video(view.exact, 640, 360)) == 125, timeout=15_000)
    qtbot.keyClick(vlc_window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: player.position() > target + 500, timeout=10_000)
    shown = read_barcode(grab_video(surface, 640, 360))
    assert shown >= 125

    # while playing the readout tracks the picture within a few frames
    assert statistics.median(abs(d) for d in diffs) <= 2
    assert max(abs(d) for d in diffs) <= 5
    if RESULT:
        with open(RESULT, "w") as fh:
            json.dump(results, fh)


def test_the_window_title_and_browser_under_x11(vlc_window):
    assert vlc_window.windowTitle() == f"VFA — e2e — {current_viewer()}"
    item = vlc_window.browser.topLevelItem(0)
    assert item.text(0) == "E2E-1"
    assert QRect(vlc_window.geometry()).width() >= 1000


def test_frame_steps_and_seeks_show_exact_frames_on_screen_with_vlc(vlc_window, qtbot):
    view = vlc_window.player_view

    def on_screen() -> int:
        return read_barcode(grab_video(view.exact, 640, 360))

    def expect(index: int) -> None:
        assert view.readout.text().endswith(f"· frame {index}")
        qtbot.waitUntil(lambda: on_screen() == index, timeout=5000)

    for key, modifier, index in [
        (Qt.Key.Key_Right, Qt.KeyboardModifier.NoModifier, 1),
        (Qt.Key.Key_Right, Qt.KeyboardModifier.NoModifier, 2),
        (Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier, 27),
        (Qt.Key.Key_Left, Qt.KeyboardModifier.NoModifier, 26),
        (Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier, 151),
        (Qt.Key.Key_Left, Qt.KeyboardModifier.NoModifier, 150),
        (Qt.Key.Key_Left, Qt.KeyboardModifier.NoModifier, 149),
        (Qt.Key.Key_End, Qt.KeyboardModifier.NoModifier, 199),
        (Qt.Key.Key_Home, Qt.KeyboardModifier.NoModifier, 0),
    ]:
        qtbot.keyClick(vlc_window, key, modifier)
        expect(index)
    # scrub on the timeline: the exact frame under the pointer
    timeline = view.timeline
    point = QPoint(int(timeline.x_of(3210)), 60)
    qtbot.mousePress(timeline, Qt.MouseButton.LeftButton, pos=point)
    qtbot.mouseRelease(timeline, Qt.MouseButton.LeftButton, pos=point)
    index = view.current_frame()[0]
    assert index == round(timeline.ms_at(point.x()) // 40)  # 25 fps: frame n at n * 40 ms
    expect(index)
    # play from there at half speed: the picture moves on, slower than real time
    qtbot.keyClick(vlc_window, Qt.Key.Key_BracketLeft)
    assert view.player.rate() == 0.5
    qtbot.keyClick(vlc_window, Qt.Key.Key_Space)
    # time how long 20 frames take once playing: 0.8 s at 25 fps, 1.6 s at half speed.
    # Waiting on the frames (not a fixed time) means a slow machine only makes it longer.
    qtbot.waitUntil(lambda: view.current_frame()[0] >= index + 5, timeout=10_000)
    start_frame, start = view.current_frame()[0], time.monotonic()
    qtbot.waitUntil(lambda: view.current_frame()[0] >= start_frame + 20, timeout=10_000)
    took = time.monotonic() - start
    qtbot.keyClick(vlc_window, Qt.Key.Key_Space)
    assert took >= 1.2, f"20 frames in {took:.2f} s: faster than half speed"
    expect(view.current_frame()[0])


def test_vlc_and_the_exact_frame_turn_a_portrait_clip_the_same_way(qtbot, tmp_path):
    """libVLC (an independent decoder and renderer) and VFA's exact frame must agree on
    which way a phone's display matrix turns the picture."""
    clip = make_clip(
        tmp_path / "portrait.mp4", seconds=6, width=640, height=360, rate=30, gop=30, rotation=90
    )
    ws = open_workspace(tmp_path / "p.vfa", create=True)
    clip_id = clip_service.add_clip(ws, clip, "E2E-2", "Visit 1").clip_id
    window = build_window("vlc")
    qtbot.addWidget(window)
    window.resize(900, 900)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitActive(window)
    window.set_workspace(ws)
    view = window.player_view
    with qtbot.waitSignal(view.frame_shown, timeout=20_000):
        window.open_clip(clip_id)

    def coded(widget) -> int:
        shown = grab_video(widget, 360, 640)  # displayed portrait
        return read_barcode(np.rot90(shown, -1))  # undo 90 degrees counter-clockwise

    qtbot.waitUntil(lambda: coded(view.exact) == 0, timeout=5000)
    qtbot.keyClick(window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: view.player.position() > 1500, timeout=10_000)
    playing = [(coded(view.player.widget()), view.current_frame()[0]) for _ in range(3)]
    assert all(abs(shown - index) <= 3 for shown, index in playing), playing
    with qtbot.waitSignal(view.frame_shown, timeout=10_000):
        qtbot.keyClick(window, Qt.Key.Key_Space)
    index = view.current_frame()[0]
    qtbot.waitUntil(lambda: coded(view.exact) == index, timeout=15_000)
    window.close()
    view.player.release()
