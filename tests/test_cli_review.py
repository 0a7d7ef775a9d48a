"""What a user of the command line tried and should not have got away with."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from vfa.cli import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_the_demo_never_goes_into_a_workspace_with_real_cases(capsys, tmp_path, clips):
    real = tmp_path / "real.vfa"
    assert run(capsys, "workspace", "new", str(real))[0] == 0
    run(capsys, "clip", "add", str(clips["noaudio"]), "--case", "FAM-1", "--session", "V1",
        "--workspace", str(real))  # fmt: skip
    code, _, err = run(capsys, "demo", "--workspace", str(real))
    assert code == 2 and "FAM-1" in err and "Traceback" not in err
    code, out, _ = run(capsys, "clip", "list", "--workspace", str(real), "--json")
    assert [r["case"] for r in json.loads(out)] == ["FAM-1"]
    assert not (tmp_path / "real-media").exists()


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:", "sqlite:///x?mode=memory"])
def test_an_in_memory_workspace_is_refused_for_it_keeps_nothing(
    capsys, tmp_path, url, clips, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    for argv in (
        ["--workspace", url, "clip", "add", str(clips["noaudio"]), "--case", "F", "--session", "S"],
        ["workspace", "new", url],
    ):
        code, _, err = run(capsys, *argv)
        assert code == 2 and "in-memory" in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["evil\x1b[2J", "a\u202eb", "x" * 129, "  "])
def test_as_takes_a_name_of_one_plain_line(capsys, tmp_path, name):
    ws = tmp_path / "w.vfa"
    run(capsys, "workspace", "new", str(ws))
    code, _, err = run(capsys, "--as", name, "assignments", "--workspace", str(ws))
    assert code == 2 and "--as" in err


@pytest.mark.parametrize("command", [["reliability"], ["agreement"], ["score", "--scheme", "kips"]])
def test_a_pipe_given_as_a_csv_is_refused_not_waited_on(tmp_path, command):
    fifo = tmp_path / "ratings.csv"
    os.mkfifo(fifo)
    done = subprocess.run(
        [sys.executable, "-m", "vfa.cli", *command, str(fifo)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert done.returncode == 2 and str(fifo) in done.stderr and "pipe" in done.stderr


@pytest.mark.parametrize("date", ["2099-01-01", "0001-01-01", "20260101"])
def test_a_consent_date_that_has_not_been_is_refused(capsys, date):
    code, _, err = run(
        capsys, "consent", "set", "--clip", "1", "--purposes", "notes", "--date", date
    )
    assert code == 2 and "argument --date" in err


def test_the_demos_moments_go_out_to_boris_and_come_back_as_spans(capsys, tmp_path):
    demo = tmp_path / "demo.vfa"
    assert run(capsys, "demo", "--workspace", str(demo))[0] == 0
    out = tmp_path / "demo.boris"
    code, _, err = run(capsys, "export", "--format", "boris", "--all", "-o", str(out),
                       "--workspace", str(demo))  # fmt: skip
    assert code == 0, err
    from vfa.io import boris
    from vfa.services.moments import moments
    from vfa.storage.workspace import open_workspace

    store = open_workspace(demo)
    tagged = sorted((m.code, m.start_ms, m.end_ms) for m in moments(store))
    store.close()
    doc = boris.read(str(out))
    spans = sorted(
        (e.code, e.start_ms, e.end_ms)
        for o in doc.observations
        for e in o.events
        if (e.code, e.start_ms, e.end_ms) in set(tagged)
    )
    assert tagged and spans == tagged  # each of the demo's moments, a span


@pytest.mark.parametrize("caption", ["esc\x1b[31mRED", "bell\x07", "a\u202eb", "nul\x00"])
def test_a_caption_with_control_characters_is_refused_naming_the_field(
    capsys, tmp_path, clips, caption
):
    demo = tmp_path / "w.vfa"
    assert run(capsys, "workspace", "new", str(demo))[0] == 0
    assert run(capsys, "clip", "add", str(clips["cfr25"]), "--case", "FAM-1",
               "--session", "Visit 1", "--workspace", str(demo))[0] == 0  # fmt: skip
    code, _, err = run(
        capsys, "moment", "add", "--clip", "1", "--start-ms", "1000", "--end-ms", "2000",
        "--tag", "vig:waiting", "--caption", caption, "--workspace", str(demo),
    )  # fmt: skip
    assert code == 2 and "caption" in err and "control character" in err


def test_restoring_a_workspace_onto_itself_is_refused(capsys, tmp_path):
    ws = tmp_path / "w.vfa"
    run(capsys, "workspace", "new", str(ws))
    code, _, err = run(capsys, "restore", str(ws), "--workspace", str(ws))
    assert code == 2 and "itself" in err


def test_an_external_vocabulary_outside_the_eafs_folder_is_not_read(tmp_path):
    from vfa.io import eaf_vocab

    secret = tmp_path / "secret.ecv"
    secret.write_text("<CV_RESOURCE/>")
    folder = tmp_path / "project"
    folder.mkdir()
    why = eaf_vocab._external("../secret.ecv", "cv", str(folder / "a.eaf"), {})
    assert isinstance(why, str) and "outside the folder" in why


def test_a_url_that_is_no_url_is_a_path_in_elan_files(tmp_path):
    """A damaged file named its vocabulary ``http://[bad``: no ValueError escapes."""
    from vfa.io import eaf_vocab, eaf_write

    why = eaf_vocab._external("http://[bad/x.ecv", "cv", str(tmp_path / "a.eaf"), {})
    assert isinstance(why, str)
    assert "%5Bx" in eaf_write._media(str(tmp_path / "[x" / "y.mp4"), 0, None, tmp_path / "o.eaf")
