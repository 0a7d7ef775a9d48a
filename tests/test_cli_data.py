"""Backups, restore and the workspace check, from the command line."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from tests.storage.test_workspace_safety import damaged_workspace
from vfa.cli import main
from vfa.storage import backups as store
from vfa.storage.workspace import open_workspace


def run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def cases(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as raw:
        return [r[0] for r in raw.execute('SELECT code FROM "case" ORDER BY code')]


@pytest.fixture
def ws(tmp_path, capsys, clips) -> Path:
    path = tmp_path / "clinic.vfa"
    assert run(capsys, "workspace", "new", str(path))[0] == 0
    code, _, err = run(
        capsys, "clip", "add", str(clips["noaudio"]), "--case", "FAM-1", "--session", "V1",
        "--workspace", str(path),
    )  # fmt: skip
    assert code == 0, err
    return path


def test_backup_writes_a_sound_copy_and_lists_it(capsys, ws):
    code, out, err = run(capsys, "backup", "--workspace", str(ws), "--json")
    assert code == 0, err
    made = Path(json.loads(out)["path"])
    assert made.parent == ws.parent / "backups"
    assert cases(made) == ["FAM-1"]
    with closing(sqlite3.connect(made)) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    code, out, _ = run(capsys, "--workspace", str(ws), "backup", "--list", "--json")
    listed = json.loads(out)
    assert code == 0 and str(made) in [b["path"] for b in listed]
    assert listed == sorted(listed, key=lambda b: b["made"], reverse=True)


def test_backups_rotate_keeping_the_newest(capsys, ws):
    assert run(capsys, "backup", "--keep", "3", "--workspace", str(ws))[0] == 0
    made = []
    for _ in range(5):
        _, out, _ = run(capsys, "backup", "--workspace", str(ws), "--json")
        made.append(json.loads(out)["path"])
    left = [str(b.path) for b in store.list_backups(ws)]
    assert left == list(reversed(made[-3:]))


def test_backup_to_a_named_file_never_replaces_one(capsys, ws, tmp_path):
    target = tmp_path / "copy.vfa"
    assert run(capsys, "backup", "-o", str(target), "--workspace", str(ws))[0] == 0
    assert cases(target) == ["FAM-1"]
    before = target.read_bytes()
    code, _, err = run(capsys, "backup", "-o", str(target), "--workspace", str(ws))
    assert code == 2 and str(target) in err
    assert target.read_bytes() == before


def test_restore_puts_the_backup_back_and_keeps_the_state_before(capsys, ws, clips):
    code, out, _ = run(capsys, "backup", "--workspace", str(ws), "--json")
    backup = json.loads(out)["path"]
    assert run(
        capsys, "clip", "add", str(clips["cfr25"]), "--case", "FAM-2", "--session", "V1",
        "--workspace", str(ws),
    )[0] == 0  # fmt: skip
    assert cases(ws) == ["FAM-1", "FAM-2"]
    code, out, err = run(capsys, "restore", backup, "--workspace", str(ws), "--json")
    assert code == 0, err
    assert cases(ws) == ["FAM-1"]
    before = json.loads(out)["before"]
    assert cases(Path(before)) == ["FAM-1", "FAM-2"]  # nothing is lost by restoring
    code, out, _ = run(capsys, "check", "--workspace", str(ws), "--json")
    assert code == 0 and json.loads(out)["ok"] is True


def test_restore_is_refused_while_another_vfa_has_the_workspace_open(capsys, ws):
    code, out, _ = run(capsys, "backup", "--workspace", str(ws), "--json")
    backup = json.loads(out)["path"]
    before = ws.read_bytes()
    other = open_workspace(ws)  # another VFA, here in this process
    try:
        code, _, err = run(capsys, "restore", backup, "--workspace", str(ws))
    finally:
        other.close()
    assert code == 2 and "another VFA" in err
    assert ws.read_bytes() == before


@pytest.mark.parametrize("make", ["garbage", "damaged", "missing"])
def test_restore_refuses_a_backup_that_is_not_sound(capsys, ws, tmp_path, make):
    bad = tmp_path / "bad.vfa"
    if make == "garbage":
        bad.write_text("not a database")
    elif make == "damaged":
        damaged_workspace(bad)
    before = cases(ws)
    code, _, err = run(capsys, "restore", str(bad), "--workspace", str(ws))
    assert code == 2 and str(bad) in err and "Traceback" not in err
    assert cases(ws) == before


def test_a_command_makes_the_daily_backup_once(capsys, ws):
    first = store.list_backups(ws)
    assert len(first) == 1  # the first command of the day made one
    assert run(capsys, "clip", "list", "--workspace", str(ws))[0] == 0
    assert store.list_backups(ws) == first  # not again the same day


def test_a_backup_is_due_again_after_a_day_only_if_the_workspace_changed(ws):
    newest = store.list_backups(ws)[0]
    tomorrow = newest.made + dt.timedelta(days=1, minutes=1)
    unchanged = store.last_change(ws) <= newest.made.timestamp()
    assert store.is_due(ws, dt.timedelta(days=1), now=tomorrow) is not unchanged
    assert store.is_due(ws, dt.timedelta(days=1), now=newest.made) is False


def test_check_reports_a_missing_clip_with_what_to_do_and_exits_1(capsys, tmp_path, clips):
    import shutil

    video = tmp_path / "v.mp4"
    shutil.copy(clips["noaudio"], video)
    path = tmp_path / "w.vfa"
    run(capsys, "workspace", "new", str(path))
    run(
        capsys,
        "clip",
        "add",
        str(video),
        "--case",
        "C1",
        "--session",
        "S",
        "--workspace",
        str(path),
    )
    assert run(capsys, "check", "--workspace", str(path))[0] == 0
    video.unlink()
    before = path.read_bytes()
    code, out, _ = run(capsys, "check", "--workspace", str(path), "--json")
    data = json.loads(out)
    assert code == 1 and data["ok"] is False
    (problem,) = data["problems"]
    assert problem["kind"] == "clip" and "relink" in problem["advice"].lower()
    assert path.read_bytes() == before  # the check changed nothing


def test_check_reports_a_damaged_workspace(capsys, tmp_path):
    path = tmp_path / "damaged.vfa"
    damaged_workspace(path)
    code, out, err = run(capsys, "check", "--workspace", str(path), "--json")
    assert code == 1, err
    kinds = {p["kind"] for p in json.loads(out)["problems"]}
    assert kinds == {"integrity"}


def test_check_finds_a_broken_reference(capsys, ws):
    with closing(sqlite3.connect(ws)) as raw, raw:
        raw.execute("PRAGMA foreign_keys=OFF")
        raw.execute("INSERT INTO consent_record (clip_id, purposes, recorded_by, recorded_at) "
                    "VALUES (999, '[]', 'x', '2026-01-01')")  # fmt: skip
    code, out, _ = run(capsys, "check", "--workspace", str(ws), "--json")
    problems = json.loads(out)["problems"]
    assert code == 1 and [p["kind"] for p in problems] == ["foreign_key"]
    assert "consent_record" in problems[0]["place"]
