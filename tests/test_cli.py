"""The ``vfa`` command as a user or a script meets it."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from contextlib import closing

import pytest

from vfa.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_probe_json_has_the_documented_keys(capsys, clips):
    code, out, _ = run(capsys, "probe", str(clips["rotated"]), "--json")
    data = json.loads(out)
    assert code == 0
    assert set(data) == {
        "duration_ms",
        "frame_count",
        "fps",
        "vfr",
        "width",
        "height",
        "rotation",
        "has_audio",
        "codec",
    }
    assert (data["width"], data["height"], data["rotation"]) == (360, 640, 90)


def test_clip_add_creates_case_and_session_and_prints_ids(capsys, clips, tmp_path):
    ws = tmp_path / "cli.vfa"
    assert run(capsys, "workspace", "new", str(ws))[0] == 0
    code, out, _ = run(
        capsys,
        "clip",
        "add",
        str(clips["ntsc"]),
        "--case",
        "FAM-9",
        "--session",
        "Visit 2",
        "--workspace",
        str(ws),
        "--json",
    )
    assert code == 0
    ids = json.loads(out)
    assert set(ids) == {"case_id", "session_id", "clip_id"}
    code, out, _ = run(capsys, "clip", "list", "--workspace", str(ws), "--json")
    rows = json.loads(out)
    assert [(r["case"], r["session"], r["clip_id"]) for r in rows] == [
        ("FAM-9", "Visit 2", ids["clip_id"])
    ]


def test_the_default_workspace_is_the_users(capsys, clips, isolated_user):
    assert run(capsys, "workspace", "new")[0] == 0
    code, _, _ = run(
        capsys, "clip", "add", str(clips["ntsc"]), "--case", "FAM-1", "--session", "V1"
    )
    assert code == 0
    assert (isolated_user / "data" / "workspace.vfa").exists()


@pytest.mark.parametrize("make", ["missing", "text", "folder"])
def test_bad_files_exit_2_with_the_file_and_reason_on_stderr(capsys, tmp_path, make):
    target = tmp_path / "input.mp4"
    if make == "text":
        target.write_text("hello\n" * 100)
    elif make == "folder":
        target.mkdir()
    ws = tmp_path / "w.vfa"
    assert run(capsys, "workspace", "new", str(ws))[0] == 0
    code, out, err = run(
        capsys,
        "clip",
        "add",
        str(target),
        "--case",
        "FAM-1",
        "--session",
        "V1",
        "--workspace",
        str(ws),
    )
    assert code == 2
    assert str(target) in err and out == ""
    code, out, _ = run(capsys, "clip", "list", "--workspace", str(ws), "--json")
    assert code == 0 and json.loads(out) == []


def test_a_newer_workspace_exits_2_and_stays_untouched(capsys, tmp_path):
    ws = tmp_path / "w.vfa"
    run(capsys, "workspace", "new", str(ws))
    with closing(sqlite3.connect(ws)) as raw, raw:
        raw.execute("UPDATE alembic_version SET version_num = 'ffff'")
    before = ws.read_bytes()
    code, _, err = run(capsys, "workspace", "info", "--workspace", str(ws))
    assert code == 2
    assert "newer version of VFA" in err and str(ws) in err
    assert ws.read_bytes() == before


def test_clip_check_reports_a_missing_file_with_exit_1(capsys, clips, tmp_path):
    import shutil

    video = tmp_path / "v.mp4"
    shutil.copy(clips["noaudio"], video)
    ws = str(tmp_path / "w.vfa")
    run(capsys, "workspace", "new", ws)
    run(capsys, "clip", "add", str(video), "--case", "C1", "--session", "S", "--workspace", ws)
    assert run(capsys, "clip", "check", "--workspace", ws)[0] == 0
    video.rename(tmp_path / "elsewhere.mp4")
    code, out, _ = run(capsys, "clip", "check", "--workspace", ws, "--json")
    assert code == 1
    assert json.loads(out)[0]["state"] == "missing"
    code, out, _ = run(capsys, "clip", "relink", str(tmp_path), "--workspace", ws, "--json")
    assert json.loads(out)[0]["path"] == str(tmp_path / "elsewhere.mp4")


@pytest.mark.parametrize("module", ["vfa.cli", "vfa"])
def test_the_console_script_runs_as_a_separate_process(clips, tmp_path, module):
    """The installed entry point, as a shell user runs it (python -m vfa as well)."""
    out = subprocess.run(
        [sys.executable, "-m", module, "probe", str(clips["vfr"]), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(out.stdout)["vfr"] is True
    bad = subprocess.run(
        [sys.executable, "-m", module, "probe", str(tmp_path / "no.mp4")],
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 2
    assert "no.mp4" in bad.stderr and "not found" in bad.stderr


def test_demo_json(capsys, tmp_path):
    path = tmp_path / "d.vfa"
    code, out, _ = run(capsys, "demo", "--workspace", str(path), "--json")
    assert code == 0
    from vfa.services.clips import catalog
    from vfa.storage.workspace import open_workspace

    ws = open_workspace(path)
    clip_ids = [k.id for c in catalog(ws) for s in c.sessions for k in s.clips]
    ws.close()
    assert len(clip_ids) == 3  # two cases, three visits, a clip each
    assert json.loads(out) == {"workspace": str(path), "clip_id": clip_ids[0]}


@pytest.mark.parametrize("before", [True, False], ids=["options-first", "options-after"])
def test_the_demo_is_refused_in_a_workspace_with_real_cases(capsys, tmp_path, clips, before):
    from vfa.services.clips import add_clip, catalog
    from vfa.storage.workspace import open_workspace

    path = tmp_path / "mine.vfa"
    ws = open_workspace(path, create=True)
    add_clip(ws, clips["cfr25"], "FAM-017", "Visit 1")
    held = catalog(ws)
    ws.close()
    where = ["--workspace", str(path)]
    code, out, err = run(capsys, *([*where, "demo"] if before else ["demo", *where]))
    assert code == 2 and out == ""
    assert err.startswith(f"vfa: {path}: holds real cases (FAM-017)") and "Traceback" not in err
    ws = open_workspace(path)
    assert catalog(ws) == held
    ws.close()
    assert not (tmp_path / "mine-media").exists()  # nothing was generated


def _new_workspace(capsys, tmp_path):
    ws = str(tmp_path / "w.vfa")
    assert run(capsys, "workspace", "new", ws)[0] == 0
    return ws


def _clip_rows(ws):
    with closing(sqlite3.connect(ws)) as raw:
        return raw.execute("SELECT path, content_hash FROM clip ORDER BY id").fetchall()


@pytest.mark.parametrize("kind", ["loop", "fifo", "device"])
@pytest.mark.parametrize("before", [True, False])
def test_clip_add_refuses_what_is_no_regular_file(capsys, tmp_path, kind, before):
    import os

    ws = _new_workspace(capsys, tmp_path)
    target = tmp_path / "in.mp4"
    if kind == "loop":
        os.symlink(tmp_path / "other.mp4", target)
        os.symlink(target, tmp_path / "other.mp4")
    elif kind == "fifo":
        os.mkfifo(target)
    else:
        os.symlink(os.devnull, target)
    where = ["--workspace", ws]
    argv = [*where, "clip", "add"] if before else ["clip", "add", *where]
    code, out, err = run(capsys, *argv, str(target), "--case", "FAM-1", "--session", "V1")
    assert code == 2 and out == ""
    assert err.startswith(f"vfa: {target}: ") and "Traceback" not in err
    assert {"loop": "loop", "fifo": "pipe", "device": "device"}[kind] in err
    assert _clip_rows(ws) == []


def test_clip_add_records_the_content_hash_before_it_returns(capsys, clips, tmp_path):
    import hashlib

    ws = _new_workspace(capsys, tmp_path)
    code, out, _ = run(
        capsys,
        "clip",
        "add",
        str(clips["noaudio"]),
        "--case",
        "fam-3",
        "--session",
        "V1",
        "--workspace",
        ws,
    )
    assert code == 0
    expected = hashlib.blake2b(clips["noaudio"].read_bytes(), digest_size=32).hexdigest()
    assert _clip_rows(ws) == [(str(clips["noaudio"].resolve()), expected)]
    # the same case in other capitals is reused and named as stored
    code, out, _ = run(
        capsys,
        "--workspace",
        ws,
        "clip",
        "add",
        str(clips["ntsc"]),
        "--case",
        "FAM-3",
        "--session",
        "v1",
    )
    assert code == 0 and out.strip().endswith("in fam-3 / V1")
    assert len(_clip_rows(ws)) == 2


def test_clip_check_reads_every_byte_unless_quick(capsys, clips, tmp_path, monkeypatch):
    import os
    import shutil

    from vfa.media import fingerprint as fingerprint_module

    monkeypatch.setattr(fingerprint_module, "CHUNK", 4096)  # samples smaller than the clip
    video = tmp_path / "v.mp4"
    shutil.copy(clips["cfr25"], video)
    ws = _new_workspace(capsys, tmp_path)
    run(capsys, "clip", "add", str(video), "--case", "C1", "--session", "S", "--workspace", ws)
    size = video.stat().st_size
    with video.open("r+b") as fh:  # a quarter in: between the start and middle samples
        fh.seek(size // 4)
        fh.write(b"\x00" * 256)
    st = video.stat()
    os.utime(video, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))
    code, out, _ = run(capsys, "clip", "check", "--workspace", ws, "--json")
    assert code == 1
    [row] = json.loads(out)
    assert row["state"] == "changed" and str(video) in row["message"]
    code, out, _ = run(capsys, "--workspace", ws, "clip", "check", "--quick")
    assert code == 0 and "sampled" in out


@pytest.mark.parametrize(
    ("option", "value", "field"),
    [
        ("--session", "x" * 129, "session label"),
        ("--session", "Visit\x1b[2J", "session label"),
        ("--session", " ", "session label"),
        ("--context", "c" * 65, "session context"),
        ("--case", "y" * 100_000, "case code"),
    ],
)
def test_clip_add_names_the_field_it_refuses(capsys, clips, tmp_path, option, value, field):
    ws = _new_workspace(capsys, tmp_path)
    argv = {"--case": "FAM-1", "--session": "V1"} | {option: value}
    flat = [x for pair in argv.items() for x in pair]
    code, out, err = run(capsys, "clip", "add", str(clips["ntsc"]), *flat, "--workspace", ws)
    assert code == 2 and out == ""
    assert err.startswith(f"vfa: {field}") and "Traceback" not in err
    assert len(err) < 400
    assert _clip_rows(ws) == []
