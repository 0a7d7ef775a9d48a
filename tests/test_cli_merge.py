"""``vfa checkout`` and ``vfa merge`` as typed: a laptop's coding coming home, the dry run,
conflicts, clashing case codes, and hostile files named as OTHER."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import stat
from contextlib import closing
from pathlib import Path

import pytest

from tests.services.merge_world import build_team, code_on, counts, dump, only_clip
from tests.test_cli_surface import run
from vfa.services import clips as clip_service
from vfa.services import events
from vfa.services.encryption import encrypt_workspace
from vfa.services.schemes import get_scheme
from vfa.services.viewer import viewing_as
from vfa.storage import passphrases
from vfa.storage.passphrases import Passphrase
from vfa.storage.workspace import open_workspace


@pytest.fixture
def team(tmp_path, clips):
    """The team workspace file (closed), Ann and Ben assigned clip X blind."""
    ws = open_workspace(tmp_path / "team.vfa", create=True)
    build_team(ws, clips)
    ws.close()
    return tmp_path / "team.vfa"


def coded_laptop(capsys, team, tmp_path):
    """Ann's checkout, with coding of hers done on it."""
    laptop = tmp_path / "laptop.vfa"
    code, _, err = run(capsys, "checkout", team, "--coder", "Ann", "-o", laptop, "--as", "Ann")
    assert code == 0, err
    ws = open_workspace(laptop)
    with viewing_as("Ann"):
        code_on(ws, only_clip(ws, "cfr25.mp4"), "Ann", "on the train")
    ws.close()
    return laptop


def test_vfa_checkout_then_vfa_merge_brings_the_laptop_home(capsys, team, tmp_path):
    laptop = tmp_path / "laptop.vfa"
    code, out, err = run(
        capsys, "--as", "Ann", "checkout", "--coder", "Ann", "-o", laptop, "--workspace", team
    )
    assert code == 0, err
    assert out.startswith(f"Ann's 1 clip(s) and 2 run(s) from {team} -> {laptop}\n")
    assert f"vfa merge {laptop} --workspace {team}" in out
    assert stat.S_IMODE(laptop.stat().st_mode) == 0o600  # a family's coding, taken away
    ws = open_workspace(laptop)
    with viewing_as("Ann"):
        code_on(ws, only_clip(ws, "cfr25.mp4"), "Ann", "on the train")
    ws.close()
    code, report, err = run(capsys, "--workspace", team, "merge", laptop, "--json", "--as", "Ann")
    assert code == 0, err
    assert report["written"] and report["conflicts"] == []
    assert report["counts"]["runs"] == {"added": 0, "updated": 2, "removed": 0, "skipped": 0}
    assert report["counts"]["events"]["added"] == 2
    assert "before-merge" in report["backup"]
    before = counts(open_workspace(team, read_only=True))
    code, out, err = run(capsys, "merge", laptop, "--workspace", team, "--as", "Ann")
    assert (code, err) == (0, "")
    assert out.startswith(f"nothing new in {laptop}\n")
    assert counts(open_workspace(team, read_only=True)) == before


def test_merge_dry_run_says_what_it_would_do_and_changes_nothing(capsys, team, tmp_path):
    laptop = coded_laptop(capsys, team, tmp_path)
    before = dump(team)
    code, out, err = run(capsys, "merge", laptop, "--dry-run", "--workspace", team, "--as", "Ann")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == f"would merge {laptop}"
    assert "  runs: 2 updated" in lines and "  events: 2 added" in lines
    assert dump(team) == before
    assert not (tmp_path / "backups").exists()


def test_merge_refuses_a_run_changed_on_both_sides_and_names_it(capsys, team, tmp_path):
    laptop = coded_laptop(capsys, team, tmp_path)
    ws = open_workspace(team)
    x = only_clip(ws, "cfr25.mp4")
    with viewing_as("Ann"):
        run_id = clip_service.clip_info(ws, x)
        vig = get_scheme("vig")
        from tests.services.merge_world import run_of

        events.code_event(ws, run_of(ws, x, "vig", "Ann"), vig, "waiting", None, 3_000,
                          run_id.frame_table)  # fmt: skip
    ws.close()
    before = dump(team)
    code, out, err = run(capsys, "--as", "Ann", "merge", laptop, "--workspace", team)
    assert code == 2 and out == ""
    assert err.startswith(f"vfa: {laptop}: 1 run(s) changed on both sides since they parted")
    assert (
        f"FAM-1 / Visit 1 / cfr25.mp4: Ann's coding with {vig.name} (version {vig.version})" in err
    )
    assert dump(team) == before
    code, data, err = run(capsys, "merge", laptop, "--dry-run", "--json", "--workspace", team)
    assert code == 1 and data["conflicts"][0]["coder"] == "Ann"


def test_merge_refuses_a_clashing_case_code_until_told_what_it_is(capsys, team, tmp_path, clips):
    other = tmp_path / "other.vfa"
    assert run(capsys, "workspace", "new", other)[0] == 0
    code, _, err = run(
        capsys, "clip", "add", clips["ntsc"], "--case", "fam-1", "--session", "V1",
        "--workspace", other,
    )  # fmt: skip
    assert code == 0, err
    before = dump(team)
    code, _, err = run(capsys, "merge", other, "--workspace", team)
    assert code == 2 and "Traceback" not in err
    assert f"vfa: {other}: case fam-1 is in both workspaces" in err
    assert "--rename-case fam-1=NEW-CODE" in err
    assert dump(team) == before
    code, data, err = run(
        capsys, "merge", other, "--rename-case", "fam-1=FAM-77", "--json", "--workspace", team
    )
    assert code == 0, err
    assert data["counts"]["cases"]["added"] == 1
    code, _, err = run(capsys, "merge", other, "--rename-case", "fam-1", "--workspace", team)
    assert code == 2 and "argument --rename-case" in err and "FAM-001=FAM-001-B" in err


def test_two_clashing_cases_are_both_named_and_contradictions_refused(
    capsys, team, tmp_path, clips
):
    code, _, err = run(
        capsys, "clip", "add", clips["rotated"], "--case", "FAM-2", "--session", "V1",
        "--workspace", team, "--as", "Sue",
    )  # fmt: skip
    assert code == 0, err
    other = tmp_path / "other.vfa"
    assert run(capsys, "workspace", "new", other)[0] == 0
    for clip, case in ((clips["ntsc"], "fam-1"), (clips["vfr"], "fam-2")):
        code, _, err = run(
            capsys, "clip", "add", clip, "--case", case, "--session", "V1", "--workspace", other
        )
        assert code == 0, err
    before = dump(team)
    code, _, err = run(capsys, "merge", other, "--workspace", team)
    assert code == 2 and "Traceback" not in err
    assert f"vfa: {other}: cases fam-1 and fam-2 are in both workspaces" in err
    assert "none of their clips are the same video" in err
    contradictions = {
        ("--rename-case", "fam-1=FAM-77", "--same-case", "FAM-1"): (
            "--rename-case fam-1 and --same-case FAM-1: an incoming case is either another "
            "family (give it a new code) or the same family as here, not both"
        ),
        ("--rename-case", "fam-1=FAM-77", "--rename-case", "FAM-1=FAM-78"): (
            "--rename-case FAM-1: given twice"
        ),
    }
    for options, said in contradictions.items():
        for argv in (
            ["merge", other, *options, "--workspace", team],
            ["--workspace", team, "merge", other, "--dry-run", *options],
        ):
            code, out, err = run(capsys, *argv)
            assert code == 2 and out == "" and f"vfa: {said}" in err, err
    assert dump(team) == before
    code, data, err = run(
        capsys, "merge", other, "--rename-case", "fam-1=FAM-77", "--same-case", "fam-2",
        "--json", "--workspace", team,
    )  # fmt: skip
    assert code == 0, err
    assert data["counts"]["cases"] == {"added": 1, "updated": 0, "removed": 0, "skipped": 1}


def _newer(path):
    ws = open_workspace(path, create=True)
    ws.close()
    with closing(sqlite3.connect(path)) as raw:
        raw.execute("UPDATE alembic_version SET version_num = '9999'")
        raw.commit()
    return path


def _loop(path):
    os.symlink(path.with_name("loop-b.vfa"), path)
    os.symlink(path, path.with_name("loop-b.vfa"))
    return path


HOSTILE = {
    "missing": (lambda p: p, "no workspace here to merge from"),
    "a folder": (lambda p: (p.mkdir(), p)[1], "is a folder, not a workspace file"),
    "an empty file": (lambda p: (p.write_bytes(b""), p)[1], "not a VFA workspace"),
    "not a workspace": (
        lambda p: (p.write_bytes(b"\x00garbage" * 100), p)[1],
        # (SQLite: "file is not a database"; an encrypted workspace reads the same)
        r"not a (VFA )?workspace|not a database",
    ),
    "a newer workspace": (_newer, "written by a newer version of VFA"),
    "a short text file": (
        lambda p: (p.write_text("hello\n"), p)[1],
        r"not a VFA workspace, plain or encrypted \(its 6 bytes cannot be a database\)",
    ),
    "a link loop": (_loop, "cannot be reached"),
}


@pytest.mark.parametrize("kind", HOSTILE)
def test_merge_names_a_hostile_other_and_changes_nothing(capsys, team, tmp_path, kind):
    make, said = HOSTILE[kind]
    other = make(tmp_path / "other.vfa")
    before = dump(team)
    for argv in (["merge", other, "--workspace", team], ["--workspace", team, "merge", other]):
        code, out, err = run(capsys, *argv)
        assert code == 2 and out == ""
        assert err.startswith(f"vfa: {other}") and re.search(said, err), err
        assert "Traceback" not in err
    assert dump(team) == before


DAMAGE = {
    "a role that is none": ("UPDATE coder SET role = 'chief'", "table coder, row 1: role should"),
    "a rating that is no number": (
        "UPDATE rating SET value = 'x' WHERE rowid = (SELECT min(rowid) FROM rating)",
        "value should hold a number",
    ),
    "evidence that is no JSON": ("UPDATE rating SET evidence = 'x'", "evidence should hold"),
    "a run of nobody": (
        "UPDATE coding_run SET coder_id = 99",
        "refers to a row of coder that is not there",
    ),
    "a time that is none": ("UPDATE \"case\" SET created_at = 'soon'", "created_at should"),
}


def refused_after(capsys, team, tmp_path, sql: str) -> tuple[Path, list[str]]:
    """Ann's coded laptop, changed with ``sql`` outside VFA, merged with the options
    before and after the subcommand: each refused (exit 2, no traceback) and the team
    workspace as it was; the laptop and what each refusal said."""
    laptop = coded_laptop(capsys, team, tmp_path)
    with closing(sqlite3.connect(laptop)) as raw:
        raw.execute(sql)
        raw.commit()
    before = dump(team)
    said = []
    for argv in (["merge", laptop, "--workspace", team], ["--workspace", team, "merge", laptop]):
        code, out, err = run(capsys, *argv, "--as", "Ann")
        assert code == 2 and out == "" and "Traceback" not in err, err
        said.append(err)
    assert dump(team) == before
    return laptop, said


@pytest.mark.parametrize("kind", DAMAGE)
def test_merge_of_a_laptop_changed_outside_vfa_names_the_place(capsys, team, tmp_path, kind):
    sql, said = DAMAGE[kind]
    laptop, refusals = refused_after(capsys, team, tmp_path, sql)
    for err in refusals:
        assert err.startswith(f"vfa: {laptop}: table ") and said in err, err
        assert "nothing was changed" in err


# coding of the right kinds that its scheme does not allow (Ann's laptop: KIPS and VIG)
NONSENSE = {
    "a rating off the scale": (
        "UPDATE rating SET value = 99 WHERE rowid = (SELECT max(rowid) FROM rating)",
        "a rating outside the item's scale",
    ),
    "a rating of no item": (
        "UPDATE rating SET item = 'charm' WHERE rowid = (SELECT max(rowid) FROM rating)",
        "a rating of an item the scheme does not have",
    ),
    "an event of no code": (
        "UPDATE annotation SET code = 'charm' WHERE rowid = (SELECT max(rowid) FROM annotation)",
        "an event with a code the scheme does not have",
    ),
    "an event ending before it starts": (
        "UPDATE annotation SET end_ms = start_ms - 1 "
        "WHERE rowid = (SELECT max(rowid) FROM annotation)",
        "an event whose times cannot be",
    ),
}


@pytest.mark.parametrize("kind", NONSENSE)
def test_merge_of_coding_its_scheme_does_not_allow_names_the_run(capsys, team, tmp_path, kind):
    sql, said = NONSENSE[kind]
    laptop, refusals = refused_after(capsys, team, tmp_path, sql)
    for err in refusals:
        assert err.startswith(f"vfa: {laptop}: FAM-1 / Visit 1 / cfr25.mp4: Ann's coding with ")
        assert f"(version 1): {said}" in err and "nothing was changed" in err
        assert "99" not in err and "charm" not in err  # the place, never the value


@pytest.mark.parametrize("order", ["after", "before"])
def test_two_encrypted_workspaces_of_different_passphrases_merge(
    capsys, team, tmp_path, monkeypatch, order
):
    laptop = coded_laptop(capsys, team, tmp_path)
    encrypt_workspace(team, Passphrase("the team's own passphrase"))
    encrypt_workspace(laptop, Passphrase("the laptop's passphrase"))
    monkeypatch.setattr(passphrases, "_remembered", {})  # as a new process
    key = tmp_path / "laptop-key.txt"
    key.write_text("the laptop's passphrase\n")
    key.chmod(0o600)
    monkeypatch.setenv("VFA_PASSPHRASE", "the team's own passphrase")
    argv = ["merge", laptop, "--dry-run", "--workspace", team, "--passphrase-file", key]
    if order == "before":
        argv = ["--passphrase-file", key, "--workspace", team, "merge", laptop, "--dry-run"]
    code, out, err = run(capsys, *argv, "--as", "Ann")
    assert code == 0, err
    assert f"would merge {laptop}" in out
    monkeypatch.delenv("VFA_PASSPHRASE")
    monkeypatch.setattr(passphrases, "_remembered", {})
    code, out, err = run(capsys, *argv, "--as", "Ann")
    assert code == 2 and out == ""
    assert err.startswith(f"vfa: {team}: wrong passphrase (or not a VFA workspace): the one in")


def test_checkout_refusals_exit_2_and_write_nothing(capsys, team, tmp_path):
    out_file = tmp_path / "laptop.vfa"
    code, _, err = run(capsys, "checkout", team, "--coder", "Nobody", "-o", out_file)
    assert code == 2 and "vfa: Nobody: no one of that name codes in" in err
    assert not out_file.exists()
    out_file.write_text("mine")
    code, _, err = run(capsys, "checkout", "--coder", "Ann", "-o", out_file, "--workspace", team)
    assert code == 2 and f"vfa: {out_file}: something is already there" in err
    assert out_file.read_text() == "mine"
    code, _, err = run(capsys, "checkout", tmp_path / "none.vfa", "--coder", "Ann", "-o", "x.vfa")
    assert code == 2 and "no workspace here" in err


@pytest.mark.parametrize("whose", ["Ben", "Nobody"])
def test_a_coder_checking_out_someone_elses_clips_is_told_to_take_their_own(
    capsys, team, tmp_path, whose
):
    assert run(capsys, "people", "add", "Ada", "--role", "admin", "--workspace", team)[0] == 0
    out_file = tmp_path / "laptop.vfa"
    before = dump(team)
    for argv in (
        ["checkout", "--coder", whose, "-o", out_file, "--workspace", team, "--as", "Ann"],
        ["--workspace", team, "--as", "Ann", "checkout", team, "--coder", whose, "-o", out_file],
    ):
        code, out, err = run(capsys, *argv)
        assert code == 2 and out == "" and "Traceback" not in err
        assert err.startswith(f"vfa: checking out {whose}'s clips: Ann is a coder: "), err
        assert "to take your own, give --coder Ann. Nothing was written" in err
        assert not out_file.exists()
    assert dump(team) == before


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs /proc, where no file is made")
def test_a_checkout_where_no_file_can_be_made_says_to_choose_another_folder(capsys, team):
    out_file = Path("/proc/vfa-checkout.vfa")  # no one, not even root, makes a file there
    before = dump(team)
    for argv in (
        ["checkout", "--coder", "Ann", "-o", out_file, "--workspace", team, "--as", "Ann"],
        ["--workspace", team, "--as", "Ann", "checkout", "--coder", "Ann", "-o", out_file],
    ):
        code, out, err = run(capsys, *argv)
        assert code == 2 and out == "" and "Traceback" not in err
        assert err.startswith(f"vfa: {out_file}: a new workspace cannot be made there ("), err
        assert err.endswith("choose a folder that you may write to. Nothing was written\n")
    assert dump(team) == before


def test_a_checkout_file_holds_no_one_elses_blind_coding(capsys, team, tmp_path):
    laptop = tmp_path / "ben.vfa"
    code, data, err = run(
        capsys, "checkout", team, "--coder", "Ben", "-o", laptop, "--json", "--as", "Sue"
    )
    assert code == 0, err
    assert (data["coder"], data["clips"], data["runs"]) == ("Ben", 1, 2)
    raw = laptop.read_bytes()
    assert b"Tess on Z" not in raw
    with closing(sqlite3.connect(laptop)) as db:
        people = [r[0] for r in db.execute("SELECT name FROM coder")]
        info = json.loads(
            db.execute("SELECT value FROM workspace_info WHERE key='checkout'").fetchone()[0]
        )
    assert people == ["Ben"] and info["by"] == "Sue"
