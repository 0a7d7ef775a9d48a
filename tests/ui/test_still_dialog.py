"""Ctrl+Shift+S in the window: the still's purpose (only one the consent covers can be
confirmed, the others say why), the file, and a question before a file is replaced."""

from __future__ import annotations

import cv2
import pytest
from PySide6.QtWidgets import QDialog, QMessageBox
from sqlalchemy import select

from tests.conftest import source_indices
from vfa.app import build_window
from vfa.media.synth import read_barcode
from vfa.services import clips as clip_service
from vfa.services.consent import set_consent
from vfa.storage.models import AuditEntry
from vfa.storage.workspace import open_workspace
from vfa.ui.feedback_dialogs import StillDialog


@pytest.fixture
def window(qtbot, tmp_path, clips):
    win = build_window("qt")
    qtbot.addWidget(win)
    win.show()
    ws = open_workspace(tmp_path / "still.vfa", create=True)
    clip_id = clip_service.add_clip(ws, clips["vfr"], "FAM-1", "Visit 1").clip_id
    win.set_workspace(ws)
    with qtbot.waitSignal(win.player_view.frame_shown, timeout=10_000):
        win.open_clip(clip_id)
    yield win
    win.close()


def exports(window) -> list[dict]:
    with window.ws.sessions() as db:
        return list(db.scalars(select(AuditEntry.detail).where(AuditEntry.action == "export")))


def ok_button(dialog: StillDialog):
    return dialog.box.button(dialog.box.StandardButton.Ok)


def test_the_dialog_offers_only_what_the_consent_covers_and_says_why(qtbot, tmp_path):
    reason = "a still of clip 1 for notes: the family's consent covers feedback, not notes"
    covered = {"feedback": None, "supervision": "x", "training": "x", "research": "x",
               "notes": reason}  # fmt: skip
    dialog = StillDialog(covered, str(tmp_path / "s.png"), None)
    qtbot.addWidget(dialog)
    assert dialog.chosen_purpose() == "feedback" and ok_button(dialog).isEnabled()
    label = dialog.purpose.itemText(dialog.purpose.findData("notes"))
    assert label == "the practitioner's own notes (not covered by the consent)"
    dialog.purpose.setCurrentIndex(dialog.purpose.findData("notes"))
    assert dialog.reason.text() == reason and not ok_button(dialog).isEnabled()
    dialog.purpose.setCurrentIndex(dialog.purpose.findData("feedback"))
    dialog.file.setText("")
    assert not ok_button(dialog).isEnabled()
    dialog.file.setText(str(tmp_path / "named"))
    assert dialog.chosen_path() == str(tmp_path / "named.png")


def test_notes_is_offered_first_when_covered(qtbot, tmp_path):
    dialog = StillDialog({k: None for k in ("feedback", "notes")}, str(tmp_path / "a.png"), None)
    qtbot.addWidget(dialog)
    assert dialog.chosen_purpose() == "notes"


def answer(monkeypatch, filename, purpose, asked: list):
    def fake_exec(dialog: StillDialog) -> int:
        asked.append({k: dialog.purpose_field.covered[k] for k in ("feedback", "notes")})
        dialog.file.setText(str(filename))
        dialog.purpose.setCurrentIndex(dialog.purpose.findData(purpose))
        return QDialog.DialogCode.Accepted if ok_button(dialog).isEnabled() else 0

    monkeypatch.setattr(StillDialog, "exec", fake_exec)


def test_ctrl_shift_s_without_consent_writes_nothing(window, qtbot, tmp_path, monkeypatch):
    asked: list = []
    answer(monkeypatch, tmp_path / "s.png", "notes", asked)
    window.actions_by_id["still.save"].trigger()
    assert "no consent is recorded" in asked[0]["notes"]
    assert not (tmp_path / "s.png").exists()


def test_ctrl_shift_s_saves_for_a_covered_purpose_and_asks_before_replacing(
    window, qtbot, tmp_path, monkeypatch
):
    view = window.player_view
    set_consent(window.ws, view.info.id, ["notes"])
    view.show_frame(21)
    qtbot.waitUntil(lambda: view.shown_index() == 21, timeout=10_000)
    out = tmp_path / "s.png"
    asked: list = []
    answer(monkeypatch, out, "notes", asked)
    window.actions_by_id["still.save"].trigger()
    qtbot.waitUntil(lambda: bool(exports(window)), timeout=10_000)  # written, then audited
    assert asked[0]["notes"] is None
    assert read_barcode(cv2.imread(str(out))) == source_indices("vfr")[21]
    (detail,) = exports(window)
    assert detail["purpose"] == "notes" and detail["frame"] == 21

    out.write_bytes(b"kept")
    questions = []
    monkeypatch.setattr(
        QMessageBox,
        "question",
        lambda *a, **k: questions.append(a[2]) or QMessageBox.StandardButton.No,
    )
    window.actions_by_id["still.save"].trigger()
    assert len(questions) == 1 and str(out) in questions[0]
    assert out.read_bytes() == b"kept"

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    window.actions_by_id["still.save"].trigger()
    qtbot.waitUntil(lambda: len(exports(window)) == 2, timeout=10_000)
    assert out.read_bytes()[:4] == b"\x89PNG"
