"""Where a passphrase comes from (storage/passphrases.py): a passphrase file read without
trusting it, the environment, a passphrase given for a command, one remembered per file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vfa.errors import InvalidInputError
from vfa.storage import passphrases
from vfa.storage.passphrases import Passphrase, giving, passphrase_for, read_passphrase_file


@pytest.fixture(autouse=True)
def nothing_known(monkeypatch):
    monkeypatch.setattr(passphrases, "_remembered", {})
    monkeypatch.delenv(passphrases.ENV, raising=False)


LINE = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\n\r"), min_size=1
).filter(lambda s: not s.startswith("\ufeff"))


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(line=LINE, ending=st.sampled_from(["", "\n", "\r\n"]), rest=st.text(max_size=50))
def test_the_first_line_is_the_passphrase_whatever_follows(tmp_path, line, ending, rest):
    path = tmp_path / "pass.txt"
    path.write_bytes((line + ending + (rest if ending else "")).encode("utf-8"))
    assert read_passphrase_file(path).same_as(Passphrase(line))


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=300))
def test_any_bytes_give_a_passphrase_or_a_refusal_naming_the_file(tmp_path, data):
    path = tmp_path / "pass.bin"
    path.write_bytes(data)
    try:
        read_passphrase_file(path)
    except InvalidInputError as exc:
        assert str(exc).startswith(f"--passphrase-file {path}: ")


@pytest.mark.parametrize(
    "make, reason",
    [
        (lambda p: p.mkdir(), "is a folder"),
        (lambda p: p.write_bytes(b"x" * (passphrases.MAX_FILE_BYTES + 1)), "bytes; files over"),
        (lambda p: p.write_bytes(b"\nsecret on the second line\n"), "first line is empty"),
        (lambda p: p.write_bytes(b"caf\xe9 au lait\n"), "is not UTF-8"),
        (lambda p: None, "file not found"),
        (lambda p: os.mkfifo(p), "is a pipe"),
    ],
)
def test_a_passphrase_file_that_cannot_be_one_is_refused_with_the_reason(tmp_path, make, reason):
    path = tmp_path / "pass.txt"
    make(path)
    with pytest.raises(InvalidInputError) as err:
        read_passphrase_file(path)
    assert str(err.value).startswith(f"--passphrase-file {path}: ")
    assert reason in str(err.value)


def test_a_device_is_not_read_as_a_passphrase_file():
    with pytest.raises(InvalidInputError, match="is a device"):
        read_passphrase_file("/dev/zero")


def test_a_byte_order_mark_is_not_part_of_the_passphrase(tmp_path):
    path = tmp_path / "pass.txt"
    path.write_bytes("\ufeffopen sesame\r\n".encode())
    assert read_passphrase_file(path).same_as(Passphrase("open sesame"))


def test_the_given_passphrase_comes_first_then_the_files_own_then_the_environment(
    monkeypatch, tmp_path
):
    path = tmp_path / "w.vfa"
    assert passphrase_for(path) is None
    monkeypatch.setenv(passphrases.ENV, "from the environment")
    assert passphrase_for(path).same_as(Passphrase("from the environment"))
    remembered = Passphrase("remembered for the file")
    passphrases.remember(path, remembered)
    assert passphrase_for(path) is remembered
    assert passphrase_for(tmp_path / "other.vfa").same_as(Passphrase("from the environment"))
    given_ = Passphrase("given for the command")
    with giving(given_):
        assert passphrase_for(path) is given_
        with giving(None):  # a command without --passphrase-file changes nothing
            assert passphrase_for(path) is given_
    passphrases.forget(path)
    assert passphrase_for(path).same_as(Passphrase("from the environment"))


def test_a_passphrase_is_never_shown_or_pickled():
    secret = Passphrase("hunter2 hunter2")
    assert "hunter2" not in repr(secret) + str(secret) + f"{secret}" + repr([secret])
    import pickle

    with pytest.raises(TypeError):
        pickle.dumps(secret)
    with pytest.raises(InvalidInputError, match="is empty"):
        Passphrase("")


def test_a_passphrase_file_others_can_read_is_noticed(tmp_path):
    path = Path(tmp_path / "pass.txt")
    path.write_text("open sesame\n")
    path.chmod(0o600)
    assert not passphrases.readable_by_others(path)
    path.chmod(0o644)
    assert passphrases.readable_by_others(path)
