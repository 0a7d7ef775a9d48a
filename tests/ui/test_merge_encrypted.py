"""File → Merge workspace… with an encrypted laptop file, through the window's menu (the
merge dialog driven where it would run modal, so that the passphrase dialogs over it are
answered in the order they come): the merge asks for the file's passphrase in the dialog
the window uses when it opens one, a wrong one says so and asks again, the right one
shows the dry run and merges; cancelling says why nothing was merged and changes nothing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QLabel, QLineEdit

from tests.storage.test_encrypted_workspace import SECRET, digest
from tests.ui.test_actions_surface import TypeFileName, answering
from vfa.services import clips as clip_service
from vfa.services.encryption import encrypt_workspace
from vfa.storage import passphrases
from vfa.storage.passphrases import Passphrase
from vfa.storage.workspace import open_workspace
from vfa.ui.merge_dialog import MergeDialog
from vfa.ui.passphrase_dialog import PassphraseDialog


@pytest.fixture
def laptop(tmp_path, clips, monkeypatch):
    """An encrypted workspace file holding case FAM-7, its passphrase known to no one here."""
    monkeypatch.setattr(passphrases, "_remembered", {})
    monkeypatch.delenv(passphrases.ENV, raising=False)
    path = tmp_path / "laptop.vfa"
    ws = open_workspace(path, create=True)
    clip_service.add_clip(ws, clips["noaudio"], "FAM-7", "Visit 1")
    ws.close()
    encrypt_workspace(path, Passphrase(SECRET))
    passphrases.forget(path)
    return path


class AnswerPassphrase:
    """Answer the passphrase dialog as a user does (None: cancel), noting what it said."""

    def __init__(self, qtbot, text: str | None) -> None:
        self.qtbot, self.text = qtbot, text
        self.wrong_said: bool | None = None
        self.intro = ""

    def __call__(self, asked: PassphraseDialog) -> None:
        assert asked.field.echoMode() == QLineEdit.EchoMode.Password
        self.wrong_said = asked.problem.isVisible()
        self.intro = asked.findChildren(QLabel)[0].text()
        if self.text is None:
            asked.reject()
            return
        self.qtbot.keyClicks(asked.field, self.text)
        self.qtbot.keyClick(asked.field, Qt.Key.Key_Return)


def driven(monkeypatch, qtbot, drive) -> dict:
    """The merge dialog, once the menu opens it, driven by ``drive`` (shown as exec shows
    it; the passphrase dialogs over it are answered as they come)."""
    seen: dict = {}

    def run(dialog: MergeDialog) -> int:
        dialog.show()
        try:
            drive(dialog, seen)
        finally:
            dialog.reject()
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(MergeDialog, "exec", run)
    return seen


def codes(window) -> list[str]:
    browser = window.browser
    return [browser.topLevelItem(n).text(0) for n in range(browser.topLevelItemCount())]


def test_merging_an_encrypted_laptop_asks_for_its_passphrase(
    window, surface, qtbot, laptop, monkeypatch
):
    def drive(dialog: MergeDialog, seen: dict) -> None:
        qtbot.waitUntil(lambda: dialog.report is not None, timeout=60_000)
        seen["summary"] = dialog.summary.text()
        with qtbot.waitSignal(dialog.merged, timeout=30_000):
            qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)

    seen = driven(monkeypatch, qtbot, drive)
    wrong, right = AnswerPassphrase(qtbot, "not the passphrase"), AnswerPassphrase(qtbot, SECRET)
    steps = [(QFileDialog, TypeFileName(laptop)), (PassphraseDialog, wrong)]
    with answering(qtbot, *steps, (PassphraseDialog, right)):
        surface.fire(window, "workspace.merge")
    assert wrong.intro == f"{laptop} is encrypted. Enter its passphrase to open it."
    assert (wrong.wrong_said, right.wrong_said) == (False, True)  # the second time, it says
    assert seen["summary"] == f"Merging {laptop} would do this:"
    assert codes(window) == ["DEMO-001", "FAM-7"]
    assert window.messages.text("merge") == f"Merged {laptop}."


def test_no_passphrase_merges_nothing_and_says_why(window, surface, qtbot, laptop, monkeypatch):
    before = digest(laptop)

    def drive(dialog: MergeDialog, seen: dict) -> None:
        qtbot.waitUntil(lambda: dialog.problems.count() > 0, timeout=60_000)
        seen["listed"] = dialog.problems.item(0).text()
        seen["merge on"] = dialog.merge_button.isEnabled()

    seen = driven(monkeypatch, qtbot, drive)
    cancel = AnswerPassphrase(qtbot, None)
    with answering(qtbot, (QFileDialog, TypeFileName(laptop)), (PassphraseDialog, cancel)):
        surface.fire(window, "workspace.merge")
    assert seen == {
        "listed": f"{laptop} was not merged: it is encrypted, and no passphrase was given.",
        "merge on": False,
    }
    assert codes(window) == ["DEMO-001"] and digest(laptop) == before
