"""Opening an encrypted workspace in the window: a masked passphrase dialog; a wrong
passphrase brings it back saying so; the right one opens the workspace (off the GUI
thread, as every opening); cancelling leaves the window as it was and says why."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QStyle

from tests.storage.test_encrypted_workspace import SECRET, digest
from vfa.services.encryption import encrypt_workspace
from vfa.storage import passphrases
from vfa.storage.models import Case
from vfa.storage.passphrases import Passphrase
from vfa.storage.workspace import open_workspace
from vfa.ui.passphrase_dialog import PassphraseDialog

CASE = "FAMCODE-UI1"


@pytest.fixture
def encrypted(tmp_path, monkeypatch):
    monkeypatch.setattr(passphrases, "_remembered", {})
    monkeypatch.delenv(passphrases.ENV, raising=False)
    path = tmp_path / "clinic.vfa"
    ws = open_workspace(path, create=True)
    with ws.writes.begin() as db:
        db.add(Case(code=CASE))
    ws.close()
    encrypt_workspace(path, Passphrase(SECRET))
    passphrases.forget(path)  # as when VFA starts: nothing known
    return path


def shown_dialog(window) -> PassphraseDialog | None:
    found = [d for d in window.findChildren(PassphraseDialog) if d.isVisible()]
    return found[0] if found else None


def answer(qtbot, window, text: str) -> PassphraseDialog:
    qtbot.waitUntil(lambda: shown_dialog(window) is not None, timeout=10_000)
    dialog = shown_dialog(window)
    assert dialog.field.echoMode() == QLineEdit.EchoMode.Password
    qtbot.keyClicks(dialog.field, text)
    qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
    return dialog


def test_a_wrong_passphrase_asks_again_and_the_right_one_opens_the_workspace(
    bare_window, qtbot, encrypted
):
    window = bare_window
    window.open_workspace_at(str(encrypted))
    first = answer(qtbot, window, "not the passphrase")
    assert not first.problem.isVisible()  # the first time, nothing is wrong yet
    qtbot.waitUntil(
        lambda: shown_dialog(window) is not None and shown_dialog(window).problem.isVisible(),
        timeout=10_000,
    )
    again = shown_dialog(window)
    assert "Wrong passphrase" in again.problem.text()
    assert window.ws is None
    answer(qtbot, window, SECRET)
    qtbot.waitUntil(lambda: window.ws is not None, timeout=10_000)
    assert window.ws.path == encrypted and window.ws.passphrase is not None
    assert shown_dialog(window) is None
    from vfa.services.clips import catalog

    assert [c.code for c in catalog(window.ws)] == [CASE]


def test_cancelling_the_dialog_opens_nothing_and_says_why(bare_window, qtbot, encrypted):
    window = bare_window
    before = digest(encrypted)
    window.open_workspace_at(str(encrypted))
    qtbot.waitUntil(lambda: shown_dialog(window) is not None, timeout=10_000)
    shown_dialog(window).reject()
    qtbot.waitUntil(lambda: window.messages.isVisible(), timeout=10_000)
    assert str(encrypted) in window.messages.label.text()
    assert "not opened" in window.messages.label.text()
    assert window.ws is None and shown_dialog(window) is None
    assert digest(encrypted) == before


def test_an_empty_passphrase_is_not_tried(bare_window, qtbot, encrypted):
    window = bare_window
    window.open_workspace_at(str(encrypted))
    dialog = answer(qtbot, window, "")
    assert dialog.isVisible() and dialog.problem.isVisible()
    dialog.reject()
    qtbot.waitUntil(lambda: shown_dialog(window) is None, timeout=10_000)


def test_the_backups_list_says_every_reason_in_words(qapp):
    from vfa.storage.backups import REASONS
    from vfa.ui.backups_dialog import _reason

    assert [r for r in REASONS if "-" in _reason(r)] == []  # before-encrypt, before-decrypt too


def test_the_field_shows_a_passphrase_of_a_few_words_whole(qtbot):
    """Four unrelated words (what the guide suggests) are seen as typed, masked."""
    dialog = PassphraseDialog("/tmp/clinic.vfa", False)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    field = dialog.field
    typed = "purple kettle rain orchard"
    field.setText(typed)
    masked = field.style().styleHint(QStyle.StyleHint.SH_LineEdit_PasswordCharacter)
    need = field.fontMetrics().horizontalAdvance(chr(masked) * len(typed))
    room = field.width() - field.textMargins().left() - field.textMargins().right() - 8
    assert need <= room, (need, room)
    dialog.reject()
