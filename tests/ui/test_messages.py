"""Messages as a person meets them: shown in full however long (a path too), an error in
red and a success not, gone once the problem is fixed or dismissed, and status-bar notes
that do not stay behind."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolButton

from vfa.app import build_window
from vfa.services import clips as clip_service
from vfa.storage.workspace import open_workspace
from vfa.ui import messages as messages_module
from vfa.ui.dialogs import AddClipDialog
from vfa.ui.messages import COLOURS, Level
from vfa.ui.reliability import ReliabilityWindow
from vfa.ui.session import CodingSession

LONG = (
    "reel moment 01 (moment 7) for training: the family's consent for the clip "
    "/home/therapist/Videos/FAM-017/"
    + "a_folder_name_far_too_long_for_any_line_of_the_window_"
    * 4
    + "/visit-1.mp4 covers feedback, not training; record the family's consent for "
    "training (Feedback → Consent…) before exporting the reel"
)


@pytest.fixture
def window(qtbot):
    win = build_window("qt")
    qtbot.addWidget(win)
    win.resize(1024, 700)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()


def shown_in_full(text_widget) -> bool:
    """Every line of the text lies inside the widget: nothing scrolled, elided or past
    its right edge, and the widget inside its window."""
    document = text_widget.document()
    inside = text_widget.viewport().rect()
    window = text_widget.window()
    corner = text_widget.mapTo(window, text_widget.rect().bottomRight())
    return (
        text_widget.isVisible()
        and document.size().height() <= inside.height() + 1
        and document.idealWidth() <= inside.width() + 1
        and text_widget.verticalScrollBar().maximum() == 0
        and corner.x() <= window.width()
        and corner.y() <= window.height()
    )


def entry_colour(bar, topic):
    entry = bar._entries[topic]
    return entry.box.grab().toImage().pixelColor(3, 3).name()


def test_a_long_error_with_a_long_path_wraps_in_full(window, qtbot):
    window.show_error(LONG, "reel.export")
    qtbot.waitUntil(lambda: window.messages.isVisible(), timeout=2_000)
    text = window.messages._entries["reel.export"].text
    assert text.text() == LONG  # the words as given (a copy is the real path)
    qtbot.waitUntil(lambda: shown_in_full(text), timeout=2_000)
    assert window.width() == 1024  # the message did not push the window wider
    window.resize(1600, 1000)
    qtbot.waitUntil(lambda: shown_in_full(text), timeout=2_000)


def test_an_error_is_red_and_a_success_is_not(window, qtbot):
    window.show_error("The export was refused.", "reel.export")
    assert entry_colour(window.messages, "reel.export") == COLOURS[Level.ERROR][0]
    window.show_info("Reel exported for feedback: 7 files.", "reel.export")
    assert window.messages.level("reel.export") is Level.INFO
    assert entry_colour(window.messages, "reel.export") == COLOURS[Level.INFO][0]
    assert "refused" not in window.messages.text()  # the success took the error's place


def test_a_message_is_dismissed_and_a_success_goes_by_itself(window, qtbot, monkeypatch):
    window.show_error("Something went wrong.", "clip")
    close = window.messages._entries["clip"].box.findChild(QToolButton)
    qtbot.mouseClick(close, Qt.MouseButton.LeftButton)
    assert not window.messages.isVisible() and window.messages.text() == ""
    monkeypatch.setattr(messages_module, "INFO_MS", 20)
    window.show_info("Saved frame 3 as /tmp/x.png", "still")
    assert window.messages.isVisible()
    qtbot.waitUntil(lambda: not window.messages.isVisible(), timeout=2_000)


def test_the_check_of_clip_files_clears_its_banner_once_fixed(window, qtbot, tmp_path, clips):
    video = tmp_path / "v.mp4"
    shutil.copy(clips["noaudio"], video)
    ws = open_workspace(tmp_path / "m.vfa", create=True)
    clip_service.add_clip(ws, video, "FAM-5", "Visit 1")
    window.set_workspace(ws)
    moved = video.rename(tmp_path / "elsewhere.mp4")
    window.check_clips()
    qtbot.waitUntil(lambda: "missing" in window.messages.text(), timeout=10_000)
    assert window.messages.level("clips.check") is Level.ERROR
    moved.rename(video)  # put back: the problem is fixed
    window.check_clips()
    qtbot.waitUntil(lambda: "missing" not in window.messages.text(), timeout=10_000)
    assert window.messages.level("clips.check") is Level.INFO
    assert "in place" in window.messages.text("clips.check")


def test_the_read_only_warning_survives_opening_a_clip_and_goes_with_its_workspace(
    window, qtbot, tmp_path, clips
):
    ws = open_workspace(tmp_path / "w.vfa", create=True)
    clip_id = clip_service.add_clip(ws, clips["cfr25"], "FAM-1", "Visit 1").clip_id
    window.set_workspace(ws)
    window.show_warning("w.vfa: open read-only (damaged).", "workspace")
    window.show_error("a clip could not be opened", "clip")
    window.open_clip(clip_id)
    assert window.messages.text() == "w.vfa: open read-only (damaged)."
    window.set_workspace(open_workspace(tmp_path / "other.vfa", create=True))
    assert not window.messages.isVisible()


def test_status_bar_notes_time_out(window, qtbot, monkeypatch, tmp_path, clips):
    monkeypatch.setattr(messages_module, "NOTE_MS", 20)
    ws = open_workspace(tmp_path / "n.vfa", create=True)
    clip_id = clip_service.add_clip(ws, clips["cfr25"], "FAM-1", "Visit 1").clip_id
    window.set_workspace(ws)
    window.open_clip(clip_id)
    assert "FAM-1" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "", timeout=2_000)
    window.coding.choose("vig")
    window.events.delete_at_playhead()  # nothing there: a note says so
    assert "No event" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "", timeout=2_000)


def test_the_case_code_error_is_shown_in_full_and_goes_once_fixed(qtbot, tmp_path):
    dialog = AddClipDialog([tmp_path / "a.mp4"], [])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.case.setEditText("Jane Smith")
    dialog.session.setEditText("Visit 1")
    dialog._accept()
    assert dialog.result() == 0
    text = dialog.message._entries["case"].text
    assert "pseudonymous" in text.text() and "no spaces" in text.text()
    qtbot.waitUntil(lambda: shown_in_full(text), timeout=2_000)
    dialog.case.setEditText("FAM-017")  # fixed: the message goes
    assert not dialog.message.isVisible()
    dialog.session.setEditText("")
    dialog._accept()
    assert "label" in dialog.message.text() and dialog.result() == 0


def test_a_supervisors_assignment_success_replaces_its_error(qtbot, tmp_path, clips):
    ws = open_workspace(tmp_path / "r.vfa", create=True)
    clip_service.add_clip(ws, clips["cfr25"], "FAM-1", "Visit 1")
    rel = ReliabilityWindow(CodingSession.bare(ws, coder="Sue"), None)
    qtbot.addWidget(rel)
    rel.scheme.setCurrentIndex(rel.scheme.findData("kips"))
    rel.show()
    rel.assign.every.setValue(1)
    rel.assign.coders.setText("Ann, Ann")  # one coder named twice: refused
    rel.assign.assign()
    assert rel.message.level("assign") is Level.ERROR
    assert entry_colour(rel.message, "assign") == COLOURS[Level.ERROR][0]
    rel.assign.coders.setText("Ann, Ben")
    rel.assign.assign()
    assert rel.message.level("assign") is Level.INFO
    assert (
        "assigned" in rel.message.text()
        and entry_colour(rel.message, "assign") == COLOURS[Level.INFO][0]
    )


def test_a_message_is_plain_text_never_markup(window):
    window.show_error("/home/t/<b>clips</b>/a.mp4: missing", "clip")
    assert window.messages.text() == "/home/t/<b>clips</b>/a.mp4: missing"
    from vfa.ui.messages import MessageText

    text = MessageText()
    text.setText("<i>a</i> & b")
    assert text.text() == "<i>a</i> & b"


def test_the_export_refusal_is_shown_in_full_in_its_dialog(qtbot, tmp_path):
    from vfa.ui.feedback_dialogs import ExportDialog

    dialog = ExportDialog({"feedback": None, "training": LONG}, str(tmp_path), None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.purpose.setCurrentIndex(dialog.purpose.findData("training"))
    assert dialog.reason.text() == LONG
    text = dialog.reason._entries["consent"].text
    qtbot.waitUntil(lambda: shown_in_full(text), timeout=2_000)
    assert entry_colour(dialog.reason, "consent") == COLOURS[Level.ERROR][0]
    dialog.purpose.setCurrentIndex(dialog.purpose.findData("feedback"))
    assert not dialog.reason.isVisible()
