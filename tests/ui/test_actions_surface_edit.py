"""Edit and Feedback actions, and Reliability, fired by their shortcut or menu entry on
the barcode workspace: undo and redo, the event at the playhead (delete, modifiers, link as
evidence), the moment's still, consent, presenting and exporting the reel, the script."""

from __future__ import annotations

import cv2
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog

from tests.ui.test_actions_surface import TypeFileName, answering, covers
from vfa.media.synth import read_barcode
from vfa.services import coding, consent, events, moments
from vfa.services.reel_export import soft_subtitles_supported
from vfa.services.schemes import get_scheme
from vfa.ui.dialogs import ModifiersDialog
from vfa.ui.feedback_dialogs import ConsentDialog, ExportDialog
from vfa.ui.messages import Level
from vfa.ui.reliability import ReliabilityWindow

FRAME_MS = 40  # the barcode clip is 25 fps
KEY = Qt.Key


def show(window, qtbot, frame: int) -> None:
    view = window.player_view
    view.show_frame(frame)
    qtbot.waitUntil(lambda: view.shown_index() == frame, timeout=10_000)


def code_here(window, qtbot, scheme_id: str, key: Qt.Key, frame: int) -> events.Event:
    """Choose the scheme and press its hotkey on ``frame``: the one event it made."""
    window.coding.choose(scheme_id)
    show(window, qtbot, frame)
    qtbot.keyClick(window, key)
    (made,) = events.run_events(window.ws, window.coding.run.id)
    return made


def spans(window) -> list[tuple[str, int, int | None]]:
    return [
        (e.code, e.start_ms, e.end_ms) for e in events.run_events(window.ws, window.coding.run.id)
    ]


@covers("edit.undo", "edit.redo")
def test_undo_and_redo_take_back_and_put_back_a_coded_event(window, surface, qtbot):
    made = code_here(window, qtbot, "vipp_sd", KEY.Key_P, 250)
    coded = [(made.code, made.start_ms, made.end_ms)]
    assert window.undo_stack.index() == 1
    surface.fire(window, "edit.undo")
    assert (window.undo_stack.index(), spans(window)) == (0, [])
    assert window.player_view.timeline._lane_of == {}  # gone from its lane too
    surface.fire(window, "edit.redo")
    assert (window.undo_stack.index(), spans(window)) == (1, coded)


@covers("event.delete")
def test_ctrl_backspace_deletes_the_event_under_the_playhead(window, surface, qtbot):
    made = code_here(window, qtbot, "vipp_sd", KEY.Key_P, 250)
    show(window, qtbot, made.end_ms // FRAME_MS)  # its last frame: still under the playhead
    surface.fire(window, "event.delete")
    assert spans(window) == []
    assert window.undo_stack.index() == 2
    window.undo_stack.undo()
    assert spans(window) == [(made.code, made.start_ms, made.end_ms)]


@covers("event.modifiers")
def test_ctrl_m_sets_the_modifiers_of_the_event_under_the_playhead(window, surface, qtbot):
    made = code_here(window, qtbot, "vipp_sd", KEY.Key_3, 250)  # a sensitive chain
    asked = {}

    def choose(dialog: ModifiersDialog) -> None:
        box = dialog.boxes["link"]
        asked["options"] = [box.itemText(i) for i in range(box.count())]
        box.setCurrentIndex(box.findData("parent's response"))
        dialog.accept()

    with answering(qtbot, (ModifiersDialog, choose)):
        surface.fire(window, "event.modifiers")
    scheme = get_scheme("vipp_sd")
    assert asked["options"] == ["", *scheme.code("sensitive_chain").modifiers[0].options]
    stored = events.get_event(window.ws, window.coding.run.id, made.id)
    assert stored.modifiers == {"link": "parent's response"}
    assert window.undo_stack.index() == 2


LINKED = """
id: linked_ui
name: Linked UI test
version: "1"
description: a test scheme with events and ratings
source: the test
ethogram:
  subjects: [parent]
  codes:
    - {id: wait, name: Waits, hotkey: "Z", kind: point, verified: false}
ratings:
  verified: false
  aggregate: mean
  scale: {min: 1, max: 5}
  items:
    - {id: patience, name: Patience, verified: false}
    - {id: warmth, name: Warmth, verified: false}
"""


@pytest.fixture
def linked(monkeypatch, tmp_path):
    folder = tmp_path / "schemes"
    folder.mkdir()
    (folder / "linked_ui.yaml").write_text(LINKED)
    monkeypatch.setenv("VFA_SCHEMES_DIR", str(folder))
    return get_scheme("linked_ui")


@covers("evidence.link")
def test_ctrl_e_links_the_event_under_the_playhead_to_the_chosen_item(
    window, surface, qtbot, linked
):
    window.coding.refresh_schemes()
    made = code_here(window, qtbot, "linked_ui", KEY.Key_Z, 250)
    panel = window.coding
    panel.table.setCurrentCell(1, 1)  # Warmth
    surface.fire(window, "evidence.link")
    run = panel.run.id
    assert coding.rating_state(window.ws, run, "warmth").evidence == (made.id,)
    assert coding.rating_state(window.ws, run, "patience").evidence == ()
    assert window.undo_stack.index() == 2


@covers("moment.still")
def test_ctrl_k_makes_the_frame_on_screen_the_chosen_moments_still(window, surface, qtbot):
    panel = window.feedback.moments
    window.side.setCurrentWidget(panel)
    first = panel.moments()[0]
    assert panel.current().id == first.id
    assert first.start_frame < 150 < first.end_frame and first.key_frame != 150
    show(window, qtbot, 150)
    surface.fire(window, "moment.still")
    stored = moments.get_moment(window.ws, first.id)
    assert (stored.key_frame, stored.key_ms) == (150, 150 * FRAME_MS)
    assert window.undo_stack.index() == 1


@covers("clip.consent")
def test_consent_records_the_purposes_ticked(window, surface, qtbot):
    asked = {}

    def tick_notes(dialog: ConsentDialog) -> None:
        asked["ticked"] = dialog.purposes()  # as recorded in the workspace
        dialog.boxes["notes"].setChecked(True)
        dialog.accept()

    with answering(qtbot, (ConsentDialog, tick_notes)):
        surface.fire(window, "clip.consent")
    assert asked == {"ticked": ["feedback"]}
    given = consent.consent_for(window.ws, 1)
    assert (given.covers("feedback"), given.covers("notes"), given.covers("training")) == (
        True,
        True,
        False,
    )
    assert window.messages.level("consent") is Level.INFO


@covers("reel.present")
def test_f5_presents_the_reel_and_escape_leaves(window, surface, qtbot):
    (feedback,) = moments.reel(window.ws, window.player_view.info.session_id)
    surface.fire(window, "reel.present")
    shown = window.feedback.presentation
    assert shown is not None and shown.isVisible()
    qtbot.waitUntil(shown.prefetched, timeout=10_000)
    assert shown.line_text() == feedback.caption
    with qtbot.waitSignal(shown.closed, timeout=5_000):
        qtbot.keyClick(shown, KEY.Key_Escape)
    assert window.feedback.presentation is None


@covers("reel.export")
def test_ctrl_shift_e_exports_the_reel_into_the_folder_given(window, surface, qtbot, tmp_path):
    out = tmp_path / "reel"
    (feedback,) = moments.reel(window.ws, window.player_view.info.session_id)
    asked = {}

    def export(dialog: ExportDialog) -> None:
        asked["purpose"] = dialog.chosen_purpose()
        dialog.folder.setText(str(out))
        qtbot.mouseClick(
            dialog.box.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
        )

    with answering(qtbot, (ExportDialog, export)):
        surface.fire(window, "reel.export")
    qtbot.waitUntil(lambda: window.feedback.last_export is not None, timeout=60_000)
    assert asked == {"purpose": "feedback"}  # what the workspace's consent covers
    expected = {"01.mp4", "01.png", "reel.srt", "handout.pdf"}
    if not soft_subtitles_supported():
        expected.add("01.srt")
    assert {p.name for p in out.iterdir()} == expected
    assert read_barcode(cv2.imread(str(out / "01.png"))) == feedback.key_frame
    assert feedback.caption in (out / "reel.srt").read_text(encoding="utf-8")
    assert window.messages.level("reel.export") is Level.INFO


@covers("reel.script")
def test_the_feedback_script_is_written_to_the_file_typed(window, surface, qtbot, tmp_path):
    typed = TypeFileName(tmp_path / "script")  # .pdf is added
    with answering(qtbot, (QFileDialog, typed)):
        surface.fire(window, "reel.script")
    assert typed.accept_mode is QFileDialog.AcceptMode.AcceptSave
    qtbot.waitUntil(lambda: window.messages.level("reel.script") is Level.INFO, timeout=20_000)
    written = tmp_path / "script.pdf"
    assert written.read_bytes()[:5] == b"%PDF-"
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".pdf") == ["script.pdf"]


@covers("reliability.open")
def test_ctrl_shift_r_opens_the_reliability_window_on_the_workspace(window, surface, qtbot):
    surface.fire(window, "reliability.open")
    rel = window.reliability
    assert rel is not None
    qtbot.waitExposed(rel)
    assert (rel.windowTitle(), rel.ws is window.ws) == ("Reliability", True)
    assert not rel.isModal()
    surface.fire(window, "reliability.open")  # again: the same window, not a second one
    assert window.reliability is rel
    shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, ReliabilityWindow)]
    assert [w for w in shown if w.isVisible()] == [rel]
    rel.close()


def test_a_key_given_in_settings_that_a_scheme_hotkey_has_stays_the_windows_and_says_so(
    window, surface, qtbot
):
    window.coding.choose("vig")  # Turning towards is E

    def end_on_e(dialog) -> None:
        editor = dialog.editors["nav.end"]
        editor.clear()
        qtbot.keyClick(editor, KEY.Key_E)
        dialog._accept()

    from vfa.ui.dialogs import SettingsDialog

    with answering(qtbot, (SettingsDialog, end_on_e)):
        surface.fire(window, "app.settings")
    assert window.messages.level("hotkeys") is Level.WARNING
    assert window.messages.text("hotkeys") == (
        "Turning towards (E) is not a hotkey now: E is the window's key for “Go to end” (Settings)."
    )
    surface.activate(window)
    view = window.player_view
    last = view.info.frame_table.frame_count - 1
    with qtbot.waitSignal(view.frame_shown, timeout=10_000, check_params_cb=lambda i: i == last):
        qtbot.keyClick(window, KEY.Key_E)  # the window's key, not an ambiguous one
    assert window.coding.run is None  # no event was coded
    qtbot.keyClick(window, KEY.Key_Q)  # the scheme's other keys still code
    (coded,) = events.run_events(window.ws, window.coding.run.id)
    assert coded.code == "looking_interested"
