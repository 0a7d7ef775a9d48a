"""The main window driven as a user would, offscreen, on the Qt Multimedia backend."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QImage

from tests.conftest import source_indices
from vfa.app import build_window, initial_action
from vfa.player.base import PlayerState
from vfa.services import clips as clip_service
from vfa.services.viewer import current_viewer
from vfa.storage.workspace import open_workspace
from vfa.ui.dialogs import AddClipDialog, SettingsDialog
from vfa.ui.settings import Settings


def image_array(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    w, h, bpl = image.width(), image.height(), image.bytesPerLine()
    return (
        np.frombuffer(image.constBits(), np.uint8, bpl * h)
        .reshape(h, bpl)[:, : w * 3]
        .reshape(h, w, 3)
        .copy()
    )


def barcode_on_screen(window) -> int:
    from vfa.media.synth import read_barcode

    return read_barcode(image_array(window.player_view.exact.image()))


@pytest.fixture
def window(qtbot):
    win = build_window("qt")
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()


@pytest.fixture
def ws_with_clip(tmp_path, clips):
    ws = open_workspace(tmp_path / "ui.vfa", create=True)
    added = clip_service.add_clip(ws, clips["vfr"], "FAM-1", "Visit 1", context="play")
    return ws, added.clip_id


def test_first_run_shows_the_welcome_view(window):
    action = initial_action(window, None, demo=False)
    action()
    assert window.pages.currentWidget() is window.welcome
    assert window.windowTitle() == "VFA"
    assert not window.actions_by_id["clip.add"].isEnabled()


def test_the_demo_button_opens_the_demo_with_its_clip(window, qtbot):
    from vfa.media.frames import FrameServer

    with qtbot.waitSignal(window.clip_opened, timeout=60_000) as opened:
        qtbot.mouseClick(window.welcome.demo, Qt.MouseButton.LeftButton)
    assert window.windowTitle() == f"VFA — demo — {current_viewer()}"
    assert window.browser.topLevelItem(0).text(0) == "DEMO-001"
    qtbot.waitUntil(lambda: window.player_view.shown_index() == 0, timeout=10_000)
    assert window.player_view.readout.text() == "00:00:00.000 · frame 0"
    info = clip_service.clip_info(window.ws, opened.args[0])
    with FrameServer(info.path, info.frame_table) as frames:  # the demo's scenes: no barcode
        first = frames.frame(0)
    assert np.array_equal(image_array(window.player_view.exact.image()), first)


def test_the_player_note_says_why_vlc_is_not_used_offscreen(window):
    assert "Qt Multimedia" in window.player_note.text()
    assert "offscreen" in build_window("auto").player_note.text()


def test_play_advances_and_pause_shows_exactly_the_frame_the_readout_names(
    window, qtbot, ws_with_clip
):
    ws, clip_id = ws_with_clip
    window.set_workspace(ws)
    with qtbot.waitSignal(window.player_view.frame_shown, timeout=10_000):
        window.open_clip(clip_id)
    player = window.player_view.player
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert player.state() is PlayerState.PLAYING
    qtbot.waitUntil(lambda: window.player_view.current_frame()[0] >= 10, timeout=10_000)
    with qtbot.waitSignal(window.player_view.frame_shown, timeout=10_000) as shown:
        qtbot.keyClick(window, Qt.Key.Key_Space)
    assert player.state() is PlayerState.PAUSED
    index, _pts = window.player_view.current_frame()
    assert shown.args == [index]
    readout = window.player_view.readout.text()
    assert readout.endswith(f"· frame {index}")
    kept = source_indices("vfr")
    assert barcode_on_screen(window) == kept[index]


def test_seeking_with_the_slider_shows_the_frame_at_that_time(window, qtbot, ws_with_clip):
    ws, clip_id = ws_with_clip
    window.set_workspace(ws)
    window.open_clip(clip_id)
    info = clip_service.clip_info(ws, clip_id)
    target = (info.frame_table.pts_of(40) + info.frame_table.pts_of(41)) // 2
    with qtbot.waitSignal(
        window.player_view.frame_shown, timeout=10_000, check_params_cb=lambda i: i == 40
    ):
        window.player_view.slider.setSliderPosition(target)
        window.player_view.slider.sliderMoved.emit(target)
    assert window.player_view.readout.text().endswith("frame 40")
    assert barcode_on_screen(window) == source_indices("vfr")[40]


def test_adding_files_with_the_dialog(window, qtbot, tmp_path, clips, monkeypatch):
    window.set_workspace(open_workspace(tmp_path / "add.vfa", create=True))

    def fill_and_accept(dialog):
        dialog.case.setEditText("FAM-20")
        dialog.session.setEditText("Visit 1")
        dialog._accept()
        return dialog.result()

    monkeypatch.setattr(AddClipDialog, "exec", fill_and_accept)
    with qtbot.waitSignal(window.clip_opened, timeout=20_000):
        window.add_files([clips["ntsc"], clips["noaudio"]])
    tree = clip_service.catalog(window.ws)
    assert [(c.code, [len(s.clips) for s in c.sessions]) for c in tree] == [("FAM-20", [2])]
    assert window.browser.topLevelItem(0).child(0).childCount() == 2


@pytest.mark.filterwarnings("ignore:Function.*QDragEnterEvent:DeprecationWarning")
def test_dropping_a_video_onto_the_window_adds_it(window, qtbot, tmp_path, clips, monkeypatch):
    window.set_workspace(open_workspace(tmp_path / "drop.vfa", create=True))
    seen = []

    def accept(dialog):
        seen.append(dialog)
        dialog.case.setEditText("FAM-30")
        dialog.session.setEditText("Visit 3")
        dialog._accept()
        return dialog.result()

    monkeypatch.setattr(AddClipDialog, "exec", accept)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(clips["cfr25"]))])
    enter = QDragEnterEvent(
        QPoint(50, 50),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dragEnterEvent(enter)  # Qt delivers a drop only to a widget that accepted the enter
    assert enter.isAccepted() and window.acceptDrops()
    drop = QDropEvent(
        QPoint(50, 50),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with qtbot.waitSignal(window.clips_added, timeout=20_000) as added:
        window.dropEvent(drop)
    assert len(seen) == 1 and len(added.args[0]) == 1
    assert clip_service.catalog(window.ws)[0].code == "FAM-30"


def test_a_bad_file_is_named_in_the_window_and_nothing_is_stored(window, qtbot, tmp_path):
    window.set_workspace(open_workspace(tmp_path / "bad.vfa", create=True))
    bogus = tmp_path / "holiday.mp4"
    bogus.write_text("not a video\n" * 100)
    with qtbot.waitSignal(window.clips_added, timeout=20_000):
        window.add_files([bogus], case="FAM-1", session="Visit 1")
    assert window.messages.isVisible()
    assert str(bogus) in window.messages.label.text()
    assert clip_service.catalog(window.ws) == []


def test_the_add_dialog_refuses_a_name_as_case_code(qtbot, tmp_path):
    dialog = AddClipDialog([tmp_path / "a.mp4"], [])
    qtbot.addWidget(dialog)
    dialog.case.setEditText("Jane Smith")
    dialog.session.setEditText("Visit 1")
    dialog._accept()
    assert dialog.result() == 0
    assert "pseudonymous" in dialog.message.text()


def test_a_missing_clip_is_reported_when_opened(window, tmp_path, clips):
    video = tmp_path / "v.mp4"
    shutil.copy(clips["noaudio"], video)
    ws = open_workspace(tmp_path / "m.vfa", create=True)
    clip_id = clip_service.add_clip(ws, video, "FAM-5", "Visit 1").clip_id
    window.set_workspace(ws)
    video.unlink()
    window.open_clip(clip_id)
    assert "missing" in window.messages.label.text()
    assert window.current_clip is None


def test_opening_a_newer_workspace_shows_why(window, qtbot, tmp_path):
    import sqlite3
    from contextlib import closing

    path = tmp_path / "future.vfa"
    open_workspace(path, create=True).close()
    with closing(sqlite3.connect(path)) as raw, raw:
        raw.execute("UPDATE alembic_version SET version_num = 'abcdef'")
    window.open_workspace_at(str(path))
    qtbot.waitUntil(lambda: window.messages.isVisible(), timeout=10_000)
    assert "newer version of VFA" in window.messages.label.text()
    assert window.ws is None


def test_settings_choose_the_player_backend(window, monkeypatch):
    def choose_vlc(dialog):
        dialog.backend.setCurrentIndex(dialog.backend.findData("vlc"))
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(SettingsDialog, "exec", choose_vlc)
    window.edit_settings()
    assert Settings().get("player/backend") == "vlc"


def test_geometry_and_last_workspace_are_remembered(qtbot, tmp_path):
    first = build_window("qt")
    qtbot.addWidget(first)
    first.show()
    first.setGeometry(first.x(), first.y(), 700, 500)  # fits the offscreen 800x600 screen
    first.set_workspace(open_workspace(tmp_path / "remember.vfa", create=True))
    first.close()
    second = build_window("qt")
    qtbot.addWidget(second)
    assert (second.width(), second.height()) == (700, 500)
    assert Path(second.ctx.settings.get("workspace/last")) == tmp_path / "remember.vfa"
