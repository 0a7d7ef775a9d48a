"""File → Encrypt workspace… and Decrypt workspace… beyond the happy path: the dialog
refuses an empty, short or mismatched passphrase under its fields and nothing happens;
Cancel while the file is being converted stops it and leaves the workspace as it was,
open again in the window; the actions are disabled, saying why, on a team database, a
workspace open read-only, an unencrypted one (Decrypt) and while VFA still reads new
clips or makes a backup."""

from __future__ import annotations

import sqlite3
import threading
from contextlib import closing
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from tests.ui.test_actions_surface import answering, menu_titled
from tests.ui.test_actions_surface_cipher import (
    SECRET,
    no_remembered_passphrases,  # noqa: F401  (a fixture: nothing remembered)
    reopened,
    show,
    shows_again,
    sqlite3_reads,
    what_is_shown,
)
from vfa.services.backups import backups_of
from vfa.storage.workspace import open_workspace
from vfa.ui import encrypt_dialog
from vfa.ui.encrypt_dialog import CipherDialog
from vfa.ui.messages import Level


def rows(path: Path) -> list[str]:
    """The workspace's content as SQL, read with the plain sqlite3 module."""
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as raw:
        return list(raw.iterdump())


def beside(path: Path) -> list[str]:
    """The files and folders beside the workspace (SQLite's -wal and -shm left out)."""
    return sorted(p.name for p in path.parent.iterdir() if not p.name.endswith(("-wal", "-shm")))


def tip(window, key: str) -> tuple[bool, str]:
    action = window.actions_by_id[key]
    return action.isEnabled(), action.toolTip()


def open_file_menu(window, qtbot) -> None:
    """Show the File menu (what the user sees then) and close it again."""
    menu = menu_titled(window, "File")
    menu.popup(window.mapToGlobal(window.rect().center()))
    qtbot.waitUntil(menu.isVisible, timeout=5_000)
    menu.close()


def test_an_empty_short_or_mismatched_passphrase_is_refused_under_the_fields(window, qtbot):
    ws, path = window.ws, window.ws.path
    said = []

    def refuse(dialog: CipherDialog) -> None:
        for first, again in (("", ""), ("short", "short"), (SECRET, SECRET + "!")):
            qtbot.keyClicks(dialog.field, first)
            qtbot.keyClicks(dialog.again, again)
            qtbot.keyClick(dialog.again, Qt.Key.Key_Return)
            said.append(dialog.problem.text())
            assert dialog.isVisible() and not dialog.busy
            dialog.field.clear()
            dialog.again.clear()
        dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()

    with answering(qtbot, (CipherDialog, refuse)):
        window.cipher.encrypt()
    assert said == [
        "Enter a passphrase.",
        "The passphrase has 5 characters; give one of at least 8 (a few unrelated words are "
        "easy to type and hard to guess).",
        "The two passphrases differ: type the same one twice.",
    ]
    assert window.ws is ws and sqlite3_reads(path)  # never let go of, never changed
    assert [b.reason for b in backups_of(ws)] == ["open"]


def test_cancel_while_encrypting_stops_and_leaves_the_workspace_as_it_was(
    window, qtbot, monkeypatch
):
    show(window, qtbot, 61)
    path, shown = window.ws.path, what_is_shown(window)
    content, files = rows(path), beside(path)
    backups = [b.path for b in backups_of(window.ws)]
    cancelled = threading.Event()
    real = encrypt_dialog.encrypt_workspace

    def held(target, secret, *, progress, cancel):
        """The real encryption, once Cancel has been clicked while it was under way."""
        progress(0.0)
        assert cancelled.wait(timeout=60)
        return real(target, secret, progress=progress, cancel=cancel)

    monkeypatch.setattr(encrypt_dialog, "encrypt_workspace", held)
    seen = {}

    def cancel_midway(dialog: CipherDialog) -> None:
        qtbot.keyClicks(dialog.field, SECRET)
        qtbot.keyClicks(dialog.again, SECRET)
        qtbot.mouseClick(dialog.act, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.progress.isVisible(), timeout=10_000)
        seen["closed"] = window.ws is None  # let go of while the file is converted
        with qtbot.waitSignal(dialog.finished, timeout=60_000) as closed:
            dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()
            seen["stopping"] = dialog.problem.text()
            cancelled.set()
        seen["result"] = closed.args

    with answering(qtbot, (CipherDialog, cancel_midway)):
        window.cipher.encrypt()
    reopened(window, qtbot, encrypted=False)
    assert seen == {"closed": True, "stopping": "Stopping…", "result": [0]}
    assert window.messages.level("workspace.encrypt") is Level.INFO
    assert window.messages.text("workspace.encrypt") == (
        f"{path} was not encrypted: stopped; nothing was changed."
    )
    assert sqlite3_reads(path) and rows(path) == content
    assert beside(path) == files  # no part file left
    assert [b.path for b in backups_of(window.ws) if b.reason != "open"] == [
        b for b in backups if "open" not in b.name
    ]  # no backup "before encrypting" of an encryption that never happened
    shows_again(window, qtbot, shown)


def test_a_refusal_by_the_service_is_said_in_the_window_which_opens_the_workspace_again(
    window, qtbot
):
    path, shown = window.ws.path, what_is_shown(window)
    other = open_workspace(path)  # another VFA has it open: encrypting is refused

    def encrypt(dialog: CipherDialog) -> None:
        qtbot.keyClicks(dialog.field, SECRET)
        qtbot.keyClicks(dialog.again, SECRET)
        with qtbot.waitSignal(dialog.finished, timeout=60_000):
            qtbot.mouseClick(dialog.act, Qt.MouseButton.LeftButton)

    try:
        with answering(qtbot, (CipherDialog, encrypt)):
            window.cipher.encrypt()
        reopened(window, qtbot, encrypted=False)
    finally:
        other.close()
    assert window.messages.level("workspace.encrypt") is Level.ERROR
    assert window.messages.text("workspace.encrypt") == (
        f"{path}: another VFA has this workspace open; close it there first (nothing was changed)"
    )
    assert sqlite3_reads(path)
    shows_again(window, qtbot, shown)


def test_decrypt_is_disabled_on_a_plain_workspace_and_both_say_why_when_none_is_open(
    bare_window, window
):
    assert tip(window, "workspace.encrypt") == (
        True,
        "Encrypt the workspace file and its backups with a passphrase",
    )
    assert tip(window, "workspace.decrypt") == (False, "The workspace is not encrypted.")
    window.close_workspace()
    for key in ("workspace.encrypt", "workspace.decrypt"):
        assert tip(window, key) == (False, "Open a workspace first.")


def test_both_are_disabled_on_a_workspace_open_read_only(bare_window, barcode_copy):
    ws = open_workspace(barcode_copy, read_only=True)
    bare_window.set_workspace(ws)
    assert tip(bare_window, "workspace.encrypt") == (
        False,
        f"{barcode_copy} is open read-only (you asked for read-only): it cannot be changed.",
    )


def test_both_are_disabled_while_new_clips_are_read_or_a_backup_is_made(window, qtbot, monkeypatch):
    monkeypatch.setattr(window.hasher, "busy", lambda: True)
    open_file_menu(window, qtbot)  # (the menu says how things are when it shows)
    assert tip(window, "workspace.encrypt") == (
        False,
        "VFA is still reading the content of new clips; try again when it has finished.",
    )
    monkeypatch.undo()
    open_file_menu(window, qtbot)
    assert tip(window, "workspace.encrypt")[0]
    import datetime as dt

    window.safety._backup("manual", dt.timedelta(0))
    assert tip(window, "workspace.encrypt") == (
        False,
        "VFA is backing up the workspace; try again when it has finished.",
    )
    qtbot.waitUntil(lambda: tip(window, "workspace.encrypt")[0], timeout=30_000)


def test_both_are_disabled_on_a_team_database(bare_window, pg_database):
    ws = open_workspace(pg_database, create=True)
    bare_window.set_workspace(ws)
    for key in ("workspace.encrypt", "workspace.decrypt"):
        assert tip(bare_window, key) == (
            False,
            "A team database is kept safe by its server (its disks and its connections), "
            "not encrypted by VFA.",
        )
    bare_window.close_workspace()


@pytest.mark.parametrize("encrypting", [True, False])
def test_the_dialog_says_what_it_will_do_and_masks_the_passphrase(qtbot, encrypting):
    dialog = CipherDialog("clinic", encrypting)
    qtbot.addWidget(dialog)
    assert dialog.field.echoMode() == dialog.field.EchoMode.Password
    assert dialog.again.echoMode() == dialog.again.EchoMode.Password
    assert dialog.intro.text() == (
        "Encrypt clinic and its backups with a passphrase. VFA asks for it whenever the "
        "workspace is opened."
        if encrypting
        else "Decrypt clinic and its backups: enter its passphrase."
    )
    assert dialog.act.text() == ("&Encrypt" if encrypting else "&Decrypt")
