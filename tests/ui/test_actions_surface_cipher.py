"""File → Encrypt workspace… and Decrypt workspace…, chosen from the menu as a user does:
the passphrases typed into the dialog, the file converted off the GUI thread, and the
window showing the same workspace, clip and frame again. Shared here: a window on an
encrypted copy of the barcode workspace, and what the file looks like to sqlite3."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.exceptions import TimeoutError

from tests.ui.test_actions_surface import answering, covers
from vfa.services import clips as clip_service
from vfa.services.backups import backups_of
from vfa.services.encryption import encrypt_workspace
from vfa.storage import cipher, passphrases
from vfa.storage.passphrases import Passphrase
from vfa.storage.workspace import open_workspace
from vfa.ui.encrypt_dialog import CipherDialog
from vfa.ui.messages import Level

SECRET = "tea at four, rain at five"
CASE = b"DEMO-001"  # the barcode workspace's case code, looked for in the file's bytes


@pytest.fixture(autouse=True)
def no_remembered_passphrases(monkeypatch):
    """Each test starts with no passphrase known for any file."""
    monkeypatch.setattr(passphrases, "_remembered", {})
    monkeypatch.delenv(passphrases.ENV, raising=False)


def settled(window, qtbot) -> None:
    """The backup made on opening is done, and the window is the active one."""
    qtbot.waitUntil(lambda: not window.safety.busy(), timeout=30_000)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5_000)


@pytest.fixture
def encrypted_window(bare_window, barcode_copy, qtbot):
    """The window on an encrypted copy of the barcode workspace, its clip on frame 0."""
    encrypt_workspace(barcode_copy, Passphrase(SECRET))
    passphrases.forget(barcode_copy)
    ws = open_workspace(barcode_copy, passphrase=Passphrase(SECRET))
    with qtbot.waitSignal(bare_window.player_view.frame_shown, timeout=20_000):
        bare_window.set_workspace(ws)
        bare_window.open_clip(1)
    settled(bare_window, qtbot)
    return bare_window


def show(window, qtbot, frame: int) -> None:
    window.player_view.show_frame(frame)
    qtbot.waitUntil(lambda: window.player_view.shown_index() == frame, timeout=10_000)


def sqlite3_reads(path: Path) -> bool:
    """Whether the plain sqlite3 module reads the file as a database."""
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as raw:
        try:
            raw.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError as exc:
            assert "not a database" in str(exc)
            return False
    return True


def what_is_shown(window) -> tuple:
    """The cases and clips listed, the clip open and the frame on screen."""
    cases = [(c.code, [k.id for s in c.sessions for k in s.clips])
             for c in clip_service.catalog(window.ws)]  # fmt: skip
    listed = [
        window.browser.topLevelItem(n).text(0) for n in range(window.browser.topLevelItemCount())
    ]
    return cases, listed, window.current_clip, window.player_view.shown_index()


def shows_again(window, qtbot, before: tuple) -> None:
    """Wait for the window to show what it showed (the frame is drawn off the GUI thread);
    fail saying what it shows instead."""
    try:
        qtbot.waitUntil(lambda: what_is_shown(window) == before, timeout=10_000)
    except TimeoutError:
        assert what_is_shown(window) == before


def reopened(window, qtbot, encrypted: bool) -> None:
    """Wait for the window to show the workspace again, said done, and settled."""
    qtbot.waitUntil(
        lambda: window.ws is not None and (window.ws.passphrase is not None) is encrypted,
        timeout=60_000,
    )
    qtbot.waitUntil(lambda: window.messages.level("workspace.encrypt") is not None, timeout=10_000)
    settled(window, qtbot)


@covers("workspace.encrypt")
def test_encrypt_turns_the_file_to_random_bytes_and_shows_the_same_clip_and_frame(
    window, surface, qtbot
):
    show(window, qtbot, 137)
    path, before = window.ws.path, what_is_shown(window)
    seen = {}

    def encrypt(dialog: CipherDialog) -> None:
        seen["title"], seen["warning"] = dialog.windowTitle(), dialog.warning.text()
        qtbot.keyClicks(dialog.field, SECRET)
        qtbot.keyClicks(dialog.again, SECRET)
        with qtbot.waitSignal(dialog.finished, timeout=60_000) as closed:
            qtbot.mouseClick(dialog.act, Qt.MouseButton.LeftButton)
        seen["result"] = closed.args

    with answering(qtbot, (CipherDialog, encrypt)):
        surface.fire(window, "workspace.encrypt")
    reopened(window, qtbot, encrypted=True)
    assert seen == {
        "title": "Encrypt workspace",
        "warning": "The passphrase cannot be recovered: if it is lost, nobody can open the "
        "workspace or its backups again. Keep it somewhere safe.",
        "result": [1],  # accepted
    }
    assert not sqlite3_reads(path) and CASE not in path.read_bytes()
    backups = backups_of(window.ws)
    assert backups and all(cipher.looks_encrypted(b.path) for b in backups)
    shows_again(window, qtbot, before)
    assert window.messages.level("workspace.encrypt") is Level.INFO
    assert window.messages.text("workspace.encrypt").startswith(f"Encrypted {path} and ")
    actions = window.actions_by_id
    assert not actions["workspace.encrypt"].isEnabled()
    assert actions["workspace.encrypt"].toolTip().startswith("The workspace is encrypted already")
    assert actions["workspace.decrypt"].isEnabled()


@covers("workspace.decrypt")
def test_decrypt_refuses_a_wrong_passphrase_then_leaves_a_plain_file_showing_the_same(
    encrypted_window, surface, qtbot
):
    window = encrypted_window
    show(window, qtbot, 250)
    ws, path, before = window.ws, window.ws.path, what_is_shown(window)
    seen = {}

    def decrypt(dialog: CipherDialog) -> None:
        seen["title"] = dialog.windowTitle()
        seen["again shown"] = dialog.again.isVisibleTo(dialog)
        qtbot.keyClicks(dialog.field, "not the passphrase")
        qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: not dialog.busy, timeout=30_000)
        seen["wrong"] = dialog.problem.text()
        seen["still open"] = window.ws is ws and dialog.isVisible()
        seen["file"] = cipher.looks_encrypted(path)
        qtbot.keyClicks(dialog.field, SECRET)
        with qtbot.waitSignal(dialog.finished, timeout=60_000):
            qtbot.mouseClick(dialog.act, Qt.MouseButton.LeftButton)

    with answering(qtbot, (CipherDialog, decrypt)):
        surface.fire(window, "workspace.decrypt")
    reopened(window, qtbot, encrypted=False)
    assert seen == {
        "title": "Decrypt workspace",
        "again shown": False,
        "wrong": "Wrong passphrase. Try again, or cancel.",
        "still open": True,
        "file": True,
    }
    assert sqlite3_reads(path)
    assert all(not cipher.looks_encrypted(b.path) for b in backups_of(window.ws))
    shows_again(window, qtbot, before)
    assert window.messages.text("workspace.encrypt").startswith(f"Decrypted {path} and ")
    assert window.actions_by_id["workspace.encrypt"].isEnabled()
    assert not window.actions_by_id["workspace.decrypt"].isEnabled()
    assert window.actions_by_id["workspace.decrypt"].toolTip() == "The workspace is not encrypted."
