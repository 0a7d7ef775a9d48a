"""Keyboard navigation, rates, loop, go-to, stills and shortcuts, driven as a coder would."""

from __future__ import annotations

import random

import cv2
import pytest
from PySide6.QtCore import Qt

from tests.conftest import as_coded, source_indices
from tests.ui.test_main_window import barcode_on_screen
from vfa.app import build_window
from vfa.media.synth import read_barcode
from vfa.player.base import PlayerState
from vfa.services import clips as clip_service
from vfa.services.consent import set_consent
from vfa.storage.workspace import open_workspace
from vfa.ui.dialogs import GoToDialog, SettingsDialog
from vfa.ui.settings import Settings

KEY = Qt.Key
MOD = Qt.KeyboardModifier


@pytest.fixture
def opened(qtbot, tmp_path, clips):
    """A window on the Qt backend with the VFR clip open and its first frame shown."""
    window = build_window("qt")
    qtbot.addWidget(window)
    window.show()
    ws = open_workspace(tmp_path / "nav.vfa", create=True)
    clip_id = clip_service.add_clip(ws, clips["vfr"], "FAM-1", "Visit 1").clip_id
    window.set_workspace(ws)
    with qtbot.waitSignal(window.player_view.frame_shown, timeout=10_000):
        window.open_clip(clip_id)
    yield window
    window.close()


def press(qtbot, window, key, modifier=MOD.NoModifier, index=None):
    """Press a key and wait until the exact frame (``index`` if given) is on screen."""
    view = window.player_view
    with qtbot.waitSignal(
        view.frame_shown,
        timeout=10_000,
        check_params_cb=(lambda i: i == index) if index is not None else None,
    ):
        qtbot.keyClick(window, key, modifier)


def on_screen(window) -> int:
    return barcode_on_screen(window)


def test_arrow_keys_step_exactly_one_frame_each_way_from_random_positions(opened, qtbot):
    view = opened.player_view
    kept = source_indices("vfr")
    rng = random.Random(7)
    for start in rng.sample(range(2, len(kept) - 3), 3):
        view.show_frame(start)
        qtbot.waitUntil(lambda s=start: view.shown_index() == s, timeout=10_000)
        for key, delta in [
            (KEY.Key_Left, -1),
            (KEY.Key_Left, -1),
            (KEY.Key_Right, 1),
            (KEY.Key_Right, 1),
            (KEY.Key_Right, 1),
        ]:
            target = view.current_frame()[0] + delta
            press(qtbot, opened, key, index=target)
            assert view.readout.text().endswith(f"frame {target}")
            assert on_screen(opened) == kept[target]


def test_second_and_five_second_jumps_and_home_end(opened, qtbot):
    view = opened.player_view
    table = view.info.frame_table  # the clip is 4 s long

    def after(delta_ms):
        return table.index_at(max(0, view.current_frame()[1] + delta_ms))

    press(qtbot, opened, KEY.Key_Right, MOD.ShiftModifier, index=after(1000))
    press(qtbot, opened, KEY.Key_Right, MOD.ControlModifier, index=after(5000))
    assert view.current_frame()[0] == table.frame_count - 1  # clamped at the end
    press(qtbot, opened, KEY.Key_Left, MOD.ShiftModifier, index=after(-1000))
    press(qtbot, opened, KEY.Key_Left, MOD.ControlModifier, index=0)
    press(qtbot, opened, KEY.Key_End, index=table.frame_count - 1)
    assert on_screen(opened) == source_indices("vfr")[-1]
    press(qtbot, opened, KEY.Key_Home, index=0)
    assert on_screen(opened) == 0
    # stepping past either end stays on the end frame
    qtbot.keyClick(opened, KEY.Key_Left)
    assert view.current_frame()[0] == 0


def test_rate_ladder_with_brackets(opened, qtbot):
    view = opened.player_view
    for expected in ["1/2×", "1/4×", "1/8×", "1/8×"]:
        qtbot.keyClick(opened, KEY.Key_BracketLeft)
        assert view.rate_label.text() == expected
    for _ in range(5):
        qtbot.keyClick(opened, KEY.Key_BracketRight)
    assert view.rate_label.text() == "2×"
    assert view.player.rate() == 2.0


def test_jkl_shuttle(opened, qtbot):
    view = opened.player_view
    view.show_frame(60)
    qtbot.waitUntil(lambda: view.shown_index() == 60, timeout=10_000)
    qtbot.keyClick(opened, KEY.Key_J)
    assert view.reverse_speed() == 1
    qtbot.waitUntil(lambda: view.current_frame()[0] <= 55, timeout=10_000)
    qtbot.keyClick(opened, KEY.Key_J)
    assert view.reverse_speed() == 2
    qtbot.keyClick(opened, KEY.Key_K)
    assert view.reverse_speed() == 0
    stopped = view.current_frame()[0]
    qtbot.waitUntil(lambda: view.shown_index() == stopped, timeout=10_000)
    assert on_screen(opened) == source_indices("vfr")[stopped]
    qtbot.keyClick(opened, KEY.Key_L)
    assert view.player.state() is PlayerState.PLAYING
    qtbot.keyClick(opened, KEY.Key_L)
    assert view.player.rate() == 1.5
    qtbot.keyClick(opened, KEY.Key_K)
    assert view.player.state() is PlayerState.PAUSED


def test_go_to_a_typed_time_or_frame(opened, qtbot):
    view = opened.player_view
    dialog = GoToDialog(view.go_to, opened)
    qtbot.addWidget(dialog)
    dialog.field.setText("f42")
    with qtbot.waitSignal(view.frame_shown, timeout=10_000, check_params_cb=lambda i: i == 42):
        dialog._accept()
    assert on_screen(opened) == source_indices("vfr")[42]
    dialog.field.setText("0:02.5")
    dialog._accept()
    assert view.current_frame()[0] == view.info.frame_table.index_at(2500)
    dialog.field.setText("9:00")
    dialog._accept()
    assert "past the end" in dialog.message.text()


def test_loop_replays_the_selected_range(opened, qtbot):
    view = opened.player_view
    table = view.info.frame_table
    view.show_frame(table.index_at(1000))
    qtbot.keyClick(opened, KEY.Key_I)
    view.show_frame(table.index_at(1600))
    qtbot.keyClick(opened, KEY.Key_O)
    assert (view.loop.start_ms, view.loop.end_ms) == (
        table.pts_of(table.index_at(1000)),
        table.pts_of(table.index_at(1600) + 1),
    )
    qtbot.keyClick(opened, KEY.Key_L, MOD.ControlModifier)
    assert view.loop_enabled and view.loop_button.isChecked()
    qtbot.keyClick(opened, KEY.Key_BracketRight)  # loop at 1.5×
    qtbot.keyClick(opened, KEY.Key_Space)
    positions = []
    qtbot.waitUntil(
        lambda: (
            positions.append(view.player.position())
            or (len(positions) > 3 and positions[-1] < positions[-2])
        ),
        timeout=10_000,
    )
    assert all(view.loop.start_ms - 40 <= p <= view.loop.end_ms + 40 for p in positions)
    qtbot.keyClick(opened, KEY.Key_Space)


def test_loop_without_a_range_explains(opened):
    opened.player_view.set_loop_enabled(True)
    assert not opened.player_view.loop_enabled
    assert "Select a range" in opened.messages.label.text()


def test_save_still_writes_the_frame_the_readout_names(opened, qtbot, tmp_path):
    view = opened.player_view
    view.show_frame(33)
    qtbot.waitUntil(lambda: view.shown_index() == 33, timeout=10_000)
    set_consent(opened.ws, view.info.id, ["notes"])
    out = tmp_path / "still.png"
    opened.save_still(str(out), purpose="notes")
    qtbot.waitUntil(out.exists, timeout=10_000)
    assert read_barcode(cv2.imread(str(out))) == source_indices("vfr")[33]


def test_shortcuts_are_editable_and_conflicts_refused(opened, monkeypatch):
    def rebind(dialog):
        dialog.editors["nav.frame_forward"].setKeySequence("Ctrl+Alt+N")
        dialog._accept()
        return dialog.result()

    monkeypatch.setattr(SettingsDialog, "exec", rebind)
    opened.edit_settings()
    action = opened.actions_by_id["nav.frame_forward"]
    assert action.shortcut().toString() == "Ctrl+Alt+N"
    assert Settings().shortcuts() == {"nav.frame_forward": "Ctrl+Alt+N"}

    dialog = SettingsDialog("auto", "", Settings().shortcuts())
    dialog.editors["nav.frame_back"].setKeySequence("Ctrl+Alt+N")
    dialog._accept()
    assert dialog.result() == 0
    assert "Ctrl+Alt+N" in dialog.message.text()
    dialog.reset_shortcuts()
    assert dialog.chosen_overrides() == {}


def test_navigation_keys_do_nothing_without_a_clip(qtbot):
    window = build_window("qt")
    qtbot.addWidget(window)
    window.show()
    assert not window.actions_by_id["nav.frame_forward"].isEnabled()
    qtbot.keyClick(window, KEY.Key_Right)
    assert window.player_view.current_frame() == (0, 0)


@pytest.mark.parametrize("name", ["cfr25", "ntsc", "vfr", "rotated"])
def test_paused_display_is_exact_on_every_kind_of_clip(qtbot, tmp_path, clips, name):

    from vfa.media.synth import read_barcode as decode

    window = build_window("qt")
    qtbot.addWidget(window)
    window.show()
    ws = open_workspace(tmp_path / f"{name}.vfa", create=True)
    clip_id = clip_service.add_clip(ws, clips[name], "FAM-1", "Visit 1").clip_id
    window.set_workspace(ws)
    view = window.player_view
    with qtbot.waitSignal(view.frame_shown, timeout=10_000):
        window.open_clip(clip_id)
    kept = source_indices(name)
    rotation = view.info.rotation
    rng = random.Random(name)
    for index in rng.sample(range(len(kept)), 6):
        with qtbot.waitSignal(
            view.frame_shown, timeout=10_000, check_params_cb=lambda i, want=index: i == want
        ):
            view.show_frame(index)
        image = view.exact.image()
        assert (image.width(), image.height()) == (view.info.width, view.info.height)
        from tests.ui.test_main_window import image_array

        pixels = image_array(image)
        upright = as_coded(pixels, rotation)
        assert decode(upright) == kept[index]
        assert view.readout.text().endswith(f"frame {index}")
    window.close()


def test_opening_another_clip_shows_its_own_first_frame(opened, qtbot, tmp_path, clips):
    view = opened.player_view
    assert view.shown_index() == 0
    ws = open_workspace(tmp_path / "nav.vfa", create=True)
    other = clip_service.add_clip(ws, clips["noaudio"], "FAM-2", "Visit 1").clip_id
    with qtbot.waitSignal(view.frame_shown, timeout=10_000):
        opened.open_clip(other)  # the same frame index as before, but another picture
    image = view.exact.image()
    assert (image.width(), image.height()) == (320, 180)
    assert on_screen(opened) == 0
