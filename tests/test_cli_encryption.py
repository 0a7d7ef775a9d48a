"""`vfa workspace encrypt|decrypt` and `--passphrase-file` on every command: a missing or
wrong passphrase is exit 2 with a `vfa:` message and no traceback, and the file stays as
it was byte for byte; check, backup and restore work on an encrypted workspace; the
passphrase is never printed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.storage.test_encrypted_workspace import (
    CASE,
    SECRET,
    add_coding,
    all_rows,
    assert_unreadable,
    digest,
)
from vfa.cli import main
from vfa.storage import backups as store
from vfa.storage import cipher, passphrases
from vfa.storage.passphrases import Passphrase
from vfa.storage.workspace import open_workspace


@pytest.fixture(autouse=True)
def as_a_new_process(monkeypatch):
    """Each command runs as if in a process of its own: no passphrase remembered."""
    monkeypatch.setattr(passphrases, "_remembered", {})
    monkeypatch.delenv(passphrases.ENV, raising=False)


def run(capfd, *argv: str) -> tuple[int, str, str]:
    passphrases._remembered.clear()
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capfd.readouterr()
    for text in (out, err):
        assert SECRET not in text and "Traceback" not in text
    return code, out, err


@pytest.fixture
def key_file(tmp_path) -> Path:
    path = tmp_path / "secret" / "passphrase.txt"
    path.parent.mkdir()
    path.write_text(SECRET + "\n")
    path.chmod(0o600)
    return path


@pytest.fixture
def plain(tmp_path, capfd) -> Path:
    path = tmp_path / "clinic.vfa"
    assert run(capfd, "workspace", "new", str(path))[0] == 0
    ws = open_workspace(path)
    try:
        add_coding(ws, tmp_path)
    finally:
        ws.close()
    return path


@pytest.fixture
def encrypted(plain, key_file, capfd) -> Path:
    code, out, err = run(
        capfd, "workspace", "encrypt", str(plain), "--passphrase-file", str(key_file), "--json"
    )
    assert code == 0, err
    done = json.loads(out)
    assert done["encrypted"] is True and done["workspace"] == str(plain)
    return plain


def cases(capfd, path: Path, *options: str) -> list[str]:
    code, out, err = run(capfd, *options, "clip", "list", "--workspace", str(path), "--json")
    assert code == 0, err
    return sorted({c["case"] for c in json.loads(out)})


def test_encrypt_makes_the_file_unreadable_and_every_command_takes_the_passphrase_file(
    capfd, encrypted, key_file
):
    assert_unreadable(encrypted)
    assert cases(capfd, encrypted, "--passphrase-file", str(key_file)) == [CASE]  # before
    code, out, err = run(  # after the subcommand
        capfd, "clip", "list", "--workspace", str(encrypted), "--passphrase-file", str(key_file)
    )
    assert code == 0 and CASE in out, err


def test_the_passphrase_may_come_from_the_environment(capfd, encrypted, monkeypatch):
    monkeypatch.setenv("VFA_PASSPHRASE", SECRET)
    assert cases(capfd, encrypted) == [CASE]
    code, out, err = run(capfd, "workspace", "info", "--workspace", str(encrypted), "--json")
    assert code == 0 and json.loads(out)["encrypted"] is True, err


def test_encrypt_with_the_passphrase_file_before_the_subcommand(capfd, plain, key_file):
    code, out, err = run(
        capfd, "--passphrase-file", str(key_file), "workspace", "encrypt", "--workspace", str(plain)
    )
    assert code == 0, err
    assert "encrypted" in out and "Keep the passphrase safe" in out
    assert_unreadable(plain)


@pytest.mark.parametrize("given", ["none", "wrong"])
@pytest.mark.parametrize(
    "command",
    [["clip", "list"], ["check"], ["backup"], ["workspace", "info"], ["workspace", "decrypt"]],
)
def test_a_missing_or_wrong_passphrase_is_exit_2_and_the_file_is_unchanged(
    capfd, encrypted, tmp_path, given, command
):
    before = digest(encrypted)
    backups_before = store.list_backups(encrypted)
    options: list[str] = []
    if given == "wrong":
        wrong = tmp_path / "wrong.txt"
        wrong.write_text("not the passphrase\n")
        wrong.chmod(0o600)
        options = ["--passphrase-file", str(wrong)]
    code, out, err = run(capfd, *command, "--workspace", str(encrypted), *options)
    assert code == 2 and out == ""
    if given == "none" and command[-1] == "decrypt":
        assert err.startswith("vfa: give the passphrase to decrypt with: --passphrase-file FILE")
    elif given == "none":
        assert err == (
            f"vfa: {encrypted} is encrypted (or not a workspace): give its passphrase "
            "(--passphrase-file FILE or VFA_PASSPHRASE)\n"
        )
    else:
        assert err == (
            f"vfa: {encrypted}: wrong passphrase (or not a VFA workspace): the one in {wrong} "
            "does not open it; nothing was changed. Give the passphrase it was encrypted with "
            "(the whole first line of the file counts, spaces included)\n"
        )
    assert digest(encrypted) == before
    assert store.list_backups(encrypted) == backups_before


@pytest.mark.parametrize("where", ["after", "before"])
def test_a_wrong_passphrase_says_where_it_came_from(capfd, encrypted, tmp_path, monkeypatch, where):
    before = digest(encrypted)
    spaced = tmp_path / "spaced.txt"
    spaced.write_text(f"{SECRET} \n")  # a space after it: part of the passphrase
    spaced.chmod(0o600)
    given = ["--passphrase-file", str(spaced)]
    argv = ["clip", "list", "--workspace", str(encrypted), *given]
    if where == "before":
        argv = [*given, "--workspace", str(encrypted), "clip", "list"]
    code, out, err = run(capfd, *argv)
    assert code == 2 and out == "" and "Traceback" not in err
    assert f"the one in {spaced} does not open it; nothing was changed" in err
    assert "spaces included" in err
    monkeypatch.setenv("VFA_PASSPHRASE", "another passphrase")
    code, out, err = run(capfd, "clip", "list", "--workspace", str(encrypted))
    assert code == 2 and out == ""
    assert err.startswith(f"vfa: {encrypted}: wrong passphrase (or not a VFA workspace): ")
    assert "the one in VFA_PASSPHRASE does not open it; nothing was changed" in err
    assert "another passphrase" not in err
    assert digest(encrypted) == before


def test_check_backup_and_restore_work_on_an_encrypted_workspace(capfd, encrypted, key_file):
    key = ["--passphrase-file", str(key_file)]
    code, out, err = run(capfd, "check", "--workspace", str(encrypted), *key, "--json")
    assert code == 1, err  # the clip rows made for the test point at no video file
    assert {p["kind"] for p in json.loads(out)["problems"]} == {"clip"}  # the file is sound
    code, out, err = run(capfd, "backup", "--workspace", str(encrypted), *key, "--json")
    assert code == 0, err
    made = Path(json.loads(out)["path"])
    assert_unreadable(made)
    code, out, err = run(capfd, *key, "backup", "--list", "--workspace", str(encrypted), "--json")
    assert code == 0 and str(made) in [b["path"] for b in json.loads(out)]
    secret = Passphrase(SECRET)
    rows = all_rows(encrypted, secret)
    code, out, err = run(capfd, "restore", str(made), "--workspace", str(encrypted), *key)
    assert code == 0, err
    after = all_rows(encrypted, secret)
    assert after["case"] == rows["case"] and after["annotation"] == rows["annotation"]
    assert_unreadable(encrypted)
    code, _, err = run(capfd, "restore", str(made), "--workspace", str(encrypted))
    assert code == 2 and "give its passphrase" in err


def test_decrypt_gives_back_a_plain_workspace_with_every_row(capfd, plain, key_file):
    original = all_rows(plain, None)
    key = ["--passphrase-file", str(key_file)]
    assert run(capfd, "workspace", "encrypt", str(plain), *key)[0] == 0
    code, out, err = run(capfd, "workspace", "decrypt", str(plain), *key, "--json")
    assert code == 0, err
    assert json.loads(out)["encrypted"] is False
    assert plain.read_bytes()[:16] == cipher.HEADER
    rows = all_rows(plain, None)
    assert rows.pop("audit_entry")[-2:] != original.pop("audit_entry")[-2:]
    assert rows == original
    assert cases(capfd, plain) == [CASE]  # no passphrase needed any more


def test_encrypt_is_refused_while_another_vfa_has_the_workspace_open(capfd, plain, key_file):
    before = digest(plain)
    other = open_workspace(plain)
    try:
        code, _, err = run(
            capfd, "workspace", "encrypt", str(plain), "--passphrase-file", str(key_file)
        )
    finally:
        other.close()
    assert code == 2 and "another VFA has this workspace open" in err
    assert digest(plain)[""] == before[""]
    assert plain.read_bytes()[:16] == cipher.HEADER


def test_encrypt_needs_a_passphrase_and_a_long_enough_one(capfd, plain, tmp_path):
    before = digest(plain)
    code, _, err = run(capfd, "workspace", "encrypt", str(plain))
    assert code == 2 and "--passphrase-file FILE" in err and "VFA_PASSPHRASE" in err
    short = tmp_path / "short.txt"
    short.write_text("abc\n")
    short.chmod(0o600)
    code, _, err = run(capfd, "workspace", "encrypt", str(plain), "--passphrase-file", str(short))
    assert code == 2 and "at least 8" in err
    assert digest(plain) == before


@pytest.mark.parametrize("verb", ["encrypt", "decrypt"])
@pytest.mark.parametrize("where", ["before", "after"])
def test_without_a_passphrase_the_command_says_how_to_give_it_in_plain_words(
    capfd, plain, verb, where
):
    from tests.message_texts import doubled_words

    argv = ["workspace", verb]
    argv = ["--workspace", str(plain), *argv] if where == "before" else [*argv, str(plain)]
    code, out, err = run(capfd, *argv)
    assert code == 2 and out == ""
    assert err.startswith(f"vfa: give the passphrase to {verb} with: --passphrase-file FILE")
    assert doubled_words(err) == []


@pytest.mark.parametrize("where", ["before", "after"])
@pytest.mark.parametrize("make", ["folder", "device", "huge", "empty line", "missing"])
def test_a_passphrase_file_that_is_not_one_is_refused_naming_it(
    capfd, encrypted, tmp_path, where, make
):
    bad = tmp_path / "bad.txt"
    if make == "folder":
        bad.mkdir()
    elif make == "device":
        bad = Path("/dev/zero")
    elif make == "huge":
        bad.write_bytes(b"x" * (1 << 20))
    elif make == "empty line":
        bad.write_text("\n" + SECRET + "\n")
    before = digest(encrypted)
    option = ["--passphrase-file", str(bad)]
    argv = [*option, "clip", "list"] if where == "before" else ["clip", "list", *option]
    code, out, err = run(capfd, *argv, "--workspace", str(encrypted))
    assert code == 2 and out == ""
    assert err.startswith(f"vfa: --passphrase-file {bad}: ") and err.count("\n") == 1
    assert digest(encrypted) == before


def test_a_passphrase_file_others_can_read_works_with_a_warning(capfd, encrypted, key_file):
    key_file.chmod(0o644)
    code, out, err = run(
        capfd, "clip", "list", "--workspace", str(encrypted), "--passphrase-file", str(key_file)
    )
    assert code == 0 and CASE in out
    assert "can be read by other users" in err and "chmod 600" in err


@pytest.mark.parametrize("size", [6, 511, 4097])
def test_a_file_no_database_could_be_is_not_taken_for_encrypted(capfd, tmp_path, key_file, size):
    other = tmp_path / "notes.vfa"
    other.write_bytes(b"x" * size)
    for argv in (
        ["clip", "list", "--workspace", str(other), "--passphrase-file", str(key_file)],
        ["--passphrase-file", str(key_file), "--workspace", str(other), "clip", "list"],
    ):
        code, out, err = run(capfd, *argv)
        assert code == 2 and out == ""
        assert err == (
            f"vfa: {other}: not a VFA workspace, plain or encrypted (its {size:,} bytes cannot "
            "be a database); check that it is the file you meant. Nothing was changed\n"
        )
    assert other.read_bytes() == b"x" * size
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.vfa", key_file.parent.name]


def test_a_short_new_passphrase_names_where_it_came_from(capfd, plain, tmp_path, monkeypatch):
    before = digest(plain)
    short = tmp_path / "short.txt"
    short.write_text("short\n")
    short.chmod(0o600)
    for argv in (
        ["workspace", "encrypt", str(plain), "--passphrase-file", str(short)],
        ["--passphrase-file", str(short), "workspace", "encrypt", "--workspace", str(plain)],
    ):
        code, out, err = run(capfd, *argv)
        assert code == 2 and out == ""
        assert err.startswith(f"vfa: --passphrase-file {short}: the passphrase has 5 characters")
    monkeypatch.setenv("VFA_PASSPHRASE", "abc")
    code, out, err = run(capfd, "workspace", "encrypt", str(plain))
    assert code == 2 and err.startswith("vfa: VFA_PASSPHRASE: the passphrase has 3 characters")
    assert digest(plain) == before
