"""File → Merge workspace… with an encrypted laptop file, through the window's menu: the
merge asks for the file's passphrase in the dialog the window uses when it opens one, a
wrong one says so and asks again, the right one shows the dry run and merges; cancelling
says why nothing was merged and changes nothing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QLineEdit

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


def asking(qtbot, dialog: MergeDialog, wrong: bool) -> PassphraseDialog:
    """The passphrase dialog over the merge dialog, once it shows (saying a passphrase was
    wrong, or not)."""

    def shown() -> PassphraseDialog | None:
        found = [d for d in dialog.findChildren(PassphraseDialog) if d.isVisible()]
        return found[0] if found and found[0].problem.isVisible() is wrong else None

    qtbot.waitUntil(lambda: shown() is not None, timeout=30_000)
    asked = shown()
    assert asked is not None and asked.field.echoMode() == QLineEdit.EchoMode.Password
    return asked


def type_passphrase(qtbot, asked: PassphraseDialog, text: str) -> None:
    qtbot.keyClicks(asked.field, text)
    qtbot.keyClick(asked.field, Qt.Key.Key_Return)


def codes(window) -> list[str]:
    browser = window.browser
    return [browser.topLevelItem(n).text(0) for n in range(browser.topLevelItemCount())]


def test_merging_an_encrypted_laptop_asks_for_its_passphrase(window, surface, qtbot, laptop):
    seen = {}

    def run_merge(dialog: MergeDialog) -> None:
        first = asking(qtbot, dialog, wrong=False)
        seen["intro"] = first.findChildren(type(dialog.summary))[0].text()
        type_passphrase(qtbot, first, "not the passphrase")
        type_passphrase(qtbot, asking(qtbot, dialog, wrong=True), SECRET)
        qtbot.waitUntil(lambda: dialog.report is not None, timeout=30_000)
        seen["summary"] = dialog.summary.text()
        with qtbot.waitSignal(dialog.merged, timeout=30_000):
            qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
        dialog.reject()

    with answering(qtbot, (QFileDialog, TypeFileName(laptop)), (MergeDialog, run_merge)):
        surface.fire(window, "workspace.merge")
    assert seen["intro"] == f"{laptop} is encrypted. Enter its passphrase to open it."
    assert seen["summary"] == f"Merging {laptop} would do this:"
    assert codes(window) == ["DEMO-001", "FAM-7"]
    assert window.messages.text("merge") == f"Merged {laptop}."


def test_no_passphrase_merges_nothing_and_says_why(window, surface, qtbot, laptop):
    before = digest(laptop)
    seen = {}

    def cancel_it(dialog: MergeDialog) -> None:
        with qtbot.waitSignal(dialog.planned, timeout=30_000) as planned:
            asking(qtbot, dialog, wrong=False).reject()
        assert planned.args == [None]
        seen["listed"] = dialog.problems.item(0).text()
        seen["merge on"] = dialog.merge_button.isEnabled()
        dialog.reject()

    with answering(qtbot, (QFileDialog, TypeFileName(laptop)), (MergeDialog, cancel_it)):
        surface.fire(window, "workspace.merge")
    assert seen == {
        "listed": f"{laptop} was not merged: it is encrypted, and no passphrase was given.",
        "merge on": False,
    }
    assert codes(window) == ["DEMO-001"] and digest(laptop) == before
