"""The panels not tested elsewhere from a bare coding session (no main window): the
feedback session (presentation, consent, the reel's export dialog), the reliability
window, File → Export…, and the workspace's backups and check."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QInputDialog

from vfa.player.qt_backend import QtPlayer
from vfa.services import clips as clip_service
from vfa.services import consent, moments
from vfa.services.backups import backups_of
from vfa.storage.workspace import open_workspace
from vfa.ui.backups_dialog import CheckDialog, WorkspaceSafety
from vfa.ui.changes import ConsentChanged
from vfa.ui.export_dialog import ExportDialog as CodingExportDialog
from vfa.ui.export_dialog import export_from
from vfa.ui.feedback import FeedbackSession
from vfa.ui.feedback_dialogs import ConsentDialog, ExportDialog
from vfa.ui.player_view import PlayerView
from vfa.ui.reliability import ReliabilityWindow
from vfa.ui.session import CodingSession

TIMEOUT = 10_000


class Feedback:
    """A feedback session (moments, reel, presentation, consent, exports) made from a
    bare coding session with one clip of a visit open."""

    def __init__(self, qtbot, ws, file) -> None:
        self.ws = ws
        self.clip_id = clip_service.add_clip(ws, file, "FAM-1", "Visit 1").clip_id
        self.session = CodingSession.bare(ws, coder="Tess")
        self.view = PlayerView(QtPlayer())
        qtbot.addWidget(self.view)
        self.players_made: list[str] = []
        self.panel = FeedbackSession(self.session, self.view, self._backend)
        self.session.open_clip(clip_service.clip_info(ws, self.clip_id))

    def _backend(self) -> str:
        self.players_made.append("qt")
        return "qt"

    def flag(self, caption: str) -> moments.MomentInfo:
        """A moment of the open clip flagged for feedback."""
        tags = ["vig:waiting"]
        return moments.add_moment(self.ws, self.clip_id, tags, 800, 2_400, caption=caption,
                                  feedback=True)  # fmt: skip

    def close(self) -> None:
        if self.panel.presentation is not None:
            self.panel.presentation.close()
        self.view.shutdown()


@pytest.fixture
def feedback(qtbot, workspace, clips):
    made = Feedback(qtbot, workspace, clips["cfr25"])
    yield made
    made.close()


def test_present_shows_the_visits_reel_full_screen_and_escape_lets_go(feedback, qtbot):
    m = feedback.flag("You waited")
    feedback.panel.present()
    shown = feedback.panel.presentation
    assert shown is not None and shown.isFullScreen()
    assert [x.moment_id for x in shown.moments] == [m.id]
    assert shown.line_text() == "You waited" and feedback.players_made == ["qt"]
    with qtbot.waitSignal(shown.closed, timeout=TIMEOUT):
        qtbot.keyClick(shown, Qt.Key.Key_Escape)
    assert feedback.panel.presentation is None and not shown.isVisible()


def test_a_screen_choice_cancelled_presents_nothing_and_lets_the_player_go(feedback, monkeypatch):
    from vfa.ui.presentation import PresentationWindow

    feedback.flag("You waited")
    screen = QGuiApplication.primaryScreen()
    monkeypatch.setattr(QGuiApplication, "screens", staticmethod(lambda: [screen, screen]))
    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(lambda *a, **k: ("", False)))
    finished: list[PresentationWindow] = []
    finish = PresentationWindow._finish

    def finishing(window: PresentationWindow) -> None:
        finished.append(window)
        finish(window)

    monkeypatch.setattr(PresentationWindow, "_finish", finishing)
    feedback.panel.present()
    assert feedback.panel.presentation is None and feedback.players_made == ["qt"]
    (window,) = finished  # closed unseen: its player released
    assert not window.isVisible()


def test_a_reel_whose_clip_is_missing_is_not_presented_and_says_why(
    qtbot, workspace, clips, tmp_path
):
    copy = tmp_path / "visit.mp4"
    shutil.copyfile(clips["cfr25"], copy)
    made = Feedback(qtbot, workspace, copy)
    made.flag("You waited")
    copy.unlink()
    made.panel.present()
    assert made.panel.presentation is None and made.players_made == []  # nothing made
    assert str(copy) in made.session.shell.messages.text("present")
    made.close()


def test_consent_recorded_is_told_once_and_the_reel_export_offers_what_it_covers(
    feedback, monkeypatch
):
    feedback.flag("You waited")
    offered: list[ExportDialog] = []
    monkeypatch.setattr(ExportDialog, "exec", lambda d: offered.append(d) or 0)

    def allowed(purpose: str) -> bool:
        dialog = offered[-1]
        dialog.purpose.setCurrentIndex(dialog.purpose.findData(purpose))
        dialog.folder.setText("reel")
        return dialog.box.button(QDialogButtonBox.StandardButton.Ok).isEnabled()

    feedback.panel.export()
    assert not allowed("supervision")  # no consent recorded yet

    def agree(dialog: ConsentDialog) -> QDialog.DialogCode:
        for purpose in ("feedback", "supervision"):
            dialog.boxes[purpose].setChecked(True)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ConsentDialog, "exec", agree)
    seen: list[object] = []
    feedback.session.changed.connect(seen.append)
    feedback.panel.edit_consent()
    assert seen == [ConsentChanged(feedback.clip_id)]
    assert consent.consent_for(feedback.ws, feedback.clip_id).purposes == (
        "feedback",
        "supervision",
    )
    feedback.panel.export()
    assert allowed("supervision") and not allowed("training")


def test_the_reliability_window_assigns_and_lists_from_a_bare_session(qtbot, workspace, clips):
    names = ("cfr25", "ntsc")
    for n, name in enumerate(names, start=1):
        clip_service.add_clip(workspace, clips[name], "FAM-1", f"Visit {n}")
    session = CodingSession.bare(workspace, coder="Sue")
    rel = ReliabilityWindow(session, None)
    qtbot.addWidget(rel)
    rel.scheme.setCurrentIndex(rel.scheme.findData("kips"))
    tab = rel.assign
    assert tab.list.count() == 0
    tab.coders.setText("Ann, Ben")
    tab.every.setValue(1)
    qtbot.mouseClick(tab.assign_button, Qt.MouseButton.LeftButton)
    rows = [tab.list.item(i).text() for i in range(tab.list.count())]
    assert len(rows) == 2 * len(names)  # each clip to both coders, blind
    for name in names:
        assert {r.split(" — ")[1].split(":")[0] for r in rows if f"{name}.mp4" in r} == {
            "Ann",
            "Ben",
        }
    assert all(r.endswith("blind") for r in rows)
    assert f"{len(names)} clip" in rel.message.text("assign")
    rel.close()


def test_export_from_a_bare_session_offers_the_open_clip_as_its_coder(
    qtbot, workspace, clips, monkeypatch
):
    clip_id = clip_service.add_clip(workspace, clips["cfr25"], "FAM-1", "Visit 1").clip_id
    session = CodingSession.bare(workspace, coder="Sue")
    session.open_clip(clip_service.clip_info(workspace, clip_id))
    shown: list[CodingExportDialog] = []
    monkeypatch.setattr(CodingExportDialog, "exec", lambda d: shown.append(d) or 0)
    export_from(session)
    (dialog,) = shown
    assert dialog.scope.currentData() == ("clip", clip_id)
    assert session.shell.messages.text("export") == ""  # cancelled: nothing said


def test_the_sessions_workspace_is_backed_up_when_it_opens_and_checked_on_demand(
    qtbot, tmp_path, clips, monkeypatch
):
    ws = open_workspace(tmp_path / "clinic.vfa", create=True)
    clip_service.add_clip(ws, clips["noaudio"], "FAM-1", "Visit 1")
    session = CodingSession.bare(coder="Sue")
    safety = WorkspaceSafety(session, lambda: session.set_workspace(None), lambda _p: None)
    session.set_workspace(ws)
    qtbot.waitUntil(lambda: len(backups_of(ws)) == 1, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: bool(session.shell.last_note), timeout=TIMEOUT)
    assert "backed up" in session.shell.last_note and safety.timer.isActive()
    shown: list[CheckDialog] = []
    monkeypatch.setattr(CheckDialog, "exec", lambda d: shown.append(d) or 0)
    safety.check()
    qtbot.waitUntil(lambda: bool(shown), timeout=TIMEOUT)
    assert shown[0].parent() is session.shell.host
    session.set_workspace(None)  # closed: no daily backups of it
    assert not safety.timer.isActive()
    ws.close()
