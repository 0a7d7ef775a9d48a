"""Which workspace a command uses, and how it refuses one that is missing, damaged or
of the wrong kind, with options written before or after the subcommand."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from tests.storage.test_workspace_safety import _digest, damaged_workspace
from vfa.cli import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse refusals
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def team(tmp_path, capsys, clips) -> Path:
    """A workspace with one clip, somewhere other than the user's own."""
    ws = tmp_path / "team.vfa"
    assert run(capsys, "workspace", "new", str(ws))[0] == 0
    code, _, err = run(
        capsys, "clip", "add", str(clips["noaudio"]), "--case", "FAM-1", "--session", "V1",
        "--workspace", str(ws),
    )  # fmt: skip
    assert code == 0, err
    return ws


@pytest.mark.parametrize(
    "argv",
    [
        ["--workspace", "{ws}", "clip", "list", "--json"],
        ["clip", "list", "--workspace", "{ws}", "--json"],
        ["clip", "--workspace", "{ws}", "list", "--json"],
        ["--json", "--workspace", "{ws}", "clip", "list"],
        ["--workspace", "{ws}", "--json", "clip", "list"],
    ],
)
def test_the_workspace_option_works_before_or_after_the_subcommand(
    capsys, team, isolated_user, argv
):
    code, out, err = run(capsys, *[a.format(ws=team) for a in argv])
    assert code == 0, err
    assert [r["case"] for r in json.loads(out)] == ["FAM-1"]
    assert not (isolated_user / "data" / "workspace.vfa").exists()  # the user's stays untouched


def test_a_write_before_the_subcommand_lands_in_the_named_workspace(capsys, team, isolated_user):
    code, _, err = run(
        capsys, "--workspace", str(team), "consent", "set", "--clip", "1", "--purposes", "feedback"
    )
    assert code == 0, err
    code, out, _ = run(capsys, "consent", "show", "--clip", "1", "--workspace", str(team), "--json")
    assert json.loads(out)["purposes"] == ["feedback"]
    assert not (isolated_user / "data").exists()


@pytest.mark.parametrize(
    "argv",
    [
        ["clip", "list"],
        ["workspace", "info"],
        ["moment", "list", "--clip", "1"],
        ["assignments"],
        ["consent", "show", "--clip", "1"],
    ],
)
def test_a_missing_workspace_is_named_and_never_created(capsys, tmp_path, argv):
    target = tmp_path / "no-such-folder" / "workpsace.vfa"
    for args in (["--workspace", str(target), *argv], [*argv, "--workspace", str(target)]):
        code, out, err = run(capsys, *args)
        assert code == 2 and out == ""
        assert err.startswith("vfa: ") and str(target) in err and "Traceback" not in err
        assert "vfa workspace new" in err
    assert not target.parent.exists()


def test_the_default_workspace_is_not_created_by_a_read(capsys, isolated_user):
    code, _, err = run(capsys, "clip", "list")
    assert code == 2 and "workspace.vfa" in err
    assert not (isolated_user / "data").exists()


def test_workspace_new_refuses_an_existing_file_and_the_demo_creates_its_own(capsys, tmp_path):
    ws = tmp_path / "w.vfa"
    ws.write_text("my notes")
    code, _, err = run(capsys, "workspace", "new", str(ws))
    assert code == 2 and str(ws) in err
    assert ws.read_text() == "my notes"
    code, out, err = run(capsys, "--workspace", str(tmp_path / "d.vfa"), "demo", "--json")
    assert code == 0, err
    assert json.loads(out)["workspace"] == str(tmp_path / "d.vfa")


@pytest.mark.parametrize("url", ["mysql://u@h/vfa", "http://example.org/w", "file:///tmp/w.vfa"])
def test_a_workspace_url_of_another_kind_exits_2(capsys, url):
    code, out, err = run(capsys, "clip", "list", "--workspace", url)
    assert code == 2 and out == ""
    assert "not a workspace location" in err and "Traceback" not in err


ARGV_CASES = [
        ["moment", "list", "--clip", str(2**63)],
        ["moment", "list", "--session", "99999999999999999999999"],
        ["consent", "show", "--clip", "-1"],
        ["reel", "show", "--session", "0"],
        ["moment", "add", "--clip", "1", "--start-ms", "0", "--end-ms", str(10**15),
         "--tag", "vig:waiting"],
        ["clip", "add", "x.mp4", "--case", "C", "--session", "S", "--cycle", "-2"],
        ["clip", "add", "x.mp4", "--case", "C", "--session", "S", "--date", "2026-02-30"],
        ["consent", "set", "--clip", "1", "--purposes", "feedback", "--date", "yesterday"],
        ["still", "x.mp4", "--frame", str(2**64), "-o", "x.png"],
        ["assign", "--scheme", "kips", "--coders", "A,B", "--share", "nan"],
        ["criterion", "set", "--scheme", "kips", "--statistic", "icc_2_1", "--threshold", "inf"],
]  # fmt: skip


@pytest.mark.parametrize("argv", ARGV_CASES)
def test_numbers_and_dates_that_cannot_be_right_name_their_option(capsys, team, argv):
    option = {4: "--end-ms"}.get(ARGV_CASES.index(argv)) or next(
        a for a in reversed(argv) if a.startswith("--")
    )
    code, out, err = run(capsys, *argv, "--workspace", str(team))
    assert code == 2 and out == ""
    assert f"argument {option}" in err and "Traceback" not in err


def test_the_largest_id_is_looked_up_and_not_found(capsys, team):
    code, _, err = run(
        capsys, "consent", "show", "--clip", str(2**63 - 1), "--workspace", str(team)
    )
    assert code == 2 and str(2**63 - 1) in err


def test_a_symlink_loop_given_as_a_clip_exits_2(capsys, team, tmp_path):
    loop = tmp_path / "loop.mp4"
    loop.symlink_to(loop)
    code, out, err = run(
        capsys, "clip", "add", str(loop), "--case", "FAM-1", "--session", "V1",
        "--workspace", str(team),
    )  # fmt: skip
    assert code == 2 and out == ""
    assert str(loop) in err and "Traceback" not in err


def test_a_damaged_workspace_is_read_only_from_the_command_line(capsys, tmp_path, clips):
    path = tmp_path / "damaged.vfa"
    damaged_workspace(path)
    before = _digest(path)
    code, _, err = run(capsys, "workspace", "info", "--workspace", str(path), "--json")
    # counting cases reads the damaged page: said in VFA's words, with what to do
    assert code == 2 and "damaged" in err and "backup" in err and "Traceback" not in err
    code, _, err = run(
        capsys, "clip", "add", str(clips["noaudio"]), "--case", "FAM-1", "--session", "V1",
        "--workspace", str(path),
    )  # fmt: skip
    assert code == 2 and "read-only" in err and "damaged" in err and str(path) in err
    assert _digest(path) == before


def test_workspace_info_reports_the_files_schema(capsys, team, monkeypatch):
    import vfa.services.workspaces as workspaces

    monkeypatch.setattr(workspaces, "HEAD", "9999")  # what this VFA knows is not the file's
    code, out, _ = run(capsys, "workspace", "info", "--workspace", str(team), "--json")
    with closing(sqlite3.connect(team)) as raw:
        (stored,) = raw.execute("SELECT version_num FROM alembic_version").fetchone()
    assert code == 0 and json.loads(out)["schema"] == stored
